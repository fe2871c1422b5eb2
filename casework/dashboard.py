"""Panels on the admin's home page: each role's own queues first, then the office's overview."""

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
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

#: The monthly chart counts a year of cases; it moves only as cases arrive, so it is counted
#: again at most this often (the panel says so).
CHART_SECONDS = 600

#: How many cases of each queue the home lists; the link under it opens the whole queue.
QUEUE_ROWS = 7
#: Someone with more queues than any one role works (the office, overseeing them all) sees one
#: table of the queues with their counts, each linking to its list, instead of a panel each.
OVERVIEW_QUEUES = 5

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

    def __init__(self, *, queue: Queue, index: int, user, now, closures):
        cases = queue_cases(queue=queue, user=user, now=now, closures=closures)
        rows = [
            (case, deadline_html(queue.due_for(case, closures=closures), now=now))
            for case in cases[:QUEUE_ROWS]
        ]
        count = len(rows) if len(rows) < QUEUE_ROWS else cases.count()
        self.order = index
        super().__init__(queue=queue, rows=rows, count=count, heading=f"{queue.label}（{count}件）")


class QueueOverviewPanel(_Panel):
    """Every queue of the flow in one table: its count, linking to its list."""

    order = 1
    template_name = "casework/admin/panels/queue_overview.html"

    def __init__(self, *, queues: list[Queue], user, now, closures):
        super().__init__(
            rows=[
                (queue, queue_cases(queue=queue, user=user, now=now, closures=closures).count())
                for queue in queues
            ]
        )


class OpenCasesPanel(_Panel):
    order = 100
    template_name = "casework/admin/panels/open_cases.html"


class NewCasesChartPanel(_Panel):
    """The chart is the same for everyone who sees it: counted and drawn once per CHART_SECONDS
    (its few hundred SVG numbers cost more to render than every queue on the page)."""

    order = 110
    template_name = "casework/admin/panels/new_cases_chart.html"

    def __init__(self):
        super().__init__(minutes=CHART_SECONDS // 60)

    def get_context_data(self, parent_context=None):
        today = timezone.localdate()
        return {
            **super().get_context_data(parent_context),
            "chart": _chart(monthly_new_cases(today=today)),
        }

    def render_html(self, parent_context=None):
        key = f"casework:new-cases-chart:{timezone.localdate():%Y%m%d}:{get_language()}"
        return cache.get_or_set(
            key, lambda: super(NewCasesChartPanel, self).render_html(parent_context), CHART_SECONDS
        )


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
    if len(queues) >= OVERVIEW_QUEUES:
        panels: list[Component] = [
            QueueOverviewPanel(queues=queues, user=user, now=now, closures=closures)
        ]
    else:
        panels = [
            QueuePanel(queue=queue, index=index, user=user, now=now, closures=closures)
            for index, queue in enumerate(queues, start=1)
        ]
    if user.has_perm("casework.handle_case"):
        panels += [
            OpenCasesPanel(counts=case_counts_by_state()),
            NewCasesChartPanel(),
        ]
    return panels


def without_page_panels(request, panels: list) -> list:
    """Wagtail's page panels, left out for a user who cannot manage any page."""
    if user_has_any_page_permission(request.user):
        return panels
    return [panel for panel in panels if getattr(panel, "name", None) not in PAGE_PANELS]
