"""Panels on the admin's home page: each role's own queues first, then the office's overview."""

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.ui.components import Component

from .admin_table import deadline_html
from .choices import ProcedureField
from .selectors import (
    Queue,
    calendar_closures,
    case_counts_by_state,
    monthly_new_cases,
    queue_cases,
    queues_for,
)

# One colour per field; the chart also carries a table, so colour is never the only cue.
FIELD_COLOURS = {
    ProcedureField.COSMETIC_SURGERY: "#1f3a5f",
    ProcedureField.COSMETIC_DERMATOLOGY: "#2a9d8f",
    ProcedureField.COSMETIC_INTERNAL: "#e9a23b",
    ProcedureField.OTHER: "#8d99ae",
}
_CHART_HEIGHT, _BAR_WIDTH, _GAP = 160, 28, 12

#: How many cases of each queue the home lists; the link under it opens the whole queue. Someone
#: with more queues than a role has (the office, overseeing them all) sees the most pressing few
#: of each, so the whole overview fits on a screen or two.
QUEUE_ROWS = 7
OVERVIEW_ROWS = 3

# Wagtail's own home panels are about pages: nothing in them for a case worker without page
# permissions, and each costs queries.
PAGE_PANELS = {
    "workflow_objects_to_moderate",
    "user_objects_in_workflow_moderation",
    "recent_edits",
    "locked_pages",
}


class _Panel(Component):
    def __init__(self, **context):
        self.context = context

    def get_context_data(self, parent_context=None):
        return {**self.context, "cases_url": reverse("casework_case:index")}


class QueuePanel(_Panel):
    """One queue: its count, its first QUEUE_ROWS cases with their deadline, a link to all."""

    template_name = "casework/admin/panels/queue.html"

    def __init__(self, *, queue: Queue, index: int, user, now, closures, shown: int):
        cases = queue_cases(queue=queue, user=user, now=now, closures=closures)
        rows = [
            (case, deadline_html(queue.due_for(case, closures=closures), now=now))
            for case in cases[:shown]
        ]
        count = len(rows) if len(rows) < shown else cases.count()
        self.order = index
        super().__init__(queue=queue, rows=rows, count=count, heading=f"{queue.label}（{count}件）")


class OpenCasesPanel(_Panel):
    order = 100
    template_name = "casework/admin/panels/open_cases.html"


class NewCasesChartPanel(_Panel):
    order = 110
    template_name = "casework/admin/panels/new_cases_chart.html"


def _chart(months) -> dict:
    """Stacked bars, drawn as SVG on the server: no script or font from anywhere else."""
    peak = max((sum(counts.values()) for _, counts in months), default=0) or 1
    bars = []
    for index, (month, counts) in enumerate(months):
        x, y = index * (_BAR_WIDTH + _GAP), _CHART_HEIGHT
        segments = []
        for field in ProcedureField:
            height = counts[field.value] * _CHART_HEIGHT / peak
            y -= height
            segments.append(
                {
                    "y": round(y, 1),
                    "height": round(height, 1),
                    "colour": FIELD_COLOURS[field],
                    "label": field.label,
                    "count": counts[field.value],
                }
            )
        bars.append({"x": x, "month": month, "total": sum(counts.values()), "segments": segments})
    return {
        "bars": bars,
        "peak": peak,
        "height": _CHART_HEIGHT,
        "bar_width": _BAR_WIDTH,
        "width": len(months) * (_BAR_WIDTH + _GAP),
        "legend": [(field.label, FIELD_COLOURS[field]) for field in ProcedureField],
    }


def dashboard_panels(request) -> list[Component]:
    """The home of a staff user: their queues in the order of the flow, then (for the support
    team and the office) the open cases by state and the monthly chart."""
    user = request.user
    if not user.has_perm("casework.view_case"):
        return []
    now, closures = timezone.now(), calendar_closures()
    queues = queues_for(user=user)
    shown = QUEUE_ROWS if len(queues) <= 4 else OVERVIEW_ROWS
    panels: list[Component] = [
        QueuePanel(queue=queue, index=index, user=user, now=now, closures=closures, shown=shown)
        for index, queue in enumerate(queues, start=1)
    ]
    if user.has_perm("casework.handle_case"):
        panels += [
            OpenCasesPanel(counts=case_counts_by_state()),
            NewCasesChartPanel(chart=_chart(monthly_new_cases())),
        ]
    return panels


def without_page_panels(request, panels: list) -> list:
    """Wagtail's page panels, left out for a user who cannot manage any page."""
    if user_has_any_page_permission(request.user):
        return panels
    return [panel for panel in panels if getattr(panel, "name", None) not in PAGE_PANELS]
