"""Custody events: someone viewed a stored file, or gave it to someone outside.

The event is stamped here, with the ledger's clock, so every front end records the same
thing the same way; the ledger checks and logs it.
"""

from __future__ import annotations

from ..ledger import CustodyEvent, Ledger, Receipt, now


def log_viewed(ledger: Ledger, digest: str, actor: str, reason: str | None = None) -> Receipt:
    """Record that ``actor`` viewed (played or opened) the file ``digest``."""
    return ledger.log_custody(CustodyEvent("viewed", digest.lower(), actor, now(), reason=reason))


def log_shared(
    ledger: Ledger, digest: str, actor: str, recipient: str, reason: str | None = None
) -> Receipt:
    """Record that ``actor`` gave the file ``digest`` to ``recipient`` outside the City."""
    event = CustodyEvent("shared", digest.lower(), actor, now(), recipient=recipient, reason=reason)
    return ledger.log_custody(event)
