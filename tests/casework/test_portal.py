"""The member portal: a member reports and follows their own cases, and never sees another's."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from casework.choices import FacilityRole
from casework.models import Attachment, Case, MemberProfile, Message
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
        "patient_data_confirmed": "on",
    }
    return {**data, **overrides}


def _member_urls(case, attachment=None):
    urls = [
        ("get", f"/mypage/cases/{case.reference}/"),
        ("post", f"/mypage/cases/{case.reference}/messages/"),
        ("post", f"/mypage/cases/{case.reference}/attachments/"),
        ("post", f"/mypage/cases/{case.reference}/actions/withdraw/"),
        ("post", f"/mypage/cases/{case.reference}/actions/provide_info/"),
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
    assert "受付済み" in html  # the state in the member's words


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


@pytest.mark.parametrize("role", list(FacilityRole))
def test_another_facilitys_member_gets_404_everywhere(client, other_member, case_with_file, role):
    case, attachment = case_with_file
    MemberProfile.objects.filter(user=other_member).update(role=role)
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
    timeline = _section(html, ">経過<", ">協会とのメッセージ<")
    assert "ご相談を受け付けました" in timeline and "協会で対応中" in timeline
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


# --- マイページ: open and finished cases, policies by period, what the member is told ---


def _section(html: str, heading: str, next_heading: str | None = None) -> str:
    """The part of the page from `heading` up to `next_heading` (or the end)."""
    part = html.split(heading, 1)[1]
    return part.split(next_heading, 1)[0] if next_heading else part


def _lists(client) -> tuple[str, str]:
    html = client.get("/mypage/").content.decode()
    return (
        _section(html, "ご相談中の案件（", "終了した案件（"),
        _section(html, "終了した案件（", "ご加入の補償"),
    )


@pytest.fixture
def many_cases(facility, member, policy):
    """`make(open=n, finished=m)`: n cases in 初期対応 and m withdrawn ones, each with its
    report and its last change a day apart, written in bulk (the state machine is tested
    elsewhere; this is about listing many rows)."""
    from django.utils import timezone

    from casework.models import CaseTransition, Procedure

    def make(*, open: int = 0, finished: int = 0) -> list[Case]:
        procedure = Procedure.objects.get(name="二重瞼")
        start = Case.objects.count()
        now = timezone.now()
        states = ["triage"] * open + ["withdrawn"] * finished
        cases = Case.objects.bulk_create(
            Case(
                reference=f"2026-9{start + i:03d}",
                facility=facility,
                policy=policy,
                reporter=member,
                procedure=procedure,
                procedure_date=date(2026, 3, 2),
                claim_date=date(2026, 3, 20),
                narrative="左右差があると言われた。",
                state=state,
                received_at=now - timedelta(days=i),
                state_since=now - timedelta(days=i, hours=-1),
            )
            for i, state in enumerate(states)
        )
        CaseTransition.objects.bulk_create(
            [
                CaseTransition(
                    case=c,
                    name="report",
                    from_state="received",
                    to_state="received",
                    by=member,
                    at=c.received_at,
                )
                for c in cases
            ]
            + [
                CaseTransition(
                    case=c,
                    name="start_triage",
                    from_state="received",
                    to_state=c.state,
                    by=member,
                    at=c.received_at + timedelta(hours=1),
                )
                for c in cases
            ]
        )
        return cases

    return make


def test_open_and_finished_cases_are_listed_apart(client, member, support, report):
    waiting = case_transition(case=report(), name="start_triage", by=support)
    withdrawn = case_transition(case=report(), name="withdraw", by=member)
    resolved = case_transition(case=report(), name="start_triage", by=support)
    resolved = case_transition(case=resolved, name="resolve", by=support)
    client.force_login(member)
    open_list, finished = _lists(client)
    assert waiting.reference in open_list
    assert withdrawn.reference not in open_list and resolved.reference not in open_list
    assert withdrawn.reference in finished and resolved.reference in finished
    assert "取り下げ" in finished and "円満解決" in finished
    assert "協会で対応中" in open_list
    assert "ご相談中の案件（1件）" in client.get("/mypage/").content.decode()


def test_each_list_is_paginated_newest_first_with_japanese_page_links(client, member, many_cases):
    cases = many_cases(open=45, finished=3)
    client.force_login(member)
    open_list, finished = _lists(client)
    assert open_list.count("受付番号 ") == 20 and finished.count("受付番号 ") == 3
    assert open_list.index(cases[0].reference) < open_list.index(cases[1].reference)
    assert cases[20].reference not in open_list
    assert "次のページ" in open_list and "1〜20件目／全45件" in open_list
    assert 'href="?open=2#open-heading"' in open_list and "前のページ" not in open_list
    assert "次のページ" not in finished  # one page: no links at all

    html = client.get("/mypage/?open=3&finished=1").content.decode()
    third = _section(html, "ご相談中の案件（", "終了した案件（")
    assert third.count("受付番号 ") == 5 and cases[44].reference in third
    assert "前のページ" in third and 'href="?open=2&amp;finished=1#open-heading"' in third
    # A page past the end or not a number shows a real page, not an error.
    assert client.get("/mypage/?open=99").status_code == 200
    assert client.get("/mypage/?finished=abc").status_code == 200


def test_cases_waiting_for_the_member_come_first_with_markers(
    client, member, support, report, many_cases
):
    many_cases(open=3)
    asked = case_transition(case=report(), name="start_triage", by=support)
    asked = case_transition(case=asked, name="request_info", by=support, note="写真をください")
    written = case_transition(case=report(), name="start_triage", by=support)
    message_post(case=written, author=support, body="お電話の件、ご確認ください。")
    answered = case_transition(case=report(), name="start_triage", by=support)
    message_post(case=answered, author=support, body="ご確認ください。")
    message_post(case=answered, author=member, body="確認しました。")
    noted = case_transition(case=report(), name="start_triage", by=support)
    message_post(case=noted, author=support, body="職員メモ", internal=True)
    client.force_login(member)
    html = client.get("/mypage/").content.decode()
    assert "ご回答をお待ちしている案件が1件あります" in html
    open_list, _ = _lists(client)
    rows = open_list.split('<li class="card portal-case')[1:]
    assert asked.reference in rows[0] and "ご回答をお待ちしています" in rows[0]
    assert written.reference in rows[1] and "協会からの連絡があります" in rows[1]
    marked = [row for row in rows if "協会からの連絡があります" in row]
    assert len(marked) == 1  # not where the member answered, not for an internal note
    assert "ご回答をお待ちしています" not in "".join(rows[1:])


def test_my_page_needs_the_same_few_queries_for_many_cases(
    client, member, support, many_cases, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    many_cases(open=2, finished=2)
    with CaptureQueriesContext(connection) as few:
        client.get("/mypage/")
    cases = many_cases(open=60, finished=60)
    for case in cases[::7]:
        message_post(case=case, author=support, body="ご確認ください。")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/mypage/").content.decode()
    assert html.count("受付番号 ") == 40  # two pages of 20
    # Two of them are the footer's (the site and its 連絡先 setting), five the renewal offer's
    # (the policies ending this round, the round, their renewals, a later policy, pending ones).
    assert len(few.captured_queries) <= 20


def test_policies_are_current_upcoming_or_past_relative_to_today(client, member, facility):
    from django.utils import timezone

    from casework.models import Policy

    today = timezone.localdate()

    def policy(number, starts, ends):
        Policy.objects.create(
            number=number, course="facility", facility=facility, payout_limit=10_000_000,
            starts_on=today + timedelta(days=starts), ends_on=today + timedelta(days=ends),
        )  # fmt: skip

    policy("P-PAST", -400, -1)  # ended yesterday
    policy("P-NOW", 0, 300)  # starts today
    policy("P-NEXT", 1, 365)  # starts tomorrow
    client.force_login(member)
    html = client.get("/mypage/").content.decode()
    current = _section(html, "現在の保険期間", "これから始まる保険期間")
    upcoming = _section(html, "これから始まる保険期間", "過去の保険期間")
    past = _section(html, "過去の保険期間（1件）")
    assert "P-NOW" in current and "補償中" in current
    assert "P-NEXT" not in current and "P-PAST" not in current
    assert "P-NEXT" in upcoming and "開始前" in upcoming
    assert "P-PAST" in past


def test_a_policy_starting_later_is_not_counted_as_current(client, member, facility):
    from django.utils import timezone

    from casework.models import Policy

    today = timezone.localdate()
    Policy.objects.create(
        number="P-NEXT", course="facility", facility=facility, payout_limit=10_000_000,
        starts_on=today + timedelta(days=1), ends_on=today + timedelta(days=365),
    )  # fmt: skip
    client.force_login(member)
    html = client.get("/mypage/").content.decode()
    assert "本日を含む保険期間のご契約が見つかりません" in html
    assert "P-NEXT" in _section(html, "これから始まる保険期間")


# --- The member's case page: the request, the decision, the payout; nothing internal ---


def test_the_request_for_documents_is_shown_first_with_the_answer_form(
    client, member, support, report
):
    case = case_transition(case=report(), name="start_triage", by=support)
    case = case_transition(
        case=case,
        name="request_info",
        by=support,
        note="術前の写真と同意書の写しをお送りください。",
    )
    client.force_login(member)
    html = client.get(f"/mypage/cases/{case.reference}/").content.decode()
    request_box = _section(html, "協会からのご依頼", "現在の状況")
    assert "術前の写真と同意書の写しをお送りください。" in request_box
    assert 'name="file"' in request_box and "追加資料を提出する" in request_box
    assert "追加資料のご提出待ち" in html

    response = client.post(
        f"/mypage/cases/{case.reference}/actions/provide_info/",
        {"note": "写真を送ります", "kind": "photo", "file": SimpleUploadedFile("術前.png", PNG)},
        follow=True,
    )
    html = response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "triage"
    assert case.attachments.get().original_name == "術前.png"
    assert "協会からのご依頼" not in html  # answered
    history = _section(html, ">経過<", ">協会とのメッセージ<")
    assert "ご依頼の内容：術前の写真と同意書の写しをお送りください。" in history


def test_a_refused_file_leaves_the_request_open(client, member, support, report):
    case = case_transition(case=report(), name="start_triage", by=support)
    case = case_transition(case=case, name="request_info", by=support, note="写真を")
    client.force_login(member)
    response = client.post(
        f"/mypage/cases/{case.reference}/actions/provide_info/",
        {"kind": "photo", "file": SimpleUploadedFile("x.png", b"not an image")},
        follow=True,
    )
    assert "写真（JPEG・PNG・HEIC）とPDFのみ" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "awaiting_info"
    assert not case.attachments.exists()


@pytest.fixture
def paid_case(report, member, support, surgeon, lawyer, chair, assessor, make_user):
    """A case walked to 支払済 by named people, with internal notes at every step that the
    member must never see."""
    from casework import roles
    from casework.models import PatientDataView
    from casework.services import assessment_compute, opinion_save, patient_data_access_record

    names = {support: ("日向", "さやか"), surgeon: ("鬼塚", "一郎"), lawyer: ("北条", "二郎"),
             chair: ("南雲", "三郎"), assessor: ("東海林", "四郎")}  # fmt: skip
    for person, (last, first) in names.items():
        person.last_name, person.first_name = last, first
        person.save()
    requester = make_user("insurer1", roles.INSURER, last_name="西園寺", first_name="五郎")
    approver = make_user("insurer2", roles.INSURER, last_name="大河内", first_name="六郎")

    case = report()
    case = case_transition(
        case=case, name="start_triage", by=support, note="職員メモ：要注意の患者"
    )
    message_post(case=case, author=support, body="内部メモ：前院でもトラブル", internal=True)
    patient_data_access_record(case=case, by=support, what=PatientDataView.PATIENT_SECTION)
    case = case_transition(case=case, name="refer_to_review", by=support, note="付議メモ")
    for reviewer in (surgeon, lawyer):
        opinion_save(case=case, reviewer=reviewer, conclusion="liable",
                     text="意見書本文：説明不足", advice="助言本文", submit=True)  # fmt: skip
    case = case_transition(
        case=case, name="decide_liable", by=chair,
        reasons="術前の説明が不十分だった。", dissent="少数意見：過失なし",
    )  # fmt: skip
    case = case_transition(case=case, name="start_assessment", by=assessor)
    assessment_compute(case=case, by=assessor, damages=2_100_000, legal_costs=300_000)
    case = case_transition(case=case, name="start_settlement", by=assessor, note="査定メモ")
    case = case_transition(case=case, name="request_payment", by=requester, note="示談書を締結")
    return case_transition(case=case, name="approve_payment", by=approver, note="承認メモ")


def test_the_member_sees_the_decision_and_the_payout_with_its_lines(client, member, paid_case):
    from django.utils import timezone

    client.force_login(member)
    html = client.get(f"/mypage/cases/{paid_case.reference}/").content.decode()
    decision = _section(html, "審査会の判定", "お支払い額")
    assert "有責" in decision and "術前の説明が不十分だった。" in decision
    assert timezone.localtime(paid_case.decided_at).strftime("%Y年%-m月%-d日") in decision
    payout = _section(html, "お支払い額（保険金）", "ご相談の内容")
    assert "支払総額 <strong>2,300,000円</strong>" in payout
    for label, amount in [
        ("損害賠償金", "2,100,000円"),
        ("免責金額", "-100,000円"),
        ("損害賠償金の支払額", "2,000,000円"),
        ("争訟費用", "300,000円"),
        ("支払総額", "2,300,000円"),
    ]:
        assert f'<th scope="row">{label}</th><td class="portal-payout__amount">{amount}' in payout
    paid_on = timezone.localtime(paid_case.paid_at)
    assert f"<dt>支払日</dt><dd>{paid_on.year}年{paid_on.month}月{paid_on.day}日</dd>" in payout
    assert "協会の担当：日向 さやか" in html  # family name first
    assert "保険金をお支払いしました" in _section(html, ">経過<", ">協会とのメッセージ<")
    # The status box says it once (its badge), not again in a sentence under it.
    assert _section(html, "現在の状況", "審査会の判定").count("保険金をお支払いしました") == 1


def test_nothing_internal_reaches_the_member(client, member, paid_case):
    client.force_login(member)
    html = client.get(f"/mypage/cases/{paid_case.reference}/").content.decode()
    for internal in [
        "少数意見",  # the dissent and its heading
        "過失なし",
        "意見書本文",
        "助言本文",
        "職員メモ",
        "内部メモ",
        "付議メモ",
        "査定メモ",
        "示談書を締結",
        "承認メモ",
        "支払承認",
        "患者情報",
        "閲覧",
        "佐藤 花子",  # the patient
        "090-1234-5678",
        # Reviewers, the chair, the assessor and the insurer's people, by name or login.
        "鬼塚", "北条", "南雲", "東海林", "西園寺", "大河内",
        "surgeon", "lawyer", "chair", "assessor", "insurer",
    ]:  # fmt: skip
        assert internal not in html, internal
    my_page = client.get("/mypage/").content.decode()
    assert paid_case.reference in _section(my_page, "終了した案件（")


def test_while_the_payout_is_computed_the_member_sees_no_figure(
    client, member, in_assessment, assessor
):
    from casework.services import assessment_compute

    case = in_assessment()
    assessment_compute(case=case, by=assessor, damages=2_100_000)
    client.force_login(member)
    html = client.get(f"/mypage/cases/{case.reference}/").content.decode()
    assert "補償額は査定委員会で算定しています" in html
    assert "2,000,000円" not in html and "<caption>計算の内訳" not in html
    assert "補償額を算定中" in html

    # Once the figure goes to the member for the settlement, it is shown, not yet paid.
    case_transition(case=case, name="start_settlement", by=assessor)
    html = client.get(f"/mypage/cases/{case.reference}/").content.decode()
    assert "支払総額 <strong>2,000,000円</strong>" in html
    assert "示談が成立したあと、保険会社の承認を経てお支払いします。" in html
    assert "支払日" not in html


def test_a_not_liable_decision_shows_reasons_and_no_payout(
    client, member, report, support, surgeon, lawyer, chair
):
    from casework.services import opinion_save

    case = report()
    for name in ("start_triage", "refer_to_review"):
        case = case_transition(case=case, name=name, by=support)
    for reviewer in (surgeon, lawyer):
        opinion_save(
            case=case, reviewer=reviewer, conclusion="not_liable", text="所見", submit=True
        )
    case = case_transition(case=case, name="decide_not_liable", by=chair, reasons="説明は十分")
    client.force_login(member)
    html = client.get(f"/mypage/cases/{case.reference}/").content.decode()
    assert "無責" in _section(html, "審査会の判定") and "説明は十分" in html
    assert "お支払い額" not in html


@pytest.mark.parametrize("role", list(FacilityRole))
def test_another_facilitys_member_sees_none_of_the_cases_on_any_page(
    client, other_member, member, many_cases, role
):
    cases = many_cases(open=25, finished=2)
    MemberProfile.objects.filter(user=other_member).update(role=role)
    client.force_login(other_member)
    for url in ("/mypage/", "/mypage/?open=2", "/mypage/?finished=1"):
        html = client.get(url).content.decode()
        assert not any(case.reference in html for case in cases), url
        assert "ご相談中の案件はありません" in html
    for method, url in _member_urls(cases[0]):
        assert getattr(client, method)(url).status_code == 404, url


def test_the_demos_requests_are_written_to_the_member(client, _reference_data):
    """A fresh demo's 追加資料待ち case, as its member reads it: the request asks them, politely,
    and the status points at it (not at the empty messages)."""
    from casework.demo import demo_cases_generate

    report = demo_cases_generate(count=17, seed=3)
    waiting = Case.objects.filter(
        reference__in=[c.reference for c in report.cases], state="awaiting_info"
    ).first()
    client.force_login(waiting.reporter)
    html = client.get(f"/mypage/cases/{waiting.reference}/").content.decode()
    request = _section(html, "協会からのご依頼", "</blockquote>")
    assert request.rstrip().endswith("をご提出ください。") and "依頼。" not in request
    status = _section(html, "現在の状況", "</section>")
    assert "上の「協会からのご依頼」をご確認のうえ、ご回答ください。" in status
    assert "メッセージをご確認" not in status


# --- Roles inside the facility (casework.member_roles): what each login may do ---


@pytest.fixture
def awaiting(report, support, member, make_user, facility):
    """A case of the facility waiting for documents, with a file, and a login of the facility
    in `role` (the 管理者 `member` reported the case)."""
    from casework.services import attachment_add

    def make(role):
        case = report()
        attachment = attachment_add(
            case=case, by=member, upload=SimpleUploadedFile("写真.png", PNG), kind="photo"
        )
        for name in ("start_triage", "request_info"):
            case = case_transition(case=case, name=name, by=support, note="同意書を")
        user = make_user("desk", "会員", last_name="山本", first_name="花子")
        MemberProfile.objects.create(user=user, facility=facility, role=role)
        return case, attachment, user

    return make


# What each role may do on マイページ: (method, url, data) → allowed to 管理者, 報告者, 閲覧のみ.
def _role_urls(case, attachment):
    base = f"/mypage/cases/{case.reference}"
    return [
        ("get", "/mypage/", {}, {"admin", "reporter", "reader"}),
        ("get", f"{base}/", {}, {"admin", "reporter", "reader"}),
        ("get", f"{base}/attachments/{attachment.pk}/", {}, {"admin", "reporter", "reader"}),
        ("get", "/mypage/report/", {}, {"admin", "reporter"}),
        ("post", "/mypage/report/", _report_data(), {"admin", "reporter"}),
        ("post", f"{base}/messages/", {"body": "よろしくお願いします"}, {"admin", "reporter"}),
        (
            "post",
            f"{base}/attachments/",
            {"kind": "document", "file": SimpleUploadedFile("資料.pdf", PDF)},
            {"admin", "reporter"},
        ),
        ("post", f"{base}/actions/provide_info/", {"note": "送りました"}, {"admin", "reporter"}),
        ("post", f"{base}/actions/withdraw/", {}, {"admin", "reporter"}),
        ("get", "/mypage/staff/", {}, {"admin"}),
    ]


@pytest.mark.parametrize("role", list(FacilityRole))
def test_each_role_may_do_exactly_what_its_row_allows(client, awaiting, policy, role):
    case, attachment, user = awaiting(role)
    client.force_login(user)
    for method, url, data, allowed in _role_urls(case, attachment):
        response = getattr(client, method)(url, data)
        if role in allowed:
            assert response.status_code in (200, 302), url
        else:
            assert response.status_code == 403, url
            assert "この操作はできません" in response.content.decode(), url
    # What a refused role tried left nothing behind; what an allowed one did is there.
    reports = role != FacilityRole.READER
    assert Case.objects.count() == (2 if reports else 1)
    assert case.messages.exists() == reports
    assert case.attachments.count() == (2 if reports else 1)
    assert (Case.objects.get(pk=case.pk).state == "withdrawn") == reports


@pytest.mark.parametrize("role", list(FacilityRole))
def test_each_role_is_offered_only_what_it_may_do(client, awaiting, role):
    case, _, user = awaiting(role)
    client.force_login(user)
    my_page = client.get("/mypage/").content.decode()
    html = client.get(f"/mypage/cases/{case.reference}/").content.decode()
    reports = role != FacilityRole.READER
    assert ("苦情・クレームを相談する" in my_page) == reports
    assert ("スタッフ管理" in my_page) == (role == FacilityRole.ADMIN)
    assert (f"/mypage/cases/{case.reference}/messages/" in html) == reports
    assert (f'action="/mypage/cases/{case.reference}/attachments/"' in html) == reports
    assert ("追加資料を提出する" in html) == reports
    assert ("ご相談を取り下げる" in html) == reports
    # Every role reads the case, its request and its files.
    assert "同意書を" in html and "写真.png" in html
    if not reports:
        assert "メッセージやファイルは送れません" in html
        assert "ご回答は、施設の管理者または報告者の方からお送りください。" in html
