"""The renewal round (継続手続) as staff and members see it: which policies a round holds and
where each stands (継続済み / 手続中 / 未着手 / 失効).

The one place the status is decided: the staff's view of the round, its CSV, the reminders and
マイページ all read it here. It is computed in the database (EXISTS on the renewal applications,
which are found through the index on `Application.renews`), so a round of 100,000 policies is
counted in one grouped query and listed a page at a time, never loaded into Python.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import Case, Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from .. import rules
from ..choices import Course
from ..models import Policy
from .choices import ApplicationState
from .models import Application, RenewalReminder, RenewalRound

S = ApplicationState

#: When the office saved no round for a year, マイページ offers the renewal from 1 October.
DEFAULT_OFFER_OPENS = (10, 1)

#: A renewal the member sent and staff have not decided, or one sent back for the member to
#: correct: the member has started.
PENDING_STATES = [S.RECEIVED, S.IN_REVIEW, S.RETURNED]


class RenewalStatus(models.TextChoices):
    RENEWED = "renewed", "継続済み"
    PENDING = "pending", "手続中"
    NOT_STARTED = "not_started", "未着手"
    LAPSED = "lapsed", "失効"


def _renewals(policy_ref, states) -> Exists:
    return Exists(Application.objects.filter(renews=policy_ref, state__in=states))


def _successor() -> QuerySet[Policy]:
    """The policy that continues one without a gap: same course and insured (the facility, or for
    施術医コース the doctor), starting on 1 December right after it ends. Policies issued before
    online renewal (the office entered each year's) are continued this way, with no application."""
    same_insured = Q(course=Course.FACILITY, facility=OuterRef("facility")) | Q(
        course=Course.DOCTOR, doctor=OuterRef("doctor")
    )
    return Policy.objects.filter(
        same_insured,
        course=OuterRef("course"),
        starts_on__year=OuterRef("ends_on__year"),
        starts_on__month=rules.ANNUAL_START_MONTH,
        starts_on__day=1,
    )


def renewal_status(*, today: date) -> Case:
    """The status of each policy as a database expression: 継続済み when an approved application
    renews it (or a policy continues it, see `_successor`); 手続中 while a renewal awaits the
    association (its approval dates the cover as it was sent, so an ended policy is not yet
    lost); otherwise 失効 once it has ended (a renewal sent back then leaves it to the member);
    otherwise 手続中 when one was sent back, else 未着手."""
    awaiting = [S.RECEIVED, S.IN_REVIEW]
    return Case(
        When(_renewals(OuterRef("pk"), [S.APPROVED]), then=Value(RenewalStatus.RENEWED)),
        When(Exists(_successor()), then=Value(RenewalStatus.RENEWED)),
        When(_renewals(OuterRef("pk"), awaiting), then=Value(RenewalStatus.PENDING)),
        When(ends_on__lt=today, then=Value(RenewalStatus.LAPSED)),
        When(_renewals(OuterRef("pk"), PENDING_STATES), then=Value(RenewalStatus.PENDING)),
        default=Value(RenewalStatus.NOT_STARTED),
        output_field=models.CharField(),
    )


def policies_with_renewal(policies: QuerySet[Policy], *, today: date) -> QuerySet[Policy]:
    """`policies` with `renewal_status` and, for a renewed one, `renewed_by_number` (the new
    policy's number) computed in the same query."""
    approved = Application.objects.filter(renews=OuterRef("pk"), state=S.APPROVED)
    return policies.annotate(
        renewal_status=renewal_status(today=today),
        renewed_by_number=Coalesce(
            Subquery(approved.order_by("-pk").values("policy__number")[:1]),
            Subquery(_successor().order_by("pk").values("number")[:1]),
        ),
    )


@dataclass(frozen=True)
class Renewal:
    """Where one policy stands, for a page that shows a few policies (マイページ)."""

    status: str
    renewed_by_number: str | None

    @property
    def label(self) -> str:
        return RenewalStatus(self.status).label


def policy_renewal(policy: Policy, *, today: date) -> Renewal:
    """`policy`'s status: from the annotations of `policies_with_renewal` when the policy was
    loaded with them, else by the same expression for this one policy (one query)."""
    if "renewal_status" not in policy.__dict__:
        row = policies_with_renewal(Policy.objects.filter(pk=policy.pk), today=today)
        policy.renewal_status, policy.renewed_by_number = row.values_list(
            "renewal_status", "renewed_by_number"
        ).get()
    return Renewal(policy.renewal_status, policy.renewed_by_number)


# --- the round ------------------------------------------------------------------------------


def round_ends_on_for(today: date) -> date:
    """The end date of the round staff and the reminders work on `today`: the coming 30 November,
    or during December the one just passed (its lapsed policies are still being followed)."""
    return date(today.year, rules.POLICY_END_MONTH, rules.POLICY_END_DAY)


def renewal_round_for(*, ends_on: date) -> RenewalRound:
    """The office's settings for the round ending on `ends_on`, or the defaults (offer from
    1 October, the model's reminder days) as an unsaved row when none were saved."""
    saved = RenewalRound.objects.filter(ends_on=ends_on).first()
    return saved or RenewalRound(
        ends_on=ends_on, offer_opens_on=date(ends_on.year, *DEFAULT_OFFER_OPENS)
    )


def round_years() -> list[int]:
    """The years that have a round to show: every year a policy ended or ends on 30 November,
    and every year the office set up, newest first."""
    ends = Policy.objects.filter(
        ends_on__month=rules.POLICY_END_MONTH, ends_on__day=rules.POLICY_END_DAY
    ).dates("ends_on", "year")
    saved = RenewalRound.objects.dates("ends_on", "year")
    return sorted({d.year for d in ends} | {d.year for d in saved}, reverse=True)


def round_policies(*, ends_on: date, today: date, status: str = "") -> QuerySet[Policy]:
    """The round's policies with their status, their latest renewal application and the
    reminders sent, by number; only those of `status` when given."""
    applications = Application.objects.filter(renews=OuterRef("pk")).order_by("-created_at", "-pk")
    reminders = RenewalReminder.objects.filter(policy=OuterRef("pk")).values("policy")
    policies = policies_with_renewal(
        Policy.objects.filter(ends_on=ends_on).select_related("facility", "doctor"), today=today
    ).annotate(
        renewal_application_id=Subquery(applications.values("pk")[:1]),
        renewal_application_state=Subquery(applications.values("state")[:1]),
        reminders_sent=Subquery(reminders.annotate(n=Count("pk")).values("n")),
        last_reminded_at=Subquery(reminders.annotate(last=Max("sent_at")).values("last")),
    )
    if status in RenewalStatus.values:
        policies = policies.filter(renewal_status=status)
    return policies.order_by("number")


def round_counts(*, ends_on: date, today: date) -> dict[str, int]:
    """How many of the round's policies are in each status, in one grouped query."""
    rows = (
        Policy.objects.filter(ends_on=ends_on)
        .annotate(renewal_status=renewal_status(today=today))
        .values("renewal_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(RenewalStatus.values, 0)
    counts.update({row["renewal_status"]: row["n"] for row in rows})
    return counts


def round_policies_awaiting_member(*, ends_on: date, today: date) -> QuerySet[Policy]:
    """The round's policies whose renewal is the member's to do: not started, or sent back to be
    corrected (and not sent again since)."""
    return (
        policies_with_renewal(Policy.objects.filter(ends_on=ends_on), today=today)
        .alias(waiting_for_staff=_renewals(OuterRef("pk"), [S.RECEIVED, S.IN_REVIEW]))
        .filter(
            Q(renewal_status=RenewalStatus.NOT_STARTED)
            | Q(renewal_status=RenewalStatus.PENDING, waiting_for_staff=False)
        )
    )


def reminder_step_due(*, days: list[int], ends_on: date, opens_on: date, today: date) -> int | None:
    """The reminder step (days before the deadline) to send on `today`: the latest one whose day
    has come, so a member whose reminders piled up (the daily run missed days, the office added
    steps) gets one e-mail, not several; none before マイページ offers the renewal (`opens_on`:
    a step due earlier waits for that day), none after the deadline."""
    deadline = rules.renewal_deadline(ends_on)
    if not opens_on <= today <= deadline:
        return None
    due = [d for d in days if deadline - timedelta(days=d) <= today]
    return min(due, default=None)
