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
    ├── SchemaTooNew           the tables were written by a newer eo152
    ├── BadDocument            a receipt, tree head or bundle that cannot be read (exit 2)
    └── VerificationFailed     something does not match what was recorded (exit 1)
        ├── EvidenceHashMismatch
        ├── EvidenceMissing
        ├── InvalidProof
        ├── InvalidSignature
        └── LogInconsistent
"""

from __future__ import annotations


class LedgerError(Exception):
    """Every problem this package reports."""


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
