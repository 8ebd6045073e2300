"""The ledger as the records apps use it: one open ledger per thread, and the audit entries.

Every read and write of a record is a ledger entry holding who (an account number), what
(the record's type, id and the SHA-256 of what was written or shown), and when; never the
record's words or a person's name, so the log can be shown to anyone.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import rfc8785

from ..config import Settings
from ..ledger import Ledger, LedgerSettings, Receipt, RecordChanged, RecordRead, now

_opened = threading.local()

#: How the ledger names someone with no account (a resident filing or checking a report).
PUBLIC = "public"


def site_ledger() -> Ledger:
    """This thread's ledger for the current data folder (opened once, kept open)."""
    settings = Settings.from_env()
    key = (settings.data_dir, settings.database_url)
    ledgers: dict[tuple[object, str], Ledger] = getattr(_opened, "ledgers", None) or {}
    _opened.ledgers = ledgers
    if key not in ledgers:
        ledgers[key] = Ledger.open(
            LedgerSettings.from_env(settings.data_dir, settings.database_url)
        )
    return ledgers[key]


def close_ledgers() -> None:
    """Close this thread's ledgers (tests, and a worker that is stopping)."""
    for ledger in getattr(_opened, "ledgers", {}).values():
        ledger.close()
    _opened.ledgers = {}


def fingerprint(content: Any) -> str:
    """SHA-256 of ``content`` as RFC 8785 canonical JSON."""
    return hashlib.sha256(rfc8785.dumps(content)).hexdigest()


def today() -> str:
    """The day in UTC, as a day-only entry gives it (``2026-12-02``)."""
    return datetime.now(UTC).date().isoformat()


def log_written(
    record_type: str, record_id: str, content: Any, actor: str, *, created: bool, day_only: bool
) -> Receipt:
    """Log that ``actor`` created or changed a record now holding ``content``.

    ``day_only`` stamps the day instead of the time (a public report's own filing).
    """
    at = today() if day_only else now()
    change = "created" if created else "changed"
    event = RecordChanged(record_type, record_id, fingerprint(content), change, actor, at)
    return site_ledger().record(event)


def log_read(record_type: str, record_id: str, shown: Any, part: str, actor: str) -> Receipt:
    """Log that ``actor`` was shown ``part`` of a record (``shown`` is what they saw)."""
    event = RecordRead(record_type, record_id, fingerprint(shown), part, actor, now())
    return site_ledger().record(event)


def ledger_entries(
    up_to: int | None = None, marker: str = ""
) -> Iterator[tuple[int, dict[str, Any]]]:
    """This data folder's ledger entries in log order, each with its index, a page at a
    time: the first ``up_to`` only when given (a count that must match one tree size), and
    only those whose canonical JSON holds ``marker`` (a cheap filter before parsing, such
    as ``'"kind":"data_request.'``).

    The log holds fingerprints, never words, and is read at tens of thousands of entries a
    second; the audit trail, custody, the referral's activity log and the public tally all
    read it here.
    """
    store = site_ledger().log.store
    start = 0
    while page := store.entry_page(start, 5000):
        for index, text in page:
            if up_to is not None and index >= up_to:
                return
            if marker in text:
                yield index, json.loads(text)
        start = page[-1][0] + 1
