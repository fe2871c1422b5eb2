"""What search engines and link previews read: sitemap.xml, robots.txt, canonical and share tags.

Every absolute address is built from `settings.SITE_URL` (the site's public address, required in
production), not from the Wagtail Site record, whose hostname the loader leaves at localhost.
"""

from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

#: The default share image (1200×630, the association's mark and name; made with Pillow from the
#: colours of mark.svg).
DEFAULT_IMAGE = "cms_pages/og-default.png"
DEFAULT_IMAGE_SIZE = (1200, 630)
#: Longest description, in characters: what search results and previews show of Japanese text.
DESCRIPTION_CHARS = 120
#: Public pages that are not Wagtail pages.
EXTRA_SITEMAP_PATHS = ["/join/"]
#: Where crawlers have nothing to read (staff, members, login).
ROBOTS_DISALLOW = ["/admin/", "/django-admin/", "/mypage/", "/accounts/"]


def absolute_url(path_or_url: str) -> str:
    """`path_or_url` on the site's public address (a full URL keeps only its path and query)."""
    parts = urlsplit(path_or_url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return f"{settings.SITE_URL}{path}"


def page_description(page: Page) -> str:
    """The page's search description, else the start of its lead (前文, or its text)."""
    if page.search_description:
        return page.search_description
    intro = getattr(page, "intro", "")
    text = unescape(strip_tags(str(intro))) if intro else ""
    if not text.strip() and hasattr(page, "plain_text"):
        text = page.plain_text()
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARS)


def share_image() -> str:
    url = static(DEFAULT_IMAGE)
    return url if urlsplit(url).scheme else absolute_url(url)


class _OnSiteUrl:
    """Sitemap locations on SITE_URL, whatever host the request or the Site record names."""

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            url["location"] = absolute_url(url["location"])
        return urls


class PageSitemap(_OnSiteUrl, Sitemap):
    """Wagtail's: every live page of the site without view restrictions (drafts and private
    pages are left out by `.live().public()`), with its last publication date."""


class ExtraSitemap(_OnSiteUrl, DjangoSitemap):
    """The public applications that are not pages (the online application)."""

    def items(self):
        return EXTRA_SITEMAP_PATHS

    def location(self, item):
        return item


SITEMAPS = {"pages": PageSitemap, "extra": ExtraSitemap}


@require_safe  # GET and HEAD: crawlers and link checkers ask with either
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Allow: /",
        *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
        "",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page names: the association's mark (resolved per
    request, as the production storage's hashed name exists only after collectstatic)."""
    return HttpResponsePermanentRedirect(static("cms_pages/mark.svg"))
