"""Consents tried as a hostile applicant or member would: a forged POST never skips the consent to
the privacy policy (/join/) or the confirmation about the patient's data (portal report), and
the time a consent was given reads as Tokyo time wherever staff see it."""

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from django.apps import apps
from django.utils import timezone

from casework.enrollment.models import Application
from casework.enrollment.permissions import review_permissions_sync
from casework.models import Case

from .enrollment.test_application_form import CONFIRM, _fill_all
from .test_portal import _report_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _review_permissions(_reference_data):
    review_permissions_sync(apps)


@pytest.mark.parametrize(
    "forged",
    [
        {"agree": "on"},
        {"agree": "on", "privacy_consent": ""},
        {"agree": "on", "privacy_consent": "false"},
        {"agree": "on", "privacy_consented_at": "2026-01-01T00:00:00+09:00"},
    ],
)
def test_a_forged_confirmation_without_the_consent_submits_nothing(client, forged):
    _fill_all(client)
    response = client.post("/join/confirm/", forged)
    assert response.status_code == 200
    assert "お申し込みには、個人情報の取扱いへの同意が必要です。" in response.content.decode()
    assert not Application.objects.exists()


def test_the_confirmation_posted_without_the_steps_before_it_submits_nothing(client):
    response = client.post("/join/confirm/", CONFIRM)
    assert response.status_code == 302
    assert response["Location"] in ("/join/", "/join/course/")
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "forged",
    [
        {"patient_data_confirmed": "false"},
        {"patient_data_confirmed": ""},
        {"patient_data_confirmed_at": "2026-10-10T10:00:00+09:00"},
    ],
)
def test_a_report_forged_without_the_patient_data_confirmation_is_refused(
    client, member, policy, forged
):
    client.force_login(member)
    data = _report_data()
    del data["patient_data_confirmed"]
    response = client.post("/mypage/report/", {**data, **forged})
    assert response.status_code == 200
    assert "患者さんの情報の提供について確認のうえ、チェックを入れてください。" in (
        response.content.decode()
    )
    assert not Case.objects.exists()


def _submit_application(client) -> Application:
    _fill_all(client)
    assert client.post("/join/confirm/", CONFIRM)["Location"] == "/join/done/"
    return Application.objects.get()


def _tokyo(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_the_csv_export_gives_the_consent_time_in_tokyo(client, support):
    application = _submit_application(client)
    client.force_login(support)
    response = client.get("/admin/applications/?export=csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    consent = rows[1][rows[0].index("個人情報の取扱いへの同意")]
    assert consent.startswith(_tokyo(application.privacy_consented_at)), consent
    assert "+00:00" not in consent


def test_the_xlsx_export_gives_the_consent_time_in_tokyo(client, support):
    application = _submit_application(client)
    client.force_login(support)
    response = client.get("/admin/applications/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    consent = rows[1][rows[0].index("個人情報の取扱いへの同意")]
    assert consent.strftime("%Y-%m-%d %H:%M") == _tokyo(application.privacy_consented_at)
