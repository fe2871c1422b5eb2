from datetime import date

import pytest
from django.contrib.auth.models import Group

from casework import roles
from casework.choices import ComplaintType, Course, Specialty
from casework.models import Doctor, Facility, MemberProfile, Policy, Procedure, ReviewerProfile
from casework.services import case_report, case_transition, opinion_save


@pytest.fixture
def _reference_data(db):
    """A transactional test may run on a database an earlier one emptied: reseed it then."""
    if not Procedure.objects.exists():
        from django.apps import apps

        from casework.reference_data import roles_sync_all

        roles_sync_all(apps)


@pytest.fixture
def make_user(django_user_model, _reference_data):
    def make(username, *groups, **fields):
        user = django_user_model.objects.create_user(
            username, email=f"{username}@example.jp", password="pw", **fields
        )
        user.groups.add(*Group.objects.filter(name__in=groups))
        return user

    return make


@pytest.fixture
def facility(db):
    return Facility.objects.create(name="さくら美容クリニック", corporation_name="医療法人さくら会")


@pytest.fixture
def other_facility(db):
    return Facility.objects.create(name="もみじ皮膚科クリニック")


@pytest.fixture
def policy(facility):
    return Policy.objects.create(
        number="F-2026-001", course=Course.FACILITY, facility=facility,
        payout_limit=10_000_000, starts_on=date(2025, 12, 1), ends_on=date(2026, 11, 30),
    )  # fmt: skip


@pytest.fixture
def doctor(facility):
    doctor = Doctor.objects.create(name="山田 太郎", societies=["jsaps"])
    doctor.workplaces.add(facility)
    return doctor


@pytest.fixture
def member(make_user, facility):
    user = make_user("member", roles.MEMBERS)
    MemberProfile.objects.create(user=user, facility=facility)
    return user


@pytest.fixture
def other_member(make_user, other_facility):
    user = make_user("other_member", roles.MEMBERS)
    MemberProfile.objects.create(user=user, facility=other_facility)
    return user


@pytest.fixture
def support(make_user):
    return make_user("support", roles.SUPPORT)


@pytest.fixture
def chair(make_user):
    return make_user("chair", roles.CHAIR)


@pytest.fixture
def assessor(make_user):
    return make_user("assessor", roles.ASSESSORS)


@pytest.fixture
def insurer(make_user):
    return make_user("insurer", roles.INSURER)


@pytest.fixture
def make_reviewer(make_user):
    def make(username, specialty):
        user = make_user(username, roles.REVIEWERS)
        ReviewerProfile.objects.create(user=user, specialty=specialty)
        return user

    return make


@pytest.fixture
def surgeon(make_reviewer):
    return make_reviewer("surgeon", Specialty.PLASTIC_SURGERY)


@pytest.fixture
def dermatologist(make_reviewer):
    return make_reviewer("dermatologist", Specialty.DERMATOLOGY)


@pytest.fixture
def lawyer(make_reviewer):
    return make_reviewer("lawyer", Specialty.LAW)


@pytest.fixture
def report(member, facility, doctor, policy):
    """Report a case as the member; keyword arguments override the defaults."""

    def make(**overrides):
        fields = {
            "reporter": member,
            "facility": facility,
            "doctor": doctor,
            "procedure": Procedure.objects.get(name="二重瞼"),
            "procedure_date": date(2026, 3, 2),
            "claim_date": date(2026, 3, 20),
            "complaint_types": [ComplaintType.RESULT, ComplaintType.REFUND],
            "narrative": "埋没法の3週間後、左右差があると返金を求められている。",
            "patient_demands": "施術費用の全額返金",
            "patient": {"name": "佐藤 花子", "phone": "090-1234-5678"},
            "no_payment_promised": True,
            "patient_data_confirmed": True,
        }
        return case_report(**{**fields, **overrides})

    return make


@pytest.fixture
def in_assessment(report, support, surgeon, lawyer, chair, assessor):
    """Report a case and walk it to 査定中: triage, review with two opinions, decided liable.
    Keyword arguments go to `report`."""

    def make(**overrides):
        case = report(**overrides)
        for name in ("start_triage", "refer_to_review"):
            case = case_transition(case=case, name=name, by=support)
        for reviewer in (surgeon, lawyer):
            opinion_save(
                case=case, reviewer=reviewer, conclusion="liable", text="所見", submit=True
            )
        case = case_transition(case=case, name="decide_liable", by=chair, reasons="過失あり")
        return case_transition(case=case, name="start_assessment", by=assessor)

    return make


@pytest.fixture
def doctor_fields():
    """A 施術医コース application by the doctor in person."""
    return {
        "course": "doctor",
        "payout_limit": 5_000_000,
        "membership_number": "B-777",
        "applicant_role": "doctor",
        "applicant_name": "伊藤 健",
        "applicant_name_kana": "いとう けん",
        "email": "ito@example.jp",
        "phone": "090-0000-1111",
        "facility_name": "みなと皮膚科",
        "corporation_name": "",
        "prefecture": "大阪府",
        "is_main_clinic": True,
        "qualifying_role": "",
        "doctor_name": "伊藤 健",
        "doctor_name_kana": "いとう けん",
        "doctor_is_doctor": True,
        "societies": ["jda"],
    }
