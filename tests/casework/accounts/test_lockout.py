"""django-axes: five wrong passwords for one account, from any addresses and whether it is named
by username or email address, lock it for 15 minutes."""

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import RequestFactory

from casework.accounts.lockout import account_key

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


def _post_from(client, address, username, password="wrong-password"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_rotating_the_client_address_does_not_buy_more_tries(client, member):
    responses = [_post_from(client, f"203.0.113.{n}", EMAIL) for n in range(1, 9)]
    assert [r.status_code for r in responses] == [200] * 4 + [429] * 4
    # The right password from yet another address, too late.
    response = _post_from(client, "198.51.100.7", EMAIL, PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_username_and_the_email_address_share_one_count(client, member, log_in):
    for username in ["m-0001", EMAIL, " M-0001 ", EMAIL.upper()]:
        assert log_in(username, "wrong-password").status_code == 200
    assert log_in("m-0001", "wrong-password").status_code == 429
    assert log_in(EMAIL).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"m-0001"}


def test_a_success_by_username_resets_failures_typed_as_the_email_address(client, member, log_in):
    _fail(log_in, EMAIL, 4)
    assert log_in("m-0001")["Location"] == "/mypage/"
    assert not AccessAttempt.objects.exists()
    client.post("/accounts/logout/")
    assert _fail(log_in, EMAIL, 4)[-1].status_code == 200


def test_another_account_is_not_locked(client, member, make_account, log_in):
    make_account("m-0002", email="other@sakura-clinic.example.jp")
    _fail(log_in, EMAIL, 5)
    assert log_in("other@sakura-clinic.example.jp")["Location"] == "/mypage/"


def test_unknown_names_keep_what_was_typed(member, make_account):
    assert account_key(" Nobody@Example.jp ") == "nobody@example.jp"
    assert account_key("someone") == "someone"
    # An address two accounts share names neither of them.
    make_account("m-0002", email="shared@example.jp")
    make_account("m-0003", email="Shared@example.jp")
    assert account_key("shared@example.jp") == "shared@example.jp"
    assert account_key(EMAIL.upper()) == "m-0001"


def test_axes_reset_unlocks_every_account(client, member, log_in):
    _fail(log_in, EMAIL, 5)
    assert log_in(EMAIL).status_code == 429
    call_command("axes_reset", stdout=StringIO())
    assert log_in(EMAIL)["Location"] == "/mypage/"


def test_axes_reset_username_takes_the_account_username(client, member, log_in):
    _fail(log_in, EMAIL, 5)
    call_command("axes_reset_username", "m-0001", stdout=StringIO())
    assert log_in(EMAIL)["Location"] == "/mypage/"


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
