"""Reminders of the renewal round (manage.py send_renewal_reminders): who is e-mailed, on which
day, once per step, and never twice when two runs meet."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from hypothesis import given
from hypothesis import strategies as st

from casework import roles, rules
from casework.choices import FacilityRole
from casework.enrollment.models import RenewalReminder, RenewalRound
from casework.enrollment.reminders import reminders_deliver, reminders_due
from casework.enrollment.renewal_round import reminder_step_due
from casework.models import MemberProfile

from .test_renewal_round import ENDS_ON, renewal_of, round_policy

pytestmark = pytest.mark.django_db

DEADLINE = date(2026, 11, 10)


def run(day: date) -> str:
    out = []
    call_command("send_renewal_reminders", date=day.isoformat(), stdout=_Lines(out))
    return "".join(out)


class _Lines:
    def __init__(self, out):
        self.out = out

    def write(self, text):
        self.out.append(text)

    def flush(self):
        pass


def login(make_user, username, facility, role=FacilityRole.ADMIN, **fields):
    user = make_user(username, roles.MEMBERS, **fields)
    MemberProfile.objects.create(user=user, facility=facility, role=role)
    return user


def sent_to() -> list[tuple[str, ...]]:
    return sorted(tuple(message.to) for message in mail.outbox)


@pytest.fixture
def clinics(make_user, member, policy, report, facility_fields, support):
    """The member's facility (policy F-2026-001, not renewed, with a case that names a patient),
    its colleagues, and other facilities whose renewal is done, under way or sent back."""
    report()  # the facility's case: its patient must never appear in a reminder
    login(make_user, "reporter", policy.facility, role=FacilityRole.REPORTER)
    login(make_user, "reader", policy.facility, role=FacilityRole.READER)
    login(make_user, "former_admin", policy.facility, is_active=False)
    others = {}
    for name, steps in [
        ("renewed", ["start_review", "approve"]),
        ("received", []),
        ("returned", ["start_review", "send_back"]),
    ]:
        other = round_policy(f"F-2026-{name}")
        login(make_user, f"{name}_admin", other.facility)
        renewal_of(other, facility_fields, by=support, steps=steps)
        others[name] = other
    mail.outbox.clear()
    return others


def test_the_first_step_emails_the_administrators_of_those_not_renewed(clinics, policy):
    assert "no reminder step is due" in run(DEADLINE - timedelta(days=31))
    assert mail.outbox == []
    output = run(DEADLINE - timedelta(days=30))
    assert "2 reminder(s) sent for the step 30 days" in output
    # Not started, or sent back to be corrected: the facility's 管理者 only, active ones only.
    assert sent_to() == [("member@example.jp",), ("returned_admin@example.jp",)]
    message = next(m for m in mail.outbox if m.to == ["member@example.jp"])
    assert "F-2026-001" in message.subject and "締切 11月10日" in message.subject
    assert "2026年11月10日" in message.body and "さくら美容クリニック" in message.body
    assert f"{settings.SITE_URL}/mypage/" in message.body  # マイページ, where they renew
    assert "佐藤" not in message.body + message.subject  # no patient data


def test_a_second_run_the_same_day_sends_nothing_and_the_next_step_sends_again(clinics):
    run(DEADLINE - timedelta(days=30))
    first = len(mail.outbox)
    assert "0 reminder(s) sent" in run(DEADLINE - timedelta(days=30))
    assert "0 reminder(s) sent" in run(DEADLINE - timedelta(days=20))  # between two steps
    assert len(mail.outbox) == first
    run(DEADLINE - timedelta(days=14))
    assert len(mail.outbox) == 2 * first


def test_overdue_steps_send_one_email_the_latest(clinics, policy):
    """The daily run missed days: 30, 14 and 7 days before are all past; one e-mail each."""
    run(DEADLINE - timedelta(days=6))
    assert sent_to() == [("member@example.jp",), ("returned_admin@example.jp",)]
    assert set(RenewalReminder.objects.values_list("days_before", flat=True)) == {7}


def test_nothing_after_the_deadline(clinics):
    assert "no reminder step is due" in run(DEADLINE + timedelta(days=1))
    assert mail.outbox == []


def test_a_renewal_sent_after_a_reminder_stops_the_next_ones(clinics, policy, facility_fields):
    run(DEADLINE - timedelta(days=30))
    renewal_of(policy, facility_fields)
    mail.outbox.clear()
    run(DEADLINE - timedelta(days=14))
    assert sent_to() == [("returned_admin@example.jp",)]


def test_the_office_chooses_the_days(clinics):
    RenewalRound.objects.create(
        ends_on=ENDS_ON, offer_opens_on=date(2026, 9, 1), reminder_days=[45, 2]
    )
    assert "no reminder step is due" in run(DEADLINE - timedelta(days=46))
    run(DEADLINE - timedelta(days=45))
    assert len(mail.outbox) == 2
    run(DEADLINE - timedelta(days=30))  # the default 30 days is not one of this year's steps
    assert len(mail.outbox) == 2
    run(DEADLINE - timedelta(days=2))
    assert len(mail.outbox) == 4


def test_two_runs_at_once_send_each_reminder_once(clinics):
    """Both runs chose the same policies before either recorded one: the constraint lets one
    record (and send) each reminder, and the other skip it."""
    today = DEADLINE - timedelta(days=30)
    first, second = reminders_due(today=today), reminders_due(today=today)
    assert len(first.policies) == len(second.policies) == 2
    assert reminders_deliver(plan=second) == 2
    assert reminders_deliver(plan=first) == 0
    assert len(mail.outbox) == 2
    assert RenewalReminder.objects.count() == 2


def test_the_database_refuses_a_second_reminder_of_a_step(policy):
    RenewalReminder.objects.create(policy=policy, days_before=14)
    with pytest.raises(IntegrityError):
        RenewalReminder.objects.create(policy=policy, days_before=14)


def test_a_facility_without_an_administrator_is_reminded_once_one_is_added(
    make_user, policy, facility
):
    run(DEADLINE - timedelta(days=30))
    assert mail.outbox == []
    login(make_user, "new_admin", facility)
    run(DEADLINE - timedelta(days=29))
    assert sent_to() == [("new_admin@example.jp",)]


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="--date"):
        call_command("send_renewal_reminders", date="2026-13-01")


@given(
    days=st.lists(st.integers(min_value=1, max_value=120), min_size=1, max_size=6),
    offset=st.integers(min_value=-5, max_value=150),
    opens=st.integers(min_value=0, max_value=150),
    year=st.integers(min_value=2003, max_value=2100),
)
def test_the_step_due_is_the_latest_whose_day_has_come(days, offset, opens, year):
    ends_on = date(year, 11, 30)
    deadline = rules.renewal_deadline(ends_on)
    today, opens_on = deadline - timedelta(days=offset), deadline - timedelta(days=opens)
    step = reminder_step_due(days=days, ends_on=ends_on, opens_on=opens_on, today=today)
    come = [d for d in days if d >= offset >= 0]
    if not come or today < opens_on:
        assert step is None
    else:
        assert step == min(come)
        assert max(deadline - timedelta(days=step), opens_on) <= today <= deadline


def test_no_reminder_before_my_page_offers_the_renewal(clinics):
    """The office opened the offer late (20 October): the 30-day step waits for it."""
    RenewalRound.objects.create(ends_on=ENDS_ON, offer_opens_on=date(2026, 10, 20))
    assert "no reminder step is due" in run(date(2026, 10, 19))
    run(date(2026, 10, 20))
    assert len(mail.outbox) == 2
    assert set(RenewalReminder.objects.values_list("days_before", flat=True)) == {30}
