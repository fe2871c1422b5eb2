"""The staff case list's search and filters, as support staff type them."""

import re

import pytest

from casework.models import Case, Procedure

pytestmark = pytest.mark.django_db


def _listed(client, user, **params):
    client.force_login(user)
    response = client.get("/admin/cases/", params)
    assert response.status_code == 200
    return set(re.findall(r"\d{4}-\d{4}", response.content.decode()))


@pytest.fixture
def three_cases(report, facility, other_facility):
    first, second = report(), report()
    third = report(facility=other_facility)
    Case.objects.filter(pk=first.pk).update(reference="2025-0042")
    Case.objects.filter(pk=second.pk).update(reference="2025-0107")
    Case.objects.filter(pk=third.pk).update(reference="2026-0042")
    return first, second, third


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("2025-0042", {"2025-0042"}),
        ("２０２５－００４２", {"2025-0042"}),  # full-width, as a Japanese input method types it
        ("2025ー0042", {"2025-0042"}),  # 「ー」 for the hyphen
        (" 2025-0042 ", {"2025-0042"}),
        ("2025-0", {"2025-0042", "2025-0107"}),  # the beginning of a reference
        ("2025", {"2025-0042", "2025-0107"}),
        ("2027", set()),
    ],
)
def test_support_finds_a_case_by_its_reference_however_it_is_typed(
    client, support, three_cases, typed, found
):
    assert _listed(client, support, q=typed) == found


def test_support_finds_a_facility_s_cases_by_part_of_its_name(client, support, three_cases):
    assert _listed(client, support, q="もみじ") == {"2026-0042"}
    assert _listed(client, support, q="さくら美容") == {"2025-0042", "2025-0107"}
    assert _listed(client, support, q="存在しない施設") == set()


def test_odd_search_text_lists_nothing_and_never_fails(client, support, three_cases):
    for typed in ["%", "_", "\\", "'; DROP TABLE casework_case; --", "-", "ー", "あ" * 5000]:
        assert _listed(client, support, q=typed) == set()


def test_the_field_filter_lists_the_field_s_procedures_only(client, support, report):
    eyelid = report()  # 二重瞼: 美容外科
    laser = report(procedure=Procedure.objects.filter(field="cosmetic_dermatology").first())
    assert _listed(client, support, field="cosmetic_surgery") == {eyelid.reference}
    assert _listed(client, support, field="cosmetic_dermatology") == {laser.reference}
