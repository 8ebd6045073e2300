"""Receipts and bundles: a receipt changed in one place or damaged, and a bundle with one of
its files damaged, verify only if what they say is unchanged; otherwise verification raises
the ledger's own error (``BadDocument`` for what cannot be read, ``VerificationFailed`` for
what does not match), never another exception and never "intact"."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eo152.ledger import (
    CustodyEvent,
    Ledger,
    LedgerError,
    LedgerSettings,
    MemoryStore,
    Receipt,
    Verifier,
    initialize,
    load_document,
    now,
    verify_bundle,
    verify_receipt,
)

from .budget import examples
from .mutations import damaged, mutated


@dataclass(frozen=True)
class Exported:
    receipt: dict[str, Any]
    statement: Path
    bundle: Path
    key: Verifier


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """A small log (a file registered, a custody event) exported with its files, once."""
    folder = tmp_path_factory.mktemp("ledger")
    settings_ = LedgerSettings(folder / "data", "memory: the store is given")
    store = MemoryStore()
    initialize(settings_, origin="eo152.test/fuzz", log_store=store)
    ledger = Ledger.open(settings_, store)
    statement = folder / "statement.txt"
    statement.write_bytes("a written statement, in Spanish: una declaración".encode())
    evidence, receipt = ledger.add_evidence(statement, "officer-1", "I-1")
    ledger.record(CustodyEvent("viewed", evidence.sha256, "officer-2", now()))
    ledger.export(folder / "bundle", with_files=True, actor="records-1", recipient="Denver DA")
    key = ledger.signer.verifier
    ledger.close()
    verify_bundle(folder / "bundle", key)  # the undamaged bundle is intact
    return Exported(receipt.to_dict(), statement, folder / "bundle", key)


def _receipt_verifies(document: object, statement: Path) -> Receipt | None:
    """The receipt read from ``document`` if it verifies; None if refused as documented."""
    try:
        receipt = Receipt.from_json(document)
        verify_receipt(receipt, file=statement)
    except LedgerError as error:
        assert str(error).strip()
        return None
    return receipt


@settings(max_examples=examples(80))
@given(st.data())
def test_a_receipt_changed_in_one_place_verifies_only_if_it_says_the_same(
    exported: Exported, data: st.DataObject
) -> None:
    document = data.draw(mutated([exported.receipt]))
    accepted = _receipt_verifies(document, exported.statement)
    assert accepted is None or accepted == Receipt.from_json(exported.receipt), document


@settings(max_examples=examples(60))
@given(st.data())
def test_a_damaged_receipt_file_verifies_only_if_it_says_the_same(
    exported: Exported, tmp_path: Path, data: st.DataObject
) -> None:
    text = json.dumps(exported.receipt, indent=2).encode()
    path = tmp_path / "receipt.json"
    path.write_bytes(data.draw(damaged(text)))
    try:
        document = load_document(path, "receipt")
    except LedgerError:
        return
    accepted = _receipt_verifies(document, exported.statement)
    assert accepted is None or accepted == Receipt.from_json(exported.receipt)


def _heads(data: bytes) -> Any:
    """What a tree head file says: each head's size, root (hex in any case) and checkpoint."""
    heads = [json.loads(line) for line in data.splitlines() if line.strip()]
    return [(h["tree_size"], str(h["root_hash"]).lower(), h["checkpoint"]) for h in heads]


#: What each bundle file says, as verification reads it (a damage that leaves this unchanged,
#: such as a hex digit's case, may verify). ``log-key.txt`` and ``README.txt`` are for people:
#: a check given the published key reads neither.
MEANING = {
    "bundle.json": lambda data: _heads(data.replace(b"\n", b""))[0],
    "heads.jsonl": _heads,
    "entries.jsonl": lambda data: data.rstrip(b"\n").split(b"\n"),
}


def _meaning(name: str, data: bytes) -> Any:
    read = MEANING.get(name, bytes)
    try:
        return read(data)
    except (ValueError, KeyError, TypeError, IndexError):
        return None  # not readable: verification must refuse it


@settings(max_examples=examples(60))
@given(st.data())
def test_a_bundle_with_a_damaged_file_is_not_reported_intact(
    exported: Exported, tmp_path: Path, data: st.DataObject
) -> None:
    bundle = tmp_path / "bundle"
    shutil.rmtree(bundle, ignore_errors=True)
    shutil.copytree(exported.bundle, bundle)
    parts = sorted(p for p in bundle.rglob("*") if p.is_file() and p.suffix != ".txt")
    part = data.draw(st.sampled_from(parts))
    original = part.read_bytes()
    changed = data.draw(damaged(original))
    part.write_bytes(changed)
    try:
        verify_bundle(bundle, exported.key)
    except LedgerError as error:
        assert str(error).strip()
        return
    name = part.name if part.parent == bundle else "a bundled file"
    assert _meaning(part.name, changed) == _meaning(part.name, original), (
        f"{name} damaged and still reported intact"
    )


@settings(max_examples=examples(20))
@given(st.sampled_from(["entries.jsonl", "heads.jsonl"]), st.integers(0, 3))
def test_a_bundle_cut_at_a_line_is_not_reported_intact(
    exported: Exported, tmp_path: Path, name: str, kept: int
) -> None:
    # A cut at a line boundary leaves every line readable: only the count tells.
    bundle = tmp_path / "bundle"
    shutil.rmtree(bundle, ignore_errors=True)
    shutil.copytree(exported.bundle, bundle)
    lines = (bundle / name).read_bytes().splitlines(keepends=True)
    (bundle / name).write_bytes(b"".join(lines[: min(kept, len(lines) - 1)]))
    with pytest.raises(LedgerError):
        verify_bundle(bundle, exported.key)
