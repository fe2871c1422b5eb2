"""Staff need a TOTP code before the admin sites; members never do."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import PASSWORD, current_code

pytestmark = pytest.mark.django_db

SETUP_TEXT = "認証アプリ（Google Authenticator など）で QR コードを読み取り、表示された6桁のコードを入力してください。"
TWO_FACTOR = "/accounts/2fa/"


@pytest.fixture
def enrolled_staff(staff):
    """Staff who set up their authenticator app earlier."""
    TOTPDevice.objects.create(user=staff, name="認証アプリ", confirmed=True)
    return staff


def _device(user, confirmed=True):
    return TOTPDevice.objects.get(user=user, confirmed=confirmed)


def test_staff_set_up_an_authenticator_app_on_first_login_then_reach_the_admin(
    client, staff, log_in
):
    assert log_in("support1")["Location"] == "/admin/"

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/?next=%2Fadmin%2F"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "二段階認証" in html
    assert SETUP_TEXT in html
    # The QR code is drawn on the server: inline SVG, no script and nothing from another host.
    assert re.search(r'<div class="two-factor__qr"[^>]*><svg ', html)
    assert "<script" not in html.split('<main id="main"')[1]
    assert "no-store" in page["Cache-Control"]
    device = _device(staff, confirmed=False)
    secret = re.search(r'<code class="two-factor__secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert len(secret.replace(" ", "")) == 32

    # Still not in the admin before the code is entered.
    assert client.get("/admin/").status_code == 302

    confirmed = client.post(TWO_FACTOR, {"code": current_code(device), "next": "/admin/"})
    assert confirmed.status_code == 200
    assert "二段階認証を設定しました" in confirmed.content.decode()
    assert _device(staff).confirmed
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", confirmed.content.decode())
    assert len(codes) == 10

    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_during_setup_keeps_the_same_secret(client, staff, log_in):
    log_in("support1")
    first = client.get(TWO_FACTOR).content.decode()
    response = client.post(TWO_FACTOR, {"code": "000000"})
    html = response.content.decode()
    assert "コードが正しくありません。" in html
    secret = re.compile(r'<code class="two-factor__secret">([A-Z2-7 ]+)</code>')
    assert secret.search(html).group(1) == secret.search(first).group(1)
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_enrolled_staff_enter_the_current_code_and_go_on_to_next(client, enrolled_staff, log_in):
    log_in("support1")
    redirect = client.get("/admin/pages/")
    assert redirect["Location"] == "/accounts/2fa/?next=%2Fadmin%2Fpages%2F"

    page = client.get(redirect["Location"]).content.decode()
    assert "認証アプリ（Google Authenticator など）に表示されている6桁のコード" in page
    assert "two-factor__qr" not in page  # no QR code: the app is already set up

    response = client.post(
        TWO_FACTOR, {"code": current_code(_device(enrolled_staff)), "next": "/admin/pages/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused(client, enrolled_staff, log_in):
    log_in("support1")
    response = client.post(TWO_FACTOR, {"code": "123456"})
    assert response.status_code == 200
    assert "コードが正しくありません。" in response.content.decode()
    assert client.get("/admin/")["Location"].startswith(TWO_FACTOR)


def test_something_that_is_not_a_code_is_refused(client, enrolled_staff, log_in):
    log_in("support1")
    response = client.post(TWO_FACTOR, {"code": "abc"})
    assert "コードが正しくありません。" in response.content.decode()


def test_wrong_codes_are_throttled(client, enrolled_staff, log_in):
    """Each wrong code doubles the wait before the next try (django-otp: 1, 2, 4, … seconds)."""
    log_in("support1")
    client.post(TWO_FACTOR, {"code": "123456"})
    device = _device(enrolled_staff)
    assert device.throttling_enabled
    assert device.throttling_failure_count == 1

    # Several wrong codes later (8 seconds to wait), even the right code is not accepted.
    device.throttling_failure_count = 4
    device.save()
    response = client.post(TWO_FACTOR, {"code": current_code(device)})
    assert "しばらく入力を受け付けません" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_full_width_digits_are_accepted(client, enrolled_staff, log_in):
    log_in("support1")
    code = current_code(_device(enrolled_staff)).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    assert client.post(TWO_FACTOR, {"code": code})["Location"] == "/admin/"


def test_a_backup_code_works_once(client, staff, log_in):
    TOTPDevice.objects.create(user=staff, confirmed=True)
    backup = StaticDevice.objects.create(user=staff, name="バックアップコード", confirmed=True)
    backup.token_set.create(token="abcd2345")

    log_in("support1")
    assert client.post(TWO_FACTOR, {"code": "abcd 2345"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

    client.post("/accounts/logout/")
    log_in("support1")
    response = client.post(TWO_FACTOR, {"code": "abcd2345"})
    assert "コードが正しくありません。" in response.content.decode()


def test_the_django_admin_is_protected_too(client, superuser, log_in):
    log_in("chief")
    assert client.get("/django-admin/")["Location"] == "/accounts/2fa/?next=%2Fdjango-admin%2F"


def test_the_admin_logout_is_let_through(client, enrolled_staff, log_in):
    log_in("support1")
    response = client.post("/admin/logout/")
    assert not response["Location"].startswith(TWO_FACTOR)
    assert "_auth_user_id" not in client.session


def test_another_site_is_never_a_next(client, enrolled_staff, log_in):
    log_in("support1")
    response = client.post(
        TWO_FACTOR, {"code": current_code(_device(enrolled_staff)), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    assert client.get(TWO_FACTOR)["Location"].startswith("/accounts/login/?next=")


def test_members_are_never_asked(client, member, log_in):
    assert log_in("hanako.sato@sakura-clinic.example.jp")["Location"] == "/mypage/"
    # The admin simply refuses them (its own login page); no two-factor page.
    response = client.get("/admin/")
    assert not response["Location"].startswith(TWO_FACTOR)
    assert client.get(TWO_FACTOR)["Location"] == "/mypage/"
    assert not TOTPDevice.objects.filter(user=member).exists()


def test_cms_editors_who_can_enter_the_admin_are_asked_too(client, make_account, log_in):
    from django.contrib.auth.models import Permission

    editor = make_account("editor1", email="editor1@amrm.example.jp")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert log_in("editor1")["Location"] == "/admin/"
    assert client.get("/admin/")["Location"].startswith(TWO_FACTOR)


def test_the_setting_switches_it_off(client, settings, staff):
    settings.STAFF_2FA_REQUIRED = False
    client.post("/accounts/login/", {"username": "support1", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200


def test_reset_2fa_removes_the_devices(enrolled_staff):
    StaticDevice.objects.create(user=enrolled_staff, confirmed=True)
    out = StringIO()
    call_command("reset_2fa", "support1", stdout=out)
    assert not TOTPDevice.objects.filter(user=enrolled_staff).exists()
    assert not StaticDevice.objects.filter(user=enrolled_staff).exists()
    assert "Removed 1 TOTP and 1 backup-code device(s)" in out.getvalue()
