"""Staff reach the admin sites only after a second factor (TOTP) in this session."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .permissions import is_staff_user


class StaffTwoFactorMiddleware:
    """Send staff who are not OTP-verified from /admin/ and /django-admin/ to /accounts/2fa/.

    Must come after django_otp.middleware.OTPMiddleware (which provides ``user.is_verified()``).
    Members are never asked; anonymous visitors are left to the admin's own login. The admins'
    login and logout pages stay reachable. ``settings.STAFF_2FA_REQUIRED = False`` switches it off.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths = None

    def _protected_and_exempt(self):
        # Resolved on first use: the URLconf is not loaded when middleware is built.
        if self._paths is None:
            protected = (reverse("wagtailadmin_home"), reverse("admin:index"))
            exempt = {
                reverse("wagtailadmin_login"),
                reverse("wagtailadmin_logout"),
                reverse("admin:login"),
                reverse("admin:logout"),
            }
            self._paths = (protected, exempt)
        return self._paths

    def __call__(self, request):
        if getattr(settings, "STAFF_2FA_REQUIRED", True) and self._must_verify(request):
            target = reverse("accounts:two_factor")
            next_url = request.get_full_path() if request.method == "GET" else request.path
            return redirect(f"{target}?{urlencode({'next': next_url})}")
        return self.get_response(request)

    def _must_verify(self, request) -> bool:
        protected, exempt = self._protected_and_exempt()
        path = request.path
        if not path.startswith(protected) or path in exempt:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if user.is_verified():
            return False
        return is_staff_user(user)
