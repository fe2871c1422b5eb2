"""Bad and odd input on the member portal: refused whole and in Japanese, nothing half-saved,
nothing typed lost; closed cases take no more writes."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from casework import rules
from casework.forms import LONG_TEXT_MAX, NARRATIVE_MAX
from casework.models import Attachment, Case, Message, PatientDataAccess
from casework.services import case_transition

from .test_portal import PNG, _report_data


def _post_report(client, member, **overrides):
    client.force_login(member)
    return client.post("/mypage/report/", _report_data(**overrides))


@pytest.mark.django_db
def test_a_refused_attachment_saves_nothing_and_keeps_what_was_typed(client, member, policy):
    fake = SimpleUploadedFile("診断書.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = _post_report(client, member, attachment=fake, narrative="腫れが引かない。")
    html = response.content.decode()
    assert response.status_code == 200
    assert "添付できるのは写真（JPEG・PNG・HEIC）とPDFのみです。" in html
    assert "腫れが引かない。" in html and "高橋 一郎" in html
    assert not Case.objects.exists() and not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_file_name_longer_than_any_file_system_allows_is_kept_for_display(client, member, policy):
    name = "術後の写真" * 80 + ".png"  # 404 characters, over 1,000 bytes in UTF-8
    upload = SimpleUploadedFile(name, PNG, content_type="image/png")
    response = _post_report(client, member, attachment=upload)
    case = Case.objects.get()
    assert response.status_code == 302
    attachment = case.attachments.get()
    assert len(attachment.original_name) <= 255 and attachment.original_name.endswith(".png")
    assert attachment.file.name.endswith(".png") and len(attachment.file.name) < 100


@pytest.mark.django_db
def test_the_out_of_period_confirmation_names_the_file_to_choose_again(client, member, policy):
    upload = SimpleUploadedFile("左頬.png", PNG, content_type="image/png")
    response = _post_report(
        client, member, claim_date="2024-01-10", procedure_date="2024-01-01", attachment=upload
    )
    html = response.content.decode()
    assert "クレーム申し出日が保険期間外です" in html
    assert "「左頬.png」は送信されていません" in html
    assert not Case.objects.exists()
    again = SimpleUploadedFile("左頬.png", PNG, content_type="image/png")
    _post_report(
        client,
        member,
        claim_date="2024-01-10",
        procedure_date="2024-01-01",
        attachment=again,
        confirm_outside_period="on",
    )
    assert Case.objects.get().attachments.get().original_name == "左頬.png"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "limit", "message"),
    [
        ("narrative", NARRATIVE_MAX, "経緯は20,000文字以内でご記入ください"),
        ("patient_demands", LONG_TEXT_MAX, "患者さんの要求は5,000文字以内でご記入ください"),
    ],
)
def test_over_long_text_is_refused_with_its_limit(client, member, policy, field, limit, message):
    response = _post_report(client, member, **{field: "あ" * (limit + 1)})
    html = response.content.decode()
    assert message in html and f"現在 {limit + 1} 文字" in html
    assert not Case.objects.exists()
    _post_report(client, member, **{field: "あ" * limit})
    assert Case.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("procedure_date", "claim_date", "message"),
    [
        ("0001-01-01", "2026-04-10", "施術日は1950年以降の日付を入力してください。"),
        ("1949-12-31", "2026-04-10", "施術日は1950年以降の日付を入力してください。"),
        ("1990-01-01", "2001-12-31", "クレーム申し出日は協会設立（2002年）以降の日付"),
        ("2026-04-10", "2026-04-01", "クレーム申し出日は施術日以降の日付にしてください。"),
    ],
)
def test_absurd_dates_are_refused(client, member, policy, procedure_date, claim_date, message):
    response = _post_report(client, member, procedure_date=procedure_date, claim_date=claim_date)
    assert message in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_an_implant_placed_decades_ago_can_still_be_reported(client, member, policy):
    _post_report(client, member, procedure_date="1985-06-01", confirm_outside_period="on")
    assert Case.objects.get().procedure_date == date(1985, 6, 1)


@given(
    today=st.dates(date(2003, 1, 1), date(2100, 12, 31)),
    procedure=st.dates(date(1, 1, 1), date(9999, 12, 31)),
    claim=st.dates(date(1, 1, 1), date(9999, 12, 31)),
)
def test_report_dates_are_accepted_exactly_when_they_are_plausible(today, procedure, claim):
    errors = rules.report_date_errors(procedure, claim, today)
    plausible = (
        rules.EARLIEST_PROCEDURE_DATE <= procedure <= today
        and rules.FOUNDING_DATE <= claim <= today
        and procedure <= claim
    )
    assert (errors == {}) == plausible
    assert set(errors) <= {"procedure_date", "claim_date"}


@pytest.mark.django_db
@pytest.mark.parametrize("end", ["withdraw", "close"])
def test_members_cannot_write_to_a_closed_or_withdrawn_case(client, report, member, support, end):
    case = report()
    if end == "close":
        case = case_transition(case=case, name="start_triage", by=support)
        case = case_transition(case=case, name="resolve", by=support)
    case = case_transition(case=case, name=end, by=support)
    client.force_login(member)
    response = client.post(
        f"/mypage/cases/{case.reference}/messages/",
        {"body": "まだ話したいことがあります"},
        follow=True,
    )
    assert "この案件は終了しているため" in response.content.decode()
    upload = SimpleUploadedFile("追加.png", PNG, content_type="image/png")
    client.post(f"/mypage/cases/{case.reference}/attachments/", {"kind": "photo", "file": upload})
    assert not Message.objects.filter(case=case).exists()
    assert not Attachment.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_a_message_over_its_limit_is_refused_and_none_is_saved(client, report, member):
    case = report()
    client.force_login(member)
    response = client.post(
        f"/mypage/cases/{case.reference}/messages/",
        {"body": "あ" * (LONG_TEXT_MAX + 1)},
        follow=True,
    )
    assert "メッセージは5,000文字以内でご記入ください" in response.content.decode()
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_every_view_of_patient_data_is_recorded(client, report, member, support, assessor):
    case = report()
    upload = SimpleUploadedFile("写真.png", PNG, content_type="image/png")
    client.force_login(member)
    client.post(f"/mypage/cases/{case.reference}/attachments/", {"kind": "photo", "file": upload})
    attachment = case.attachments.get()
    client.get(f"/mypage/cases/{case.reference}/attachments/{attachment.pk}/")
    client.force_login(support)
    client.get(f"/admin/cases/{case.pk}/")
    client.get(f"/admin/cases/{case.pk}/attachments/{attachment.pk}/")
    client.force_login(assessor)  # sees the case but not the patient section
    client.get(f"/admin/cases/{case.pk}/")
    log = list(PatientDataAccess.objects.order_by("pk").values_list("by__username", "what"))
    assert log == [
        ("member", "attachment"),
        ("support", "patient"),
        ("support", "attachment"),
    ]


@pytest.mark.django_db
def test_office_administrators_read_and_export_the_access_log_and_nobody_else(
    client, report, support, make_user, django_user_model
):
    from casework import roles

    case = report()
    client.force_login(support)
    client.get(f"/admin/cases/{case.pk}/")
    office = make_user("office", roles.ADMINS)
    client.force_login(office)
    listing = client.get("/admin/access-log/").content.decode()
    assert case.reference in listing and "患者情報の表示" in listing
    export = client.get("/admin/access-log/", {"export": "csv"})
    assert export.status_code == 200
    assert case.reference in export.getvalue().decode("utf-8-sig")
    client.force_login(support)
    assert client.get("/admin/access-log/").status_code in (302, 403)
    superuser = django_user_model.objects.create_superuser("root", "root@example.jp", "pw")
    client.force_login(superuser)
    assert client.get("/admin/access-log/").status_code == 200
    entry = PatientDataAccess.objects.get()
    assert client.get(f"/admin/access-log/{entry.pk}/").status_code == 200
    assert client.post(f"/admin/access-log/{entry.pk}/").status_code == 405


@pytest.mark.django_db
def test_line_breaks_count_once_as_the_browser_counts_them(client, member, policy):
    lines = "腫れ訴え\r\n" * (NARRATIVE_MAX // 5)  # 20,000 characters in the browser's count
    _post_report(client, member, narrative=lines)
    assert Case.objects.get().narrative == lines.replace("\r\n", "\n").strip()


@pytest.mark.django_db
def test_any_refused_report_names_the_file_to_choose_again(client, member, policy):
    upload = SimpleUploadedFile("写真.png", PNG, content_type="image/png")
    html = _post_report(client, member, attachment=upload, patient_age="200").content.decode()
    assert "「写真.png」は送信されていません" in html
    assert not Case.objects.exists()
