"""Reads for casework: who may see and do what. Views read only through here."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import OPEN_STATES, CaseState, Course, Decision, ProcedureField
from .models import (
    Assessment,
    Case,
    CaseTransition,
    ClosingPeriod,
    Facility,
    Message,
    Opinion,
    Policy,
    Procedure,
)
from .service_levels import Closures, add_business_time, response_due, tokyo_midnight


def policy_for_claim(*, facility, doctor, claim_date) -> Policy | None:
    """The facility's or the doctor's policy covering `claim_date`, else their latest one.

    A latest-but-not-covering policy is still returned so that the case can be judged
    補償対象外 against it.
    """
    scope = Q(course=Course.FACILITY, facility=facility)
    if doctor is not None:
        scope |= Q(course=Course.DOCTOR, doctor=doctor)
    policies = Policy.objects.filter(scope).order_by("-starts_on")
    covering = policies.filter(starts_on__lte=claim_date, ends_on__gte=claim_date).first()
    return covering or policies.first()


def case_transitions_for(*, case: Case, user) -> list:
    """The transitions `user` may take on `case` now (conditions met, permission held)."""
    return list(case.get_available_user_state_transitions(user))


def opinions_visible_to(*, case: Case, user) -> list[Opinion]:
    """Submitted opinions, shown to a reviewer only once they have submitted their own.

    The chair and the support team see every submitted opinion; a reviewer sees their own draft.
    """
    opinions = list(case.opinions.select_related("reviewer").order_by("submitted_at", "pk"))
    own = next((o for o in opinions if o.reviewer_id == user.pk), None)
    sees_all = user.has_perm("casework.decide_case") or user.has_perm("casework.handle_case")
    if not sees_all and (own is None or own.submitted_at is None):
        return [own] if own else []
    return [o for o in opinions if o.submitted_at or o.reviewer_id == user.pk]


def conflicted_facilities(*, user) -> QuerySet[Facility]:
    """The facilities `user` declared a conflict of interest with (none for a non-reviewer)."""
    return Facility.objects.filter(conflicted_reviewers__user_id=user.pk)


def reviewer_conflicted(*, case: Case, user) -> bool:
    return conflicted_facilities(user=user).filter(pk=case.facility_id).exists()


# Events after which the association owes the member a response.
MEMBER_EVENTS = {"report", "provide_info"}
# Events that answer nobody: the member withdrawing ends the case instead.
NOT_A_RESPONSE = MEMBER_EVENTS | {"withdraw"}


def calendar_closures() -> Closures:
    """The association's closing days as the service-level rules take them (one query)."""
    return ClosingPeriod.closures(ClosingPeriod.objects.all())


@dataclass(frozen=True)
class ServiceLevel:
    owed_since: datetime
    due: datetime
    responded_at: datetime | None

    def is_overdue(self, now: datetime) -> bool:
        """Still unanswered after the due time (a late answer already given is not overdue)."""
        return self.responded_at is None and now > self.due

    @property
    def was_late(self) -> bool:
        return self.responded_at is not None and self.responded_at > self.due


def case_service_level(*, case: Case) -> ServiceLevel | None:
    """The response the association owes (or owed) on `case`, from its stored service-level
    fields (casework.service_level_records keeps them); None once closed or never owed.

    A response is owed from the report and again from each member answer to a request for
    information, so time spent waiting for the member never counts.
    """
    if not case.is_open or case.response_owed_since is None:
        return None
    due = case.response_due_at or response_due(
        case.response_owed_since, urgent=case.risk_self_harm, closures=calendar_closures()
    )
    return ServiceLevel(
        owed_since=case.response_owed_since, due=due, responded_at=case.response_given_at
    )


def cases_overdue(*, now: datetime | None = None) -> QuerySet[Case]:
    """Open cases whose owed response is past its due time, most overdue first."""
    return queue_cases(queue=QUEUES["overdue"], user=None, now=now)


def cases_for_staff(*, user) -> QuerySet[Case]:
    """The cases a staff user may open: everything for case workers; for a reviewer only the
    cases under review or already reviewed by them, never those of a conflicted facility."""
    cases = Case.objects.select_related("facility", "procedure", "policy", "handler")
    if any(
        user.has_perm(f"casework.{p}")
        for p in ("handle_case", "decide_case", "assess_case", "liaise_settlement")
    ):
        return cases
    if user.has_perm("casework.review_case"):
        reviewed = Exists(Opinion.objects.filter(case=OuterRef("pk"), reviewer_id=user.pk))
        return cases.filter(Q(state=CaseState.UNDER_REVIEW) | reviewed).exclude(
            facility__in=conflicted_facilities(user=user)
        )
    return cases.none()


# Dashes people type in a reference (a long-vowel mark from the input method, full-width minus…)
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ーｰ─━", "-"))
_REFERENCE_START = re.compile(r"[0-9][0-9-]*")


def cases_matching(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """The staff list's search: a reference by its beginning (2026-0042, typed full-width or
    with 「ー」 too), or a facility by part of its name. Both through an index: the reference's
    as a range, the facility's as the few facilities matching, never a LIKE over every case.

    The facilities are fetched first: PostgreSQL cannot OR a sub-select with the reference's
    range through their indexes and would read every case instead."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).strip()
    facilities = list(Facility.objects.filter(name__icontains=text).values_list("pk", flat=True))
    matching = Q(facility_id__in=facilities)
    compact = "".join(text.split())
    if _REFERENCE_START.fullmatch(compact):
        after = compact[:-1] + chr(ord(compact[-1]) + 1)
        matching |= Q(reference__gte=compact, reference__lt=after)
    return cases.filter(matching)


# --- queues: each person's work, one indexed query each -------------------------------------

#: How long the review committee has for its opinions, in business time, from the referral.
#: Ten business days (two working weeks): reviewers are practising doctors and lawyers who read
#: the file between their own patients and clients; past this the chair chases them.
OPINIONS_DUE_AFTER = timedelta(days=10)


def _opinions_due_before(now: datetime, closures: Closures) -> datetime:
    """The latest referral whose opinions are overdue at `now` (OPINIONS_DUE_AFTER of business
    time passed): stepped back a day at a time, then bisected to the second (the due time only
    grows with the referral time)."""
    late = now - OPINIONS_DUE_AFTER
    while add_business_time(late, OPINIONS_DUE_AFTER, closures=closures) >= now:
        late -= timedelta(days=1)
    early_enough, too_late = late, late + timedelta(days=1)
    while too_late - early_enough > timedelta(seconds=1):
        middle = early_enough + (too_late - early_enough) / 2
        if add_business_time(middle, OPINIONS_DUE_AFTER, closures=closures) < now:
            early_enough = middle
        else:
            too_late = middle
    return early_enough


def _my_draft(user) -> Exists:
    return Exists(
        Opinion.objects.filter(case=OuterRef("pk"), reviewer_id=user.pk, submitted_at__isnull=True)
    )


@dataclass(frozen=True)
class Queue:
    """A list of cases waiting for one role's next step.

    `condition(user, now, closures)` is the queue as a filter on Case (combined with others
    into the menu's count); `ordering` puts the most pressing first; `due` says which deadline
    the queue's rows show: the member's response (対応期限) or the committee's opinions.
    """

    key: str
    label: str
    permission: str
    condition: Callable[..., Q]
    ordering: tuple[str, ...] = ("state_since", "pk")
    due: str = "response"
    #: Counted in the menu's badge: work waiting on this person now (not waiting on others).
    in_menu: bool = True
    #: Only for users with a reviewer profile (who write opinions).
    reviewers_only: bool = False
    empty: str = "該当する案件はありません。"

    def is_for(self, user) -> bool:
        if self.reviewers_only and not hasattr(user, "reviewer_profile"):
            return False
        return user.has_perm(self.permission)

    def due_for(self, case: Case, *, closures: Closures) -> datetime | None:
        if self.due == "opinions":
            return add_business_time(case.state_since, OPINIONS_DUE_AFTER, closures=closures)
        return case.response_due_at


_BY_DUE = ("response_due_at", "received_at", "pk")

QUEUES = {
    queue.key: queue
    for queue in [
        Queue(
            "new_unassigned",
            "新規・担当者未定",
            "casework.handle_case",
            lambda user, now, closures: Q(state=CaseState.RECEIVED, handler__isnull=True),
            ordering=_BY_DUE,
        ),
        Queue(
            "overdue",
            "対応期限を過ぎた案件",
            "casework.handle_case",
            lambda user, now, closures: Q(response_due_at__lt=now),
            ordering=_BY_DUE,
            empty="対応期限を過ぎた案件はありません。",
        ),
        Queue(
            "member_answered",
            "会員から回答あり",
            "casework.handle_case",
            # Back in 初期対応 with a response owed: the member answered a request (provide_info);
            # the first staff response after the report moves a case out of 受付.
            lambda user, now, closures: Q(state=CaseState.TRIAGE, response_due_at__isnull=False),
            ordering=_BY_DUE,
        ),
        Queue(
            "awaiting_member",
            "追加資料待ち（会員の回答待ち）",
            "casework.handle_case",
            lambda user, now, closures: Q(state=CaseState.AWAITING_INFO),
            in_menu=False,
        ),
        Queue(
            "my_opinion",
            "意見書の提出待ち（下書きを含む）",
            "casework.review_case",
            lambda user, now, closures: (
                Q(state=CaseState.UNDER_REVIEW)
                & ~Q(facility__in=conflicted_facilities(user=user))
                # Per case under review (one probe of the opinion's unique index each): a list of
                # every case the reviewer ever submitted on would grow with the years.
                & ~Exists(
                    Opinion.objects.filter(
                        case=OuterRef("pk"), reviewer_id=user.pk, submitted_at__isnull=False
                    )
                )
            ),
            due="opinions",
            reviewers_only=True,
        ),
        Queue(
            "ready_for_decision",
            "判定待ち（意見書がそろった案件）",
            "casework.decide_case",
            lambda user, now, closures: Q(state=CaseState.UNDER_REVIEW, opinions_complete=True),
            due="opinions",
        ),
        Queue(
            "opinions_overdue",
            "意見書の提出遅れ",
            "casework.decide_case",
            lambda user, now, closures: Q(
                state=CaseState.UNDER_REVIEW,
                opinions_complete=False,
                state_since__lt=_opinions_due_before(now, closures),
            ),
            due="opinions",
        ),
        Queue(
            "awaiting_assessment",
            "査定待ち（有責・査定中）",
            "casework.assess_case",
            lambda user, now, closures: Q(state__in=[CaseState.LIABLE, CaseState.ASSESSMENT]),
        ),
        Queue(
            "payment_approval",
            "支払承認待ち",
            "casework.approve_payment",
            # Separation of duties, as Case._may_approve_payment: never one's own request or
            # one's own assessment.
            lambda user, now, closures: (
                Q(state=CaseState.PAYMENT_APPROVAL)
                & ~Q(payment_requested_by_id=user.pk)
                # NOT EXISTS, not a join: a join reads every assessment on PostgreSQL.
                & ~Exists(Assessment.objects.filter(case=OuterRef("pk"), assessed_by_id=user.pk))
            ),
        ),
        Queue(
            "settlement",
            "示談手続中",
            "casework.liaise_settlement",
            lambda user, now, closures: Q(state=CaseState.SETTLEMENT),
            in_menu=False,
        ),
        Queue(
            "litigation",
            "訴訟",
            "casework.liaise_settlement",
            lambda user, now, closures: Q(state=CaseState.LITIGATION),
            in_menu=False,
        ),
    ]
}


def queues_for(*, user) -> list[Queue]:
    """The queues `user`'s role works from, in the order of the flow (all for the office)."""
    return [queue for queue in QUEUES.values() if queue.is_for(user)]


def queue_cases(
    *, queue: Queue, user, now: datetime | None = None, closures: Closures | None = None
) -> QuerySet[Case]:
    """The cases in `queue` for `user`, most pressing first (`user` None: a queue that does not
    depend on who asks). Reviewers' rows carry `my_draft`."""
    now = now or timezone.now()
    closures = calendar_closures() if closures is None and queue.due == "opinions" else closures
    cases = Case.objects.filter(queue.condition(user, now, closures))
    if queue.reviewers_only:
        cases = cases.annotate(my_draft=_my_draft(user))
    return cases.select_related("facility", "handler").order_by(*queue.ordering)


def queue_work_count(*, user, now: datetime | None = None) -> int:
    """How many cases wait on `user` now, over all their queues: the menu's badge.

    One COUNT over a UNION of the queues' keys: each queue uses its own index, where one filter
    ORing them all would scan every case (a case in two queues still counts once)."""
    now = now or timezone.now()
    queues = [queue for queue in queues_for(user=user) if queue.in_menu]
    if not queues:
        return 0
    closures = calendar_closures() if any(q.due == "opinions" for q in queues) else None
    keys = [
        Case.objects.filter(queue.condition(user, now, closures)).order_by().values("pk")
        for queue in queues
    ]
    return keys[0].union(*keys[1:]).count()


def case_counts_by_state() -> list[tuple[str, str, int]]:
    """(state, label, count) of the open cases, in the state machine's order."""
    counts = dict(
        Case.objects.filter(state__in=OPEN_STATES)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return [(state.value, state.label, counts.get(state.value, 0)) for state in OPEN_STATES]


def monthly_new_cases(*, months: int = 12, today: date | None = None) -> list[tuple[date, dict]]:
    """New cases per month (Asia/Tokyo) by procedure field, oldest month first, zeros included.

    One conditional count per month over the received_at index: no per-row date function, so
    it stays fast at hundreds of thousands of cases.
    """
    today = today or timezone.localdate()
    first = date(today.year, today.month, 1)
    starts = []
    for _ in range(months):
        starts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    starts.reverse()
    bounds = [tokyo_midnight(start) for start in starts]
    bounds.append(tokyo_midnight((starts[-1] + timedelta(days=31)).replace(day=1)))
    counts = {
        f"m{index}": Count("pk", filter=Q(received_at__gte=start, received_at__lt=end))
        for index, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False))
    }
    # By procedure id, not joined to its field: the (received_at, procedure) index then answers
    # alone; the handful of procedures map to their fields here.
    rows = (
        Case.objects.filter(received_at__gte=bounds[0], received_at__lt=bounds[-1])
        .values("procedure_id")
        .annotate(**counts)
        .order_by()
    )
    fields = dict(Procedure.objects.values_list("pk", "field"))
    table = {start: dict.fromkeys(ProcedureField.values, 0) for start in starts}
    for row in rows:
        for index, start in enumerate(starts):
            table[start][fields[row["procedure_id"]]] += row[f"m{index}"]
    return list(table.items())


def cases_for_member(*, user) -> QuerySet[Case]:
    """The cases of the member's own facility, newest first; nothing for anyone else."""
    profile = getattr(user, "member_profile", None)
    if profile is None:
        return Case.objects.none()
    return Case.objects.filter(facility_id=profile.facility_id).select_related(
        "procedure", "policy", "doctor"
    )


def policies_for_member(*, user) -> QuerySet[Policy]:
    profile = getattr(user, "member_profile", None)
    if profile is None:
        return Policy.objects.none()
    scope = Q(course=Course.FACILITY, facility_id=profile.facility_id)
    if profile.doctor_id:
        scope |= Q(course=Course.DOCTOR, doctor_id=profile.doctor_id)
    return Policy.objects.filter(scope).order_by("-starts_on")


def messages_visible_to(*, case: Case, user) -> QuerySet[Message]:
    messages = case.messages.select_related("author")
    return messages if user.has_perm("casework.view_case") else messages.filter(internal=False)


# --- The member portal (マイページ): what a member of the facility may see, in one place ---

# Where the payout is shown to the member: once the assessment committee's figure has been
# given to the member for the settlement (the demo's 示談手続 note), not while it may still
# be recomputed. A withdrawn case pays nothing, so it shows nothing.
_PAYOUT_SHOWN_STATES = [
    CaseState.SETTLEMENT,
    CaseState.LITIGATION,
    CaseState.PAYMENT_APPROVAL,
    CaseState.PAID,
    CaseState.CLOSED,
]


# A message's author is the association's when they have no member profile.
_BY_ASSOCIATION = ExpressionWrapper(
    Q(author__member_profile__isnull=True), output_field=BooleanField()
)


def _member_case_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The columns a list row shows (when the state last changed is `state_since`), with
    whether the association has the last word in the case's thread (a visible message by
    someone outside the facility), in the same query."""
    latest_message = Message.objects.filter(case=OuterRef("pk"), internal=False).order_by(
        "-created_at", "-pk"
    )
    return (
        cases.select_related(None)
        .select_related("procedure")
        .only("reference", "state", "state_since", "received_at", "procedure__name")
        .annotate(
            association_wrote_last=Coalesce(
                Subquery(latest_message.values(by_association=_BY_ASSOCIATION)[:1]),
                Value(False),
            ),
            awaiting_member=ExpressionWrapper(
                Q(state=CaseState.AWAITING_INFO), output_field=BooleanField()
            ),
        )
    )


def member_open_cases(*, user) -> QuerySet[Case]:
    """The facility's open cases: those waiting for the member's answer first, then those the
    association wrote on last, then the newest."""
    cases = cases_for_member(user=user).filter(state__in=OPEN_STATES)
    return _member_case_rows(cases).order_by(
        "-awaiting_member", "-association_wrote_last", "-received_at", "-pk"
    )


def member_finished_cases(*, user) -> QuerySet[Case]:
    """The facility's finished cases (paid, resolved, referred, not covered, closed,
    withdrawn), the most recently finished first."""
    cases = cases_for_member(user=user).exclude(state__in=OPEN_STATES)
    return _member_case_rows(cases).order_by("-state_since", "-pk")


def member_awaiting_count(*, user) -> int:
    """How many of the facility's cases wait for the member's documents (追加資料待ち)."""
    return cases_for_member(user=user).filter(state=CaseState.AWAITING_INFO).count()


@dataclass(frozen=True)
class PoliciesByPeriod:
    current: list[Policy]  # covering `today`
    upcoming: list[Policy]  # starting after `today`
    past: list[Policy]  # ended before `today`


def member_policies_by_period(*, user, today: date) -> PoliciesByPeriod:
    """The member's policies split by where `today` (Asia/Tokyo) falls in their period."""
    policies = list(policies_for_member(user=user).with_renewal(today=today))
    return PoliciesByPeriod(
        current=[p for p in policies if p.starts_on <= today <= p.ends_on],
        upcoming=sorted((p for p in policies if p.starts_on > today), key=lambda p: p.starts_on),
        past=[p for p in policies if p.ends_on < today],
    )


def member_case_history(*, case: Case) -> list[CaseTransition]:
    """The case's report and each change of its state, oldest first. Events that change no
    state (the assessment and its recomputations) are the association's own work and stay out;
    so do who took each step and the staff's notes, except what a request for documents asks
    (the portal shows only that note)."""
    own_work = Q(from_state=F("to_state")) & ~Q(name="report")
    return list(case.transitions.exclude(own_work))


def member_request(*, case: Case) -> CaseTransition | None:
    """While the case waits for the member's documents, the request saying what to send."""
    if case.state != CaseState.AWAITING_INFO:
        return None
    return case.transitions.filter(name="request_info").order_by("-at", "-pk").first()


def member_payout(*, case: Case) -> Assessment | None:
    """The assessed payout with its lines, once it has been given to the member (see
    `_PAYOUT_SHOWN_STATES`) on a case decided 有責; None otherwise."""
    if case.decision != Decision.LIABLE or case.state not in _PAYOUT_SHOWN_STATES:
        return None
    return Assessment.objects.filter(case=case).first()
