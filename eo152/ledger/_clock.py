"""Whether the system clock can be believed before an entry is stamped with it.

An entry's time cannot be corrected once it is logged, so a clock that is plainly wrong
stops the append (nothing is logged, and a warning goes to the ``eo152.ledger`` logger)
instead of writing a false time. Two rules, both about the clock alone:

* before EO 152 existed (``ORDER_ENACTED``, the enactment date in
  ``eo152/policies/denver-eo-152/instrument.yaml``): nothing under the order happened
  then, and a correct clock never reads it again;
* more than ``AHEAD_LIMIT`` after the latest entry: a ledger in use gets entries more
  often than that, so the clock is likelier ahead than the pause real. When the pause is
  real, the operator says so (``EO152_CLOCK_CONFIRMED=1``) and the entry goes in.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta

from ._errors import ClockImplausible

ORDER_ENACTED = date(2026, 2, 26)
AHEAD_LIMIT = timedelta(days=366)

logger = logging.getLogger("eo152.ledger")


def entry_time(entry: str) -> datetime | None:
    """When an entry says it was made (its ``at``), or None if it says nothing readable."""
    try:
        at = json.loads(entry).get("at")
        when = datetime.fromisoformat(at) if isinstance(at, str) else None
    except (ValueError, AttributeError):  # not JSON, not an object, not an ISO time
        return None
    return when if when is not None and when.tzinfo is not None else None


def check_clock(at: str, latest: datetime | None, confirmed: bool) -> None:
    """Raise ClockImplausible, and log a warning, if the time ``at`` cannot be true.

    ``latest`` is the latest entry's time; ``confirmed`` lifts the rule about it.
    """
    now = datetime.fromisoformat(at)
    problem = None
    if now.date() < ORDER_ENACTED:
        problem = (
            f"the system clock says {at}, before Executive Order 152 existed "
            f"(enacted {ORDER_ENACTED.isoformat()})"
        )
    elif latest is not None and now - latest > AHEAD_LIMIT and not confirmed:
        problem = (
            f"the system clock says {at}, more than {AHEAD_LIMIT.days} days after the "
            f"latest entry ({latest.isoformat()}); if the clock is right and the ledger "
            "was idle that long, set EO152_CLOCK_CONFIRMED=1 and run it again"
        )
    if problem:
        logger.warning("nothing logged: %s", problem)
        raise ClockImplausible(f"nothing logged: {problem}")
