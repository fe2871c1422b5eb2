"""Money committed against a policy: reservations of the aggregate, stale assessment forms,
separation of duties for payment, and two assessors at once."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django_fsm import ConcurrentTransition
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from casework import roles
from casework.choices import CaseState, Course
from casework.models import Assessment, Case, CaseTransition, Facility, Policy
from casework.services import assessment_compute, case_transition

pytestmark = pytest.mark.django_db

# The conftest policy: 1,000万円 per accident, so 3,000万円 in the period; 10万円 deductible.
LIMIT, AGGREGATE = 10_000_000, 30_000_000
FULL = LIMIT + 100_000  # damages that pay exactly the per-accident limit


@pytest.fixture
def approver(make_user):
    return make_user("approver", roles.INSURER)


def _assess(case, by, damages, **kwargs):
    return assessment_compute(case=case, by=by, damages=damages, **kwargs)


def test_each_assessment_reserves_its_total_and_the_last_one_gets_what_is_left(
    in_assessment, assessor, policy
):
    first, second, third, fourth = (in_assessment() for _ in range(4))
    assert [_assess(c, assessor, FULL).total for c in (first, second)] == [LIMIT, LIMIT]
    assert _assess(third, assessor, 5_100_000).total == 5_000_000
    last = _assess(fourth, assessor, FULL)
    assert last.total == AGGREGATE - 2 * LIMIT - 5_000_000
    assert any("総支払限度額の残額" in line["note"] for line in last.lines)
    assert policy.aggregate_used() == AGGREGATE


def test_withdrawing_a_case_releases_its_reservation(in_assessment, assessor, member, policy):
    cases = [in_assessment() for _ in range(3)]
    for case in cases:
        _assess(case, assessor, FULL)
    case_transition(case=cases[0], name="withdraw", by=member)
    assert policy.aggregate_remaining() == LIMIT
    assert _assess(in_assessment(), assessor, FULL).total == LIMIT


def test_a_recomputation_replaces_the_case_reservation_instead_of_adding_to_it(
    in_assessment, assessor, policy
):
    case = in_assessment()
    _assess(case, assessor, FULL)
    again = _assess(case, assessor, 3_100_000, revision=1)
    assert (again.total, again.revision) == (3_000_000, 2)
    assert policy.aggregate_used() == 3_000_000
    trail = list(CaseTransition.objects.filter(case=case).values_list("name", "by__username"))
    assert trail[-2:] == [("assess", "assessor"), ("reassess", "assessor")]


def test_a_form_loaded_before_someone_recomputed_is_refused(
    client, in_assessment, assessor, make_user
):
    case = in_assessment()
    colleague = make_user("assessor2", roles.ASSESSORS)
    _assess(case, colleague, 2_100_000)  # revision 1, while our form still says 0
    client.force_login(assessor)
    response = client.post(
        f"/admin/cases/{case.pk}/assessment/", {"damages": FULL, "revision": 0}, follow=True
    )
    assert "他の担当者が同時にこの案件を更新しました" in response.content.decode()
    assessment = Assessment.objects.get(case=case)
    assert (assessment.total, assessment.assessed_by) == (2_000_000, colleague)


def test_a_form_posted_after_the_case_moved_to_settlement_changes_nothing(
    client, in_assessment, assessor
):
    case = in_assessment()
    _assess(case, assessor, 2_100_000)
    case_transition(case=case, name="start_settlement", by=assessor)
    client.force_login(assessor)
    response = client.post(
        f"/admin/cases/{case.pk}/assessment/", {"damages": FULL, "revision": 1}, follow=True
    )
    assert "他の担当者が同時にこの案件を更新しました" in response.content.decode()
    assert Assessment.objects.get(case=case).total == 2_000_000
    with pytest.raises(ConcurrentTransition):
        _assess(case, assessor, FULL)


def test_the_recompute_form_opens_with_the_current_figures(client, in_assessment, assessor):
    case = in_assessment()
    _assess(case, assessor, 2_100_000, legal_costs=300_000)
    client.force_login(assessor)
    html = client.get(f"/admin/cases/{case.pk}/").content.decode()
    assert 'value="2100000"' in html and 'value="300000"' in html
    assert 'name="revision" value="1"' in html


def test_whoever_requested_a_payment_never_approves_it(in_assessment, assessor, insurer, approver):
    case = in_assessment()
    _assess(case, assessor, 2_100_000)
    case = case_transition(case=case, name="start_settlement", by=assessor)
    case = case_transition(case=case, name="request_payment", by=insurer)
    with pytest.raises(PermissionDenied):
        case_transition(case=case, name="approve_payment", by=insurer)
    case = case_transition(case=case, name="approve_payment", by=approver)
    assert (case.state, case.payment_requested_by, case.payment_approved_by) == (
        CaseState.PAID,
        insurer,
        approver,
    )


def test_a_payment_the_aggregate_no_longer_holds_is_refused_in_japanese(
    in_assessment, assessor, insurer
):
    first, second = in_assessment(), in_assessment()
    for case in (first, second):
        _assess(case, assessor, FULL)
        case_transition(case=case, name="start_settlement", by=assessor)
    # Records from before reservations existed (or edited by hand) may overcommit the period.
    Assessment.objects.filter(case=first).update(total=25_000_000)
    with pytest.raises(ValidationError) as refused:
        case_transition(case=Case.objects.get(pk=second.pk), name="request_payment", by=insurer)
    assert "総支払限度額を超えます" in refused.value.messages[0]
    assert Case.objects.get(pk=second.pk).state == CaseState.SETTLEMENT


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row-level races need PostgreSQL"
)
@pytest.mark.parametrize("assessors", [2, 4])
def test_assessors_at_once_never_spend_more_than_the_aggregate(
    in_assessment, assessor, make_user, policy, assessors
):
    """Each assessor computes the full limit on another case of the policy at the same moment;
    two cases already hold 2,000万円, so only 1,000万円 is left for all of them together."""
    for case in (in_assessment(), in_assessment()):
        _assess(case, assessor, FULL)
    cases = [in_assessment() for _ in range(assessors)]
    people = [make_user(f"concurrent{i}", roles.ASSESSORS) for i in range(assessors)]
    barrier = threading.Barrier(assessors)
    totals, errors = [], []

    def assess(case, person):
        try:
            copy = Case.objects.get(pk=case.pk)
            barrier.wait()
            totals.append(_assess(copy, person, FULL, revision=0).total)
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=assess, args=pair) for pair in zip(cases, people, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(totals) == [0] * (assessors - 1) + [LIMIT]
    assert policy.aggregate_used() == AGGREGATE


def test_no_sequence_of_money_steps_overspends_a_policy(
    in_assessment, assessor, insurer, approver, member
):
    """Any interleaving of assess / recompute / settle / request / approve / withdraw on the
    cases of one policy keeps committed + paid within the aggregate and each payout's damages
    within the per-accident limit."""
    counter = iter(range(10_000))

    class MoneySteps(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            n = next(counter)
            facility = Facility.objects.create(name=f"検証クリニック{n}")
            self.policy = Policy.objects.create(
                number=f"P-{n}", course=Course.FACILITY, facility=facility,
                payout_limit=2_000_000, starts_on=date(2025, 12, 1), ends_on=date(2026, 11, 30),
            )  # fmt: skip
            self.cases = [in_assessment(facility=facility, doctor=None) for _ in range(3)]

        def _fresh(self, i):
            return Case.objects.get(pk=self.cases[i].pk)

        def _try(self, i, name, by):
            case = self._fresh(i)
            if name in {t.name for t in case.get_available_state_transitions()}:
                try:
                    case_transition(case=case, name=name, by=by)
                except (ValidationError, PermissionDenied):
                    pass  # a condition refused it: the invariants below still must hold

        @rule(i=st.integers(0, 2), damages=st.integers(0, 5_000_000), legal=st.integers(0, 900_000))
        def assess(self, i, damages, legal):
            case = self._fresh(i)
            if case.state == CaseState.ASSESSMENT:
                assessment_compute(case=case, by=assessor, damages=damages, legal_costs=legal)

        @rule(i=st.integers(0, 2))
        def settle(self, i):
            self._try(i, "start_settlement", assessor)

        @rule(i=st.integers(0, 2))
        def request(self, i):
            self._try(i, "request_payment", insurer)

        @rule(i=st.integers(0, 2))
        def approve(self, i):
            self._try(i, "approve_payment", approver)

        @rule(i=st.integers(0, 2))
        def withdraw(self, i):
            self._try(i, "withdraw", member)

        @invariant()
        def within_the_aggregate(self):
            assert self.policy.aggregate_used() <= self.policy.aggregate_limit

        @invariant()
        def each_payout_within_its_limit(self):
            for assessment in Assessment.objects.filter(case__policy=self.policy):
                # Legal costs are paid on top of the per-accident limit, never the damages.
                assert assessment.total <= self.policy.payout_limit + assessment.legal_costs
                assert assessment.total <= assessment.aggregate_remaining

    run_state_machine_as_test(
        MoneySteps,
        settings=hypothesis_settings(max_examples=12, stateful_step_count=10, deadline=None),
    )


def test_an_absurd_amount_is_refused_in_japanese_not_with_a_500(client, in_assessment, assessor):
    case = in_assessment()
    client.force_login(assessor)
    response = client.post(
        f"/admin/cases/{case.pk}/assessment/",
        {"damages": "9" * 19, "revision": 0},
        follow=True,
    )
    assert response.status_code == 200
    assert "金額は100億円以下で入力してください。" in response.content.decode()
    assert not Assessment.objects.filter(case=case).exists()
