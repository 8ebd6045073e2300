"""Receipts: what a resident or an officer keeps to prove a record was filed and not changed.

A receipt carries the exact entry text, its leaf hash, an inclusion proof and the signed
tree head it leads to. Checking one needs no database and no network: only the receipt,
the log's public key (the receipt names it; a careful checker brings the key the City
published instead), and optionally the file and a newer tree head.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import _merkle as merkle
from ._errors import BadDocument, EvidenceHashMismatch, InvalidProof, LogInconsistent
from ._files import hash_file
from ._note import Verifier, open_checkpoint


def _hex(document: dict[str, Any], key: str, what: str) -> bytes:
    value = document.get(key)
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        raw = bytes.fromhex(value)
    except ValueError as error:
        raise BadDocument(f"the {what}'s {key} is not a hex string") from error
    if len(raw) != 32:
        raise BadDocument(f"the {what}'s {key} is not a 32-byte hash")
    return raw


def _int(document: dict[str, Any], key: str, what: str) -> int:
    value = document.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadDocument(f"the {what}'s {key} is not a whole number")
    return value


def _str(document: dict[str, Any], key: str, what: str) -> str:
    value = document.get(key)
    if not isinstance(value, str):
        raise BadDocument(f"the {what} has no {key} text")
    return value


def _hex_list(document: dict[str, Any], key: str, what: str) -> list[bytes]:
    values = document.get(key)
    if not isinstance(values, list):
        raise BadDocument(f"the {what}'s {key} is not a list of hashes")
    return [_hex({key: v}, key, what) for v in values]


@dataclass(frozen=True)
class Receipt:
    leaf_index: int
    entry: str
    leaf_hash: bytes
    tree_size: int
    root_hash: bytes
    inclusion_proof: list[bytes]
    checkpoint: str
    log_key: str

    def to_dict(self) -> dict[str, object]:
        return {
            "leaf_index": self.leaf_index,
            "entry": self.entry,
            "leaf_hash": self.leaf_hash.hex(),
            "tree_size": self.tree_size,
            "root_hash": self.root_hash.hex(),
            "inclusion_proof": [h.hex() for h in self.inclusion_proof],
            "checkpoint": self.checkpoint,
            "log_key": self.log_key,
        }

    @classmethod
    def from_json(cls, document: object) -> Receipt:
        if not isinstance(document, dict):
            raise BadDocument("a receipt is a JSON object")
        return cls(
            leaf_index=_int(document, "leaf_index", "receipt"),
            entry=_str(document, "entry", "receipt"),
            leaf_hash=_hex(document, "leaf_hash", "receipt"),
            tree_size=_int(document, "tree_size", "receipt"),
            root_hash=_hex(document, "root_hash", "receipt"),
            inclusion_proof=_hex_list(document, "inclusion_proof", "receipt"),
            checkpoint=_str(document, "checkpoint", "receipt"),
            log_key=_str(document, "log_key", "receipt"),
        )


def load_document(path: Path, what: str) -> object:
    """Read a JSON document (a receipt, a consistency proof); BadDocument names ``what``."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BadDocument(f"cannot read the {what} {path}: {error.strerror}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadDocument(f"the {what} {path} is not JSON: {error}") from error


def verify_receipt(
    receipt: Receipt,
    key: Verifier | None = None,
    file: Path | None = None,
    newer: object = None,
) -> list[str]:
    """Check a receipt offline; return what was checked, or raise at the first failure.

    ``key`` is the log key to trust (default: the one the receipt names). ``newer`` is
    the JSON of ``eo152 ledger consistency``, to show the entry is still in a later tree.
    """
    verifier = key or Verifier.decode(receipt.log_key)
    if merkle.leaf_hash(receipt.entry.encode()) != receipt.leaf_hash:
        raise InvalidProof("the entry text does not hash to the receipt's leaf_hash")
    checkpoint = open_checkpoint(receipt.checkpoint, verifier)
    if (checkpoint.tree_size, checkpoint.root_hash) != (receipt.tree_size, receipt.root_hash):
        raise LogInconsistent("the signed checkpoint is not for the receipt's tree size and root")
    merkle.verify_inclusion(
        receipt.leaf_hash,
        receipt.leaf_index,
        receipt.tree_size,
        receipt.inclusion_proof,
        receipt.root_hash,
    )
    checks = [
        f"the tree head of {receipt.tree_size} entries is signed by {verifier.encode()}",
        f"entry {receipt.leaf_index} is in that tree, exactly as the receipt quotes it",
    ]
    if file is not None:
        checks.append(_check_file(receipt, file))
    if newer is not None:
        checks.append(_check_newer(receipt, verifier, newer))
    return checks


def _check_file(receipt: Receipt, file: Path) -> str:
    try:
        digest = json.loads(receipt.entry).get("sha256")
    except (json.JSONDecodeError, AttributeError) as error:
        raise BadDocument("the receipt's entry is not a JSON object") from error
    if not isinstance(digest, str):
        raise BadDocument("the receipt's entry names no file (it has no sha256)")
    actual, _ = hash_file(file)
    if actual != digest:
        raise EvidenceHashMismatch(f"{file} has SHA-256 {actual}, the entry records {digest}")
    return f"{file} is the file the entry records (SHA-256 {digest})"


def _check_newer(receipt: Receipt, verifier: Verifier, document: object) -> str:
    if not isinstance(document, dict):
        raise BadDocument("a consistency document is a JSON object")
    old_size = _int(document, "old_size", "consistency document")
    new_size = _int(document, "tree_size", "consistency document")
    new_root = _hex(document, "root_hash", "consistency document")
    proof = _hex_list(document, "consistency_proof", "consistency document")
    if old_size != receipt.tree_size:
        raise BadDocument(
            f"the consistency proof starts at {old_size} entries, "
            f"the receipt's tree has {receipt.tree_size}"
        )
    head = open_checkpoint(_str(document, "checkpoint", "consistency document"), verifier)
    if (head.tree_size, head.root_hash) != (new_size, new_root):
        raise LogInconsistent("the newer checkpoint is not for the document's size and root")
    merkle.verify_consistency(old_size, new_size, receipt.root_hash, new_root, proof)
    return f"the newer signed tree head of {new_size} entries still contains that tree"
