"""The staff workspace's case listing and case page (Wagtail's own ModelViewSet).

wagtail-modeladmin is not used: Wagtail 8 ships ModelViewSet, which modeladmin was folded into,
and it gives filters, search and custom views without another dependency.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from . import roles
from .accounts.names import display_name
from .admin_table import LinkColumn, PlainColumn, ServiceLevelColumn
from .choices import CaseState, ProcedureField
from .exports import SafeSpreadsheetExportMixin
from .models import Case, PatientDataAccess, Procedure
from .selectors import QUEUES, calendar_closures, queue_work_count
from .service_levels import tokyo_midnight
from .views import staff

_RISKS = {
    "self_harm": ("自傷・希死念慮", "risk_self_harm"),
    "lawsuit": ("訴訟リスク", "risk_lawsuit"),
    "online": ("ネット書き込みリスク", "risk_online"),
}
_AGES = {
    "7": ("7日以内", 0, 7),
    "30": ("8〜30日", 8, 30),
    "90": ("31〜90日", 31, 90),
    "older": ("91日以上", 91, None),
}


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class _PersonFilter(django_filters.ModelChoiceFilter):
    field_class = _PersonChoiceField


class CaseFilterSet(WagtailFilterSet):
    queue = django_filters.ChoiceFilter(
        label="作業キュー",
        choices=[(key, queue.label) for key, queue in QUEUES.items()],
        method="filter_queue",
    )
    state = django_filters.ChoiceFilter(label="状態", choices=CaseState.choices)
    field = django_filters.ChoiceFilter(
        label="分野", choices=ProcedureField.choices, method="filter_field"
    )
    handler = _PersonFilter(
        label="担当者",
        queryset=get_user_model()
        .objects.filter(groups__name=roles.SUPPORT)
        .order_by("last_name", "first_name", "username"),
    )
    risk = django_filters.ChoiceFilter(
        label="リスク",
        choices=[(k, label) for k, (label, _) in _RISKS.items()],
        method="filter_risk",
    )
    age = django_filters.ChoiceFilter(
        label="受付からの日数", choices=[(k, v[0]) for k, v in _AGES.items()], method="filter_age"
    )
    overdue = django_filters.BooleanFilter(label="対応期限超過", method="filter_overdue")

    class Meta:
        model = Case
        fields = []

    def filter_field(self, queryset, name, value):
        # The field's few procedures, not a join: the newest-first index then serves the page.
        return queryset.filter(procedure__in=Procedure.objects.filter(field=value).values("pk"))

    def filter_risk(self, queryset, name, value):
        return queryset.filter(**{_RISKS[value][1]: True})

    def filter_age(self, queryset, name, value):
        # Bounds as Asia/Tokyo midnights, not received_at__date: a function of the column would
        # defeat its index and scan every case.
        _, youngest, oldest = _AGES[value]
        today = timezone.localdate()
        queryset = queryset.filter(received_at__lt=tokyo_midnight(today - timedelta(youngest - 1)))
        if oldest is not None:
            queryset = queryset.filter(received_at__gte=tokyo_midnight(today - timedelta(oldest)))
        return queryset

    def filter_overdue(self, queryset, name, value):
        overdue = {"response_due_at__lt": timezone.now()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)

    def filter_queue(self, queryset, name, value):
        """The same queue as on the home page (the home's 「すべて表示」 links here); a queue
        that is not this user's shows nothing."""
        queue, user = QUEUES[value], self.request.user
        if not queue.is_for(user):
            return queryset.none()
        closures = calendar_closures() if queue.due == "opinions" else None
        return queryset.filter(queue.condition(user, timezone.now(), closures))


class SafeExportIndexView(SafeSpreadsheetExportMixin, IndexView):
    """Wagtail's listing, its CSV and XLSX made safe to open (casework.exports)."""


class ServiceOnlyViewSet(ModelViewSet):
    """A listing and an inspect page for objects that change only through services (a state
    machine's transitions, an append-only log): no add, edit, delete, copy, history or usage view
    is served.

    None of those views is named to Wagtail's views either: they link to them for anyone who holds
    the model's add, change or delete permission, a superuser above all, and would fail to
    reverse the missing URL (a 500 on the list, its exports, the inspect page and any usage
    listing that shows the object).
    """

    index_view_class = SafeExportIndexView
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    @property
    def url_finder_class(self):
        # Wagtail links an object elsewhere in the admin (a user's usage listing, for one) to its
        # "edit" URL: here the object's page is the inspect view.
        return type(
            f"{self.model.__name__}URLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            *self.get_action_urlpatterns(),
        ]

    def get_action_urlpatterns(self) -> list:
        """The views that act on one object (its transitions and the like)."""
        return []


class CaseViewSet(ServiceOnlyViewSet):
    model = Case
    icon = "folder-open-inverse"
    menu_label = "案件"
    menu_order = 110
    add_to_admin_menu = True
    index_view_class = staff.CaseIndexView
    inspect_view_class = staff.CaseWorkspaceView
    filterset_class = CaseFilterSet
    # Turns Wagtail's search box on; the search itself is selectors.cases_matching (indexed).
    search_fields = ["reference", "facility__name"]
    search_backend_name = None
    # Wagtail's listing renders each cell from a template: 25 rows keep a page fast to read and
    # to serve; the filters and queues narrow it.
    list_per_page = 25
    list_display = [
        LinkColumn(
            "reference", label="受付番号", sort_key="reference", url_name="casework_case:inspect"
        ),
        PlainColumn("state", label="状態", accessor="get_state_display", sort_key="state"),
        PlainColumn("procedure", label="施術", accessor="procedure"),
        PlainColumn("facility", label="施設", accessor="facility"),
        PlainColumn(
            "handler",
            label="担当者",
            accessor=lambda case: display_name(case.handler) if case.handler else "未定",
        ),
        PlainColumn(
            "received_at", label="受付日時", accessor="received_at", sort_key="received_at"
        ),
        ServiceLevelColumn("service_level", label="対応期限"),
    ]
    # The list's own columns: no patient data and no narrative leave through an export.
    list_export = [
        "reference",
        "get_state_display",
        "procedure",
        "facility",
        "handler",
        "received_at",
    ]
    export_headings = {"get_state_display": "状態"}
    export_filename = "cases"

    @cached_property
    def menu_item_class(self):
        base = super().menu_item_class

        class CaseMenuItem(base):
            """「案件 (3)」: how many cases wait on this person now (one COUNT)."""

            def render_component(self, request):
                component = super().render_component(request)
                count = queue_work_count(user=request.user)
                if count:
                    component.label = f"{self.label} ({count})"
                return component

        return CaseMenuItem

    def get_action_urlpatterns(self):
        # Cases arrive from members (and phone reports through the portal later); every change
        # goes through the state machine's services.
        return [
            path("<int:pk>/transition/<slug:name>/", staff.case_transition_view, name="transition"),
            path("<int:pk>/opinion/", staff.opinion_view, name="opinion"),
            path("<int:pk>/decision/", staff.decision_view, name="decision"),
            path("<int:pk>/assessment/", staff.assessment_view, name="assessment"),
            path("<int:pk>/consent/", staff.consent_view, name="consent"),
            path("<int:pk>/messages/", staff.message_view, name="message"),
            path("<int:pk>/attachments/", staff.upload_view, name="upload"),
            path(
                "<int:pk>/attachments/<int:attachment_pk>/",
                staff.attachment_view,
                name="attachment",
            ),
        ]


case_viewset = CaseViewSet("casework_case", url_prefix="cases")


class AccessLogIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("by", "case")


class PatientDataAccessViewSet(ServiceOnlyViewSet):
    """The patient-data access log, for the office's administrators: read and export only."""

    model = PatientDataAccess
    icon = "view"
    menu_label = "患者情報の閲覧記録"
    menu_order = 900
    add_to_settings_menu = True
    list_filter = ["what"]
    search_fields = ["case__reference", "by__username"]
    search_backend_name = None
    list_per_page = 100
    list_display = [
        Column("at", label="日時", accessor="at", sort_key="at"),
        Column("by", label="閲覧者", accessor="by"),
        Column("case", label="案件", accessor="case"),
        "what",
        "detail",
    ]
    list_export = ["at", "by", "case", "get_what_display", "detail"]
    export_headings = {"get_what_display": "閲覧内容"}
    export_filename = "patient-data-access"
    index_view_class = AccessLogIndexView


access_log_viewset = PatientDataAccessViewSet("casework_access_log", url_prefix="access-log")
