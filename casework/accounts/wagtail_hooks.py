from urllib.parse import quote

from django.utils.html import escape
from wagtail import hooks

from .names import display_name

# A navy square with the person's first character in white, the association's mark colours.
_AVATAR_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40">'
    '<rect width="40" height="40" fill="#1f3a5f"/>'
    '<text x="20" y="27" font-size="20" text-anchor="middle" fill="#fff" '
    'font-family="Hiragino Sans, Noto Sans JP, Meiryo, sans-serif">{initial}</text></svg>'
)


@hooks.register("get_avatar_url")
def initials_avatar_url(user, size):
    """Staff without an uploaded picture get their family name's first character, drawn as an
    inline SVG: gravatar is off (WAGTAIL_GRAVATAR_PROVIDER_URL), so no request carrying a hash of
    their e-mail leaves the site, and the avatar says who it is instead of a grey silhouette."""
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None  # Wagtail shows the uploaded picture
    initial = escape(display_name(user)[:1].upper() or "?")
    return "data:image/svg+xml," + quote(_AVATAR_SVG.format(initial=initial))


@hooks.register("construct_main_menu")
def hide_wagtail_help(request, menu_items):
    """Wagtail's ヘルプ menu leads only to Wagtail's English editor guide and release notes, which
    staff cannot use; the association's own help is the README and the office."""
    menu_items[:] = [item for item in menu_items if item.name != "help"]
