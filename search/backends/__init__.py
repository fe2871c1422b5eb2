"""get_search_backend(): the configured precedent-search backend.

PRECEDENT_SEARCH = {"default": {"BACKEND": "search.backends.database", ...}}; the database
backend is always available as the default, so nothing needs a server.
"""

from importlib import import_module

from django.conf import settings

DEFAULT = {"BACKEND": "search.backends.database"}


def get_search_backend(name: str = "default"):
    config = {**getattr(settings, "PRECEDENT_SEARCH", {}).get(name, DEFAULT)}
    module = import_module(config.pop("BACKEND"))
    return module.SearchBackend(config)
