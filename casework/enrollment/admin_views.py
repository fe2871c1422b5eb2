"""Staff review of applications in the Wagtail admin: the application page and its actions,
and the renewal round's status page with its CSV."""

import csv
import re
from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import InspectView, WagtailAdminTemplateMixin

from .. import rules
from ..exports import spreadsheet_cell
from ..views.shared import form_action
from .choices import ApplicationState
from .models import Application
from .renewal_round import (
    RenewalStatus,
    renewal_round_for,
    round_counts,
    round_ends_on_for,
    round_policies,
    round_years,
)
from .selectors import application_transitions_for
from .services import application_transition

#: Who follows the renewal round: whoever reviews applications (the support team, the office).
ROUND_PERMISSION = "enrollment.view_application"


class TransitionForm(forms.Form):
    note = forms.CharField(
        label="メモ（履歴に残ります。差戻し・却下では理由として申込者にメールで伝えます）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApplicationInspectView(InspectView):
    """Everything the applicant typed, the dates of cover, the history, and exactly the
    transitions this user may take now."""

    template_name = "enrollment/admin/application_inspect.html"

    def get_page_subtitle(self):
        return f"{self.object.reference}（{self.object.get_state_display()}）"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        context.update(
            application=application,
            transitions=[
                (t, TransitionForm(prefix=t.name))
                for t in application_transitions_for(
                    application=application, user=self.request.user
                )
            ],
            problems=application.eligibility_problems(),
            timeline=application.transitions.select_related("by"),
        )
        return context


@require_POST
def transition_view(request, pk, name):
    application = get_object_or_404(Application, pk=pk)
    # Only the transitions this user may take now are offered, so this is the permission check.
    transition = next(
        (
            t
            for t in application_transitions_for(application=application, user=request.user)
            if t.name == name
        ),
        None,
    )
    if transition is None:
        raise PermissionDenied
    form = TransitionForm(request.POST, prefix=name)

    def take(data) -> str:
        application_transition(
            application=application, name=name, by=request.user, note=data["note"]
        )
        return f"「{transition.custom['label']}」を行いました。"

    form_action(request, form, take, subject="申込")
    return redirect("enrollment_application:inspect", pk)


# --- the renewal round (継続手続の状況) ------------------------------------------------------


def renewal_round_allowed(*, user) -> bool:
    return user.has_perm(ROUND_PERMISSION)


def _round_choice(request) -> tuple[date, str]:
    """The round (`?year=`, default the current one) and the status filter (`?status=`) asked
    for; a hand-edited value that means nothing falls back to the default."""
    today = timezone.localdate()
    ends_on = round_ends_on_for(today)
    year = request.GET.get("year", "")
    # Four ASCII digits: str.isdigit also passes 「²」, which int() refuses.
    if re.fullmatch(r"[0-9]{4}", year) and rules.FOUNDING_DATE.year <= int(year) <= today.year + 1:
        ends_on = ends_on.replace(year=int(year))
    status = request.GET.get("status", "")
    return ends_on, status if status in RenewalStatus.values else ""


class RenewalRoundView(WagtailAdminTemplateMixin, TemplateView):
    """One round at a glance: how many policies are 継続済み, 手続中, 未着手 and 失効, and the
    policies themselves a page at a time, filtered by status."""

    template_name = "enrollment/admin/renewal_round.html"
    page_title = "継続手続の状況"
    header_icon = "resubmit"
    per_page = 50

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not renewal_round_allowed(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        ends_on, status = _round_choice(self.request)
        counts = round_counts(ends_on=ends_on, today=today)
        policies = round_policies(ends_on=ends_on, today=today, status=status)
        page = Paginator(policies, self.per_page).get_page(self.request.GET.get("p"))
        states = dict(ApplicationState.choices)
        page.object_list = [_described(policy, states) for policy in page.object_list]
        context.update(
            ends_on=ends_on,
            round=renewal_round_for(ends_on=ends_on),
            deadline=rules.renewal_deadline(ends_on),
            years=sorted({*round_years(), round_ends_on_for(today).year}, reverse=True),
            status=status,
            statuses=[(s.value, s.label, counts[s.value]) for s in RenewalStatus],
            total=sum(counts.values()),
            page=page,
        )
        return context


class _Echo:
    """A file that hands back what is written to it, for streaming csv.writer's rows."""

    def write(self, value):
        return value


CSV_HEADINGS = [
    "証券番号", "コース", "施設", "医師", "支払限度額（1事故・円）", "保険期間（始期）",
    "保険期間（終期）", "継続の状況", "継続の申込番号", "申込の状態", "継続後の証券番号",
    "お知らせ送信回数", "最終送信日時",
]  # fmt: skip


def _described(policy, states):
    """`policy` of `round_policies` with the labels a person reads (its status, its renewal
    application's number and state)."""
    policy.status_label = RenewalStatus(policy.renewal_status).label
    application_id = policy.renewal_application_id
    policy.renewal_reference = Application(pk=application_id).reference if application_id else ""
    policy.renewal_state_label = states.get(policy.renewal_application_state, "")
    return policy


def _csv_row(policy, states) -> list:
    policy = _described(policy, states)
    last = policy.last_reminded_at
    return [
        spreadsheet_cell(value)
        for value in (
            policy.number,
            policy.get_course_display(),
            policy.facility.name,
            policy.doctor.name if policy.doctor else "",
            policy.payout_limit,
            policy.starts_on,
            policy.ends_on,
            policy.status_label,
            policy.renewal_reference,
            policy.renewal_state_label,
            policy.renewed_by_number or "",
            policy.reminders_sent or 0,
            timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else "",
        )
    ]


def renewal_round_csv(request):
    """The round's policies (the status filter applied) as CSV, UTF-8 with a BOM so that Excel
    opens the Japanese correctly; streamed, so a round of any size is never held in memory."""
    if not renewal_round_allowed(user=request.user):
        raise PermissionDenied
    ends_on, status = _round_choice(request)
    policies = round_policies(ends_on=ends_on, today=timezone.localdate(), status=status)
    states = dict(ApplicationState.choices)
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(CSV_HEADINGS)
        for policy in policies.iterator(chunk_size=2000):
            yield writer.writerow(_csv_row(policy, states))

    name = f"renewal-round-{ends_on.year}{'-' + status if status else ''}.csv"
    return StreamingHttpResponse(
        rows(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
