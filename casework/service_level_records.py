"""Writes that keep a case's stored service levels (Case.response_*, Case.state_since) in step
with what happens to it, so that queues and lists read them with one indexed query.

The rule (casework.service_levels, the ServiceLevel docstring in selectors): a response is owed
from the report and again from each member answer to a request for information (provide_info);
it is given by the first staff step after that: any transition other than the member's own
(provide_info, withdraw), or a staff message the member can read. Closing a case owes nothing.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import Case
from .selectors import MEMBER_EVENTS, NOT_A_RESPONSE, calendar_closures
from .service_levels import Closures, response_due


def case_service_level_record(
    *,
    case: Case,
    event: str,
    from_state: str | None,
    at: datetime | None = None,
    closures: Closures | None = None,
) -> None:
    """Update `case`'s service-level fields for `event` (a transition's name, or "report") that
    took it from `from_state` (None for a new case) to its current state. Sets the fields on
    the instance; the caller saves it with the transition. `closures`: the calendar, when the
    caller has it already (else read when needed)."""
    at = at or timezone.now()
    if case.state != from_state:
        case.state_since = at
    if event in MEMBER_EVENTS:
        case.response_owed_since, case.response_given_at = at, None
        case.response_due_at = response_due(
            at, urgent=case.risk_self_harm, closures=closures or calendar_closures()
        )
    elif not case.is_open:
        case.response_due_at = None
    elif case.response_due_at is not None and event not in NOT_A_RESPONSE:
        case.response_due_at, case.response_given_at = None, at


def case_response_by_message(*, case: Case, at: datetime | None = None) -> None:
    """A staff message the member reads answers the response owed on `case`, if any."""
    at = at or timezone.now()
    if Case.objects.filter(pk=case.pk, response_due_at__isnull=False).update(
        response_due_at=None, response_given_at=at
    ):
        case.response_due_at, case.response_given_at = None, at


@transaction.atomic
def response_due_times_recompute() -> int:
    """Move the due time of every response still owed to the association's current calendar
    (after staff change its closing days); returns how many cases moved.

    Only the open cases still owed a response are read (the response_due_at index), and saved in
    batches. Their rows are locked before the calendar is read: a second administrator's
    change, committed while this one waited for the locks, is then in the calendar used."""
    owed = list(
        Case.objects.select_for_update()
        .filter(response_due_at__isnull=False)
        # state too: the state machine's mixin reads it as each row is loaded.
        .only("pk", "state", "response_owed_since", "response_due_at", "risk_self_harm")
    )
    closures = calendar_closures()
    moved = []
    for case in owed:
        due = response_due(case.response_owed_since, urgent=case.risk_self_harm, closures=closures)
        if due != case.response_due_at:
            case.response_due_at = due
            moved.append(case)
    Case.objects.bulk_update(moved, ["response_due_at"], batch_size=500)
    return len(moved)
