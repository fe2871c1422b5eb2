"""get_search_backend(): the configured precedent-search backend.

PRECEDENT_SEARCH = {"default": {"BACKEND": "search.backends.database", ...}}; the database
backend is always available as the default, so nothing needs a server.
"""

import logging
from importlib import import_module

from django.conf import settings

from .base import SearchUnavailable

logger = logging.getLogger(__name__)

DEFAULT = {"BACKEND": "search.backends.database"}


def get_search_backend(name: str = "default"):
    config = {**getattr(settings, "PRECEDENT_SEARCH", {}).get(name, DEFAULT)}
    module = import_module(config.pop("BACKEND"))
    return module.SearchBackend(config)


def update_index(*, documents=(), delete=()) -> None:
    """Bring the index in step with a change already saved. If the backend is unavailable the
    change stays saved: log it (rebuild_precedent_index catches up) rather than fail the page."""
    backend = get_search_backend()
    try:
        if documents:
            backend.index(documents)
        if delete:
            backend.delete(delete)
    except SearchUnavailable:
        logger.exception(
            "Precedent index not updated (%s); run rebuild_precedent_index",
            delete or [d.key for d in documents],
        )
