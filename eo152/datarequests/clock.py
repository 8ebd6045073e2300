"""The desk's clock: deadlines in business days, skipping weekends and Colorado's legal
holidays (the ``holidays`` package's US/CO calendar, not a table of our own).

The default deadline, when a request names none, is ``EO152_DATA_REQUEST_DAYS`` business
days after it arrived (3, the Colorado Open Records Act's period, C.R.S. 24-72-203(3)(b));
a subpoena's return date or a contract's date, given as ``deadline``, replaces it.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays

#: A deadline this many business days away, or fewer, is due soon.
DUE_SOON_DAYS = 2


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("US", subdiv="CO", years=year)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _calendar(day.year)


def add_business_days(start: date, days: int) -> date:
    """The business day ``days`` business days after ``start`` (``start`` itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day


def business_days_between(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end`` (negative if ``end`` is
    before ``start``)."""
    if end < start:
        return -business_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count


def holiday_name(day: date) -> str | None:
    found = _calendar(day.year).get(day)
    return str(found) if found else None


class Standing(StrEnum):
    """Where a request stands against its deadline."""

    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    ANSWERED = "answered"


def standing(deadline: date, today: date, *, paused: bool, answered: bool) -> Standing:
    if answered:
        return Standing.ANSWERED
    if paused:
        return Standing.PAUSED
    if today > deadline:
        return Standing.OVERDUE
    if business_days_between(today, deadline) <= DUE_SOON_DAYS:
        return Standing.DUE_SOON
    return Standing.ON_TIME
