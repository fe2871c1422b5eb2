"""The applications list and page in the Wagtail admin (Wagtail's own ModelViewSet)."""

import django_filters
from django.urls import path
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column

from ..choices import Course
from ..viewsets import ServiceOnlyViewSet
from . import admin_views
from .choices import ApplicationState
from .models import Application


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
