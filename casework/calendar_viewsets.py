"""The admin of the association's closing days (協会の休業日), for the office's administrators:
in the settings menu, beside the access log and the notification failures.

Kept apart from casework/viewsets.py, the case workspace's listing: the calendar shares nothing
with it but the settings menu.
"""

from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import ClosingPeriod
from .service_level_records import response_due_times_recompute


class _RecomputeDueTimes:
    """After the calendar changes, the responses still owed fall due on the new calendar."""

    def save_instance(self):
        instance = super().save_instance()
        response_due_times_recompute()
        return instance

    def delete_action(self):
        super().delete_action()
        response_due_times_recompute()


class ClosingPeriodViewSet(ModelViewSet):
    """The association's closing days (年末年始 …), kept by the office's administrators."""

    model = ClosingPeriod
    icon = "date"
    menu_label = "協会の休業日"
    menu_order = 910
    add_to_settings_menu = True
    form_fields = ["name", "starts_on", "ends_on", "yearly"]
    list_display = ["name", "starts_on", "ends_on", "yearly"]
    search_fields = None
    add_view_class = type("ClosingPeriodCreateView", (_RecomputeDueTimes, CreateView), {})
    edit_view_class = type("ClosingPeriodEditView", (_RecomputeDueTimes, EditView), {})
    delete_view_class = type("ClosingPeriodDeleteView", (_RecomputeDueTimes, DeleteView), {})
    copy_view_enabled = False


closing_period_viewset = ClosingPeriodViewSet("casework_calendar", url_prefix="calendar")
