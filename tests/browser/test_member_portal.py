"""A member reports a complaint in a real browser; staff take it up in the admin; the member
sees the new state and the staff message."""

from datetime import date

import pytest
from django.apps import apps
from playwright.sync_api import expect

from casework import roles
from casework.models import Facility, MemberProfile, Policy
from casework.reference_data import roles_sync_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def people(site_content, django_user_model):
    from django.contrib.auth.models import Group

    roles_sync_all(apps)  # an earlier transactional test may have emptied the database
    facility = Facility.objects.create(name="さくら美容クリニック")
    today = date.today()
    Policy.objects.create(
        number="F-001", course="facility", facility=facility, payout_limit=5_000_000,
        starts_on=date(today.year - 1, 12, 1), ends_on=date(today.year + 1, 11, 30),
    )  # fmt: skip
    member = django_user_model.objects.create_user(
        "sakura", email="sakura@example.jp", password="member-pass-2026"
    )
    member.groups.add(Group.objects.get(name=roles.MEMBERS))
    MemberProfile.objects.create(user=member, facility=facility)
    support = django_user_model.objects.create_user("support", password="support-pass-2026")
    support.groups.add(Group.objects.get(name=roles.SUPPORT))
    return member, support


def test_member_reports_staff_triage_member_sees_state_and_message(open_page, people, tmp_path):
    photo = tmp_path / "左頬の写真.png"
    photo.write_bytes(PNG)
    member_page = open_page()

    member_page.goto("/accounts/login/")
    member_page.get_by_label("メールアドレス").fill("sakura@example.jp")
    member_page.get_by_label("パスワード").fill("member-pass-2026")
    member_page.get_by_role("button", name="ログイン").click()
    expect(member_page.get_by_role("heading", level=1)).to_have_text("マイページ")

    member_page.get_by_role("link", name="苦情・クレームを相談する").click()
    member_page.locator("#id_procedure").select_option(label="ヒアルロン酸注射")
    member_page.locator("#id_procedure_date").fill(date.today().replace(day=1).isoformat())
    member_page.locator("#id_claim_date").fill(date.today().isoformat())
    member_page.get_by_label("合併症・後遺症").check()
    member_page.locator("#id_narrative").fill("注入の翌日から腫脹が続いていると連絡があった。")
    member_page.locator("#id_patient_name").fill("試験 花子")
    member_page.locator("#id_attachment").set_input_files(str(photo))
    member_page.locator("#id_no_payment_promised").check()
    member_page.locator("#id_patient_data_confirmed").check()
    member_page.get_by_role("button", name="相談内容を送信する").click()

    expect(member_page.locator("main")).to_contain_text("ご相談を受け付けました")
    expect(member_page.locator("main")).to_contain_text("左頬の写真.png")
    reference = member_page.locator("h1").inner_text().removeprefix("受付番号 ").strip()
    member_page.goto("/mypage/")
    expect(member_page.locator(".portal-case")).to_contain_text("受付")

    staff_page = open_page()
    staff_page.goto("/admin/login/")
    staff_page.locator("input[name=username]").fill("support")
    staff_page.locator("input[name=password]").fill("support-pass-2026")
    staff_page.locator("button[type=submit]").click()
    staff_page.goto("/admin/cases/")
    staff_page.get_by_role("link", name=reference).click()
    staff_page.get_by_role("button", name="初期対応を開始").click()
    expect(staff_page.locator("main")).to_contain_text("「初期対応を開始」を行いました。")
    staff_page.locator("form[action$='/messages/'] textarea[name=body]").fill(
        "お電話ありがとうございました。経過写真をお送りください。"
    )
    staff_page.locator("form[action$='/messages/'] button[type=submit]").click()
    expect(staff_page.locator("main")).to_contain_text("会員にメッセージを送信しました。")

    member_page.goto("/mypage/")
    expect(member_page.locator(".portal-case")).to_contain_text("協会で対応中")
    member_page.get_by_role("link", name=f"受付番号 {reference}").click()
    expect(member_page.locator("main")).to_contain_text("経過写真をお送りください。")


def _walk(case, by, *names, **kwargs):
    from casework.services import case_transition

    for name in names:
        case = case_transition(case=case, name=name, by=by, **kwargs)
    return case


@pytest.fixture
def paid_and_asked(people, django_user_model):
    """Two cases of the member's facility: one paid after a 有責 decision, one where the
    association asks for documents."""
    from django.contrib.auth.models import Group

    from casework.choices import Specialty
    from casework.models import Procedure, ReviewerProfile
    from casework.services import assessment_compute, case_report, opinion_save

    member, support = people

    def staff(username, group, **fields):
        user = django_user_model.objects.create_user(username, password="pw", **fields)
        user.groups.add(Group.objects.get(name=group))
        return user

    surgeon, lawyer = staff("surgeon", roles.REVIEWERS), staff("lawyer", roles.REVIEWERS)
    ReviewerProfile.objects.create(user=surgeon, specialty=Specialty.PLASTIC_SURGERY)
    ReviewerProfile.objects.create(user=lawyer, specialty=Specialty.LAW)
    chair, assessor = staff("chair", roles.CHAIR), staff("assessor", roles.ASSESSORS)
    requester, approver = staff("insurer1", roles.INSURER), staff("insurer2", roles.INSURER)

    def report():
        return case_report(
            reporter=member, facility=member.member_profile.facility, doctor=None,
            procedure=Procedure.objects.get(name="二重瞼"),
            procedure_date=date.today(), claim_date=date.today(),
            complaint_types=["result"], narrative="左右差があると言われた。",
            patient_demands="", patient={"name": "試験 花子"}, no_payment_promised=True,
            patient_data_confirmed=True,
        )  # fmt: skip

    paid = _walk(report(), support, "start_triage", "refer_to_review")
    for reviewer in (surgeon, lawyer):
        opinion_save(case=paid, reviewer=reviewer, conclusion="liable", text="所見", submit=True)
    paid = _walk(paid, chair, "decide_liable", reasons="術前の説明が不十分だった。")
    paid = _walk(paid, assessor, "start_assessment")
    assessment_compute(case=paid, by=assessor, damages=2_100_000, legal_costs=300_000)
    paid = _walk(paid, assessor, "start_settlement")
    paid = _walk(_walk(paid, requester, "request_payment"), approver, "approve_payment")
    asked = _walk(report(), support, "start_triage")
    asked = _walk(asked, support, "request_info", note="術前の写真をお送りください。")
    return paid, asked


def test_member_answers_a_request_and_sees_the_payout_on_a_phone(
    open_page, paid_and_asked, tmp_path
):
    paid, asked = paid_and_asked
    photo = tmp_path / "術前.png"
    photo.write_bytes(PNG)
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill("sakura@example.jp")
    page.get_by_label("パスワード").fill("member-pass-2026")
    page.get_by_role("button", name="ログイン").click()

    first = page.locator(".portal-case").first
    expect(first).to_contain_text(asked.reference)
    expect(first).to_contain_text("ご回答をお待ちしています")
    expect(first).to_be_in_viewport()
    first.get_by_role("link").click()

    request = page.locator(".portal-request")
    expect(request).to_contain_text("術前の写真をお送りください。")
    expect(request.get_by_role("heading", level=2)).to_be_in_viewport()
    request.get_by_label("協会へのひとこと（任意）").fill("写真をお送りします。")
    request.get_by_label("添付するファイル（任意）").set_input_files(str(photo))
    request.get_by_role("button", name="追加資料を提出する").click()
    expect(page.locator("main")).to_contain_text("手続きを受け付けました。")
    expect(page.locator(".portal-request")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("術前.png")

    page.goto("/mypage/")
    finished = page.locator("section[aria-labelledby=finished-heading]")
    finished.get_by_role("link", name=f"受付番号 {paid.reference}").click()
    payout = page.locator("section[aria-labelledby=payout-heading]")
    expect(payout).to_contain_text("支払総額 2,300,000円")
    expect(payout.locator("table")).to_contain_text("免責金額")
    expect(payout).to_contain_text("支払日")
    expect(page.locator("main")).to_contain_text("術前の説明が不十分だった。")
    # The table fits the phone's width (no sideways scrolling of the page).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
