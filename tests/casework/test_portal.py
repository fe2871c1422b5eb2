"""The member portal: a member reports and follows their own cases, and never sees another's."""

from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from casework.models import Attachment, Case, Message
from casework.services import case_transition, message_post

pytestmark = pytest.mark.django_db

# The smallest real PNG and PDF: the type is checked by content, not by name.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _report_data(**overrides):
    from casework.models import Procedure

    data = {
        "procedure": Procedure.objects.get(name="ヒアルロン酸注射").pk,
        "procedure_date": "2026-04-01",
        "claim_date": "2026-04-10",
        "complaint_types": ["complication", "refund"],
        "narrative": "注入後に腫脹が続き、返金を求められている。",
        "patient_demands": "返金と治療費",
        "urgency": "normal",
        "patient_name": "高橋 一郎",
        "patient_phone": "090-9999-0000",
        "no_payment_promised": "on",
    }
    return {**data, **overrides}


def _member_urls(case, attachment=None):
    urls = [
        ("get", f"/mypage/cases/{case.reference}/"),
        ("post", f"/mypage/cases/{case.reference}/messages/"),
        ("post", f"/mypage/cases/{case.reference}/attachments/"),
        ("post", f"/mypage/cases/{case.reference}/actions/withdraw/"),
    ]
    if attachment:
        urls.append(("get", f"/mypage/cases/{case.reference}/attachments/{attachment.pk}/"))
    return urls


@pytest.fixture
def case_with_file(report, member):
    from casework.services import attachment_add

    case = report()
    attachment = attachment_add(
        case=case, by=member, upload=SimpleUploadedFile("写真.png", PNG), kind="photo"
    )
    return case, attachment


def test_my_page_shows_the_policy_and_the_facilitys_cases_newest_first(client, report, member):
    first, second = report(), report()
    client.force_login(member)
    html = client.get("/mypage/").content.decode()
    assert "開設者コース" in html and "1,000万円" in html and "10万円" in html
    assert html.index(second.reference) < html.index(first.reference)
    assert "協会のサポートチームが内容を確認し" in html  # what happens next


def test_a_member_reports_a_complaint_with_a_photo(client, member, policy):
    client.force_login(member)
    data = _report_data(attachment=SimpleUploadedFile("左頬.png", PNG, content_type="image/png"))
    response = client.post("/mypage/report/", data)
    case = Case.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/mypage/cases/{case.reference}/"
    )
    assert case.get_state_display() == "受付"
    assert case.patient.name == "高橋 一郎" and "高橋" not in case.narrative
    attachment = case.attachments.get()
    assert attachment.kind == "photo" and attachment.original_name == "左頬.png"
    # Stored outside the web root, under a random name.
    assert str(settings.PRIVATE_MEDIA_ROOT) in attachment.file.path
    assert "左頬" not in attachment.file.name
    html = client.get(response["Location"]).content.decode()
    assert "受付" in html and "左頬.png" in html


def test_bad_input_comes_back_in_japanese_with_what_was_typed(client, member, policy):
    client.force_login(member)
    data = _report_data(claim_date="2026-03-01", no_payment_promised="", complaint_types=[])
    html = client.post("/mypage/report/", data).content.decode()
    assert "入力内容をご確認ください" in html
    assert "クレーム申し出日は施術日以降の日付にしてください。" in html
    assert "苦情の種類を1つ以上選んでください。" in html
    assert "この確認は必須です" in html
    assert "注入後に腫脹が続き" in html and 'value="高橋 一郎"' in html
    assert not Case.objects.exists()


def test_a_claim_outside_the_policy_period_is_warned_then_accepted(client, member, policy):
    client.force_login(member)
    data = _report_data(procedure_date="2025-10-01", claim_date="2025-11-15")
    html = client.post("/mypage/report/", data).content.decode()
    assert "クレーム申し出日が保険期間外です" in html
    assert not Case.objects.exists()
    response = client.post("/mypage/report/", {**data, "confirm_outside_period": "on"})
    assert response.status_code == 302
    assert not Case.objects.get().is_claim_covered()


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("fake.png", b"this is text, not an image"),
            "写真（JPEG・PNG・HEIC）とPDFのみ",
        ),
        (SimpleUploadedFile("empty.pdf", b""), "空のファイル"),
    ],
)
def test_uploads_are_checked_by_content(client, member, case_with_file, upload, message):
    case, _ = case_with_file
    client.force_login(member)
    response = client.post(
        f"/mypage/cases/{case.reference}/attachments/",
        {"kind": "document", "file": upload},
        follow=True,
    )
    assert message in response.content.decode()
    assert case.attachments.count() == 1


def test_uploads_over_the_size_limit_are_refused(client, member, case_with_file, monkeypatch):
    from casework import uploads

    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 100)
    case, _ = case_with_file
    client.force_login(member)
    big = SimpleUploadedFile("big.pdf", PDF + b" " * 200)
    response = client.post(
        f"/mypage/cases/{case.reference}/attachments/",
        {"kind": "document", "file": big},
        follow=True,
    )
    assert "ファイルが大きすぎます" in response.content.decode()


def test_a_consent_form_records_the_patients_consent(client, member, case_with_file):
    case, _ = case_with_file
    client.force_login(member)
    client.post(
        f"/mypage/cases/{case.reference}/attachments/",
        {"kind": "consent", "file": SimpleUploadedFile("同意書.pdf", PDF)},
    )
    case.refresh_from_db()
    assert case.has_patient_consent()


def test_the_member_downloads_their_attachment(client, member, case_with_file):
    case, attachment = case_with_file
    client.force_login(member)
    response = client.get(f"/mypage/cases/{case.reference}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert "attachment" in response["Content-Disposition"]


def test_another_facilitys_member_gets_404_everywhere(client, other_member, case_with_file):
    case, attachment = case_with_file
    client.force_login(other_member)
    for method, url in _member_urls(case, attachment):
        assert getattr(client, method)(url).status_code == 404, url
    assert case.messages.count() == 0 and case.attachments.count() == 1
    assert Case.objects.get(pk=case.pk).state == "received"


def test_anonymous_visitors_are_sent_to_login(client, case_with_file):
    case, attachment = case_with_file
    for method, url in [
        *_member_urls(case, attachment),
        ("get", "/mypage/"),
        ("get", "/mypage/report/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(
            f"{settings.LOGIN_URL}?next="
        ), url


def test_messages_go_both_ways_and_internal_notes_stay_internal(client, member, support, report):
    case = report()
    message_post(
        case=case, author=support, body="職員メモ：患者は過去にも別院でトラブル", internal=True
    )
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        message_post(case=case, author=support, body="お電話でお話しした件、写真をお送りください。")
    assert len(mail.outbox) == 1 and "メッセージが届きました" in mail.outbox[0].subject
    assert "写真をお送りください" not in mail.outbox[0].body  # read it on マイページ

    client.force_login(member)
    html = client.get(f"/mypage/cases/{case.reference}/").content.decode()
    assert "写真をお送りください" in html
    assert "職員メモ" not in html
    client.post(f"/mypage/cases/{case.reference}/messages/", {"body": "写真を添付しました。"})
    assert Message.objects.filter(case=case, author=member, internal=False).exists()


def test_the_member_withdraws_and_answers_requests_through_the_state_machine(
    client, member, support, report
):
    case = report()
    case = case_transition(case=case, name="start_triage", by=support)
    case = case_transition(case=case, name="request_info", by=support)
    client.force_login(member)
    html = client.get(f"/mypage/cases/{case.reference}/").content.decode()
    assert "追加資料を提出" in html
    client.post(f"/mypage/cases/{case.reference}/actions/provide_info/", {"note": "送りました"})
    assert Case.objects.get(pk=case.pk).state == "triage"
    # Only member actions are offered here; a staff transition is refused even if named.
    response = client.post(f"/mypage/cases/{case.reference}/actions/resolve/")
    assert response.status_code == 403
    client.post(f"/mypage/cases/{case.reference}/actions/withdraw/")
    assert Case.objects.get(pk=case.pk).get_state_display() == "取下げ"


def test_the_timeline_shows_every_state_change_with_dates(client, member, support, report):
    case = case_transition(case=report(), name="start_triage", by=support)
    client.force_login(member)
    html = client.get(f"/mypage/cases/{case.reference}/").content.decode()
    timeline = html.split("経過", 1)[1]
    assert "受付" in timeline and "初期対応" in timeline
    assert f"{date.today().year}年" in timeline


def test_staff_reach_attachments_from_the_workspace_but_members_never_see_the_admin(
    client, support, member, case_with_file
):
    case, attachment = case_with_file
    client.force_login(support)
    response = client.get(f"/admin/cases/{case.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert client.get("/mypage/").status_code == 302  # staff are sent to their workspace
    assert Attachment.objects.count() == 1
