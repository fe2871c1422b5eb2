"""Panels on the admin's home page: what a support lead looks at first."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from .choices import ProcedureField
from .selectors import case_counts_by_state, cases_overdue, monthly_new_cases, reviewer_queues

# One colour per field; the chart also carries a table, so colour is never the only cue.
FIELD_COLOURS = {
    ProcedureField.COSMETIC_SURGERY: "#1f3a5f",
    ProcedureField.COSMETIC_DERMATOLOGY: "#2a9d8f",
    ProcedureField.COSMETIC_INTERNAL: "#e9a23b",
    ProcedureField.OTHER: "#8d99ae",
}
_CHART_HEIGHT, _BAR_WIDTH, _GAP = 160, 28, 12


class _Panel(Component):
    def __init__(self, **context):
        self.context = context

    def get_context_data(self, parent_context=None):
        return {**self.context, "cases_url": reverse("casework_case:index")}


class OpenCasesPanel(_Panel):
    order = 10
    template_name = "casework/admin/panels/open_cases.html"


class OverduePanel(_Panel):
    order = 20
    template_name = "casework/admin/panels/overdue.html"


class ReviewerQueuePanel(_Panel):
    order = 30
    template_name = "casework/admin/panels/reviewer_queue.html"


class NewCasesChartPanel(_Panel):
    order = 40
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
    user = request.user
    if not user.has_perm("casework.view_case"):
        return []
    panels = []
    if user.has_perm("casework.handle_case"):
        panels += [
            OpenCasesPanel(counts=case_counts_by_state()),
            OverduePanel(cases=cases_overdue()),
            NewCasesChartPanel(chart=_chart(monthly_new_cases())),
        ]
    if user.has_perm("casework.handle_case") or user.has_perm("casework.decide_case"):
        panels.append(ReviewerQueuePanel(queues=reviewer_queues()))
    return panels
