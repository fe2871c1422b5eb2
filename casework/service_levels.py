"""Service levels: how soon the association must respond to a member.

- A case flagged 自傷・希死念慮 (self-harm / suicidal ideation) is urgent: first response within
  two wall-clock hours, around the clock.
- Every other case: within one business day, i.e. 24 hours counted on business days only.
  Business days are the Asia/Tokyo dates that are neither Saturday, Sunday, a Japanese
  public holiday (振替休日 and 国民の休日 included, from ``jpholiday``, offline) nor one of the
  association's own closing days (`Closures`: 年末年始, 29 December to 3 January, by default;
  staff administrators edit them in the admin, casework.models.ClosingPeriod).
- A response is owed from the report, and again from each answer the member gives to a
  request for information (追加資料待ち), each due time measured afresh from that moment,
  so time spent waiting for the member never counts.

All datetimes must be timezone-aware; results are returned in Asia/Tokyo. Pure functions: the
closing days are passed in (the selectors load them from the database once per call).
"""

from bisect import bisect_right
from calendar import isleap
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

import jpholiday

TOKYO = ZoneInfo("Asia/Tokyo")

URGENT_RESPONSE = timedelta(hours=2)
STANDARD_RESPONSE = timedelta(days=1)  # one business day = 24 business hours


MonthDay = tuple[int, int]


@dataclass(frozen=True)
class Closures:
    """The association's own closing days.

    ``yearly`` holds (first, last) month/day pairs, both inclusive, repeated every year; a pair
    whose last day comes before its first runs over the new year (年末年始: (12, 29), (1, 3)).
    ``dates`` holds (first, last) date ranges that happen once.
    """

    yearly: tuple[tuple[MonthDay, MonthDay], ...] = ()
    dates: tuple[tuple[date, date], ...] = ()

    def __contains__(self, day: date) -> bool:
        if (day.month, day.day) in self._yearly_days:
            return True
        starts, ends = self._date_ranges
        i = bisect_right(starts, day) - 1
        return i >= 0 and day <= ends[i]

    # Due times ask about every day they walk over, and an office may keep hundreds of closings:
    # each question is a set lookup and a binary search, not a pass over every closing.

    @cached_property
    def _yearly_days(self) -> frozenset[MonthDay]:
        spans = []
        for first, last in self.yearly:
            spans += [(first, last)] if first <= last else [(first, (12, 31)), ((1, 1), last)]
        days = set()
        for first, last in spans:
            day, end = date(2000, *first), date(2000, *last)  # a leap year: 29 February too
            while day <= end:
                days.add((day.month, day.day))
                day += _ONE_DAY
        return frozenset(days)

    @cached_property
    def _date_ranges(self) -> tuple[list[date], list[date]]:
        """The one-off ranges merged where they overlap or touch, as sorted starts and ends."""
        starts: list[date] = []
        ends: list[date] = []
        for first, last in sorted(self.dates):
            if ends and first <= ends[-1] + _ONE_DAY:
                ends[-1] = max(ends[-1], last)
            else:
                starts.append(first)
                ends.append(last)
        return starts, ends


#: The association's closing days when nobody changed them: 年末年始, 29 December to 3 January.
YEAR_END = Closures(yearly=(((12, 29), (1, 3)),))


#: The longest the office may stay closed in one run, weekends and holidays included: a longer
#: run is a typing mistake (a year too many), and a response owed in it would wait that long.
LONGEST_CLOSING = timedelta(days=366)


def closing_too_long(closures: Closures, *, today: date) -> date | None:
    """The first day of a run of non-business days longer than LONGEST_CLOSING, or None.

    A run that long is made of the association's closings (weekends and holidays never last a
    fortnight), so it is looked for from each one-off closing's first day and from each yearly
    closing's first day in the years around `today`."""
    starts = [first for first, _ in closures.dates]
    for year in range(today.year - 1, today.year + 5):
        for (month, day), _ in closures.yearly:
            if (month, day) != (2, 29) or isleap(year):
                starts.append(date(year, month, day))
    walked_to = date.min
    for start in sorted(set(starts)):
        if start <= walked_to:
            continue  # inside a run already measured from an earlier start
        day = start
        while not is_business_day(day, closures=closures):
            if day - start >= LONGEST_CLOSING:
                return start
            day += _ONE_DAY
        walked_to = day
    return None


def is_business_day(day: date, *, closures: Closures = YEAR_END) -> bool:
    """True unless ``day`` is a Saturday, a Sunday, a Japanese public holiday or one of the
    association's ``closures``."""
    if isinstance(day, datetime):
        raise TypeError("pass a date (the Asia/Tokyo calendar date), not a datetime")
    return day.weekday() < 5 and not _is_public_holiday(day) and day not in closures


@lru_cache(maxsize=8192)
def _is_public_holiday(day: date) -> bool:
    # jpholiday works the year's holidays out on every call; due times ask about the same days.
    return jpholiday.is_holiday(day)


def business_time_between(
    start: datetime, end: datetime, *, closures: Closures = YEAR_END
) -> timedelta:
    """The part of [start, end) that falls on business days; zero if ``end <= start``."""
    _require_aware(start=start, end=end)
    total = timedelta(0)
    if end <= start:
        return total
    day = start.astimezone(TOKYO).date()
    last_day = end.astimezone(TOKYO).date()
    while day <= last_day:
        if is_business_day(day, closures=closures):
            total += _elapsed(
                max(start, tokyo_midnight(day)), min(end, tokyo_midnight(day + _ONE_DAY))
            )
        day += _ONE_DAY
    return total


def add_business_time(
    start: datetime, amount: timedelta, *, closures: Closures = YEAR_END
) -> datetime:
    """The earliest moment at which ``amount`` of business time has elapsed since ``start``.

    On a non-business day the clock starts at 00:00 of the next business day. An amount that
    ends exactly at midnight gives that midnight (the end of the last business day used).
    """
    _require_aware(start=start)
    if amount < timedelta(0):
        raise ValueError("amount must not be negative")
    cursor = start.astimezone(TOKYO)
    remaining = amount
    closed_since = cursor  # the run of non-business days so far: a calendar that never opens
    while remaining:
        if cursor - closed_since > _NO_BUSINESS_DAY_FOR:
            raise ValueError("the calendar leaves no business day: check the closing days")
        day = cursor.date()
        next_midnight = tokyo_midnight(day + _ONE_DAY)
        if is_business_day(day, closures=closures):
            closed_since = next_midnight
            available = _elapsed(cursor, next_midnight)
            if remaining <= available:
                return _shift(cursor, remaining)
            remaining -= available
        cursor = next_midnight
    return cursor


def response_due(since: datetime, *, urgent: bool, closures: Closures = YEAR_END) -> datetime:
    """When the response is due.

    ``since`` is the moment the association came to owe a response: the report, or the
    member's answer to a request for information. Urgent: ``since`` + 2 h wall clock;
    standard: one business day after ``since``.
    """
    _require_aware(since=since)
    if urgent:
        return _shift(since, URGENT_RESPONSE)
    return add_business_time(since, STANDARD_RESPONSE, closures=closures)


def is_overdue(
    since: datetime,
    *,
    urgent: bool,
    responded_at: datetime | None,
    now: datetime,
    closures: Closures = YEAR_END,
) -> bool:
    """True when the response owed from ``since`` was not given by the due time (as at ``now``)."""
    _require_aware(responded_at=responded_at, now=now)
    due = response_due(since, urgent=urgent, closures=closures)
    return (now if responded_at is None else responded_at) > due


_ONE_DAY = timedelta(days=1)
# A calendar closed for longer than this (every day of the year a closing day) is a mistake.
_NO_BUSINESS_DAY_FOR = timedelta(days=3 * 366)


def _require_aware(**values: datetime | None) -> None:
    for name, value in values.items():
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


def tokyo_midnight(day: date) -> datetime:
    """The start of `day` in Asia/Tokyo (bounds for indexed date comparisons)."""
    return datetime.combine(day, time(), tzinfo=TOKYO)


def _elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time from start to end (in UTC, so it is right even across an offset change)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def _shift(moment: datetime, amount: timedelta) -> datetime:
    return (moment.astimezone(UTC) + amount).astimezone(TOKYO)
