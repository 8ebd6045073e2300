"""The evidence ledger: content-addressed evidence and a verifiable, append-only Merkle log.

A pure library (no Django, no rules engine). Files are stored under their SHA-256; every
registration and custody event is an entry in an RFC 9162 Merkle log whose signed tree
heads (C2SP checkpoints, Ed25519) let anyone check offline that a record was filed and
has not changed. See ``docs/ledger.md``.

The log's rows live in a :class:`LogStore` (SQLite, PostgreSQL or memory) that
:func:`open_store` picks from a ``DATABASE_URL``. Importing this package loads no database
driver, so the offline checks (:func:`verify_bundle`, :func:`verify_receipt`) run where
neither sqlite3 nor psycopg is installed.
"""

import logging

from ._bundle import export_bundle, verify_bundle
from ._entries import (
    DERIVATIONS,
    TEXT_LIMITS,
    CustodyEvent,
    DataRequestStep,
    EvidenceRegistered,
    ExerciseRecorded,
    LedgerExported,
    RecordChanged,
    RecordRead,
    check_text,
    now,
)
from ._errors import (
    CONDITIONS,
    BadDocument,
    BadEvidence,
    BadSettings,
    ClockImplausible,
    Condition,
    DatabaseUnavailable,
    EvidenceEmpty,
    EvidenceHashMismatch,
    EvidenceMissing,
    EvidenceNotFound,
    EvidenceTooLarge,
    EvidenceUnreadable,
    InvalidProof,
    InvalidSignature,
    LedgerError,
    LedgerNotInitialized,
    LogInconsistent,
    NoSuchEntry,
    RefusedEntry,
    SchemaTooNew,
    StorageFailed,
    VerificationFailed,
    condition_of,
)
from ._files import Blob, BlobStore, FolderStore
from ._head import TreeHead
from ._ledger import DEFAULT_MAX_BYTES, Evidence, Ledger, LedgerSettings, initialize
from ._log import ConsistencyProof, MerkleLog
from ._media import detect_media_type
from ._memory import MemoryStore
from ._merkle import verify_consistency, verify_inclusion
from ._note import Checkpoint, Signer, Verifier
from ._receipt import Receipt, load_document, verify_receipt
from ._store import SCHEMA_VERSION, LogStore, open_store
from ._verify import Report

# A library logs to its own logger and leaves the handlers to the application.
logging.getLogger("eo152.ledger").addHandler(logging.NullHandler())

__all__ = [
    "CONDITIONS",
    "DEFAULT_MAX_BYTES",
    "DERIVATIONS",
    "SCHEMA_VERSION",
    "TEXT_LIMITS",
    "BadDocument",
    "BadEvidence",
    "BadSettings",
    "Blob",
    "BlobStore",
    "Checkpoint",
    "ClockImplausible",
    "Condition",
    "ConsistencyProof",
    "CustodyEvent",
    "DataRequestStep",
    "DatabaseUnavailable",
    "Evidence",
    "EvidenceEmpty",
    "EvidenceHashMismatch",
    "EvidenceMissing",
    "EvidenceNotFound",
    "EvidenceRegistered",
    "EvidenceTooLarge",
    "EvidenceUnreadable",
    "ExerciseRecorded",
    "FolderStore",
    "InvalidProof",
    "InvalidSignature",
    "Ledger",
    "LedgerError",
    "LedgerExported",
    "LedgerNotInitialized",
    "LedgerSettings",
    "LogInconsistent",
    "LogStore",
    "MemoryStore",
    "MerkleLog",
    "NoSuchEntry",
    "Receipt",
    "RecordChanged",
    "RecordRead",
    "RefusedEntry",
    "Report",
    "SchemaTooNew",
    "Signer",
    "StorageFailed",
    "TreeHead",
    "VerificationFailed",
    "Verifier",
    "check_text",
    "condition_of",
    "detect_media_type",
    "export_bundle",
    "initialize",
    "load_document",
    "now",
    "open_store",
    "verify_bundle",
    "verify_consistency",
    "verify_inclusion",
    "verify_receipt",
]
