"""Whole-response cache for anonymous visitors of public pages, purged whenever an editor publishes.

Rendering a Wagtail page costs tens of milliseconds; a cache hit costs one cache read. Purging is
by generation: every key carries the current generation number, and publishing, unpublishing,
moving or deleting any page, or changing who may view one (its privacy), bumps it, so every
cached page is dropped at once and nobody sees a stale page, nor a private one. With several
processes the cache must be shared (Redis) for that to hold everywhere.

Never cached: requests that carry a session (logged-in users, previews), non-GET requests,
responses that set cookies (CSRF forms), and anything not marked cacheable by Wagtail's page serve.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-page-cache:generation"
_CACHEABLE_ATTR = "_public_page_cacheable"


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # add() so that two processes starting at once agree on one value.
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def _key(request) -> str:
    # Hashed: URLs can be long and hold any character; cache keys must stay short and plain.
    url = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return f"public-page-cache:{_generation()}:{url}"


def purge() -> None:
    """Drop every cached page (publishing one page can change menus and lists on others)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)
    logger.debug("Public page cache purged")


def _is_anonymous(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or not _is_anonymous(request):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if self._storable(request, response):
            cache.set(key, response, timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        return (
            getattr(request, _CACHEABLE_ATTR, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            # get_token() was called: the page holds a CSRF form bound to this visitor.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "private" not in response.get("Cache-Control", "")
        )


@hooks.register("before_serve_page")
def _mark_cacheable(page, request, serve_args, serve_kwargs):
    setattr(request, _CACHEABLE_ATTR, True)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _purge_on_page_change(sender, **kwargs):
    purge()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _purge_on_privacy_change(sender, **kwargs):
    # After commit: a request in between would cache the page as still public.
    transaction.on_commit(purge)


@receiver(post_delete)
def _purge_on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        purge()
