"""The admin of the association's closing days (協会の休業日), for the office's administrators:
in the settings menu, beside the access log and the notification failures.

Kept apart from casework/viewsets.py, the case workspace's listing: the calendar shares nothing
with it but the settings menu.
"""

import unicodedata

from django.db import transaction
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import ClosingPeriod
from .service_level_records import response_due_times_recompute

#: Dates as a Japanese office writes them, besides the date picker's 2026-08-11.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"]


class JapaneseDatesForm(WagtailAdminModelForm):
    """A model form whose DATE_FIELDS are read as a Japanese office types them: full-width
    digits through an input method (２０２６/８/１１), 2026/8/11, 2026年8月11日; the same date
    rather than refused."""

    DATE_FIELDS: tuple[str, ...] = ()

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            for name in self.DATE_FIELDS:
                if isinstance(data.get(name), str):
                    data[name] = unicodedata.normalize("NFKC", data[name]).strip()
        super().__init__(data, *args, **kwargs)
        for name in self.DATE_FIELDS:
            self.fields[name].input_formats = DATE_INPUT_FORMATS


class ClosingPeriodForm(JapaneseDatesForm):
    """The closing's form; a yearly closing opens with this year's dates."""

    DATE_FIELDS = ("starts_on", "ends_on")

    class Meta:
        model = ClosingPeriod
        fields = ["name", "yearly", "starts_on", "ends_on"]
        help_texts = {
            "starts_on": "例：2026/8/11。毎年繰り返す休業日は月日だけが使われます。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.yearly and not self.is_bound:
            self.initial.update(_this_years(self.instance))


def _this_years(period: ClosingPeriod) -> dict:
    """A yearly closing's dates as this year's (29 December this year to 3 January next), for
    its form: only the month and day count, and 2000, the year it was saved with, reads oddly."""
    start_year = timezone.localdate().year
    end_year = start_year + (period.ends_on.year - period.starts_on.year)
    try:
        return {
            "starts_on": period.starts_on.replace(year=start_year),
            "ends_on": period.ends_on.replace(year=end_year),
        }
    except ValueError:  # 29 February, in a year without one: keep the dates as saved
        return {}


class _RecomputeDueTimes:
    """After the calendar changes, the responses still owed fall due on the new calendar; the
    message says how many moved, so the administrator sees the change took effect."""

    moved = 0

    def save_instance(self):
        instance = super().save_instance()
        self.moved = response_due_times_recompute()
        return instance

    def delete_action(self):
        # The creation and edit views save in a transaction of their own; deletion does not.
        with transaction.atomic():
            super().delete_action()
            self.moved = response_due_times_recompute()

    def get_success_message(self, *args):
        message = super().get_success_message(*args)
        return (
            f"{message} 対応期限が{self.moved}件の案件で変わりました。" if self.moved else message
        )


class ClosingPeriodDeleteView(_RecomputeDueTimes, DeleteView):
    @property
    def confirmation_message(self):
        return (
            f"「{self.object}」を削除してよろしいですか？"
            "対応中の案件の対応期限は、残る休業日で計算し直されます。"
        )


class ClosingPeriodViewSet(ModelViewSet):
    """The association's closing days (年末年始 …), kept by the office's administrators."""

    model = ClosingPeriod
    icon = "date"
    menu_label = "協会の休業日"
    menu_order = 910
    add_to_settings_menu = True
    list_display = [
        "name",
        Column("span", label="期間", accessor="span", sort_key="starts_on"),
        Column(
            "yearly",
            label="繰り返し",
            accessor=lambda period: "毎年" if period.yearly else "この期間のみ",
            sort_key="yearly",
        ),
    ]
    list_per_page = 50
    search_fields = None
    add_view_class = type("ClosingPeriodCreateView", (_RecomputeDueTimes, CreateView), {})
    edit_view_class = type("ClosingPeriodEditView", (_RecomputeDueTimes, EditView), {})
    delete_view_class = ClosingPeriodDeleteView
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return ClosingPeriodForm

    def get_delete_view_kwargs(self, **kwargs):
        # Nothing refers to a closing: Wagtail's 「… is referenced 0 times.」 (untranslated) says
        # nothing an administrator needs before deleting one.
        return super().get_delete_view_kwargs(usage_url_name=None, **kwargs)


closing_period_viewset = ClosingPeriodViewSet("casework_calendar", url_prefix="calendar")
