"""Reminders of the renewal round by e-mail (run daily by `manage.py send_renewal_reminders`).

On each step of the round's reminder days (so many days before the 10 November deadline), whoever
may renew each policy whose renewal is still the member's to do (未着手, or sent back) is e-mailed
once per policy: the facility's 管理者 for 開設者コース, the insured doctor for 施術医コース. A RenewalReminder row is written before the e-mail is queued; its
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
from ..choices import Course
from ..facility_staff import facility_admins, logins_who_can_act
from ..models import Policy
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
        recipients = _renewers_emails(chunk)
        for policy in chunk:
            sent += _reminder_claim_and_send(policy=policy, to=recipients.get(policy.pk), plan=plan)
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


def _renewers_emails(policies: list[Policy]) -> dict[int, list[str]]:
    """The addresses of who may renew each policy (enrollment.selectors.may_renew), by policy,
    in two queries: the facility's 管理者 for 開設者コース, the insured doctor's own logins for
    施術医コース; only logins that can act now (not removed, not an invitee without a password)."""
    by_facility, by_doctor = defaultdict(list), defaultdict(list)
    for facility_id, email in (
        facility_admins(
            facility_ids={p.facility_id for p in policies if p.course == Course.FACILITY}
        )
        .values_list("facility_id", "user__email")
        .order_by("user__email")
    ):
        by_facility[facility_id].append(email)
    doctor_ids = {p.doctor_id for p in policies if p.course == Course.DOCTOR}
    for doctor_id, email in (
        logins_who_can_act()
        .filter(doctor_id__in=doctor_ids)
        .values_list("doctor_id", "user__email")
        .order_by("user__email")
    ):
        by_doctor[doctor_id].append(email)
    return {
        p.pk: by_doctor[p.doctor_id] if p.course == Course.DOCTOR else by_facility[p.facility_id]
        for p in policies
    }


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
