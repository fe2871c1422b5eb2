"""補償開始日 and the end of the policy period: every boundary by hand, then invariants."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.rules import coverage_start, policy_end


@pytest.mark.parametrize(
    ("applied_on", "starts_on"),
    [
        # Mid-term: until the 15th → the 1st of the next month; from the 16th → the month after.
        (date(2026, 4, 1), date(2026, 5, 1)),
        (date(2026, 4, 15), date(2026, 5, 1)),
        (date(2026, 4, 16), date(2026, 6, 1)),
        (date(2026, 4, 30), date(2026, 6, 1)),  # month end
        (date(2026, 2, 28), date(2026, 4, 1)),  # month end, short month
        (date(2028, 2, 29), date(2028, 4, 1)),  # leap day
        # October after the 15th joins the annual round's 1 December start.
        (date(2026, 10, 15), date(2026, 11, 1)),
        (date(2026, 10, 16), date(2026, 12, 1)),
        (date(2026, 10, 31), date(2026, 12, 1)),
        # The annual round closes on 10 November.
        (date(2026, 11, 1), date(2026, 12, 1)),
        (date(2026, 11, 10), date(2026, 12, 1)),
        (date(2026, 11, 11), date(2027, 1, 1)),
        (date(2026, 11, 15), date(2027, 1, 1)),
        (date(2026, 11, 16), date(2027, 1, 1)),
        (date(2026, 11, 30), date(2027, 1, 1)),
        # December and the year end.
        (date(2026, 12, 1), date(2027, 1, 1)),
        (date(2026, 12, 15), date(2027, 1, 1)),
        (date(2026, 12, 16), date(2027, 2, 1)),
        (date(2026, 12, 31), date(2027, 2, 1)),
        (date(2027, 1, 1), date(2027, 2, 1)),
    ],
)
def test_coverage_start(applied_on, starts_on):
    assert coverage_start(applied_on) == starts_on


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (date(2026, 12, 1), date(2027, 11, 30)),  # the annual round: a full year
        (date(2027, 1, 1), date(2027, 11, 30)),
        (date(2027, 11, 1), date(2027, 11, 30)),  # a mid-term start one month before renewal
        (date(2027, 11, 30), date(2027, 11, 30)),
    ],
)
def test_policies_run_to_the_next_30_november(starts_on, ends_on):
    assert policy_end(starts_on) == ends_on


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(days)
def test_cover_starts_on_a_first_of_month_after_the_application(applied_on):
    start = coverage_start(applied_on)
    assert start.day == 1
    assert applied_on < start <= applied_on + timedelta(days=62)
    # The deadlines: the 15th each month, and 10 November for the 1 December start.
    on_time = applied_on.day <= (10 if applied_on.month == 11 else 15)
    next_month = (applied_on.replace(day=28) + timedelta(days=4)).replace(day=1)
    assert (start == next_month) == on_time
    # Otherwise one month later, never more.
    if not on_time:
        assert start == (next_month + timedelta(days=31)).replace(day=1)
    # 1 December is reached only by the annual round.
    if start.month == 12:
        assert applied_on <= date(start.year, 11, 10)


@given(days)
def test_a_later_application_never_starts_earlier(applied_on):
    assert coverage_start(applied_on) <= coverage_start(applied_on + timedelta(days=1))


@given(days)
def test_the_policy_runs_to_the_first_30_november_on_or_after_its_start(applied_on):
    start = coverage_start(applied_on)
    end = policy_end(start)
    assert (end.month, end.day) == (11, 30)
    assert start <= end < start + timedelta(days=366)
    assert not any(
        (d.month, d.day) == (11, 30)
        for d in (start + timedelta(n) for n in range((end - start).days))
    )
