"""Log in with an email address (case-insensitive) or a username."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

UserModel = get_user_model()


class EmailOrUsernameBackend(ModelBackend):
    """ModelBackend that also accepts the account's email address in the username field.

    Members log in with their email address; staff keep their usernames. An exact username match
    is tried first. Email addresses are not unique in Django's user table: when several active
    accounts share one, the password must fit exactly one of them, otherwise nobody is logged in.
    Permissions are ModelBackend's (this class replaces it in AUTHENTICATION_BACKENDS).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(UserModel.USERNAME_FIELD)
        if not username or password is None:
            return None
        username = username.strip()
        manager = UserModel._default_manager

        by_username = manager.filter(**{UserModel.USERNAME_FIELD: username}).first()
        if by_username is not None:
            if by_username.check_password(password) and self.user_can_authenticate(by_username):
                return by_username

        by_email = []
        if "@" in username:
            by_email = list(manager.filter(email__iexact=username).order_by("pk"))
            if by_username is not None:
                by_email = [user for user in by_email if user.pk != by_username.pk]

        if by_username is None and not by_email:
            # Hash once anyway, so response times do not reveal whether an account exists.
            UserModel().set_password(password)
            return None

        matches = [
            user
            for user in by_email
            if user.check_password(password) and self.user_can_authenticate(user)
        ]
        return matches[0] if len(matches) == 1 else None
