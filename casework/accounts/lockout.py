"""django-axes hooks."""

from django.conf import settings


def lockout_username(request, credentials=None) -> str:
    """The name axes counts failures against: what was typed in the login form, trimmed and
    lower-cased.

    What was typed, not the account's username: a member who logs in with their email address
    must have the failures counted under that address reset by the success (axes passes the
    account's username at login). Lower-cased: email login is case-insensitive, so ``A@x.jp`` and
    ``a@x.jp`` share one count; otherwise changing the case would buy five more tries each time.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    posted = getattr(request, "POST", None)
    if posted is not None and posted.get(field):
        username = posted.get(field)
    elif credentials:
        username = credentials.get(field)
    else:
        username = None
    return (username or "").strip().lower()
