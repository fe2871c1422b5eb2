"""Anonymous visitors get cached pages, never stale ones; forms and logged-in users bypass it."""

import pytest
from django.conf import settings

from cms_pages.models import FaqPage

from .reading import page_text

pytestmark = pytest.mark.django_db


def test_a_page_is_served_from_the_cache_until_an_editor_publishes(client, site_pages):
    faq = site_pages["faq"]
    assert "よくあるご質問" in client.get("/faq/").content.decode()
    # A change written behind Wagtail's back is not seen: the cached page is served.
    FaqPage.objects.filter(pk=faq.pk).update(title="書き換えたタイトル")
    assert "書き換えたタイトル" not in client.get("/faq/").content.decode()

    faq.refresh_from_db()
    faq.title = "公開したタイトル"
    faq.save_revision().publish()
    assert "公開したタイトル" in client.get("/faq/").content.decode()


def test_publishing_one_page_refreshes_the_others_too(client, site_pages):
    client.get("/")
    committee = site_pages["committee"]
    committee.intro = "<p>新しい紹介文</p>"
    committee.save_revision().publish()
    assert client.get("/").status_code == 200
    assert "新しい紹介文" in page_text(client.get("/committee/"))


def test_unpublishing_a_page_removes_it_at_once(client, site_pages):
    assert client.get("/faq/").status_code == 200
    site_pages["faq"].unpublish()
    assert client.get("/faq/").status_code == 404


def test_a_page_with_a_form_is_never_cached(client, site_pages):
    first = client.get("/request/")
    second = client.get("/request/")
    assert settings.CSRF_COOKIE_NAME in first.cookies
    assert settings.CSRF_COOKIE_NAME in second.cookies


def test_a_logged_in_user_never_gets_the_anonymous_copy(client, admin_client, site_pages):
    client.get("/faq/")
    FaqPage.objects.filter(pk=site_pages["faq"].pk).update(title="ログイン中だけ見える")
    assert "ログイン中だけ見える" in admin_client.get("/faq/").content.decode()


def test_a_cached_page_is_still_only_served_over_https(client, site_pages, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    first = client.get("/faq/", secure=True)
    assert first.status_code == 200 and "Strict-Transport-Security" in first
    again = client.get("/faq/", secure=True)  # from the cache, with the same headers
    assert again.status_code == 200 and "Strict-Transport-Security" in again
    plain = client.get("/faq/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
