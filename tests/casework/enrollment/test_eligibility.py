"""Who may enrol: the association's conditions as pure functions."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.choices import Society
from casework.enrollment.eligibility import (
    CHAIR_NEEDS_CORPORATION,
    MEMBERSHIP_NUMBER_REQUIRED,
    NO_SOCIETY,
    NOT_A_DOCTOR,
    NOT_A_MEMBER,
    WRONG_ROLE,
    eligibility_problems,
)

ELIGIBLE = {
    "course": "facility",
    "is_member": True,
    "membership_number": "A-1",
    "applicant_role": "opener",
    "corporation_name": "",
    "doctor_is_doctor": True,
    "societies": ["jaam"],
}


def test_an_eligible_application_has_no_problem():
    assert eligibility_problems(**ELIGIBLE) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"is_member": False}, NOT_A_MEMBER),
        ({"membership_number": "  "}, MEMBERSHIP_NUMBER_REQUIRED),
        ({"societies": []}, NO_SOCIETY["facility"]),
        ({"societies": ["other"]}, NO_SOCIETY["facility"]),
        ({"course": "doctor", "applicant_role": "doctor", "societies": []}, NO_SOCIETY["doctor"]),
        ({"doctor_is_doctor": False}, NOT_A_DOCTOR),
        ({"applicant_role": "doctor"}, WRONG_ROLE["facility"]),
        ({"course": "doctor", "applicant_role": "chair"}, WRONG_ROLE["doctor"]),
        ({"applicant_role": "chair"}, CHAIR_NEEDS_CORPORATION),
    ],
)
def test_each_unmet_condition_is_named_in_japanese(changes, problem):
    assert eligibility_problems(**{**ELIGIBLE, **changes}) == [problem]


def test_a_chair_who_is_not_a_doctor_may_apply_when_the_responsible_doctor_is_one():
    # The chair's own qualification is not asked: the condition lies with the doctor.
    chair = {**ELIGIBLE, "applicant_role": "chair", "corporation_name": "医療法人あおば会"}
    assert eligibility_problems(**chair) == []
    assert eligibility_problems(**{**chair, "doctor_is_doctor": False}) == [NOT_A_DOCTOR]


def test_the_messages_name_the_five_societies():
    for label in Society.labels:
        assert label in NO_SOCIETY["doctor"]
        assert label in NO_SOCIETY["facility"]


@given(st.lists(st.sampled_from([*Society.values, "jsa", "", "JSAPS"]), max_size=6))
def test_one_of_the_five_societies_is_enough(societies):
    problems = eligibility_problems(**{**ELIGIBLE, "societies": societies})
    assert (problems == []) == bool(set(societies) & set(Society.values))
