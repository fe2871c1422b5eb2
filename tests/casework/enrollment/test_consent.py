"""/join/: the confirmation asks for consent to the privacy policy; without it nothing is
submitted and nothing typed is lost; with it the application keeps when it was given, which
staff see on the application's page."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from casework.enrollment.models import Application

from .test_application_form import CONFIRM, _fill_all, _text

pytestmark = pytest.mark.django_db


def test_the_confirmation_asks_for_consent_and_links_to_the_privacy_policy(client):
    _fill_all(client)
    html = _text(client.get("/join/confirm/"))
    assert "個人情報の取扱いに同意する" in html
    assert '<a href="/privacy/">個人情報の取扱い（プライバシーポリシー）</a>' in html


def test_without_consent_nothing_is_submitted_and_nothing_typed_is_lost(
    client, django_capture_on_commit_callbacks
):
    _fill_all(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/join/confirm/", {"agree": "on"})
    html = _text(response)
    assert response.status_code == 200
    assert "お申し込みには、個人情報の取扱いへの同意が必要です。" in html
    assert "高橋 花子" in html and "あおば美容クリニック" in html
    assert re.search(r'<input type="checkbox" name="agree"[^>]* checked', html)
    assert not Application.objects.exists()
    assert mail.outbox == []
    # Ticked afterwards, the same session submits what was typed.
    assert client.post("/join/confirm/", CONFIRM)["Location"] == "/join/done/"
    assert Application.objects.get().doctor_name == "高橋 花子"


def test_the_consent_and_its_time_are_stored_and_shown_to_staff(client, support):
    _fill_all(client)
    before = timezone.now()
    client.post("/join/confirm/", CONFIRM)
    application = Application.objects.get()
    assert before <= application.privacy_consented_at <= timezone.now() + timedelta(seconds=1)

    client.force_login(support)
    page = _text(client.get(f"/admin/applications/{application.pk}/"))
    shown = timezone.localtime(application.privacy_consented_at).strftime("%Y年%-m月%-d日 %H:%M")
    assert f"<dt>個人情報の取扱いへの同意</dt><dd>同意（{shown}）</dd>" in page


def test_an_application_from_before_the_consent_checkbox_says_so(
    client, support, submit, facility_fields
):
    application = submit(facility_fields)
    client.force_login(support)
    page = _text(client.get(f"/admin/applications/{application.pk}/"))
    assert "記録なし（同意欄の導入前の申込）" in page
