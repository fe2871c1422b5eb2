"""資料請求: POSTs per client address are limited (Wagtail's before_serve_page hook); GETs never."""

import pytest
from django.conf import settings
from wagtail.contrib.forms.models import FormSubmission

from .test_request_form import _valid_data

pytestmark = pytest.mark.django_db


def _limit():
    return settings.RATE_LIMITS["request_form"][0]


def test_the_post_after_the_limit_is_refused_with_a_japanese_page(client, site_pages):
    page = site_pages["request"]
    for _ in range(_limit()):
        assert client.post(page.url, {}).status_code == 200  # invalid requests count too
    response = client.post(page.url, _valid_data(page))
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "資料請求の受付を一時的に止めています" in html
    assert "今回の送信内容は受け付けていません" in html
    assert 0 < int(response["Retry-After"]) <= settings.RATE_LIMITS["request_form"][1]
    assert not FormSubmission.objects.filter(page=page).exists()


def test_another_address_can_still_send_and_anyone_can_still_read(client, site_pages):
    page = site_pages["request"]
    for _ in range(_limit() + 1):
        client.post(page.url, {})
    assert client.get(page.url).status_code == 200
    response = client.post(page.url, _valid_data(page), REMOTE_ADDR="198.51.100.30")
    assert response.status_code == 302
    assert FormSubmission.objects.filter(page=page).count() == 1


def test_gets_and_other_pages_never_count(client, site_pages):
    page = site_pages["request"]
    for _ in range(_limit() + 1):
        assert client.get(page.url).status_code == 200
        assert client.post(site_pages["faq"].url, {}).status_code != 429
    assert client.post(page.url, _valid_data(page)).status_code == 302
