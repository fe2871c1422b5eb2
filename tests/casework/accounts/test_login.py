"""The login page: members by email address, staff by username; where each one lands."""

import pytest

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_japanese(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<h1 class="page-title">ログイン</h1>' in page
    assert "メールアドレス" in page
    assert "パスワード" in page
    assert "パスワードをお忘れの方" in page


def test_a_member_logs_in_with_their_email_address_and_lands_on_mypage(client, member, log_in):
    response = log_in("hanako.sato@sakura-clinic.example.jp")  # any case
    assert response.status_code == 302
    assert response["Location"] == "/mypage/"
    assert client.session["_auth_user_id"] == str(member.pk)


def test_a_member_may_also_use_their_username(member, log_in):
    assert log_in("m-0001")["Location"] == "/mypage/"


def test_a_wrong_password_is_refused_in_japanese(client, member, log_in):
    response = log_in("hanako.sato@sakura-clinic.example.jp", "wrong-password")
    assert response.status_code == 200
    assert "メールアドレスまたはパスワードが正しくありません。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_gets_the_same_answer(log_in):
    response = log_in("nobody@example.jp")
    assert "メールアドレスまたはパスワードが正しくありません。" in response.content.decode()


def test_an_inactive_account_cannot_log_in(client, member, log_in):
    member.is_active = False
    member.save()
    log_in("hanako.sato@sakura-clinic.example.jp")
    assert "_auth_user_id" not in client.session


def test_staff_log_in_with_their_username_and_land_on_the_admin(staff, log_in):
    assert log_in("support1")["Location"] == "/admin/"


def test_a_superuser_lands_on_the_admin(superuser, log_in):
    assert log_in("chief@amrm.example.jp")["Location"] == "/admin/"


def test_a_safe_next_is_honoured(member, log_in):
    response = log_in("m-0001", next="/mypage/report/")
    assert response["Location"] == "/mypage/report/"


def test_another_site_is_never_a_next(client, member):
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "m-0001", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/mypage/"


def test_two_accounts_sharing_an_email_address_each_log_in_with_their_own_password(
    client, make_account, django_user_model
):
    first = make_account("clinic-a", email="shared@example.jp")
    second = make_account("clinic-b", email="SHARED@example.jp")
    second.set_password("another-password-42")
    second.save()

    client.post("/accounts/login/", {"username": "shared@example.jp", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(first.pk)
    client.logout()
    client.post(
        "/accounts/login/", {"username": "shared@example.jp", "password": "another-password-42"}
    )
    assert client.session["_auth_user_id"] == str(second.pk)


def test_the_wagtail_admin_login_accepts_username_or_email(client, staff):
    response = client.post("/admin/login/", {"username": "support1", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    client.logout()
    response = client.post(
        "/admin/login/", {"username": "Support1@amrm.example.jp", "password": PASSWORD}
    )
    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_login_url_setting_points_at_the_login_page(client):
    from django.conf import settings

    assert settings.LOGIN_URL == "/accounts/login/"
    assert settings.LOGIN_REDIRECT_URL == "/mypage/"
