"""The portal's report form: the member confirms that the patient's information (要配慮個人情報)
is handled under the privacy policy and given with the patient's consent or a lawful basis;
without it nothing is reported and nothing typed is lost; with it the case keeps when, and staff
see it among the case's facts."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.models import Case

from .test_portal import _report_data

pytestmark = pytest.mark.django_db

CONFIRMATION = "患者さんの情報を協会へ提供することについて、患者さんの同意を得ている"


def test_the_report_form_asks_for_the_confirmation_and_links_to_the_privacy_policy(client, member):
    client.force_login(member)
    html = client.get("/mypage/report/").content.decode()
    assert CONFIRMATION in html
    assert "（または法令により同意が不要な場合にあたる）ことを確認しました" in html
    assert "要配慮個人情報" in html
    assert '<a href="/privacy/">個人情報の取扱い（プライバシーポリシー）</a>' in html


def test_without_the_confirmation_nothing_is_reported_and_nothing_typed_is_lost(
    client, member, policy, django_capture_on_commit_callbacks
):
    client.force_login(member)
    data = _report_data()
    del data["patient_data_confirmed"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/mypage/report/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "患者さんの情報の提供について確認のうえ、チェックを入れてください。" in html
    assert "注入後に腫脹が続き、返金を求められている。" in html
    assert 'value="高橋 一郎"' in html
    assert re.search(r'<input type="checkbox" name="no_payment_promised"[^>]* checked', html)
    assert not Case.objects.exists()
    assert mail.outbox == []


def test_the_confirmation_is_stored_on_the_case_and_shown_to_staff(client, member, policy, support):
    client.force_login(member)
    before = timezone.now()
    assert client.post("/mypage/report/", _report_data()).status_code == 302
    case = Case.objects.get()
    assert before <= case.patient_data_confirmed_at <= timezone.now()

    client.force_login(support)
    html = client.get(f"/admin/cases/{case.pk}/").content.decode()
    shown = timezone.localtime(case.patient_data_confirmed_at).strftime("%Y年%-m月%-d日 %H:%M")
    assert "<dt>患者さんの情報の提供</dt>" in html
    assert f"同意または法令上の根拠あり（会員が {shown} に確認）" in html


def test_the_service_refuses_a_report_without_the_confirmation(report):
    with pytest.raises(ValidationError, match="患者さんの情報の提供について確認のうえ"):
        report(patient_data_confirmed=False)
    assert not Case.objects.exists()
