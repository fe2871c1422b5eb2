"""Service levels for the first response to a member's complaint.

- A case flagged 自傷・希死念慮 (self-harm / suicidal ideation) is urgent: first response within
  two wall-clock hours, around the clock.
- Every other case: within one business day, i.e. 24 hours counted on business days only.
  Business days are the Asia/Tokyo dates that are neither Saturday, Sunday nor a Japanese
  public holiday (振替休日 and 国民の休日 included, from ``jpholiday``, offline).
- While a case waits for the member (追加資料待ち) the clock is paused.

All datetimes must be timezone-aware; results are returned in Asia/Tokyo.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jpholiday

TOKYO = ZoneInfo("Asia/Tokyo")

URGENT_RESPONSE = timedelta(hours=2)
STANDARD_RESPONSE = timedelta(days=1)  # one business day = 24 business hours

Pause = tuple[datetime, datetime | None]


def is_business_day(day: date) -> bool:
    """True unless ``day`` is a Saturday, a Sunday or a Japanese public holiday."""
    if isinstance(day, datetime):
        raise TypeError("pass a date (the Asia/Tokyo calendar date), not a datetime")
    return day.weekday() < 5 and not jpholiday.is_holiday(day)


def business_time_between(start: datetime, end: datetime) -> timedelta:
    """The part of [start, end) that falls on business days; zero if ``end <= start``."""
    _require_aware(start=start, end=end)
    total = timedelta(0)
    if end <= start:
        return total
    day = start.astimezone(TOKYO).date()
    last_day = end.astimezone(TOKYO).date()
    while day <= last_day:
        if is_business_day(day):
            total += _elapsed(max(start, _midnight(day)), min(end, _midnight(day + _ONE_DAY)))
        day += _ONE_DAY
    return total


def add_business_time(start: datetime, amount: timedelta) -> datetime:
    """The earliest moment at which ``amount`` of business time has elapsed since ``start``.

    On a non-business day the clock starts at 00:00 of the next business day. An amount that
    ends exactly at midnight gives that midnight (the end of the last business day used).
    """
    _require_aware(start=start)
    if amount < timedelta(0):
        raise ValueError("amount must not be negative")
    cursor = start.astimezone(TOKYO)
    remaining = amount
    while remaining:
        day = cursor.date()
        next_midnight = _midnight(day + _ONE_DAY)
        if is_business_day(day):
            available = _elapsed(cursor, next_midnight)
            if remaining <= available:
                return _shift(cursor, remaining)
            remaining -= available
        cursor = next_midnight
    return cursor


def response_due(
    received_at: datetime,
    *,
    urgent: bool,
    pauses: Iterable[Pause] = (),
    now: datetime | None = None,
) -> datetime:
    """When the first response is due.

    Urgent: ``received_at`` + 2 h wall clock; standard: one business day after ``received_at``.
    Each pause (start, end) moves the due time on by its length, measured the same way (wall
    clock or business time). A pause with ``end=None`` is still running and counts up to
    ``now``, which is then required. The clock only pauses while it runs: time before
    ``received_at`` is ignored, overlapping pauses count once, and a pause that starts at or
    after the due time (the case was already late) no longer moves it.
    """
    _require_aware(received_at=received_at, now=now)
    pauses = _merged_pauses(received_at, pauses, now)
    if urgent:
        due = _shift(received_at, URGENT_RESPONSE)
        for pause_start, pause_end in pauses:
            if pause_start >= due:
                break
            due = _shift(due, _elapsed(pause_start, pause_end))
        return due
    allowance = STANDARD_RESPONSE
    due = add_business_time(received_at, allowance)
    for pause_start, pause_end in pauses:
        if pause_start >= due:
            break
        allowance += business_time_between(pause_start, pause_end)
        due = add_business_time(received_at, allowance)
    return due


def is_overdue(
    received_at: datetime,
    *,
    urgent: bool,
    responded_at: datetime | None,
    pauses: Iterable[Pause] = (),
    now: datetime,
) -> bool:
    """True when the first response was not given by the due time (as known at ``now``)."""
    _require_aware(responded_at=responded_at, now=now)
    due = response_due(received_at, urgent=urgent, pauses=pauses, now=now)
    return (now if responded_at is None else responded_at) > due


_ONE_DAY = timedelta(days=1)


def _require_aware(**values: datetime | None) -> None:
    for name, value in values.items():
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=TOKYO)


def _elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time from start to end (in UTC, so it is right even across an offset change)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def _shift(moment: datetime, amount: timedelta) -> datetime:
    return (moment.astimezone(UTC) + amount).astimezone(TOKYO)


def _merged_pauses(
    received_at: datetime, pauses: Iterable[Pause], now: datetime | None
) -> list[tuple[datetime, datetime]]:
    """Pauses clipped to start no earlier than received_at, sorted, overlaps merged."""
    clipped = []
    for pause_start, pause_end in pauses:
        _require_aware(pause_start=pause_start, pause_end=pause_end)
        if pause_end is None:
            if now is None:
                raise ValueError("a pause that is still running (end None) needs `now`")
            pause_end = now
        elif pause_end < pause_start:
            raise ValueError(f"pause ends before it starts: {pause_start} > {pause_end}")
        pause_start = max(pause_start, received_at)
        if pause_end > pause_start:
            clipped.append((pause_start, pause_end))
    merged: list[tuple[datetime, datetime]] = []
    for pause_start, pause_end in sorted(clipped):
        if merged and pause_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], pause_end))
        else:
            merged.append((pause_start, pause_end))
    return merged
