"""A reviewer never sees, through precedent search, the cases of a facility they are tied to:
each case's precedent carries its facility as owner, and the search page and the case page's
similar cases leave out the reviewer's conflicted facilities."""

from datetime import date

import pytest

from casework.choices import Course
from casework.models import Policy
from casework.precedents import precedent_owner
from casework.services import case_transition
from search.models import PrecedentEntry

pytestmark = pytest.mark.django_db

NARRATIVE = "二重まぶたの埋没法のあと、左右差が気になると言われている。"


@pytest.fixture
def closed_case(report, support, django_capture_on_commit_callbacks):
    """A resolved case of `facility`, indexed."""
    with django_capture_on_commit_callbacks(execute=True):
        case = report()
        for name in ("start_triage", "resolve"):
            case = case_transition(case=case, name=name, by=support)
    return case


def _search_page(client, user, query="左右差") -> str:
    client.force_login(user)
    response = client.get("/admin/precedents/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_a_case_is_indexed_with_its_facility_as_owner(closed_case, facility):
    entry = PrecedentEntry.objects.get(label=closed_case.reference)
    assert entry.owner == precedent_owner(facility.pk)


def test_the_search_page_leaves_out_a_conflicted_facilitys_cases(
    client, closed_case, facility, surgeon, dermatologist
):
    surgeon.reviewer_profile.conflicted_facilities.add(facility)
    html = _search_page(client, surgeon)
    assert closed_case.reference not in html and "検索結果 0件" in html
    assert closed_case.reference in _search_page(client, dermatologist)


@pytest.fixture
def under_review(report, support, other_facility, other_member, django_capture_on_commit_callbacks):
    """A case of another facility under review, like `closed_case`."""
    Policy.objects.create(
        number="F-2026-002", course=Course.FACILITY, facility=other_facility,
        payout_limit=10_000_000, starts_on=date(2025, 12, 1), ends_on=date(2026, 11, 30),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        case = report(
            facility=other_facility, reporter=other_member, doctor=None, narrative=NARRATIVE
        )
        for name in ("start_triage", "refer_to_review"):
            case = case_transition(case=case, name=name, by=support)
    return case


def _similar_panel(client, user, case) -> str:
    client.force_login(user)
    response = client.get(f"/admin/cases/{case.pk}/")
    assert response.status_code == 200
    return (
        response.content.decode().split("類似の過去事例", 1)[1].split("経緯と患者さんの要求", 1)[0]
    )


def test_an_unconflicted_reviewer_sees_similar_cases_of_any_facility(
    client, closed_case, under_review, dermatologist
):
    assert closed_case.reference in _similar_panel(client, dermatologist, under_review)


def test_the_case_page_leaves_out_similar_cases_of_a_conflicted_facility(
    client, closed_case, under_review, facility, dermatologist
):
    dermatologist.reviewer_profile.conflicted_facilities.add(facility)
    assert closed_case.reference not in _similar_panel(client, dermatologist, under_review)
