"""The admin's listing of form submissions (資料請求) and its exports."""

from wagtail.contrib.forms.views import SubmissionsListView

from casework.exports import SafeSpreadsheetExportMixin


class SafeSubmissionsListView(SafeSpreadsheetExportMixin, SubmissionsListView):
    """Wagtail's submissions listing with its CSV and XLSX made safe to open
    (casework.exports): anyone on the internet writes what is in them."""
