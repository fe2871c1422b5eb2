"""A clinic's membership year in a real browser at a desktop's 1280×800: its 管理者 renews the
policy ending on 30 November from マイページ without retyping anything, support approves it in
the admin, and the new policy starts on 1 December; then a receptionist gets their own login
with exactly the rights the 管理者 gives them, and loses it when removed.

Every date is fixed: the clinic joined through /join/ on 1 November 2026, so its policy runs
from 1 December 2026 to 30 November 2027; the days are lived on 20 October 2027 (the offer open,
the 10 November deadline ahead) and on 1 December 2027 (time-machine, which the live server's
thread sees too). Each screen is saved under MEMBERSHIP_SHOTS (default /tmp/membership-shots)
to look at what the office manager and the receptionist see."""

import os
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from casework import roles
from casework.enrollment.permissions import review_permissions_sync
from casework.enrollment.services import application_submit, application_transition
from casework.models import Policy, Procedure
from casework.services import case_report, case_transition
from tests.casework.enrollment.conftest import FACILITY_APPLICATION

from ..casework.conftest import _reference_data, make_user  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOKYO = ZoneInfo("Asia/Tokyo")
JOINED_ON = date(2026, 11, 1)
ON_TIME = datetime.combine(date(2027, 10, 20), time(10), tzinfo=TOKYO)
NEW_TERM = datetime.combine(date(2027, 12, 1), time(9), tzinfo=TOKYO)
SHOTS = Path(os.environ.get("MEMBERSHIP_SHOTS", "/tmp/membership-shots"))
PASSWORD = "Aoba-Clinic-2027-office"  # noqa: S105
DESK_PASSWORD = "Aoba-Clinic-2027-desk"  # noqa: S105
DESK_EMAIL = "uketsuke@aoba.example.jp"


@pytest.fixture
def shot(request):
    """Save the first screen (and, with full=True, the whole page) as NN-name.png, in a folder
    named after the test."""
    folder = SHOTS / request.node.name.removeprefix("test_")
    folder.mkdir(parents=True, exist_ok=True)
    count = iter(range(1, 100))

    def save(page, name: str, *, full: bool = False):
        number = next(count)
        page.screenshot(path=folder / f"{number:02d}-{name}.png")
        if full:
            page.screenshot(path=folder / f"{number:02d}-{name}-full.png", full_page=True)

    return save


@pytest.fixture
def clinic(site_content, _reference_data, make_user):  # noqa: F811
    """The clinic as it joined a year ago (its 管理者 login, policy and doctor), and the
    association's support staff who reviews applications."""
    review_permissions_sync(apps)  # an earlier transactional test may have emptied the database
    support = make_user("hinata", roles.SUPPORT, last_name="日向", first_name="さやか")
    with time_machine.travel(datetime.combine(JOINED_ON, time(10), tzinfo=TOKYO)):
        joined = application_submit(fields=FACILITY_APPLICATION, applied_on=JOINED_ON)
        for name in ("start_review", "approve"):
            application_transition(application=joined, name=name, by=support)
    joined.refresh_from_db()
    manager = joined.member.user
    manager.set_password(PASSWORD)
    manager.save()
    mail.outbox.clear()
    return joined, manager, support


def log_in(page, email: str, password: str):
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")


def desk_page(open_page):
    page = open_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    return page


def on_first_screen(page, locator):
    """`locator` is visible without scrolling the page as it opened."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert page.evaluate("window.scrollY") == 0
    assert box["y"] + box["height"] <= page.viewport_size["height"], (
        f"{locator} ends at {box['y'] + box['height']:.0f}px, below the first screen"
    )


def flash(page):
    return page.locator(".flash")


def test_the_manager_renews_and_the_new_policy_starts_on_1_december(
    open_page, open_page_as, clinic, shot
):
    joined, manager, support = clinic
    old = joined.policy
    assert (old.starts_on, old.ends_on) == (date(2026, 12, 1), date(2027, 11, 30))

    with time_machine.travel(ON_TIME, tick=True) as traveller:
        page = desk_page(open_page)
        log_in(page, "suzuki@example.jp", PASSWORD)
        offer = page.locator("section[aria-labelledby=renewal-heading]")
        expect(offer).to_contain_text(f"証券番号 {old.number}）は2027年11月30日に満了します。")
        expect(offer).to_contain_text("2027年11月10日まで")
        expect(offer).to_contain_text("2027年12月1日〜2028年11月30日")
        shot(page, "mypage-renewal-offer", full=True)
        renew = offer.get_by_role("link", name="継続の手続きをする")
        on_first_screen(page, renew)
        renew.click()

        # The form comes filled in: the member changes nothing.
        expect(page.get_by_role("heading", level=1)).to_have_text("継続のお手続き")
        expect(page.locator("#renewal-period")).to_contain_text(
            "新しい保険期間：2027年12月1日〜2028年11月30日"
        )
        form = page.locator("form.form")
        for typed in ("A-12345", "あおば美容クリニック 新宿院", "医療法人あおば会", "高橋 花子"):
            assert typed in form.evaluate("f => [...f.elements].map(e => e.value).join('\\n')"), (
                typed
            )
        shot(page, "renewal-form", full=True)
        # Nothing to change: the button that says so is on the first screen.
        unchanged = page.get_by_role("button", name="変更なしで確認画面へ")
        assert unchanged.bounding_box()["y"] + unchanged.bounding_box()["height"] <= 800
        unchanged.click()

        # The confirmation says exactly when the new cover runs.
        expect(page.get_by_role("heading", level=1)).to_have_text("継続のお手続き（内容の確認）")
        expect(page.locator(".error-summary")).to_have_count(0)
        period = page.locator("#renewal-period")
        expect(period).to_contain_text("新しい保険期間：2027年12月1日〜2028年11月30日")
        expect(period).to_contain_text("切れ目なく補償されます")
        expect(page.locator("main")).to_contain_text("あおば美容クリニック 新宿院")
        shot(page, "renewal-confirm", full=True)
        page.locator("#id_agree").check()
        page.locator("#id_privacy_consent").check()
        page.get_by_role("button", name="この内容で継続を申し込む").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("継続のお申込みを受け付けました")
        receipt = page.locator("main")
        expect(receipt).to_contain_text("2027年12月1日〜2028年11月30日")
        reference = re.search(r"申込番号：(\S+?)（", receipt.inner_text()).group(1)
        shot(page, "renewal-received", full=True)
        assert any(m.to == ["suzuki@example.jp"] for m in mail.outbox)

        page.get_by_role("link", name="マイページに戻る").click()
        expect(page.locator("section[aria-labelledby=renewal-heading]")).to_contain_text(
            f"申込番号 {reference}"
        )
        shot(page, "mypage-renewal-pending")

        # Support reviews it in the admin, from the 加入申込 list.
        staff = open_page_as(support)
        staff.goto("/admin/applications/")
        row = staff.get_by_role("row").filter(has=staff.get_by_role("link", name=reference))
        expect(row).to_contain_text("2027")
        shot(staff, "admin-applications")
        row.get_by_role("link", name=reference).click()
        expect(staff.locator("main")).to_contain_text(f"証券番号 {old.number}")
        shot(staff, "admin-renewal-received", full=True)
        start = staff.get_by_role("button", name="審査を開始")
        start.scroll_into_view_if_needed()
        shot(staff, "admin-renewal-actions")
        start.click()
        expect(staff.locator("main")).to_contain_text("「審査を開始」を行いました。")
        approve = staff.get_by_role("button", name="承認して保険契約を発行")
        shot(staff, "admin-renewal-in-review", full=True)
        approve.click()
        expect(staff.locator("main")).to_contain_text("「承認して保険契約を発行」を行いました。")
        shot(staff, "admin-renewal-approved", full=True)

        # The round at a glance: this clinic has renewed.
        staff.goto("/admin/renewals/?year=2027")
        expect(staff.locator(".renewal-count--renewed")).to_have_text("1")
        expect(staff.get_by_role("row", name=re.compile(old.number))).to_contain_text("継続済み")
        shot(staff, "admin-renewal-round", full=True)

        joined.refresh_from_db()
        new = Policy.objects.filter(facility=old.facility).exclude(pk=old.pk).get()
        assert (new.starts_on, new.ends_on) == (date(2027, 12, 1), date(2028, 11, 30))
        assert new.number != old.number

        # Back on マイページ the same day: the new period waits to begin.
        page.goto("/mypage/")
        cover = page.locator("section[aria-labelledby=policy-heading]")
        upcoming = cover.locator(".portal-policy--upcoming")
        expect(upcoming).to_contain_text("2027年12月1日〜2028年11月30日")
        expect(upcoming).to_contain_text(new.number)
        expect(cover).to_contain_text(f"継続後の証券番号 {new.number}")
        shot(page, "mypage-renewed", full=True)

        # On 1 December the new policy is the current one, the old one in the history.
        traveller.move_to(NEW_TERM)
        page = desk_page(open_page)
        log_in(page, "suzuki@example.jp", PASSWORD)
        cover = page.locator("section[aria-labelledby=policy-heading]")
        current = cover.locator(".portal-policy:not(.portal-policy--past)")
        expect(current).to_have_count(1)
        expect(current).to_contain_text(new.number)
        expect(current).to_contain_text("2027年12月1日〜2028年11月30日補償中")
        past = cover.locator("details.portal-past-policies")
        past.locator("summary").click()
        expect(past).to_contain_text(old.number)
        expect(past).to_contain_text("2026年12月1日〜2027年11月30日終了")
        expect(past).to_contain_text("継続済み")
        expect(page.locator("section[aria-labelledby=renewal-heading]")).to_have_count(0)
        cover.scroll_into_view_if_needed()
        shot(page, "mypage-new-term", full=True)


@pytest.fixture
def cases(clinic):
    """Two cases of the clinic: one just reported, one where the association asks for papers."""
    joined, manager, support = clinic

    def report(narrative):
        return case_report(
            reporter=manager, facility=joined.facility, doctor=joined.doctor,
            procedure=Procedure.objects.get(name="二重瞼"),
            procedure_date=date(2027, 9, 1), claim_date=date(2027, 10, 1),
            complaint_types=["result"], narrative=narrative, patient_demands="",
            patient={"name": "試験 花子"}, no_payment_promised=True,
            patient_data_confirmed=True,
        )  # fmt: skip

    with time_machine.travel(ON_TIME - timedelta(days=10)):
        fresh = report("二重の幅に左右差があると言われた。")
        asked = report("腫れが引かないと電話があった。")
        asked = case_transition(case=asked, name="start_triage", by=support)
        asked = case_transition(
            case=asked, name="request_info", by=support, note="術前の写真をお送りください。"
        )
    return fresh, asked


def _invitation_path() -> str:
    (message,) = [m for m in mail.outbox if m.to == [DESK_EMAIL]]
    assert "役割：閲覧のみ" in message.body
    url = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    return url.removeprefix(settings.SITE_URL)


def staff_row(page, email: str):
    return page.locator("table.portal-staff tbody tr").filter(has_text=email)


def test_the_receptionist_gets_exactly_the_rights_the_clinic_gives(
    open_page, open_page_as, clinic, cases, shot
):
    joined, manager, _ = clinic
    fresh, asked = cases
    with time_machine.travel(ON_TIME, tick=True):
        office = open_page_as(manager)
        office.goto("/mypage/")
        manage = office.get_by_role("link", name="スタッフ管理")
        on_first_screen(office, manage)
        manage.click()
        expect(office.get_by_role("heading", level=1)).to_have_text("スタッフ管理")
        invite = office.locator("section[aria-labelledby=invite-heading]")
        invite.get_by_label("姓").fill("受付")
        invite.get_by_label("名", exact=True).fill("はな")
        invite.get_by_label("メールアドレス").fill(DESK_EMAIL)
        invite.get_by_label("役割").select_option(label="閲覧のみ")
        shot(office, "staff-invite-filled", full=True)
        invite.get_by_role("button", name="招待メールを送る").click()
        expect(flash(office)).to_contain_text(
            f"受付 はな 様（{DESK_EMAIL}）に招待メールを送りました。"
        )
        expect(staff_row(office, DESK_EMAIL)).to_contain_text("招待中（パスワード未設定）")
        shot(office, "staff-invited", full=True)

        # The receptionist opens the link from the e-mail and sets a password.
        desk = desk_page(open_page)
        desk.goto(_invitation_path())
        expect(desk.get_by_role("heading", level=1)).to_have_text("パスワードの設定")
        desk.locator("#id_new_password1").fill(DESK_PASSWORD)
        desk.locator("#id_new_password2").fill(DESK_PASSWORD)
        shot(desk, "desk-set-password")
        desk.get_by_role("button", name="パスワードを設定する").click()
        expect(desk.get_by_role("heading", level=1)).to_have_text("パスワードを設定しました")
        shot(desk, "desk-password-set")
        log_in(desk, DESK_EMAIL, DESK_PASSWORD)
        expect(desk.locator(".portal-head__who")).to_contain_text("受付 はな 様")
        expect(desk.locator("main")).to_contain_text(fresh.reference)
        expect(desk.locator("main")).to_contain_text(asked.reference)
        # 閲覧のみ: the cases, and nothing to report, send, answer or withdraw.
        expect(desk.get_by_role("link", name="苦情・クレームを相談する")).to_have_count(0)
        expect(desk.get_by_role("link", name="スタッフ管理")).to_have_count(0)
        expect(desk.get_by_role("link", name="継続の手続きをする")).to_have_count(0)
        shot(desk, "desk-reader-mypage", full=True)
        desk.get_by_role("link", name=f"受付番号 {asked.reference}").click()
        main = desk.locator("main")
        expect(main).to_contain_text("術前の写真をお送りください。")
        expect(main).to_contain_text("ご回答は、施設の管理者または報告者の方からお送りください。")
        expect(main).to_contain_text(
            "このログインの役割（閲覧のみ）では、メッセージやファイルは送れません。"
        )
        expect(desk.get_by_role("button", name="追加資料を提出する")).to_have_count(0)
        expect(desk.get_by_role("button", name="送信する")).to_have_count(0)
        expect(desk.get_by_role("button", name="添付する")).to_have_count(0)
        expect(desk.get_by_role("button", name="ご相談を取り下げる")).to_have_count(0)
        shot(desk, "desk-reader-case", full=True)
        # Typing the report's address is refused too.
        desk.goto("/mypage/report/")
        expect(desk.get_by_role("heading", level=1)).to_have_text("この操作はできません")
        shot(desk, "desk-reader-report-refused")

        # The 管理者 makes them a 報告者.
        office.reload()
        row = staff_row(office, DESK_EMAIL)
        expect(row).to_contain_text("利用中")
        row.get_by_label("受付 はな 様の役割").select_option(label="報告者")
        row.get_by_role("button", name="変更").click()
        expect(flash(office)).to_contain_text("報告者")
        shot(office, "staff-role-changed", full=True)

        desk.goto("/mypage/")
        report = desk.get_by_role("link", name="苦情・クレームを相談する")
        on_first_screen(desk, report)
        shot(desk, "desk-reporter-mypage")
        report.click()
        desk.locator("#id_procedure").select_option(label="ヒアルロン酸注射")
        desk.locator("#id_procedure_date").fill("2027-10-01")
        desk.locator("#id_claim_date").fill("2027-10-19")
        desk.get_by_label("合併症・後遺症").check()
        desk.locator("#id_narrative").fill("受付に患者さんが来院し、注入部位の腫れを訴えた。")
        desk.locator("#id_patient_name").fill("試験 太郎")
        desk.locator("#id_no_payment_promised").check()
        desk.locator("#id_patient_data_confirmed").check()
        shot(desk, "desk-report-form", full=True)
        desk.get_by_role("button", name="相談内容を送信する").click()
        expect(desk.locator("main")).to_contain_text("ご相談を受け付けました")
        reported = desk.locator("h1").inner_text().removeprefix("受付番号 ").strip()
        shot(desk, "desk-reported", full=True)

        # The 管理者 removes the login: the receptionist's next page is refused.
        office.reload()
        row = staff_row(office, DESK_EMAIL)
        office.once("dialog", lambda dialog: dialog.accept())
        row.get_by_role("button", name="削除").click()
        expect(flash(office)).to_contain_text("受付 はな")
        expect(staff_row(office, DESK_EMAIL)).to_have_count(0)
        shot(office, "staff-removed", full=True)

        # What they reported stays named as theirs.
        office.goto(f"/mypage/cases/{reported}/")
        expect(office.locator("section[aria-labelledby=timeline-heading]")).to_contain_text(
            "ご相談を受け付けました（受付 はな）"
        )

        desk.goto("/mypage/")
        expect(desk).to_have_url(re.compile(r"/accounts/login/"))
        expect(desk.get_by_role("heading", level=1)).not_to_have_text("マイページ")
        shot(desk, "desk-removed-next-page")
        # Nor can they log in again.
        desk.get_by_label("メールアドレス").fill(DESK_EMAIL)
        desk.get_by_label("パスワード").fill(DESK_PASSWORD)
        desk.get_by_role("button", name="ログイン").click()
        expect(desk.get_by_role("heading", level=1)).not_to_have_text("マイページ")
        shot(desk, "desk-removed-login")
