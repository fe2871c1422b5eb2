"""One day of each role, in a real browser at a desktop's 1280×800: each person starts from
their home's queue, finds the next action on the first screen of every page (no scrolling),
takes it with the confirmation it asks for, and meets no English on the way. The member ends
the day reading the decision and the payout with its lines.

Each test builds the case up to its role's turn with the services, as the people before did.
ROLE_DAYS_SCREENSHOTS=<directory> saves each first screen checked, to look at what people see."""

import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework import roles
from casework.choices import CaseState, Specialty
from casework.models import Case, MemberProfile, ReviewerProfile
from casework.services import assessment_compute, case_transition, opinion_save

from ..casework.conftest import (  # noqa: F401 (fixtures)
    _reference_data,
    doctor,
    facility,
    make_user,
    policy,
    report,
)
from ..cms_pages.test_admin_language import _ENGLISH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ROLE_DAYS_SCREENSHOTS")


@pytest.fixture
def member(make_user, facility):  # noqa: F811 (the member `report` files cases as)
    user = make_user("sakura", roles.MEMBERS, last_name="桜井", first_name="陽子")
    MemberProfile.objects.create(user=user, facility=facility)
    return user


@pytest.fixture
def staff(make_user):  # noqa: F811
    """The association's people, named as they write their names."""

    def person(username, group, last_name, first_name):
        return make_user(username, group, last_name=last_name, first_name=first_name)

    people = {
        "support": person("hinata", roles.SUPPORT, "日向", "さやか"),
        # 二重瞼 is cosmetic surgery: a plastic surgeon's opinion is the specialist's.
        "surgeon": person("takahashi", roles.REVIEWERS, "高橋", "誠"),
        "lawyer": person("nakamura", roles.REVIEWERS, "中村", "美穂"),
        "chair": person("ishii", roles.CHAIR, "石井", "宏"),
        "assessor": person("mori", roles.ASSESSORS, "森", "健一"),
        "requester": person("kobayashi", roles.INSURER, "小林", "直樹"),
        "approver": person("matsumoto", roles.INSURER, "松本", "由美"),
    }
    ReviewerProfile.objects.create(user=people["surgeon"], specialty=Specialty.PLASTIC_SURGERY)
    ReviewerProfile.objects.create(user=people["lawyer"], specialty=Specialty.LAW)
    return people


def _walk(case, by, *names, **kwargs) -> Case:
    for name in names:
        case = case_transition(case=case, name=name, by=by, **kwargs)
    return case


def _under_review(report, staff) -> Case:  # noqa: F811
    return _walk(report(), staff["support"], "start_triage", "refer_to_review")


def _with_opinions(report, staff) -> Case:  # noqa: F811
    case = _under_review(report, staff)
    opinion_save(
        case=case, reviewer=staff["surgeon"], conclusion="liable", submit=True,
        text="二重の幅に明らかな左右差があり、術前の説明も記録に残っていない。",
    )  # fmt: skip
    opinion_save(
        case=case, reviewer=staff["lawyer"], conclusion="liable", submit=True,
        text="説明義務違反が認められる可能性が高い。",
    )  # fmt: skip
    return case


def _decided(report, staff) -> Case:  # noqa: F811
    case = _with_opinions(report, staff)
    return _walk(case, staff["chair"], "decide_liable", reasons="術前の説明が不十分だった。")


def _in_settlement(report, staff) -> Case:  # noqa: F811
    case = _walk(_decided(report, staff), staff["assessor"], "start_assessment")
    assessment_compute(case=case, by=staff["assessor"], damages=1_500_000, legal_costs=200_000)
    return _walk(case, staff["assessor"], "start_settlement")


# --- what a person sees --------------------------------------------------------------------


def first_screen(page, locator, shot: str = ""):
    """`locator` lies wholly within the first screen of the page, as it opened (not scrolled)."""
    expect(locator).to_be_visible()
    assert page.evaluate("window.scrollY") == 0, "the page opened scrolled"
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{shot or 'page'}.png"))
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (
        f"{locator} ends at {box['y'] + box['height']:.0f}px, below the first screen ({height}px)"
    )


# Attributes a browser shows or reads out, as the admin language test reads them.
_SHOWN_ATTRIBUTES = """() => [...document.querySelectorAll('[title],[alt],[aria-label],[placeholder]')]
  .flatMap(el => ['title', 'alt', 'aria-label', 'placeholder'].map(a => el.getAttribute(a)))
  .filter(Boolean)"""


def no_english(page):
    """None of the listed English words on the page as the browser draws it."""
    text = "\n".join([page.locator("body").inner_text(), *page.evaluate(_SHOWN_ATTRIBUTES)])
    assert sorted(set(_ENGLISH.findall(text))) == [], page.url


def queue_row(page, heading: str, case: Case, shot: str):
    """The admin home's row of `case` in the queue headed `heading`, its link on the first
    screen."""
    page.goto("/admin/")
    queue = page.get_by_role("region", name=re.compile("^" + re.escape(heading)))
    row = queue.get_by_role("row").filter(has=page.get_by_role("link", name=case.reference))
    first_screen(page, row.get_by_role("link"), shot)
    no_english(page)
    return row


def open_case(row):
    """Open the case from its queue row: the page leads with this person's next step."""
    row.get_by_role("link").click()
    expect(row.page.locator("#next-step-heading")).to_have_text("あなたの次の操作")


def next_step(page):
    return page.locator("section[aria-labelledby=next-step-heading]")


def write_opinion(page, link: str, shot: str):
    """A reviewer's case page leads with a link to their opinion form, on the first screen; the
    form itself lies below the facts it judges, and the link brings it into view."""
    write = next_step(page).get_by_role("link", name=link)
    first_screen(page, write, shot)
    facts = page.locator("#case-facts-section")
    form = page.locator("#opinion form.casework-opinion-form")
    assert facts.bounding_box()["y"] < form.bounding_box()["y"], "the form comes before the facts"
    write.click()
    expect(form.get_by_role("button", name="提出する")).to_be_in_viewport()
    return form


def flash(page):
    return page.locator(".messages")


def confirm(page, shot: str):
    """The confirmation page: what will happen, with 確定する on its first screen."""
    expect(page.locator("#confirm-heading")).to_contain_text("よろしいですか？")
    button = page.get_by_role("button", name="確定する")
    first_screen(page, button, shot)
    no_english(page)
    button.click()


def _state(case) -> str:
    return Case.objects.get(pk=case.pk).state


# --- the days ------------------------------------------------------------------------------


def test_support_takes_a_new_case_to_the_review_committee(open_page_as, report, staff):  # noqa: F811
    case = report()
    page = open_page_as(staff["support"])
    open_case(queue_row(page, "新規・担当者未定", case, "support-home"))

    step = next_step(page)
    expect(step).to_contain_text("新しい相談です。")
    start = step.get_by_role("button", name="初期対応を開始")
    first_screen(page, start, "support-case-new")
    no_english(page)
    start.click()
    expect(flash(page)).to_contain_text("「初期対応を開始」を行いました。")

    # The patient agreed to be heard: recorded from the other actions, folded on the first screen.
    more = step.locator("summary", has_text="その他の操作")
    first_screen(page, more, "support-case-triage")
    more.click()
    step.get_by_role("button", name="患者さんの同意（状況聴取）を記録").click()
    expect(flash(page)).to_contain_text("患者さんの同意を記録しました。")

    hearing = next_step(page).get_by_role("button", name="状況聴取へ進む")
    first_screen(page, hearing, "support-case-consented")
    hearing.click()
    expect(flash(page)).to_contain_text("「状況聴取へ進む」を行いました。")

    refer = next_step(page).get_by_role("button", name="審査会に付議")
    first_screen(page, refer, "support-case-hearing")
    no_english(page)
    refer.click()
    expect(flash(page)).to_contain_text("「審査会に付議」を行いました。")
    expect(next_step(page)).to_contain_text("審査員の意見書を待っています（提出済み 0通）。")
    assert _state(case) == CaseState.UNDER_REVIEW
    case.refresh_from_db()
    assert case.handler == staff["support"] and case.patient_consent_at is not None


def test_two_reviewers_write_their_opinions(open_page_as, report, staff):  # noqa: F811
    case = _under_review(report, staff)

    # The plastic surgeon drafts first, leaving the conclusion open.
    page = open_page_as(staff["surgeon"])
    open_case(queue_row(page, "意見書の提出待ち", case, "surgeon-home"))
    form = write_opinion(page, "意見書を書く", "surgeon-case")
    no_english(page)
    expect(form.get_by_role("radio", checked=True)).to_have_count(0)
    form.get_by_label("所見").fill("二重の幅に左右差がある。")
    form.get_by_role("button", name="下書き保存").click()
    expect(flash(page)).to_contain_text("意見書を下書き保存しました。")

    # Back later, the draft waits in the queue; finished and submitted after confirmation.
    row = queue_row(page, "意見書の提出待ち", case, "surgeon-home-draft")
    expect(row).to_contain_text("下書きあり")
    open_case(row)
    expect(next_step(page)).to_contain_text("意見書の下書きがあります。")
    form = write_opinion(page, "下書きの続きを書く", "surgeon-case-draft")
    expect(form.get_by_label("所見")).to_have_value("二重の幅に左右差がある。")
    form.get_by_label("所見").fill("二重の幅に左右差があり、術前の説明も記録に残っていない。")
    form.get_by_label("過失あり（有責）").check()
    form.get_by_role("button", name="提出する").click()
    expect(page.locator(".casework-confirm")).to_contain_text("過失あり（有責）")
    confirm(page, "surgeon-confirm")
    expect(flash(page)).to_contain_text("意見書を提出しました。")
    expect(next_step(page)).to_contain_text("意見書は提出済みです")

    # The lawyer submits straight away.
    page = open_page_as(staff["lawyer"])
    open_case(queue_row(page, "意見書の提出待ち", case, "lawyer-home"))
    form = write_opinion(page, "意見書を書く", "lawyer-case")
    form.get_by_label("過失あり（有責）").check()
    form.get_by_label("所見").fill("説明義務違反が認められる可能性が高い。")
    form.get_by_role("button", name="提出する").click()
    confirm(page, "lawyer-confirm")
    expect(flash(page)).to_contain_text("意見書を提出しました。")

    case.refresh_from_db()
    opinions = {o.reviewer: o for o in case.opinions.all()}
    assert all(o.submitted_at and o.conclusion == "liable" for o in opinions.values())
    assert set(opinions) == {staff["surgeon"], staff["lawyer"]}
    assert case.has_enough_opinions()


def test_the_chair_decides_from_the_ready_queue(open_page_as, report, staff):  # noqa: F811
    case = _with_opinions(report, staff)
    page = open_page_as(staff["chair"])
    open_case(queue_row(page, "判定待ち", case, "chair-home"))

    step = next_step(page)
    expect(step).to_contain_text("意見書 2通を確認して判定してください。")
    first_screen(page, step.get_by_role("link", name="意見書を読む"), "chair-case")
    first_screen(page, step.get_by_role("link", name="判定を入力する"))
    no_english(page)

    # The opinions side by side, one column a reviewer, above the one decision form.
    step.get_by_role("link", name="意見書を読む").click()
    table = page.locator("#opinions table")
    expect(table.locator("thead th")).to_have_text(
        [re.compile("^高橋 誠"), re.compile("^中村 美穂")]
    )
    expect(table.get_by_role("row", name=re.compile("^結論"))).to_contain_text("過失あり（有責）")

    decision = page.locator("#decision")
    expect(decision.get_by_role("radio", checked=True)).to_have_count(0)
    decision.get_by_label("有責", exact=True).check()
    decision.get_by_label("判定理由").fill("術前の説明が不十分で、左右差の説明もなかった。")
    decision.get_by_role("button", name="判定の内容を確認する").click()

    expect(page.locator(".casework-confirm")).to_contain_text("判定「有責」を記録します")
    expect(page.locator(".casework-confirm")).to_contain_text("術前の説明が不十分で")
    confirm(page, "chair-confirm")
    expect(flash(page)).to_contain_text("判定「有責」を記録しました。")
    decided = page.get_by_role("region", name="審査会の判定")
    expect(decided).to_contain_text("判定：有責")
    expect(decided).to_contain_text("石井 宏")
    case.refresh_from_db()
    assert (case.state, case.decision, case.decided_by) == (
        CaseState.LIABLE, "liable", staff["chair"],
    )  # fmt: skip


def test_the_assessor_computes_the_payout(open_page_as, report, staff):  # noqa: F811
    case = _decided(report, staff)
    page = open_page_as(staff["assessor"])
    open_case(queue_row(page, "査定待ち", case, "assessor-home"))

    start = next_step(page).get_by_role("button", name="査定を開始")
    first_screen(page, start, "assessor-case-liable")
    no_english(page)
    start.click()
    expect(flash(page)).to_contain_text("「査定を開始」を行いました。")

    form = next_step(page).locator("form.casework-assessment-form")
    form.get_by_label("損害賠償金（円）").fill("1500000")
    form.get_by_label("争訟費用（保険会社の同意を得たもの・円）").fill("200000")
    compute = form.get_by_role("button", name="計算して保存")
    first_screen(page, compute, "assessor-case-assessment")
    no_english(page)
    compute.click()
    case.refresh_from_db()
    total = case.assessment.total
    expect(flash(page)).to_contain_text(f"支払総額を {total:,}円 と査定しました。")
    # 150万 + 20万, less the policy's deductible (1事故 10万).
    assert total == 1_500_000 + 200_000 - case.policy.deductible == 1_600_000
    expect(next_step(page)).to_contain_text("査定済みです（支払総額 1,600,000円）")

    settle = next_step(page).get_by_role("button", name="示談手続きへ")
    first_screen(page, settle, "assessor-case-assessed")
    settle.click()
    confirm(page, "assessor-confirm")
    expect(flash(page)).to_contain_text("「示談手続きへ」を行いました。")
    assert _state(case) == CaseState.SETTLEMENT


def test_one_insurer_requests_payment_another_approves(open_page_as, report, staff):  # noqa: F811
    case = _in_settlement(report, staff)
    page = open_page_as(staff["requester"])
    open_case(queue_row(page, "示談手続中", case, "requester-home"))

    request = next_step(page).get_by_role("button", name="支払承認を依頼")
    first_screen(page, request, "requester-case")
    no_english(page)
    request.click()
    confirm(page, "requester-confirm")
    expect(flash(page)).to_contain_text("「支払承認を依頼」を行いました。")
    # Who requested never approves: no button, and their queue does not list it.
    expect(next_step(page)).to_contain_text("保険会社の別の担当者の承認を待っています。")
    expect(page.get_by_role("button", name="支払を承認")).to_have_count(0)
    page.goto("/admin/")
    expect(page.get_by_role("link", name=case.reference)).to_have_count(0)

    page = open_page_as(staff["approver"])
    open_case(queue_row(page, "支払承認待ち", case, "approver-home"))
    expect(next_step(page)).to_contain_text("支払承認の依頼が届いています。")
    approve = next_step(page).get_by_role("button", name="支払を承認")
    first_screen(page, approve, "approver-case")
    no_english(page)
    approve.click()
    confirm(page, "approver-confirm")
    expect(flash(page)).to_contain_text("「支払を承認」を行いました。")
    case.refresh_from_db()
    assert case.state == CaseState.PAID
    assert (case.payment_requested_by, case.payment_approved_by) == (
        staff["requester"], staff["approver"],
    )  # fmt: skip


def test_the_member_sees_the_decision_and_the_payout(open_page, site_content, report, staff):  # noqa: F811
    case = _in_settlement(report, staff)
    case = _walk(case, staff["requester"], "request_payment")
    case = _walk(case, staff["approver"], "approve_payment")

    page = open_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill("sakura@example.jp")
    page.get_by_label("パスワード").fill("pw")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")

    link = page.get_by_role("link", name=f"受付番号 {case.reference}")
    first_screen(page, link, "member-mypage")
    no_english(page)
    link.click()

    decision = page.locator("section[aria-labelledby=decision-heading]")
    expect(decision).to_contain_text("有責")
    expect(decision).to_contain_text("術前の説明が不十分だった。")
    payout = page.locator("section[aria-labelledby=payout-heading]")
    headline = payout.locator(".portal-payout__headline")
    expect(headline).to_have_text("支払総額 1,600,000円")
    # The outcome leads: the decision and, beside it, the total, both on the first screen.
    first_screen(page, decision.get_by_role("heading"), "member-case")
    first_screen(page, headline)
    status = page.locator("section[aria-labelledby=status-heading]")
    expect(status.get_by_text("保険金をお支払いしました")).to_have_count(1)  # said once
    lines = payout.locator("table tbody tr")
    expect(lines.locator("th")).to_have_text(
        ["損害賠償金", "免責金額", "損害賠償金の支払額", "争訟費用", "争訟費用の支払額", "支払総額"]
    )
    expect(lines.filter(has_text="免責金額")).to_contain_text("100,000円")
    expect(lines.last).to_contain_text("1,600,000円")
    expect(payout).to_contain_text(f"支払日{timezone.localdate():%Y年%-m月%-d日}")
    # The dissent and who decided stay with the association.
    expect(page.locator("main")).not_to_contain_text("石井")
    no_english(page)


def test_the_approver_sees_the_amount_before_approving(open_page_as, report, staff):  # noqa: F811
    case = _walk(_in_settlement(report, staff), staff["requester"], "request_payment")
    page = open_page_as(staff["approver"])
    page.goto(f"/admin/cases/{case.pk}/")
    step = next_step(page)
    step.get_by_role("button", name="支払を承認").click()
    expect(page.locator(".casework-confirm")).to_contain_text("1,600,000円", timeout=1000)
