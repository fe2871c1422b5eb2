"""The applications list and page, and each year's renewal round settings, in the Wagtail admin
(Wagtail's own ModelViewSet)."""

import re
import unicodedata
from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.urls import path
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from .. import rules
from ..calendar_viewsets import JapaneseDatesForm
from ..choices import Course
from ..viewsets import ServiceOnlyViewSet
from . import admin_views
from .choices import ApplicationState
from .models import Application, RenewalRound


class ApplicationFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label="状態", choices=ApplicationState.choices)
    course = django_filters.ChoiceFilter(label="コース", choices=Course.choices)

    class Meta:
        model = Application
        fields = []


class ApplicationViewSet(ServiceOnlyViewSet):
    model = Application
    icon = "form"
    menu_label = "加入申込"
    menu_order = 120
    add_to_admin_menu = True
    inspect_view_class = admin_views.ApplicationInspectView
    filterset_class = ApplicationFilterSet
    search_fields = ["facility_name", "applicant_name", "doctor_name", "email"]
    search_backend_name = None  # plain database lookups: applications are not search-indexed
    list_per_page = 50
    list_display = [
        "reference",
        "state",
        "kind",
        "course",
        "facility_name",
        "applicant_name",
        Column("created_at", label="受付日時", accessor="created_at", sort_key="created_at"),
        Column("coverage_starts_on", label="補償開始日", accessor="coverage_starts_on"),
    ]
    list_export = [
        "reference",
        "get_state_display",
        "get_course_display",
        "facility_name",
        "applicant_name",
        "created_at",
        "coverage_starts_on",
        "privacy_consented_at",
    ]
    export_headings = {
        "reference": "受付番号",
        "get_state_display": "状態",
        "get_course_display": "コース",
    }
    export_filename = "applications"

    def get_action_urlpatterns(self):
        # Applications arrive from the public form and change only through the state machine.
        return [
            path(
                "<int:pk>/transition/<slug:name>/", admin_views.transition_view, name="transition"
            ),
        ]


application_viewset = ApplicationViewSet("enrollment_application", url_prefix="applications")


#: Reminder steps: from four months before the deadline (the offer opens around then) to the day
#: before it.
REMINDER_DAYS_RANGE = (1, 120)
REMINDER_DAYS_ERROR = (
    "お知らせする日は、締切の何日前かを1〜120の整数で、「、」か「,」で区切って入力してください"
    "（例：30、14、7、3）。"
)


def reminder_days_parse(text: str) -> list[int]:
    """「３０、１４，7 3」 → [30, 14, 7, 3]: full-width digits and Japanese commas as typed through
    an input method, duplicates dropped, the earliest step (most days) first."""
    parts = [p for p in re.split(r"[,、・\s]+", unicodedata.normalize("NFKC", text)) if p]
    low, high = REMINDER_DAYS_RANGE
    if not parts or not all(p.isascii() and p.isdigit() and low <= int(p) <= high for p in parts):
        raise ValidationError(REMINDER_DAYS_ERROR)
    return sorted({int(p) for p in parts}, reverse=True)


class RenewalRoundForm(JapaneseDatesForm):
    """A year's round. Dates are read as the calendar's form reads them (full-width digits,
    2026/10/1, 2026年10月1日); the reminder days are typed as a list of numbers."""

    DATE_FIELDS = ("ends_on", "offer_opens_on")

    reminder_days = forms.CharField(
        label="お知らせする日（締切の何日前）",
        help_text=(
            "締切（11月10日）の何日前に、継続がお済みでない施設の管理者へメールを送るか。"
            "1〜120の整数を「、」で区切って入力します（例：30、14、7、3）。"
            "年度を登録しない年は30、14、7、3日前に送ります。"
        ),
    )

    class Meta:
        model = RenewalRound
        fields = ["ends_on", "offer_opens_on", "reminder_days"]
        help_texts = {
            "ends_on": "この日に保険期間が満了する契約が対象です。11月30日を入力します（例：2026/11/30）。",
            "offer_opens_on": (
                "この日からマイページに継続のご案内を表示します。"
                "年度を登録しない年は10月1日からです。"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["reminder_days"] = "、".join(
                str(d) for d in self.initial.get("reminder_days") or self.instance.reminder_days
            )

    def clean_reminder_days(self):
        return reminder_days_parse(self.cleaned_data["reminder_days"])

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        try:
            rules.renewal_deadline(ends_on)  # a round is for policies ending on a 30 November
        except ValueError as error:
            raise ValidationError(
                "満了日は11月30日を入力してください（保険期間はすべて11月30日に終わります）。"
            ) from error
        return ends_on

    def clean(self):
        cleaned = super().clean()
        ends_on, opens_on = cleaned.get("ends_on"), cleaned.get("offer_opens_on")
        if ends_on and opens_on:
            deadline = rules.renewal_deadline(ends_on)
            if not date(ends_on.year - 1, 12, 1) <= opens_on < deadline:
                self.add_error(
                    "offer_opens_on",
                    f"ご案内開始日は、前年12月1日から締切（{deadline:%Y年%-m月%-d日}）の前日までの日付を入力してください。",
                )
        return cleaned


class RenewalRoundViewSet(ModelViewSet):
    """Each year's renewal round settings, kept by the office's administrators (in the settings
    menu, beside the association's closing days)."""

    model = RenewalRound
    icon = "calendar-check"
    menu_label = "継続手続の設定"
    menu_order = 915
    add_to_settings_menu = True
    list_display = [
        Column("ends_on", label="満了日", accessor="ends_on", sort_key="ends_on"),
        "offer_opens_on",
        Column(
            "reminder_days",
            label="お知らせ（締切の何日前）",
            accessor=lambda round: "、".join(f"{d}日前" for d in round.reminder_days),
        ),
    ]
    list_per_page = 50
    search_fields = None
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return RenewalRoundForm

    def get_delete_view_kwargs(self, **kwargs):
        # Nothing refers to a round (reminders name the policy): Wagtail's usage count says nothing.
        return super().get_delete_view_kwargs(usage_url_name=None, **kwargs)


renewal_round_viewset = RenewalRoundViewSet(
    "enrollment_renewal_settings", url_prefix="renewal-rounds"
)
