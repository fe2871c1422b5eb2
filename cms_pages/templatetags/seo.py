"""`{% share_data as share %}`: canonical URL, description and share image for base.html's head."""

from django import template
from django.conf import settings

from ..seo import DEFAULT_IMAGE_SIZE, absolute_url, page_description, share_image

register = template.Library()


@register.simple_tag(takes_context=True)
def share_data(context) -> dict:
    """What link previews and search engines read about the page being rendered.

    The canonical URL is the request's path on the public address (no query string: a search's
    or a list's parameters never make another page of it); pages without a request (a server
    error) get none. Title and description come from the Wagtail page when there is one."""
    request = context.get("request")
    page = context.get("page")
    site_name = settings.WAGTAIL_SITE_NAME
    title = (page.seo_title or page.title) if page is not None else ""
    return {
        "url": absolute_url(request.path) if request is not None else "",
        "title": title if title and title != site_name else site_name,
        "description": page_description(page) if page is not None else "",
        "site_name": site_name,
        "image": share_image(),
        "image_width": DEFAULT_IMAGE_SIZE[0],
        "image_height": DEFAULT_IMAGE_SIZE[1],
        "image_alt": site_name,
        "is_home": request is not None and request.path == "/",
    }
