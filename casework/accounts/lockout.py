"""django-axes hooks: one failure count per account, whatever was typed to name it."""

from django.conf import settings
from django.contrib.auth import get_user_model

UserModel = get_user_model()


def account_key(typed: str) -> str:
    """The key axes counts failures against for what was typed in the login form.

    An existing account has one key, its username in lower case, whether it is named by username
    or by email address, in any case, with surrounding spaces: otherwise ``member-4`` and
    ``member-4@example.jp`` (or ``A@x.jp`` and ``a@x.jp``) would each buy five more tries. Typed
    values naming no account, or an email address shared by several accounts (login by email
    then needs the password to fit exactly one of them, see backends.py), keep their own key:
    the typed value in lower case.
    """
    typed = typed.strip()
    key = typed.lower()
    users = UserModel._default_manager
    if "@" not in typed or users.filter(**{f"{UserModel.USERNAME_FIELD}__iexact": typed}).exists():
        return key
    owners = list(
        users.filter(email__iexact=typed).values_list(UserModel.USERNAME_FIELD, flat=True)[:2]
    )
    return owners[0].lower() if len(owners) == 1 else key


def account_key_for(user) -> str:
    """The key of `user`'s own failure count (what ``axes_reset_username`` takes)."""
    return user.get_username().lower()


def lockout_username(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: the account key of what was typed in the login form.

    What was typed is read before the credentials: at a successful login axes passes the account's
    username, and the failures counted under what was typed must be the ones the success resets
    (the same key for an account, but not for a shared email address).
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    posted = getattr(request, "POST", None)
    if posted is not None and posted.get(field):
        username = posted.get(field)
    elif credentials:
        username = credentials.get(field)
    else:
        username = None
    return account_key(username or "")
