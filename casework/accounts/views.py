"""Login, logout, password reset and two-factor authentication pages (Japanese)."""

import logging
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..facility_staff import password_set_record
from .forms import (
    CODE_INVALID,
    CODE_THROTTLED,
    JapanesePasswordResetForm,
    JapaneseSetPasswordForm,
    LoginForm,
    TwoFactorCodeForm,
)
from .lockout import account_key_for
from .permissions import is_staff_user
from .throttling import rate_limited

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10


def default_redirect_for(user) -> str:
    """Staff go to the admin (the staff workspace); everyone else to マイページ."""
    if is_staff_user(user):
        return reverse("wagtailadmin_home")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_default_redirect_url(self):
        # A safe ?next= wins (LoginView.get_success_url); otherwise by role.
        return default_redirect_for(self.request.user)


class LogoutView(auth_views.LogoutView):
    """GET shows a confirmation button; only POST logs out."""

    http_method_names = ["get", "post", "options"]
    template_name = "accounts/logged_out.html"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        return render(request, "accounts/logout_confirm.html")

    def post(self, request, *args, **kwargs):
        auth_logout(request)
        next_url = self.get_redirect_url()
        if next_url:
            return redirect(next_url)
        # The session is now empty, so SessionMiddleware deletes its cookie and public pages are
        # served from the anonymous page cache again.
        return render(request, self.template_name)


@method_decorator(rate_limited("password_reset"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = JapanesePasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_extra_email_context(self):
        return {"valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)}

    def form_valid(self, form):
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(rate_limited("password_reset_confirm"), name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = JapaneseSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_context_data(self, **kwargs):
        # An invited colleague or a newly approved member sets their first password here: the
        # page says so, and names the facility whose マイページ it opens.
        context = super().get_context_data(**kwargs)
        user = getattr(self, "user", None)
        context["first_password"] = user is not None and user.last_login is None
        context["facility"] = getattr(getattr(user, "member_profile", None), "facility", None)
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever proved they own the mailbox may try again at once, whatever axes counted (under
        # the account's key, or under its address when that address is shared; see lockout.py).
        user = form.user
        for name in {account_key_for(user), (user.email or "").lower()} - {""}:
            axes_reset(username=name)
        # A colleague's invitation is accepted: the facility's staff page stops offering to
        # resend or cancel it.
        password_set_record(user=user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# ---------------------------------------------------------------------------------------------
# Two-factor authentication (staff)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _qr_svg(device) -> str:
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        box_size=10,
        border=4,
    )
    return image.to_string(encoding="unicode")


def _readable_secret(device) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _verify(device, code: str) -> str | None:
    """Check a code against a device with django-otp's throttling; return an error or None."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            return CODE_THROTTLED
        if not device.verify_token(code):
            return CODE_INVALID
    return None


def _otp_login(request, device) -> None:
    request.session.cycle_key()
    django_otp.login(request, device)


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="バックアップコード", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@never_cache
@login_required
def two_factor(request):
    """Set up an authenticator app (first time) or enter its current code."""
    user = request.user
    next_url = _next_url(request)
    if not is_staff_user(user):
        return redirect(settings.LOGIN_REDIRECT_URL)
    if user.is_verified():
        return redirect(next_url)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()
    if device is None:
        return _setup(request, next_url)

    form = TwoFactorCodeForm(request.POST or None, allow_backup_code=True)
    if request.method == "POST" and form.is_valid():
        target = device
        if form.is_backup_code:
            target = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
        error = CODE_INVALID if target is None else _verify(target, form.cleaned_data["code"])
        if error is None:
            _otp_login(request, target)
            if target is not device:
                logger.info("Staff user %s verified with a backup code", user.pk)
            return redirect(next_url)
        form.add_error("code", error)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


def _setup(request, next_url):
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=False)

    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _verify(device, form.cleaned_data["code"])
        if error is None:
            TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
            device.refresh_from_db()
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = _new_backup_codes(user)
            _otp_login(request, device)
            logger.info("Staff user %s set up two-factor authentication", user.pk)
            return render(
                request,
                "accounts/two_factor_backup_codes.html",
                {"codes": codes, "next": next_url},
            )
        form.add_error("code", error)

    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": _qr_svg(device),
            "secret": _readable_secret(device),
        },
    )
