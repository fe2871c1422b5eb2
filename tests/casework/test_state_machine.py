"""A case walks every path of the state machine, taken by the right people and no one else."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from casework.models import CaseTransition
from casework.selectors import case_transitions_for
from casework.services import (
    assessment_compute,
    case_transition,
    opinion_save,
    patient_consent_record,
)

pytestmark = pytest.mark.django_db


def _move(case, by, *names, **kwargs):
    for name in names:
        case = case_transition(case=case, name=name, by=by, **kwargs)
    return case


def _two_opinions(case, surgeon, lawyer):
    for reviewer in (surgeon, lawyer):
        opinion_save(case=case, reviewer=reviewer, conclusion="liable", text="所見", submit=True)


def test_a_reported_case_gets_a_phone_readable_reference_and_starts_in_received(report):
    first, second = report(), report()
    assert first.get_state_display() == "受付"
    year = first.received_at.year
    assert (first.reference, second.reference) == (f"{year}-0001", f"{year}-0002")
    assert first.policy.number == "F-2026-001"
    assert first.is_claim_covered()


def test_the_liable_path_to_payment_and_closure(
    report, support, surgeon, lawyer, chair, assessor, insurer, make_user
):
    from casework import roles

    approver = make_user("approver", roles.INSURER)
    case = _move(report(), support, "start_triage", "refer_to_review")
    assert case.get_state_display() == "審査中"
    _two_opinions(case, surgeon, lawyer)
    case = case_transition(
        case=case, name="decide_liable", by=chair, reasons="術式の選択に過失がある", dissent=""
    )
    assert case.get_state_display() == "有責"
    case = _move(case, assessor, "start_assessment")
    assessment = assessment_compute(case=case, by=assessor, damages=3_000_000, legal_costs=200_000)
    assert assessment.total == 3_100_000  # 3,000,000 − 100,000 deductible + legal costs
    case = _move(case, assessor, "start_settlement")
    case = _move(case, insurer, "request_payment")
    case = _move(case, approver, "approve_payment")
    case = _move(case, support, "close")
    assert case.get_state_display() == "完了"

    trail = [(t.from_state, t.to_state, t.by.username) for t in case.transitions.all()]
    assert trail == [
        ("received", "received", "member"),
        ("received", "triage", "support"),
        ("triage", "under_review", "support"),
        ("under_review", "liable", "chair"),
        ("liable", "assessment", "assessor"),
        ("assessment", "assessment", "assessor"),  # the assessment, audited
        ("assessment", "settlement", "assessor"),
        ("settlement", "payment_approval", "insurer"),
        ("payment_approval", "paid", "approver"),
        ("paid", "closed", "support"),
    ]


def test_not_liable_then_referred_or_resolved(report, support, surgeon, lawyer, chair):
    for outcome, label in (("refer", "紹介"), ("resolve", "円満解決")):
        case = _move(report(), support, "start_triage", "refer_to_review")
        _two_opinions(case, surgeon, lawyer)
        case = case_transition(case=case, name="decide_not_liable", by=chair, reasons="適切な施術")
        case = _move(case, support, outcome)
        assert case.get_state_display() == label
        assert case.decision_reasons == "適切な施術"


def test_a_claim_outside_the_policy_period_is_not_covered_but_still_advised(report, support):
    from datetime import date

    case = report(claim_date=date(2025, 11, 30))  # the day before the policy starts
    assert not case.is_claim_covered()
    case = _move(case, support, "start_triage")
    with pytest.raises(ValidationError):
        case_transition(case=case, name="refer_to_review", by=support)
    case = _move(case, support, "mark_not_covered", "close")
    assert case.get_state_display() == "完了"


def test_the_patient_hearing_needs_the_patients_consent(report, support, member):
    case = _move(report(), support, "start_triage")
    with pytest.raises(ValidationError, match="患者さんの同意"):
        case_transition(case=case, name="start_hearing", by=support)
    case = patient_consent_record(case=case, by=member)
    case = _move(case, support, "start_hearing", "resolve")
    assert case.get_state_display() == "円満解決"


def test_awaiting_information_goes_back_to_triage_when_the_member_answers(report, support, member):
    case = _move(report(), support, "start_triage", "request_info")
    assert case.get_state_display() == "追加資料待ち"
    case = _move(case, member, "provide_info")
    assert case.get_state_display() == "初期対応"


def test_the_member_may_withdraw_but_another_facilitys_member_may_not(report, member, other_member):
    case = report()
    with pytest.raises(PermissionDenied):
        case_transition(case=case, name="withdraw", by=other_member)
    case = _move(case, member, "withdraw")
    assert case.get_state_display() == "取下げ"
    with pytest.raises(ValidationError):
        case_transition(case=case, name="withdraw", by=member)


def test_only_the_right_role_may_take_each_step(report, member, support, chair, surgeon, lawyer):
    case = report()
    with pytest.raises(PermissionDenied):
        case_transition(case=case, name="start_triage", by=member)
    case = _move(case, support, "start_triage", "refer_to_review")
    _two_opinions(case, surgeon, lawyer)
    for not_allowed in (support, member, surgeon):
        with pytest.raises(PermissionDenied):
            case_transition(case=case, name="decide_liable", by=not_allowed, reasons="x")


def test_each_user_is_offered_exactly_the_transitions_they_may_take_now(report, member, support):
    case = report()
    assert {t.name for t in case_transitions_for(case=case, user=support)} == {
        "start_triage",
        "withdraw",
    }
    assert {t.name for t in case_transitions_for(case=case, user=member)} == {"withdraw"}
    case = _move(case, support, "start_triage")
    # No consent yet, so no hearing; the claim is covered, so not 補償対象外.
    assert {t.name for t in case_transitions_for(case=case, user=support)} == {
        "request_info",
        "resolve",
        "refer_to_review",
        "withdraw",
    }


def test_a_decision_needs_two_opinions_one_from_the_procedures_specialty(
    report, support, chair, dermatologist, lawyer, surgeon
):
    case = _move(report(), support, "start_triage", "refer_to_review")  # 二重瞼: 形成外科
    for reviewer in (dermatologist, lawyer):
        opinion_save(case=case, reviewer=reviewer, conclusion="liable", text="所見", submit=True)
    assert not case.has_enough_opinions()
    with pytest.raises(ValidationError):
        case_transition(case=case, name="decide_liable", by=chair, reasons="x")
    opinion_save(case=case, reviewer=surgeon, conclusion="liable", text="所見", submit=False)
    assert not case.has_enough_opinions()  # a draft does not count
    opinion_save(case=case, reviewer=surgeon, conclusion="liable", text="所見", submit=True)
    assert case.has_enough_opinions()


def test_a_reviewer_tied_to_the_facility_may_not_review(report, support, surgeon, facility):
    surgeon.reviewer_profile.conflicted_facilities.add(facility)
    case = _move(report(), support, "start_triage", "refer_to_review")
    with pytest.raises(PermissionDenied):
        opinion_save(case=case, reviewer=surgeon, conclusion="liable", text="所見", submit=True)


def test_the_assessor_never_approves_their_own_payout(
    report, support, surgeon, lawyer, chair, make_user
):
    from casework import roles

    assessor_and_approver = make_user("both", roles.ASSESSORS, roles.INSURER)
    case = _move(report(), support, "start_triage", "refer_to_review")
    _two_opinions(case, surgeon, lawyer)
    case = case_transition(case=case, name="decide_liable", by=chair, reasons="過失あり")
    case = _move(case, assessor_and_approver, "start_assessment")
    assessment_compute(case=case, by=assessor_and_approver, damages=1_000_000)
    case = _move(case, assessor_and_approver, "start_settlement", "request_payment")
    with pytest.raises(PermissionDenied):
        case_transition(case=case, name="approve_payment", by=assessor_and_approver)


def test_the_member_is_emailed_in_japanese_without_patient_data(report, support, member):
    case = report()
    mail.outbox.clear()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        _move(case, support, "start_triage")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["member@example.jp"]
    assert case.reference in message.subject and "初期対応" in message.subject
    assert "佐藤" not in message.subject + message.body
    assert "090-1234-5678" not in message.body


def test_the_audit_trail_cannot_be_rewritten(report):
    record = CaseTransition.objects.get(case=report())
    record.note = "書き換え"
    with pytest.raises(ValueError):
        record.save()
    with pytest.raises(ValueError):
        record.delete()
