"""/join/: POSTs per client address are limited; GETs never; a refused POST changes nothing."""

import pytest
from django.conf import settings

from .test_application_form import COURSE

pytestmark = pytest.mark.django_db


def _limit():
    return settings.RATE_LIMITS["enrollment"][0]


def test_the_post_after_the_limit_is_refused_and_not_stored(client):
    for _ in range(_limit()):
        assert client.post("/join/course/", {}).status_code == 200
    response = client.post("/join/course/", COURSE)
    assert response.status_code == 429
    html = response.content.decode()
    assert "オンライン加入のお申込みの受付を一時的に止めています" in html
    assert 0 < int(response["Retry-After"]) <= settings.RATE_LIMITS["enrollment"][1]
    # The refused step was not kept: the form is still empty.
    form = client.get("/join/course/")
    assert form.status_code == 200
    assert "A-12345" not in form.content.decode()


def test_another_address_is_not_refused(client):
    for _ in range(_limit() + 1):
        client.post("/join/course/", {})
    response = client.post("/join/course/", COURSE, REMOTE_ADDR="198.51.100.40")
    assert response["Location"] == "/join/applicant/"


def test_gets_never_count(client):
    for _ in range(_limit() + 1):
        assert client.get("/join/").status_code == 200
    assert client.post("/join/course/", COURSE)["Location"] == "/join/applicant/"
