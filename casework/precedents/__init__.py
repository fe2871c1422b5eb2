"""Precedent search as casework uses it: what goes into the index (documents), who sees what
(access), past cases imported from the office's spreadsheets (importer), and the reviewers' search
page in the admin (views, facets, wagtail_hooks). The search app underneath is a library that
knows documents only."""

from .access import (
    precedent_open_cases_shown,
    precedent_owners_hidden_from,
    precedent_search_allowed,
)
from .documents import (
    historical_documents,
    historical_precedent_key,
    precedent_document,
    precedent_documents,
    precedent_key,
    precedent_key_of,
    precedent_owner,
)

__all__ = [
    "historical_documents",
    "historical_precedent_key",
    "precedent_document",
    "precedent_documents",
    "precedent_key",
    "precedent_key_of",
    "precedent_open_cases_shown",
    "precedent_owner",
    "precedent_owners_hidden_from",
    "precedent_search_allowed",
]
