"""What can go wrong with evidence and the log, named after the problem.

::

    LedgerError
    ├── BadEvidence            a file that cannot be taken in (bad input: exit status 2)
    │   ├── EvidenceEmpty
    │   ├── EvidenceTooLarge
    │   └── EvidenceUnreadable
    ├── EvidenceNotFound       no stored file has that digest
    ├── RefusedEntry           a field an entry cannot hold (also a ValueError)
    ├── NoSuchEntry            no entry, or no tree, of that size (also an IndexError)
    ├── BadSettings            a setting or key file that cannot be used (also a ValueError)
    ├── LedgerNotInitialized   no signing key or no tables yet: run ``eo152 init``
    ├── DatabaseUnavailable    DATABASE_URL cannot be opened, or the database failed
    ├── StorageFailed          the evidence folder or the key file could not be written
    ├── ClockImplausible       the system clock is before EO 152 or far ahead: nothing logged
    ├── SchemaTooNew           the tables were written by a newer eo152
    ├── BadDocument            a receipt, tree head or bundle that cannot be read (exit 2)
    └── VerificationFailed     something does not match what was recorded (exit 1)
        ├── EvidenceHashMismatch
        ├── EvidenceMissing
        ├── InvalidProof
        ├── InvalidSignature
        └── LogInconsistent

An error the machine caused rather than the data (a full disk, a held lock, a missing
permission, a read-only file system, a wrong clock) carries its ``condition``, one of
``CONDITIONS``, so a front end can say what to do about it.
"""

from __future__ import annotations

import errno
from typing import Literal

Condition = Literal["disk_full", "locked", "permission", "read_only", "clock"]
CONDITIONS: tuple[Condition, ...] = ("disk_full", "locked", "permission", "read_only", "clock")

_ERRNO_CONDITIONS: dict[int, Condition] = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.EROFS: "read_only",
}

# What SQLite says (its result codes' texts) and PostgreSQL's SQLSTATE, for each condition.
_MESSAGE_CONDITIONS: tuple[tuple[str, Condition], ...] = (
    ("database or disk is full", "disk_full"),
    ("database is locked", "locked"),
    ("database table is locked", "locked"),
    ("readonly database", "read_only"),
    ("read-only file system", "read_only"),
    ("unable to open database file", "permission"),
    ("permission denied", "permission"),
)
_SQLSTATE_CONDITIONS: dict[str, Condition] = {
    "53100": "disk_full",  # disk_full
    "55P03": "locked",  # lock_not_available
    "40P01": "locked",  # deadlock_detected
    "42501": "permission",  # insufficient_privilege
    "25006": "read_only",  # read_only_sql_transaction
}


def condition_of(error: BaseException) -> Condition | None:
    """The machine's condition behind ``error``, or None when it is not an environmental one."""
    if isinstance(error, LedgerError):
        return error.condition
    if isinstance(error, OSError) and error.errno in _ERRNO_CONDITIONS:
        return _ERRNO_CONDITIONS[error.errno]
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate in _SQLSTATE_CONDITIONS:
        return _SQLSTATE_CONDITIONS[sqlstate]
    text = str(error).lower()
    return next((found for words, found in _MESSAGE_CONDITIONS if words in text), None)


class LedgerError(Exception):
    """Every problem this package reports."""

    condition: Condition | None = None

    def because(self, cause: BaseException) -> LedgerError:
        """This error, carrying the environmental condition of ``cause`` if it has one."""
        self.condition = condition_of(cause)
        return self


class BadEvidence(LedgerError):
    """A file that cannot be taken in as evidence; nothing was stored."""


class EvidenceEmpty(BadEvidence):
    pass


class EvidenceTooLarge(BadEvidence):
    pass


class EvidenceUnreadable(BadEvidence):
    """Missing, not a regular file (a device, a folder), unreadable, or a path with ``..``."""


class EvidenceNotFound(LedgerError):
    pass


class RefusedEntry(LedgerError, ValueError):
    """A field that cannot go into an entry; nothing was logged.

    Also a ValueError, as a refused value is one, so callers that check input need not
    know this package.
    """


class NoSuchEntry(LedgerError, IndexError):
    """An entry index or a tree size beyond the log's end."""


class BadSettings(LedgerError, ValueError):
    """A setting, or the key file the settings point to, that cannot be used."""


class LedgerNotInitialized(LedgerError):
    pass


class DatabaseUnavailable(LedgerError):
    """The database cannot be opened, or a statement failed (a lost connection, a full disk)."""


class StorageFailed(LedgerError):
    """The evidence folder or the key file could not be written (a full disk, a permission):
    nothing half-written is kept."""


class SchemaTooNew(LedgerError):
    """The ledger's tables carry a schema version this code does not know; nothing was changed."""


class ClockImplausible(LedgerError):
    """The system clock reads a time no entry can truthfully carry; nothing was logged."""

    condition: Condition | None = "clock"


class BadDocument(LedgerError):
    """A receipt, consistency document or bundle that is not in the expected form."""


class VerificationFailed(LedgerError):
    """A check found something that does not match what was recorded."""


class EvidenceHashMismatch(VerificationFailed):
    pass


class EvidenceMissing(VerificationFailed):
    """A file the log says was stored is not there."""


class InvalidProof(VerificationFailed):
    pass


class InvalidSignature(VerificationFailed):
    pass


class LogInconsistent(VerificationFailed):
    """The stored log does not agree with itself or with a tree head it signed."""
