"""The evidence ledger: content-addressed evidence and a verifiable, append-only Merkle log.

A pure library (no Django, no rules engine). Files are stored under their SHA-256; every
registration and custody event is an entry in an RFC 9162 Merkle log whose signed tree
heads (C2SP checkpoints, Ed25519) let anyone check offline that a record was filed and
has not changed. See ``docs/ledger.md``.
"""

from ._bundle import export_bundle, verify_bundle
from ._db import Database
from ._entries import (
    DERIVATIONS,
    TEXT_LIMITS,
    CustodyEvent,
    EvidenceRegistered,
    LedgerExported,
    RecordChanged,
    check_text,
)
from ._errors import (
    BadDocument,
    BadEvidence,
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
    VerificationFailed,
)
from ._files import Blob, BlobStore, FolderStore
from ._ledger import DEFAULT_MAX_BYTES, Evidence, Ledger, LedgerSettings, initialize
from ._log import ConsistencyProof, MerkleLog, TreeHead
from ._merkle import verify_consistency, verify_inclusion
from ._note import Checkpoint, Signer, Verifier
from ._receipt import Receipt, load_document, verify_receipt
from ._verify import Report

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DERIVATIONS",
    "TEXT_LIMITS",
    "BadDocument",
    "BadEvidence",
    "Blob",
    "BlobStore",
    "Checkpoint",
    "ConsistencyProof",
    "CustodyEvent",
    "Database",
    "DatabaseUnavailable",
    "Evidence",
    "EvidenceEmpty",
    "EvidenceHashMismatch",
    "EvidenceMissing",
    "EvidenceNotFound",
    "EvidenceRegistered",
    "EvidenceTooLarge",
    "EvidenceUnreadable",
    "FolderStore",
    "InvalidProof",
    "InvalidSignature",
    "Ledger",
    "LedgerError",
    "LedgerExported",
    "LedgerNotInitialized",
    "LedgerSettings",
    "LogInconsistent",
    "MerkleLog",
    "Receipt",
    "RecordChanged",
    "Report",
    "Signer",
    "TreeHead",
    "VerificationFailed",
    "Verifier",
    "check_text",
    "export_bundle",
    "initialize",
    "load_document",
    "verify_bundle",
    "verify_consistency",
    "verify_inclusion",
    "verify_receipt",
]
