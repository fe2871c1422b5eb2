"""Demo cases: every state, walked by the right people, deterministic, never duplicated."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from casework import roles
from casework.choices import CaseState, Course, Specialty
from casework.demo import (
    DEMO_PASSWORD,
    FACILITIES,
    STAFF,
    WINDOW,
    demo_cases_generate,
    member_username,
)
from casework.models import (
    Assessment,
    Case,
    Doctor,
    Facility,
    MemberProfile,
    PatientInfo,
    Policy,
    ReviewerProfile,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Forty demo cases, made once for the module's tests and rolled back after the last.

    Each test's own transaction nests inside this one; tests that do not ask for it compare
    counts before and after, so they hold whether or not these cases exist.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        report = demo_cases_generate(count=40, seed=11)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def demo_cases(generated, db):
    """The module's demo cases, as a queryset (there may be no other cases)."""
    return Case.objects.filter(reference__in=[c.reference for c in generated.cases])


def _supporting_counts() -> dict[str, int]:
    return {
        "facilities": Facility.objects.count(),
        "doctors": Doctor.objects.count(),
        "policies": Policy.objects.count(),
        "users": get_user_model().objects.count(),
        "members": MemberProfile.objects.count(),
        "reviewers": ReviewerProfile.objects.count(),
    }


def test_forty_cases_reach_every_state(generated, demo_cases):
    assert len(generated.cases) == demo_cases.count() == 40
    assert set(demo_cases.values_list("state", flat=True)) == set(CaseState.values)
    counted = {s: demo_cases.filter(state=s).count() for s in CaseState.values}
    assert generated.by_state == {s: n for s, n in counted.items() if n}
    assert list(generated.by_state) == [s for s in CaseState.values if counted[s]]
    assert demo_cases.filter(risk_self_harm=True, urgency="urgent").count() >= 2


def test_every_audit_trail_starts_with_the_report_and_chains_state_to_state(demo_cases):
    now = timezone.now()
    for case in demo_cases.prefetch_related("transitions"):
        trail = list(case.transitions.all())  # ordered by time, then pk
        assert [t.pk for t in trail] == sorted(t.pk for t in trail), case.reference
        report, *steps = trail
        assert (report.name, report.from_state, report.to_state) == (
            "report",
            "received",
            "received",
        )
        assert report.by_id == case.reporter_id and report.at == case.received_at
        previous = report
        for step in steps:
            assert step.from_state == previous.to_state, case.reference
            assert step.at > previous.at, case.reference
            previous = step
        assert previous.to_state == case.state
        assert previous.at < now


def test_decisions_payments_and_assessments_were_made_by_the_right_people(demo_cases):
    decided = demo_cases.filter(decided_by__isnull=False)
    assert decided.exists()
    for case in decided:
        assert case.decided_by.groups.filter(name=roles.CHAIR).exists()
        assert case.has_enough_opinions()  # two submitted, one of the procedure's specialty
        assert "判定する" in case.decision_reasons
    for case in demo_cases.filter(assessment__isnull=False).select_related("assessment"):
        damages = case.assessment.damages
        assert 300_000 <= damages <= 15_000_000 and damages % 10_000 == 0
    paid = demo_cases.filter(payment_approved_by__isnull=False)
    assert paid.exists()
    for case in paid:  # separation of duties: three people
        assert case.assessment.assessed_by.username == "assessor"
        assert case.payment_requested_by.username == "insurer"
        assert case.payment_approved_by.username == "insurer2"
        assert case.payment_approved_by.has_perm("casework.approve_payment")
    for case in demo_cases.filter(state=CaseState.UNDER_REVIEW):
        assert case.opinions.filter(submitted_at__isnull=False).count() <= 1


def test_what_a_transition_stamps_is_the_moment_it_was_taken(demo_cases):
    """Steps are taken at their planned moments, so the fields the services stamp agree with
    the audit trail without the demo setting any of them."""
    stamps = {
        "decided_at": ("decide_liable", "decide_not_liable"),
        "paid_at": ("approve_payment",),
        "closed_at": ("close", "withdraw"),
    }
    checked = 0
    for case in demo_cases.prefetch_related("transitions", "opinions"):
        trail = list(case.transitions.all())
        at = {t.name: t.at for t in trail}
        first_response = next(
            (t.at for t in trail if t.name in ("start_triage", "mark_not_covered")), None
        )
        assert case.first_response_at == first_response, case.reference
        for field, names in stamps.items():
            assert getattr(case, field) == next((at[n] for n in names if n in at), None)
        if hasattr(case, "assessment"):
            assert case.assessment.assessed_at == at["assess"]
            checked += 1
        for opinion in case.opinions.all():
            assert case.received_at < opinion.created_at < timezone.now()
            assert opinion.submitted_at in (None, opinion.created_at)
    assert checked


def test_payouts_stay_well_inside_every_aggregate(demo_cases):
    assessed = list(Assessment.objects.filter(case__in=demo_cases).select_related("case__policy"))
    assert assessed
    for assessment in assessed:
        # Never cut short by the aggregate: half of what it had left at most.
        assert assessment.total <= assessment.aggregate_remaining // 2
        assert assessment.case.policy.covers(assessment.case.claim_date)
    for policy in Policy.objects.filter(cases__in=demo_cases).distinct():
        assert policy.aggregate_used() < policy.aggregate_limit


def test_claim_dates_match_the_cover_and_the_timeline_has_shape(demo_cases):
    cases = list(demo_cases.select_related("policy"))
    today = timezone.localdate()
    for case in cases:
        assert today - WINDOW <= case.claim_date <= today
        assert case.procedure_date < case.claim_date
        assert timezone.localtime(case.received_at).date() >= case.claim_date
        if (
            case.state == CaseState.NOT_COVERED
            or case.transitions.filter(name="mark_not_covered").exists()
        ):
            assert not case.is_claim_covered()
        if case.transitions.filter(name="refer_to_review").exists():
            assert case.is_claim_covered()
    months = {timezone.localtime(c.received_at).strftime("%Y-%m") for c in cases}
    assert len(months) >= 8
    assert any(not c.is_claim_covered() for c in cases)


def test_patients_are_fictitious_and_never_named_in_the_case(demo_cases):
    patients = list(PatientInfo.objects.filter(case__in=demo_cases).select_related("case"))
    assert len(patients) == 40
    for patient in patients:
        assert patient.name not in patient.case.narrative
        assert patient.name not in patient.case.patient_demands
        assert patient.phone.startswith("090-0000-")
    assert len({p.case.narrative for p in patients}) == 40


def test_a_second_run_reuses_the_supporting_data_and_repeats_the_cases(_reference_data):
    cases_before = Case.objects.count()
    first = demo_cases_generate(count=12, seed=5)
    supporting = _supporting_counts()
    second = demo_cases_generate(count=12, seed=5)
    assert _supporting_counts() == supporting
    assert Facility.objects.filter(name__in=[f.name for f in FACILITIES]).count() == 8
    usernames = [member_username(f.key) for f in FACILITIES] + [s.username for s in STAFF]
    assert get_user_model().objects.filter(username__in=usernames).count() == 20
    created = (
        second.facilities_created,
        second.doctors_created,
        second.policies_created,
        second.users_created,
    )
    assert created == (0, 0, 0, 0)
    assert Case.objects.count() == cases_before + 24
    assert [(c.state, c.procedure) for c in first.cases] == [
        (c.state, c.procedure) for c in second.cases
    ]

    user = get_user_model().objects.get(username="reviewer-derm1")
    assert user.check_password(DEMO_PASSWORD)
    assert user.reviewer_profile.specialty == Specialty.DERMATOLOGY
    assert get_user_model().objects.get(username="member-3").member_profile.facility.name
    assert Policy.objects.filter(course=Course.DOCTOR).count() >= 2
    assert {p.payout_limit for p in Policy.objects.all()} == {
        1_000_000,
        2_000_000,
        5_000_000,
        10_000_000,
        20_000_000,
    }


def _fresh_run(seed: int) -> list[tuple]:
    """Generate in a savepoint that is rolled back, so each call starts from the same database."""
    with transaction.atomic():
        report = demo_cases_generate(count=20, seed=seed)
        references = [c.reference for c in report.cases]
        cases = {
            c.reference: c
            for c in Case.objects.filter(reference__in=references).select_related(
                "patient", "facility"
            )
        }
        result = [
            (
                c.state,
                c.procedure,
                cases[c.reference].narrative,
                cases[c.reference].patient.name,
                cases[c.reference].facility.name,
            )
            for c in report.cases
        ]
        transaction.set_rollback(True)
    return result


def test_the_same_seed_gives_the_same_cases(_reference_data):
    cases_before = Case.objects.count()
    first = _fresh_run(seed=2026)
    assert Case.objects.count() == cases_before  # rolled back: the next run starts afresh
    assert _fresh_run(seed=2026) == first
    assert _fresh_run(seed=2027) != first


def test_the_command_refuses_without_debug_or_force(_reference_data, settings):
    cases_before, supporting = Case.objects.count(), _supporting_counts()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_demo_cases", count=1)
    assert (Case.objects.count(), _supporting_counts()) == (cases_before, supporting)

    out = StringIO()
    call_command("generate_demo_cases", "--count", "3", "--seed", "1", "--force", stdout=out)
    assert "デモ案件を3件追加しました（シード 1）" in out.getvalue()
    assert "件" in out.getvalue() and DEMO_PASSWORD in out.getvalue()

    settings.DEBUG = True
    call_command("generate_demo_cases", count=2, stdout=StringIO())
    assert Case.objects.count() == cases_before + 5


def test_the_demo_clinic_s_receptionist_has_a_login_of_its_own_as_報告者(generated, client):
    desk = MemberProfile.objects.select_related("user").get(user__username="member-1-desk")
    clinic = MemberProfile.objects.get(user__username=member_username(FACILITIES[0].key))
    assert desk.facility_id == clinic.facility_id and desk.role == "reporter"
    client.force_login(desk.user)
    html = client.get("/mypage/").content.decode()
    assert "苦情・クレームを相談する" in html and "スタッフ管理" not in html


def test_the_demo_clinic_whose_cover_ended_sees_its_policy_lapsed(generated, client):
    client.force_login(get_user_model().objects.get(username=member_username(FACILITIES[3].key)))
    assert "失効" in client.get("/mypage/").content.decode()
