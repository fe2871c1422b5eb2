"""Rate limits on the password reset forms, and the rule every rate limit shares."""

import logging
import os
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.test import RequestFactory

from casework.accounts import throttling
from config.settings.integrations import cache_settings

pytestmark = pytest.mark.django_db

REFUSED = "の受付を一時的に止めています"
EMAIL = "hanako.sato@sakura-clinic.example.jp"


def _limit(scope):
    return settings.RATE_LIMITS[scope][0]


def _request_reset(client, email="nobody@example.jp", **extra):
    return client.post("/accounts/password-reset/", {"email": email}, **extra)


def _assert_refused(response, action):
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="ja">' in page
    assert f"{action}{REFUSED}" in page
    assert re.search(r"\d+時\d\d分以降（約\d+分後）に、もう一度お試しください", page)
    assert 0 < int(response["Retry-After"]) <= settings.RATE_LIMITS["password_reset"][1]
    assert "no-cache" in response["Cache-Control"]


def test_the_reset_request_is_refused_after_the_limit(client, member):
    for _ in range(_limit("password_reset")):
        assert _request_reset(client)["Location"] == "/accounts/password-reset/done/"
    response = _request_reset(client, EMAIL)
    _assert_refused(response, "パスワード再設定メールのお申込み")
    assert mail.outbox == []  # the refused request sent nothing


def test_the_first_refusal_is_logged_in_english(client, caplog):
    with caplog.at_level(logging.WARNING, logger="casework.accounts.throttling"):
        for _ in range(_limit("password_reset") + 3):
            _request_reset(client)
    [record] = [r for r in caplog.records if r.name == "casework.accounts.throttling"]
    assert record.getMessage() == (
        "Rate limit password_reset exceeded by 127.0.0.1: more than 5 POSTs in 3600 seconds"
    )


def test_another_address_and_a_get_are_not_refused(client, member):
    for _ in range(_limit("password_reset") + 1):
        _request_reset(client)
    assert client.get("/accounts/password-reset/").status_code == 200
    response = _request_reset(client, EMAIL, REMOTE_ADDR="198.51.100.20")
    assert response["Location"] == "/accounts/password-reset/done/"
    assert len(mail.outbox) == 1


def test_gets_never_count(client):
    for _ in range(_limit("password_reset") * 2):
        assert client.get("/accounts/password-reset/").status_code == 200
    assert _request_reset(client).status_code == 302


def test_setting_the_new_password_has_its_own_limit(client, member, log_in):
    _request_reset(client, EMAIL)
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    mismatch = {"new_password1": "sakura-spring-2026!", "new_password2": "sakura-summer-2026!"}
    for _ in range(_limit("password_reset_confirm")):
        assert client.post(set_password_url, mismatch).status_code == 200
    new = "sakura-spring-2026!"
    response = client.post(set_password_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 429
    assert f"新しいパスワードの設定{REFUSED}" in response.content.decode()
    assert log_in(EMAIL, new).status_code == 200  # the password was not changed
    assert client.get(set_password_url).status_code == 200


def test_the_only_password_reset_is_the_limited_one(client):
    assert client.get("/admin/password_reset/").status_code == 404
    assert client.post("/admin/password_reset/", {"email": EMAIL}).status_code == 404
    assert "/admin/password_reset/" not in client.get("/admin/login/").content.decode()


def test_the_window_ends_and_retry_after_says_when(client, monkeypatch):
    posts, seconds = settings.RATE_LIMITS["password_reset"]
    start = 1_800_000_000 // seconds * seconds  # the start of a window
    clock = SimpleNamespace(time=lambda: start + 600)
    monkeypatch.setattr(throttling, "time", clock)
    for _ in range(posts):
        _request_reset(client)
    assert _request_reset(client)["Retry-After"] == str(seconds - 600)
    clock.time = lambda: start + seconds - 1
    assert _request_reset(client)["Retry-After"] == "1"
    clock.time = lambda: start + seconds
    assert _request_reset(client).status_code == 302


def _production_proxy(settings):
    """As in production.py: the client address is the entry our proxy appended."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.IPWARE_STRICT = False


def test_behind_the_proxy_clients_are_told_apart_by_x_forwarded_for(client, settings):
    _production_proxy(settings)
    behind_proxy = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(_limit("password_reset")):
        _request_reset(client, **behind_proxy)
    assert _request_reset(client, **behind_proxy).status_code == 429
    # A forged entry to the left does not make another client.
    forged = {**behind_proxy, "HTTP_X_FORWARDED_FOR": "192.0.2.77, 203.0.113.5"}
    assert _request_reset(client, **forged).status_code == 429
    # Another client behind the same proxy is not refused.
    other = {**behind_proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.6"}
    assert _request_reset(client, **other).status_code == 302


def test_in_development_x_forwarded_for_is_ignored(client):
    for n in range(_limit("password_reset")):
        _request_reset(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert _request_reset(client, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_an_ipv6_client_is_counted_by_its_64_network(client):
    for n in range(_limit("password_reset")):
        _request_reset(client, REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}")
    assert _request_reset(client, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert _request_reset(client, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


@pytest.fixture(params=["locmem", "redis"])
def counter_cache(request, settings):
    """The test cache, and the production one on REDIS_URL (under a key prefix of its own)."""
    if request.param == "locmem":
        yield
        return
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("REDIS_URL is required (REQUIRE_SERVICES is set): run scripts/services")
        pytest.skip("REDIS_URL is not set (scripts/services starts Redis and prints it)")
    prefix = f"amrm-test-{uuid.uuid4().hex}"
    caches = cache_settings(url)
    caches["default"]["KEY_PREFIX"] = prefix
    settings.CACHES = caches
    yield
    # Only this test's keys: a running site or another test run may share the database.
    with redis.Redis.from_url(url) as client:
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)


def test_concurrent_posts_never_pass_more_than_the_limit(counter_cache):
    posts = _limit("password_reset")
    request = RequestFactory().post("/accounts/password-reset/", REMOTE_ADDR="203.0.113.50")

    def post_25_times():
        return [throttling.rate_limit_response(request, "password_reset") for _ in range(25)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = [a for batch in pool.map(lambda _: post_25_times(), range(8)) for a in batch]
    assert sum(answer is None for answer in answers) == posts
    assert (
        sum(answer is not None and answer.status_code == 429 for answer in answers) == 200 - posts
    )
