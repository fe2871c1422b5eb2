"""The office's home and the case list in a real browser at 1280×800: the overview's queue link
opens the same number of cases, the list's cells sit under their headers, the reference opens
the case, dates read in Tokyo time, overdue cases carry 「期限超過」, and the headers sort and the
pages turn, all in Japanese."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework import roles
from casework.models import Case, MemberProfile

from ..casework.conftest import (  # noqa: F401 (fixtures)
    _reference_data,
    doctor,
    facility,
    make_user,
    policy,
    report,
)
from .test_role_days import no_english

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One page of the list (CaseViewSet.list_per_page) and one case more: a second page.
CASES = 26
# 15:30 UTC is 0:30 the next day in Tokyo: a list in UTC would show the wrong day.
LATE = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)


@pytest.fixture
def member(make_user, facility):  # noqa: F811 (the member `report` files cases as)
    user = make_user("sakura", roles.MEMBERS, last_name="桜井", first_name="陽子")
    MemberProfile.objects.create(user=user, facility=facility)
    return user


@pytest.fixture
def cases(report):  # noqa: F811
    made = [report() for _ in range(CASES)]
    now = timezone.now()
    for days, case in enumerate(made):
        # The newest is the late-night one; the last is past its deadline, the others not.
        Case.objects.filter(pk=case.pk).update(
            received_at=LATE - timedelta(days=days),
            response_due_at=now + timedelta(days=1) if days < CASES - 1 else now - timedelta(1),
        )
    return [Case.objects.get(pk=case.pk) for case in made]


def _columns_line_up(page):
    """Every row has a cell per header, each starting where its header starts."""
    table = page.locator("table.listing")
    headers = [box["x"] for box in _boxes(table.locator("thead th"))]
    for row in table.locator("tbody tr").all():
        cells = [box["x"] for box in _boxes(row.locator("td, th"))]
        assert cells == pytest.approx(headers, abs=1), row.inner_text()


def _boxes(locator):
    return [cell.bounding_box() for cell in locator.all()]


def _references(page) -> list[str]:
    return page.locator("table.listing tbody tr td.title a").all_inner_texts()


def test_office_overview_leads_to_the_list_that_reads_right(open_page_as, make_user, cases):  # noqa: F811
    office = make_user("jimu", roles.ADMINS, last_name="事務", first_name="花子")
    page = open_page_as(office)
    page.goto("/admin/")
    overview = page.get_by_role("region", name="業務の状況（キュー別）")
    row = overview.get_by_role("row").filter(has=page.get_by_role("link", name="新規・担当者未定"))
    expect(row.get_by_role("cell")).to_have_text(f"{CASES}件")
    expect(page.get_by_text("10分ごとに集計しています。")).to_be_visible()
    no_english(page)

    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"\?queue=new_unassigned$"))
    expect(page.get_by_text(f"{CASES}件が該当します")).to_be_visible()
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(25)
    _columns_line_up(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, "the list overflows"
    no_english(page)

    newest, overdue = cases[0], cases[-1]
    first = rows.filter(has=page.get_by_role("link", name=newest.reference, exact=True))
    expect(first).to_contain_text("2026/03/02 00:30")
    expect(first).not_to_contain_text("期限超過")

    # Newest first by 受付日時; sorted ascending by its header, the overdue (oldest) one leads.
    page.locator("thead th", has_text="受付日時").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"ordering=received_at"))
    expect(rows.first.locator("td.title a")).to_have_text(overdue.reference)
    expect(rows.first).to_contain_text("期限超過")
    _columns_line_up(page)

    page.locator("thead th", has_text="受付番号").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"ordering=reference"))
    expect(rows).to_have_count(25)
    references = sorted(case.reference for case in cases)
    assert _references(page) == references[:25]

    page.get_by_role("link", name="次のページ").click()
    expect(page).to_have_url(re.compile(r"p=2"))
    expect(rows).to_have_count(1)
    assert _references(page) == references[25:]
    no_english(page)

    page.get_by_role("link", name=references[25], exact=True).click()
    case = next(case for case in cases if case.reference == references[25])
    expect(page).to_have_url(re.compile(rf"/admin/cases/{case.pk}/$"))
    expect(page.locator("h1")).to_contain_text(case.reference)
