"""django-axes: five wrong passwords for one account from one address lock it for 15 minutes."""

import pytest
from django.test import RequestFactory

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "ログインの試行回数が上限に達しました。15分ほど時間をおいてから再度お試しください。"
EMAIL = "hanako.sato@sakura-clinic.example.jp"


def _fail(log_in, username, times):
    return [log_in(username, "wrong-password") for _ in range(times)]


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, member, log_in):
    attempts = _fail(log_in, EMAIL, 5)
    assert all(r.status_code == 200 for r in attempts[:4])
    assert attempts[4].status_code == 429
    assert LOCKED in attempts[4].content.decode()

    response = log_in(EMAIL)  # the right password, too late
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert '<html lang="ja">' in page
    assert "_auth_user_id" not in client.session


def test_changing_the_case_of_the_address_does_not_buy_more_tries(client, member, log_in):
    for username in [EMAIL, EMAIL.upper(), EMAIL.title(), EMAIL, EMAIL.upper()]:
        response = log_in(username, "wrong-password")
    assert response.status_code == 429


def test_the_lock_is_per_address_and_account(client, member, log_in):
    _fail(log_in, EMAIL, 5)
    # The same account from another address still logs in (username and IP address together).
    response = client.post(
        "/accounts/login/",
        {"username": EMAIL, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response["Location"] == "/mypage/"


def test_a_success_resets_the_count(client, member, log_in):
    _fail(log_in, EMAIL, 4)
    assert log_in(EMAIL)["Location"] == "/mypage/"
    client.post("/accounts/logout/")
    assert _fail(log_in, EMAIL, 4)[-1].status_code == 200
    assert log_in(EMAIL)["Location"] == "/mypage/"


def test_the_wagtail_admin_login_is_throttled_too(client, staff):
    for _ in range(5):
        response = client.post("/admin/login/", {"username": "support1", "password": "nope"})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    response = client.post("/admin/login/", {"username": "support1", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def _client_ip(**meta):
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(RequestFactory().post("/accounts/login/", **meta))


def test_outside_production_x_forwarded_for_is_ignored():
    assert _client_ip(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.5") == (
        "198.51.100.1"
    )


def test_in_production_the_address_our_proxy_appended_is_used(settings):
    # As in production.py, one proxy in front of gunicorn.
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.IPWARE_STRICT = False
    assert _client_ip(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5") == (
        "203.0.113.5"
    )
    # A client that forges the header does not choose its address.
    assert (
        _client_ip(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.5")
        == "203.0.113.5"
    )
    # Without the header (a request that bypassed the proxy), the peer address.
    assert _client_ip(REMOTE_ADDR="198.51.100.1") == "198.51.100.1"
