"""First-response service levels: 2 wall-clock hours if urgent, else one business day."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import roles
from casework.models import Case, ClosingPeriod
from casework.service_levels import (
    STANDARD_RESPONSE,
    URGENT_RESPONSE,
    YEAR_END,
    Closures,
    add_business_time,
    business_time_between,
    closing_too_long,
    is_business_day,
    is_overdue,
    response_due,
)
from casework.services import case_transition, message_post, patient_consent_record

TOKYO = ZoneInfo("Asia/Tokyo")
HOUR = timedelta(hours=1)


def jst(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=TOKYO)


# 2026-06-05 is an ordinary Friday; 2026-06-08 the Monday after.
FRIDAY_3PM = jst(2026, 6, 5, 15)


# --- the calendar -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 5, 6),  # 振替休日 for 憲法記念日 on Sunday 5/3
        date(2026, 9, 22),  # 国民の休日 between 敬老の日 and 秋分の日
        date(2025, 11, 24),  # 振替休日 for 勤労感謝の日 on Sunday 11/23
        date(2030, 1, 1),  # 元日
        date(2026, 6, 6),  # Saturday
        date(2026, 6, 7),  # Sunday
    ],
)
def test_weekends_and_public_holidays_are_not_business_days(day):
    assert not is_business_day(day)


@pytest.mark.parametrize("day", [date(2026, 5, 7), date(2026, 6, 5), date(2026, 6, 8)])
def test_ordinary_weekdays_are_business_days(day):
    assert is_business_day(day)


def test_a_datetime_is_refused_as_a_calendar_day():
    with pytest.raises(TypeError):
        is_business_day(FRIDAY_3PM)


def test_business_time_follows_the_tokyo_date_whatever_the_input_timezone():
    # 14:00-16:00 UTC on Friday 6/5 is 23:00 Friday to 01:00 Saturday in Tokyo.
    start = datetime(2026, 6, 5, 14, tzinfo=UTC)
    assert business_time_between(start, start + 2 * HOUR) == HOUR


def test_business_time_is_zero_for_an_empty_or_reversed_range():
    assert business_time_between(FRIDAY_3PM, FRIDAY_3PM) == timedelta(0)
    assert business_time_between(FRIDAY_3PM, FRIDAY_3PM - HOUR) == timedelta(0)


def test_business_time_over_golden_week_2026():
    # Fri 5/1 00:00 to Fri 5/8 00:00: only 5/1 and 5/7 are business days.
    assert business_time_between(jst(2026, 5, 1), jst(2026, 5, 8)) == timedelta(days=2)


def test_adding_business_time_on_a_holiday_starts_the_clock_next_business_day():
    assert add_business_time(jst(2026, 5, 3, 12), 3 * HOUR) == jst(2026, 5, 7, 3)


def test_adding_no_business_time_is_the_start_itself():
    assert add_business_time(FRIDAY_3PM, timedelta(0)) == FRIDAY_3PM


def test_business_time_ending_at_midnight_ends_that_day_not_the_next_business_day():
    assert add_business_time(FRIDAY_3PM, 9 * HOUR) == jst(2026, 6, 6)


# --- due times --------------------------------------------------------------------------------


def test_friday_afternoon_is_due_monday_afternoon():
    assert response_due(FRIDAY_3PM, urgent=False) == jst(2026, 6, 8, 15)


def test_received_on_a_saturday_is_due_at_the_end_of_monday():
    assert response_due(jst(2026, 6, 6, 10), urgent=False) == jst(2026, 6, 9)


def test_golden_week_2026_moves_a_friday_case_to_thursday():
    # 5/2 Sat, 5/3 Sun, 5/4 みどりの日, 5/5 こどもの日, 5/6 振替休日.
    assert response_due(jst(2026, 5, 1, 10), urgent=False) == jst(2026, 5, 7, 10)


def test_urgent_cases_run_on_the_wall_clock_even_on_holidays():
    assert response_due(jst(2026, 5, 5, 23, 30), urgent=True) == jst(2026, 5, 6, 1, 30)


def test_a_response_is_owed_again_from_a_friday_evening_answer():
    # The member answers a request for information on Friday at 20:00: 4 business hours are
    # left on Friday, the weekend does not count and the other 20 come on Monday.
    answered = jst(2026, 6, 5, 20)
    assert response_due(answered, urgent=False) == jst(2026, 6, 8, 20)
    assert not is_overdue(answered, urgent=False, responded_at=None, now=jst(2026, 6, 8, 20))
    assert is_overdue(answered, urgent=False, responded_at=None, now=jst(2026, 6, 8, 20, 1))


def test_due_times_are_given_in_tokyo_time():
    due = response_due(datetime(2026, 6, 5, 6, tzinfo=UTC), urgent=False)
    assert due.tzinfo == TOKYO
    assert due == jst(2026, 6, 8, 15)


# --- overdue ----------------------------------------------------------------------------------


def test_a_response_at_the_due_time_is_on_time():
    due = jst(2026, 6, 8, 15)
    assert not is_overdue(FRIDAY_3PM, urgent=False, responded_at=due, now=due + HOUR)
    assert is_overdue(
        FRIDAY_3PM, urgent=False, responded_at=due + timedelta(seconds=1), now=due + HOUR
    )


def test_an_unanswered_case_is_overdue_only_once_the_due_time_has_passed():
    due = jst(2026, 6, 8, 15)
    assert not is_overdue(FRIDAY_3PM, urgent=False, responded_at=None, now=due)
    assert is_overdue(FRIDAY_3PM, urgent=False, responded_at=None, now=due + timedelta(seconds=1))


def test_an_urgent_case_answered_after_two_hours_is_overdue():
    received = jst(2026, 5, 5, 23, 30)
    assert is_overdue(
        received, urgent=True, responded_at=jst(2026, 5, 6, 1, 31), now=jst(2026, 5, 6, 9)
    )


# --- naive datetimes and bad amounts are refused -----------------------------------------------

NAIVE = datetime(2026, 6, 5, 15)


@pytest.mark.parametrize(
    "call",
    [
        lambda: business_time_between(NAIVE, FRIDAY_3PM),
        lambda: business_time_between(FRIDAY_3PM, NAIVE),
        lambda: add_business_time(NAIVE, HOUR),
        lambda: response_due(NAIVE, urgent=True),
        lambda: is_overdue(FRIDAY_3PM, urgent=True, responded_at=NAIVE, now=FRIDAY_3PM),
        lambda: is_overdue(FRIDAY_3PM, urgent=True, responded_at=None, now=NAIVE),
        lambda: add_business_time(FRIDAY_3PM, -HOUR),
    ],
)
def test_naive_datetimes_and_negative_amounts_are_refused(call):
    with pytest.raises(ValueError):
        call()


# --- properties -------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2030, 12, 31, 23, 59, 59),
    timezones=st.just(TOKYO),
)
amounts = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60))


# jpholiday works out a year's holidays on first use (~0.1 s a year, once per process), so the
# first example to reach a new year can take a second: correctness tests, not timing tests.
relaxed = settings(deadline=None)


@relaxed
@given(moments, amounts)
def test_adding_then_measuring_business_time_gives_the_amount_back(start, amount):
    end = add_business_time(start, amount)
    assert end >= start
    assert business_time_between(start, end) == amount


@relaxed
@given(moments, moments)
def test_adding_the_measured_business_time_never_overshoots(start, end):
    assert add_business_time(start, business_time_between(start, end)) <= max(start, end)


@relaxed
@given(st.lists(moments, min_size=3, max_size=3).map(sorted))
def test_business_time_is_additive_over_a_split_point(points):
    start, middle, end = points
    whole = business_time_between(start, end)
    assert whole == business_time_between(start, middle) + business_time_between(middle, end)
    assert timedelta(0) <= whole <= end - start


@relaxed
@given(moments)
def test_urgent_cases_are_never_due_sooner_than_two_hours(since):
    assert response_due(since, urgent=True) >= since + URGENT_RESPONSE


@relaxed
@given(moments)
def test_standard_cases_are_never_due_sooner_than_one_business_day(since):
    due = response_due(since, urgent=False)
    assert due >= since + STANDARD_RESPONSE
    assert business_time_between(since, due) == STANDARD_RESPONSE


@relaxed
@given(st.booleans(), moments, moments)
def test_a_later_start_never_makes_the_due_time_earlier(urgent, first, second):
    earlier, later = sorted([first, second])
    assert response_due(later, urgent=urgent) >= response_due(earlier, urgent=urgent)


@relaxed
@given(st.booleans(), moments, st.sampled_from(["UTC", "America/New_York"]))
def test_due_times_are_aware_and_independent_of_the_input_timezone(urgent, since, zone):
    due = response_due(since, urgent=urgent)
    assert due.tzinfo is not None and due.utcoffset() is not None
    assert response_due(since.astimezone(ZoneInfo(zone)), urgent=urgent) == due


# --- the association's closing days -----------------------------------------------------------

NO_CLOSURES = Closures()


@pytest.mark.parametrize(
    ("day", "closed"),
    [
        (date(2026, 12, 28), False),
        (date(2026, 12, 29), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 3), True),
        (date(2027, 1, 4), False),
    ],
)
def test_the_year_end_closing_runs_from_29_december_to_3_january(day, closed):
    assert (day in YEAR_END) is closed


def test_one_off_closing_days_count_only_in_their_year():
    founding_day = Closures(dates=((date(2026, 7, 1), date(2026, 7, 2)),))
    assert not is_business_day(date(2026, 7, 2), closures=founding_day)
    assert is_business_day(date(2026, 7, 3), closures=founding_day)
    assert is_business_day(date(2027, 7, 1), closures=founding_day)


def test_a_case_reported_before_the_year_end_closing_is_due_after_it():
    # Fri 26 Dec 2025 17:00: seven hours that Friday, then the weekend, 年末年始 (29 Dec to
    # 3 Jan) and Sunday 4 Jan; the remaining 17 hours run on Monday 5 January.
    assert response_due(jst(2025, 12, 26, 17), urgent=False) == jst(2026, 1, 5, 17)
    assert response_due(jst(2026, 12, 28, 17), urgent=False) == jst(2027, 1, 4, 17)
    # Without the association's calendar, only the holiday on 1 January would count.
    assert response_due(jst(2026, 12, 28, 17), urgent=False, closures=NO_CLOSURES) == jst(
        2026, 12, 29, 17
    )


def test_urgent_cases_are_due_in_two_hours_even_while_the_office_is_closed():
    assert response_due(jst(2026, 12, 31, 10), urgent=True) == jst(2026, 12, 31, 12)


def _month_day(day):
    return (day.month, day.day)


closures = st.builds(
    lambda yearly, dates: Closures(yearly=tuple(yearly), dates=tuple(dates)),
    st.lists(
        st.builds(
            lambda first, days: ((first.month, first.day), _month_day(first + timedelta(days))),
            st.dates(min_value=date(2021, 1, 1), max_value=date(2021, 12, 31)),
            st.integers(0, 14),
        ),
        max_size=2,
    ),
    st.lists(
        st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 1)).map(
            lambda first: (first, first + timedelta(days=3))
        ),
        max_size=3,
    ),
)


@relaxed
@given(moments, closures)
def test_a_response_never_falls_due_on_a_closing_day_nor_sooner_than_without_it(since, closed):
    due = response_due(since, urgent=False, closures=closed)
    assert business_time_between(since, due, closures=closed) == STANDARD_RESPONSE
    assert due >= response_due(since, urgent=False, closures=NO_CLOSURES)
    # The due time is within a business day, or the midnight that ends one.
    last_day = (due - timedelta(microseconds=1)).astimezone(TOKYO).date()
    assert is_business_day(last_day, closures=closed)


def _naively_closed(day, yearly, dates):
    """The closing days' definition, read literally (Closures answers it with lookups)."""
    month_day = (day.month, day.day)
    for first, last in yearly:
        if (first <= month_day <= last) if first <= last else not (last < month_day < first):
            return True
    return any(first <= day <= last for first, last in dates)


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
month_days = days.map(lambda day: (day.month, day.day))
spans = st.tuples(days, st.integers(0, 400)).map(lambda s: (s[0], s[0] + timedelta(days=s[1])))


@given(
    day=days,
    yearly=st.lists(st.tuples(month_days, month_days), max_size=4),
    dates=st.lists(spans, max_size=6),
)
def test_a_day_is_closed_exactly_when_a_closing_covers_it(day, yearly, dates):
    closures = Closures(yearly=tuple(yearly), dates=tuple(dates))
    assert (day in closures) == _naively_closed(day, yearly, dates)


def test_a_closing_of_more_than_a_year_is_found_and_a_year_end_is_not():
    today = date(2026, 12, 1)
    assert closing_too_long(YEAR_END, today=today) is None
    whole_year = Closures(yearly=(((1, 1), (6, 30)), ((7, 1), (12, 31))))
    assert closing_too_long(whole_year, today=today) is not None
    chained = Closures(dates=((date(2030, 1, 7), date(2030, 12, 20)),))
    assert closing_too_long(chained, today=today) is None
    chained = Closures(dates=(*chained.dates, (date(2030, 12, 23), date(2031, 1, 31))))
    assert closing_too_long(chained, today=today) == date(2030, 1, 7)


# --- stored on the case, moved by the calendar ------------------------------------------------


@pytest.mark.django_db
def test_the_due_time_is_stored_at_the_report_cleared_by_the_answer_and_owed_again(
    report, support, member
):
    case = report()
    assert case.response_due_at == response_due(case.received_at, urgent=False)
    case = case_transition(case=case, name="start_triage", by=support)
    assert case.response_due_at is None and case.response_given_at is not None
    case = case_transition(case=case, name="request_info", by=support)
    assert case.response_due_at is None
    case = case_transition(case=case, name="provide_info", by=member)
    assert case.response_due_at == response_due(case.response_owed_since, urgent=False)
    case = case_transition(case=case, name="withdraw", by=member)
    assert Case.objects.get(pk=case.pk).response_due_at is None


@pytest.mark.django_db
def test_the_year_end_closing_is_there_from_the_start_and_only_the_office_may_change_it(
    client, make_user, support
):
    assert ClosingPeriod.objects.get().name == "年末年始"
    client.force_login(support)
    assert client.get("/admin/calendar/").status_code in (302, 403)
    office = make_user("office", roles.ADMINS)
    client.force_login(office)
    response = client.get("/admin/calendar/")
    assert response.status_code == 200 and "年末年始" in response.content.decode()


@pytest.mark.django_db
def test_a_closing_day_added_by_the_office_moves_the_due_times_still_owed(
    client, make_user, report, support
):
    waiting, answered = report(), report()
    answered = Case.objects.get(pk=answered.pk)
    case_transition(case=answered, name="start_triage", by=support)
    before = Case.objects.get(pk=waiting.pk).response_due_at
    closed = timezone.localdate(before)
    client.force_login(make_user("office", roles.ADMINS))
    response = client.post(
        "/admin/calendar/new/",
        {
            "name": "臨時休業",
            "starts_on": (closed - timedelta(days=1)).isoformat(),
            "ends_on": closed.isoformat(),
            "yearly": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = Case.objects.get(pk=waiting.pk).response_due_at
    assert after > before
    assert timezone.localdate(after) > closed
    assert Case.objects.get(pk=answered.pk).response_due_at is None
    period = ClosingPeriod.objects.get(name="臨時休業")
    assert client.post(f"/admin/calendar/delete/{period.pk}/").status_code == 302
    assert Case.objects.get(pk=waiting.pk).response_due_at == before


def test_years_of_business_time_are_added_across_many_year_ends():
    """Hypothesis found it: nine years of business time run past several 年末年始 closings."""
    start = datetime(2020, 1, 1, tzinfo=TOKYO)
    end = datetime(2029, 1, 1, tzinfo=TOKYO)
    assert add_business_time(start, business_time_between(start, end)) <= end


# --- a transition from an older copy of the case ----------------------------------------------


@pytest.mark.django_db
def test_a_staff_message_on_time_stays_on_time_when_an_older_copy_is_moved_later(report, support):
    """A message answers the response with a queryset update; a transition taken afterwards from
    a copy read before it saves the whole case and must not write the message's answer over."""
    with time_machine.travel(FRIDAY_3PM, tick=False):
        case = report()
    older = Case.objects.get(pk=case.pk)
    with time_machine.travel(FRIDAY_3PM + HOUR, tick=False):
        message = message_post(case=case, author=support, body="ご報告を拝見しました。")
    with time_machine.travel(FRIDAY_3PM + timedelta(days=5), tick=False):
        case_transition(case=older, name="start_triage", by=support)
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == "triage"
    assert stored.response_due_at is None
    assert stored.response_given_at == message.created_at  # answered on time, not 5 days later


@pytest.mark.django_db
def test_a_recorded_consent_survives_a_transition_from_an_older_copy(report, support):
    case = case_transition(case=report(), name="start_triage", by=support)
    older = Case.objects.get(pk=case.pk)
    patient_consent_record(case=case, by=support)
    case_transition(case=older, name="refer_to_review", by=support)
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == "under_review" and stored.patient_consent_at is not None
