"""The desk's account for the City Attorney, the Monitor and supervisors: the requests
received in a period counted by agency, data category, legal process and answer; the open
requests whose deadline is near or past; the determinations that went against the engine;
and one CSV row per request. Never whom a request concerns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from ..accounts.models import User
from ..accounts.permissions import require
from ..incidents.services import IntakeRefused
from . import clock
from .findings import engine_answer
from .models import DataRequest, Determination, State, Status
from .services import standing_of

#: The period shown when none is asked for.
DEFAULT_DAYS = 90
#: How far ahead the deadlines coming due are looked for.
DUE_WITHIN_BUSINESS_DAYS = 10

CSV_COLUMNS = (
    "reference",
    "received",
    "agencies",
    "categories",
    "process",
    "engine_answer",
    "determination",
    "against_engine",
    "deadline",
    "state",
)


@dataclass(frozen=True)
class Period:
    """The days a request was received on, both ends included."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """From the start of the first day to the start of the day after the last, here."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, zone),
            datetime.combine(self.end + timedelta(days=1), time.min, zone),
        )


def _day(value: str, name: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise IntakeRefused(name, f"{value!r} is not a date such as 2026-12-01") from None


def period_of(start: str, end: str, today: date | None = None) -> Period:
    """The period ``from`` and ``to`` name (YYYY-MM-DD); the last 90 days up to ``to`` (by
    default today) when ``from`` is empty. IntakeRefused names the date to fix."""
    last = _day(end, "to") or today or timezone.localdate()
    first = _day(start, "from") or last - timedelta(days=DEFAULT_DAYS)
    if first > last:
        raise IntakeRefused("range", f"from {first} is after to {last}: the first date comes first")
    return Period(first, last)


@dataclass(frozen=True)
class Account:
    period: Period
    requests: list[DataRequest]
    by_agency: dict[str, int]
    by_category: dict[str, int]
    by_process: dict[str, int]
    by_answer: dict[str, int]
    due: list[DataRequest]
    overdue: list[DataRequest]
    disagreements: list[Determination]


def received_in(user: User, period: Period) -> list[DataRequest]:
    """The requests received in ``period``, newest first, if ``user`` may see the account."""
    require(user, "data_requests.account")
    start, end = period.bounds()
    return list(
        DataRequest.objects.filter(received_at__gte=start, received_at__lt=end).prefetch_related(
            "determinations"
        )
    )


def account(user: User, period: Period, today: date | None = None) -> Account:
    requests = received_in(user, period)
    today = today or timezone.localdate()
    # Deadlines are about today: every open request, whenever it was received.
    waiting = DataRequest.objects.exclude(state=State.CLOSED).order_by("deadline", "reference")
    due = [
        request
        for request in waiting
        if request.paused_at is None
        and request.deadline >= today
        and clock.business_days_between(today, request.deadline) <= DUE_WITHIN_BUSINESS_DAYS
    ]
    overdue = [
        request for request in waiting if standing_of(request, today) == clock.Standing.OVERDUE
    ]
    disagreements = list(
        Determination.objects.filter(request__in=requests, against_engine=True)
        .select_related("request", "made_by", "checked_by")
        .order_by("made_at")
    )
    return Account(
        period=period,
        requests=requests,
        by_agency=_count(code for request in requests for code in request.agencies),
        by_category=_count(name for request in requests for name in request.data_categories),
        by_process=_count(request.authority.get("kind", "unknown") for request in requests),
        by_answer=_count(request.answer or "none" for request in requests),
        due=due,
        overdue=overdue,
        disagreements=disagreements,
    )


def _count(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items(), key=lambda item: (-item[1], item[0])))


def _in_force(request: DataRequest) -> Determination | None:
    """:func:`services.in_force` from the prefetched determinations (one query in all)."""
    confirmed = [item for item in request.determinations.all() if item.status == Status.CONFIRMED]
    return max(confirmed, key=lambda item: item.pk) if confirmed else None


def csv_rows(requests: list[DataRequest]) -> list[dict[str, Any]]:
    """One row per request, as :data:`CSV_COLUMNS` names them; lists joined by ";"."""
    rows = []
    for request in requests:
        determination = _in_force(request)
        rows.append(
            {
                "reference": request.reference,
                "received": timezone.localtime(request.received_at).date().isoformat(),
                "agencies": ";".join(request.agencies),
                "categories": ";".join(request.data_categories),
                "process": request.authority.get("kind", "unknown"),
                "engine_answer": engine_answer(request.split),
                "determination": determination.kind if determination else "",
                "against_engine": "yes" if determination and determination.against_engine else "no",
                "deadline": request.deadline.isoformat(),
                "state": request.state,
            }
        )
    return rows
