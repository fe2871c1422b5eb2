"""What each person is told to do next on a case, or who has the ball (casework.next_step)."""

from datetime import date

import pytest

from casework import roles
from casework.next_step import ASSESS, DECIDE, OPINION, TRANSITIONS, next_step, opinion_writable_by
from casework.services import assessment_compute, case_transition, opinion_save

pytestmark = pytest.mark.django_db


def _move(case, by, *names, **kwargs):
    for name in names:
        case = case_transition(case=case, name=name, by=by, **kwargs)
    return case


def _opinion(case, reviewer, *, submit=True):
    opinion_save(case=case, reviewer=reviewer, conclusion="liable", text="所見", submit=submit)


def test_a_new_case_asks_support_to_start_and_tells_everyone_else_who_has_it(
    report, support, assessor
):
    case = report()
    step = next_step(case=case, user=support)
    assert step.action == TRANSITIONS and step.mine
    assert step.primary == "start_triage"
    assert "withdraw" in step.others and "start_triage" not in step.others
    assert step.text == "新しい相談です。内容を確かめ、会員に連絡して初期対応を開始してください。"
    waiting = next_step(case=case, user=assessor)
    assert not waiting.mine and waiting.primary == "" and waiting.others == ()
    assert waiting.text == "サポートチームの対応を待っています（担当者未定）。"


def test_the_handler_is_named_family_name_first_while_support_has_the_ball(
    report, make_user, assessor
):
    hinata = make_user("support_named", roles.SUPPORT, last_name="日向", first_name="さやか")
    case = _move(report(), hinata, "start_triage")
    assert (
        next_step(case=case, user=assessor).text
        == "サポート担当（日向 さやか）の対応を待っています。"
    )


def test_a_claim_outside_the_policy_puts_not_covered_first(report, support):
    case = report(procedure_date=date(2025, 5, 1), claim_date=date(2025, 6, 1))
    step = next_step(case=case, user=support)
    assert step.primary == "mark_not_covered"
    assert "start_triage" in step.others
    assert "保険期間外" in step.text


def test_while_the_member_is_asked_for_documents_support_waits_with_its_steps_at_hand(
    report, support
):
    case = _move(report(), support, "start_triage", "request_info")
    step = next_step(case=case, user=support)
    assert step.primary == "" and not step.mine
    assert step.text == "会員からの追加資料・回答を待っています。"
    assert set(step.others) == {"provide_info", "withdraw"}


def test_a_reviewer_writes_then_is_told_the_opinion_is_in(report, support, surgeon, lawyer):
    case = _move(report(), support, "start_triage", "refer_to_review")
    assert opinion_writable_by(case=case, user=surgeon)
    step = next_step(case=case, user=surgeon)
    assert (step.action, step.text) == (OPINION, "この案件の意見書を書いて提出してください。")
    _opinion(case, surgeon, submit=False)
    assert next_step(case=case, user=surgeon).text == (
        "意見書の下書きがあります。仕上げて提出してください。"
    )
    opinion_save(case=case, reviewer=surgeon, conclusion="liable", text="所見", submit=True)
    assert not opinion_writable_by(case=case, user=surgeon)
    step = next_step(case=case, user=surgeon)
    assert step.action == "" and step.text.startswith("意見書は提出済みです（")
    assert step.detail == "審査員の意見書を待っています（提出済み 1通）。"


def test_a_conflicted_reviewer_or_a_non_reviewer_writes_no_opinion(
    report, support, surgeon, chair, facility
):
    case = _move(report(), support, "start_triage", "refer_to_review")
    assert not opinion_writable_by(case=case, user=chair)  # the chair has no reviewer profile
    surgeon.reviewer_profile.conflicted_facilities.add(facility)
    assert not opinion_writable_by(case=case, user=surgeon)


def test_the_chair_decides_once_the_opinions_are_in_and_waits_before(
    report, support, surgeon, lawyer, chair
):
    case = _move(report(), support, "start_triage", "refer_to_review")
    _opinion(case, lawyer)
    step = next_step(case=case, user=chair)
    assert not step.mine
    assert step.text == "審査員の意見書を待っています（提出済み 1通）。"
    assert "提出済みの意見書が2通以上" in step.detail
    _opinion(case, surgeon)
    step = next_step(case=case, user=chair)
    assert (step.action, step.text) == (DECIDE, "意見書 2通を確認して判定してください。")
    assert "decide_liable" not in step.others  # decided in its own form, not as a button
    assert next_step(case=case, user=support).text == (
        "審査会長の判定を待っています（意見書 2通提出済み）。"
    )


def test_the_assessor_computes_then_moves_to_settlement(in_assessment, assessor, support):
    case = in_assessment()
    step = next_step(case=case, user=assessor)
    assert step.action == ASSESS and step.primary == ""
    assert "支払額を計算してください" in step.text
    assert next_step(case=case, user=support).text == "査定員の査定を待っています。"
    assessment_compute(case=case, by=assessor, damages=1_000_000)
    case.refresh_from_db()
    step = next_step(case=case, user=assessor)
    assert step.action == ASSESS and step.primary == "start_settlement"
    assert step.text.startswith("査定済みです（支払総額 900,000円）")


def test_the_payment_is_asked_by_one_insurer_and_approved_by_another(
    in_assessment, assessor, insurer, make_user
):
    case = in_assessment()
    assessment_compute(case=case, by=assessor, damages=1_000_000)
    case = _move(case, assessor, "start_settlement")
    step = next_step(case=case, user=insurer)
    assert step.primary == "request_payment" and "go_to_court" in step.others
    case = _move(case, insurer, "request_payment")
    assert next_step(case=case, user=insurer).text == (
        "支払承認を依頼済みです。保険会社の別の担当者の承認を待っています。"
    )
    approver = make_user("insurer_b", roles.INSURER)
    step = next_step(case=case, user=approver)
    assert step.primary == "approve_payment"
    assert step.text == "支払承認の依頼が届いています。査定の内容を確かめて支払を承認してください。"


def test_a_finished_case_says_so(report, support):
    case = _move(report(), support, "start_triage", "resolve")
    assert next_step(case=case, user=support).primary == "close"
    case = _move(case, support, "close")
    step = next_step(case=case, user=support)
    assert step.text == "この案件は終了しています（完了）。" and step.others == ()
