"""Reads for casework: who may see and do what. Views read only through here."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .choices import OPEN_STATES, CaseState, Course, ProcedureField
from .models import Case, Facility, Message, Opinion, Policy, ReviewerProfile
from .service_levels import response_due


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
_MEMBER_EVENTS = {"report", "provide_info"}
# Events that answer nobody: the member withdrawing ends the case instead.
_NOT_A_RESPONSE = _MEMBER_EVENTS | {"withdraw"}


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
    """The response the association owes on `case`, from its audit trail; None once closed.

    A response is owed from the report and again from each member answer to a request for
    information, so time spent waiting for the member never counts.
    """
    if not case.is_open:
        return None
    owed_since = responded_at = None
    for event in case.transitions.all():
        if event.name in _MEMBER_EVENTS:
            owed_since, responded_at = event.at, None
        elif owed_since is not None and responded_at is None and event.name not in _NOT_A_RESPONSE:
            responded_at = event.at
    if owed_since is None:
        return None
    due = response_due(owed_since, urgent=case.risk_self_harm)
    return ServiceLevel(owed_since=owed_since, due=due, responded_at=responded_at)


def cases_overdue(*, now: datetime | None = None) -> list[Case]:
    """Open cases whose owed response is past its due time, most overdue first."""
    now = now or timezone.now()
    cases = (
        Case.objects.filter(state__in=OPEN_STATES)
        .select_related("facility", "procedure", "handler")
        .prefetch_related("transitions")
    )
    late = [(level, case) for case in cases if (level := case_service_level(case=case))]
    late = [(level, case) for level, case in late if level.is_overdue(now)]
    return [case for level, case in sorted(late, key=lambda pair: pair[0].due)]


def cases_for_staff(*, user) -> QuerySet[Case]:
    """The cases a staff user may open: everything for case workers; for a reviewer only the
    cases under review or already reviewed by them, never those of a conflicted facility."""
    cases = Case.objects.select_related(
        "facility", "procedure", "policy", "handler"
    ).prefetch_related("transitions")  # the service level is read from the audit trail
    if any(
        user.has_perm(f"casework.{p}")
        for p in ("handle_case", "decide_case", "assess_case", "liaise_settlement")
    ):
        return cases
    if user.has_perm("casework.review_case"):
        conflicted = conflicted_facilities(user=user)
        return (
            cases.filter(Q(state=CaseState.UNDER_REVIEW) | Q(opinions__reviewer=user))
            .exclude(facility__in=conflicted)
            .distinct()
        )
    return cases.none()


def case_counts_by_state() -> list[tuple[str, str, int]]:
    """(state, label, count) of the open cases, in the state machine's order."""
    counts = dict(
        Case.objects.filter(state__in=OPEN_STATES)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return [(state.value, state.label, counts.get(state.value, 0)) for state in OPEN_STATES]


def reviewer_queues() -> list[tuple[object, list[Case]]]:
    """Each reviewer with the cases under review still waiting for their submitted opinion."""
    under_review = list(
        Case.objects.filter(state=CaseState.UNDER_REVIEW)
        .select_related("facility")
        .prefetch_related("opinions")
    )
    queues = []
    for profile in ReviewerProfile.objects.select_related("user").prefetch_related(
        "conflicted_facilities"
    ):
        conflicted = {f.pk for f in profile.conflicted_facilities.all()}
        waiting = [
            case
            for case in under_review
            if case.facility_id not in conflicted
            and not any(
                o.reviewer_id == profile.user_id and o.submitted_at for o in case.opinions.all()
            )
        ]
        queues.append((profile, waiting))
    return queues


def monthly_new_cases(*, months: int = 12, today: date | None = None) -> list[tuple[date, dict]]:
    """New cases per month (Asia/Tokyo) by procedure field, oldest month first, zeros included."""
    today = today or timezone.localdate()
    first = date(today.year, today.month, 1)
    starts = []
    for _ in range(months):
        starts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    starts.reverse()
    rows = (
        Case.objects.filter(received_at__date__gte=starts[0])
        .annotate(month=TruncMonth("received_at"))
        .values_list("month", "procedure__field")
        .annotate(n=Count("pk"))
    )
    table = {start: dict.fromkeys(ProcedureField.values, 0) for start in starts}
    for month, field, n in rows:
        table[timezone.localdate(month) if isinstance(month, datetime) else month][field] += n
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
