"""Spreadsheet exports that are safe to open: every CSV and XLSX the admin's listings write.

Much of what is exported was typed by the public (資料請求 submissions, online applications, the
facility names they become), so a cell may hold anything:

- control characters (C0 other than tab, line feed and carriage return, and DEL) are removed:
  XML 1.0, and so XLSX, cannot hold them (openpyxl raises IllegalCharacterError, and one such
  submission made the whole export fail), and they mean nothing in a cell;
- a cell a spreadsheet would read as a formula, one starting with = + - @, tab or carriage
  return, gets a single quote in front (OWASP, "CSV Injection"), so =HYPERLINK(…) or =cmd|…
  is shown as text and never run.

A person (the handler, who looked at patient data) is written by name, family name first, never
by login name. A time is written in Tokyo time (Wagtail would write UTC). Numbers, dates and
empty cells are left as they are. The module imports nothing from Wagtail so that page models
(cms_pages) can use it while apps load.
"""

import datetime
import re

from django.utils import timezone

from .accounts.names import display_name

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """`value` made safe for a spreadsheet cell (see the module's docstring)."""
    if not isinstance(value, str):
        return value
    value = CONTROL_CHARACTERS.sub("", value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


class SafeSpreadsheetExportMixin:
    """Put in front of a view with Wagtail's SpreadsheetExportMixin (an IndexView, the form
    submissions listing): every cell and heading of its CSV and XLSX goes through
    `spreadsheet_cell`, after Wagtail's own conversion of the value to text."""

    def preprocess_field_value(self, field, value, export_format):
        if hasattr(value, "get_username"):
            value = display_name(value)
        elif isinstance(value, datetime.datetime) and timezone.is_aware(value):
            # Wagtail writes an aware time in UTC (XLSX without saying so): staff read Tokyo time.
            value = timezone.make_naive(value)
        return spreadsheet_cell(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return spreadsheet_cell(super().get_heading(queryset, field))
