"""Reads for the public site search."""

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from wagtail.models import Page

from .analysis import tokens
from .highlight import excerpt

# More words than this add nothing to a site search and nest too deeply in the SQL query.
MAX_QUERY_TERMS = 32


@dataclass(frozen=True)
class SiteSearchHit:
    page: Page
    snippet: str


def site_search(*, query: str, page_number: int | str = 1, per_page: int = 10) -> PaginatorPage:
    """Live public pages matching every content word of `query`, best first, with snippets."""
    terms = list(dict.fromkeys(tokens(query)))[:MAX_QUERY_TERMS]
    analysed = " ".join(terms)
    if not analysed:
        return Paginator([], per_page).get_page(1)
    results = Page.objects.live().public().specific().search(analysed, operator="and")
    paginated = Paginator(results, per_page).get_page(page_number)
    # Snippet terms: what the visitor typed, then its analysed words, longest (most telling) first.
    snippet_terms = [query.strip(), *sorted(terms, key=len, reverse=True)]
    paginated.object_list = [
        SiteSearchHit(page=p, snippet=excerpt(p.plain_text(), snippet_terms))
        for p in paginated.object_list
    ]
    return paginated
