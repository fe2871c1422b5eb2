"""Reminders of the renewal round by e-mail (run daily by `manage.py send_renewal_reminders`).

On each step of the round's reminder days (so many days before the 10 November deadline) the
管理者 logins of every facility whose renewal is still the member's to do (未着手, or sent back)
are e-mailed once per policy. A RenewalReminder row is written before the e-mail is queued; its
unique constraint is what makes a second run, even one running at the same moment, send nothing.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .. import notifications, rules
from ..choices import FacilityRole
from ..models import MemberProfile, Policy
from .models import RenewalReminder
from .renewal_round import (
    reminder_step_due,
    renewal_round_for,
    round_ends_on_for,
    round_policies_awaiting_member,
)

logger = logging.getLogger(__name__)

#: Policies whose recipients are looked up together (bounded IN lists for any database).
CHUNK = 500


@dataclass(frozen=True)
class ReminderPlan:
    """What one run will send: the step and the policies not yet reminded on it."""

    days_before: int | None
    deadline: date
    policies: list[Policy]


def reminders_due(*, today: date) -> ReminderPlan:
    """The reminders to send on `today` (Asia/Tokyo) for the current round."""
    ends_on = round_ends_on_for(today)
    deadline = rules.renewal_deadline(ends_on)
    round_settings = renewal_round_for(ends_on=ends_on)
    step = reminder_step_due(
        days=round_settings.reminder_days,
        ends_on=ends_on,
        opens_on=round_settings.offer_opens_on,
        today=today,
    )
    if step is None:
        return ReminderPlan(None, deadline, [])
    policies = (
        round_policies_awaiting_member(ends_on=ends_on, today=today)
        .exclude(pk__in=RenewalReminder.objects.filter(days_before=step).values("policy"))
        .select_related("facility")
        .order_by("pk")
    )
    return ReminderPlan(step, deadline, list(policies))


def reminders_deliver(*, plan: ReminderPlan) -> int:
    """Send `plan`'s reminders, each policy's once: a policy another run has reminded meanwhile
    is skipped. Returns how many policies were reminded."""
    sent = 0
    for start in range(0, len(plan.policies), CHUNK):
        chunk = plan.policies[start : start + CHUNK]
        recipients = _facility_admin_emails({policy.facility_id for policy in chunk})
        for policy in chunk:
            sent += _reminder_claim_and_send(
                policy=policy, to=recipients.get(policy.facility_id), plan=plan
            )
    logger.info("Renewal reminders: %d sent (step %s days)", sent, plan.days_before)
    return sent


def _reminder_claim_and_send(*, policy: Policy, to: list[str] | None, plan: ReminderPlan) -> int:
    if not to:
        # Nobody to write to; left unrecorded so an administrator added later is reminded.
        logger.warning("Renewal reminder: no administrator login for policy %s", policy.pk)
        return 0
    try:
        with transaction.atomic():
            RenewalReminder.objects.create(policy=policy, days_before=plan.days_before)
    except IntegrityError:
        return 0  # another run reminded this policy on this step
    _reminder_send(policy=policy, to=to, deadline=plan.deadline)
    return 1


def reminders_send(*, today: date) -> int:
    return reminders_deliver(plan=reminders_due(today=today))


def _facility_admin_emails(facility_ids: set[int]) -> dict[int, list[str]]:
    """The active 管理者 logins' addresses of each facility, in one query."""
    emails = defaultdict(list)
    rows = MemberProfile.objects.filter(
        facility_id__in=facility_ids, role=FacilityRole.ADMIN, user__is_active=True
    ).values_list("facility_id", "user__email")
    for facility_id, email in rows.order_by("user__email"):
        emails[facility_id].append(email)
    return emails


def _reminder_send(*, policy: Policy, to: list[str], deadline: date) -> None:
    context = {
        "policy": policy,
        "deadline": deadline,
        "url": notifications.absolute_url(reverse("casework_portal:my_page")),
    }
    subject = render_to_string("enrollment/email/renewal_reminder_subject.txt", context)
    notifications.email_enqueue(
        to=to,
        subject=" ".join(subject.split()),
        template="enrollment/email/renewal_reminder.txt",
        **context,
    )
