"""Tampering with anything stored is caught by ``verify``: entries, subtrees, heads, files.

Each test changes the stored data behind the ledger's back, the way someone with access to
the database or the disk could, and checks that verification names what is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eo152.ledger import (
    EvidenceHashMismatch,
    EvidenceMissing,
    InvalidSignature,
    Ledger,
    LogInconsistent,
    Signer,
    VerificationFailed,
    verify_bundle,
)
from eo152.ledger._merkle import Frontier, leaf_hash
from eo152.ledger._note import sign_checkpoint
from eo152.ledger._postgres import PostgresStore
from eo152.ledger._store import node_key

pytestmark = pytest.mark.db


@pytest.fixture
def filled(ledger: Ledger, tmp_path: Path) -> Ledger:
    """A ledger of 7 entries: 4 files (two of the same size) and 3 custody events."""
    for name, data in [
        ("a.txt", b"first statement"),
        ("b.txt", b"other statement"),
        ("c.bin", b"\x00\x01"),
        ("d.txt", b"photo"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        evidence, _ = ledger.add_evidence(path, "officer-1", "I-1")
        if name != "c.bin":
            ledger.log.append(
                f'{{"actor":"officer-2","kind":"custody.viewed","sha256":"{evidence.sha256}"}}'
            )
    assert ledger.verify().tree_size == 7
    return ledger


def _tamper(ledger: Ledger, sql: str, *params: object) -> None:
    """Run ``sql`` on the ledger's own connection; ``{}`` stands for each parameter.

    Each driver gets its own parameter mark, put in by ``str.format``.
    """
    store = ledger.log.store
    mark = "%s" if isinstance(store, PostgresStore) else "?"
    store.connection.execute(sql.format(*[mark] * len(params)), params)


def _flip(text: str, position: int) -> str:
    """Change one character (an ASCII one stays ASCII)."""
    return text[:position] + chr(ord(text[position]) ^ 0x01) + text[position + 1 :]


def _file(ledger: Ledger, index: int) -> Path:
    entries = dict(ledger.log.entries())
    return ledger.store.path(json.loads(entries[index])["sha256"])


def test_an_intact_ledger_verifies(filled: Ledger) -> None:
    report = filled.verify()
    assert (report.tree_size, report.heads, report.files) == (7, 7, 4)


def test_changing_any_byte_of_an_entry_is_detected(filled: Ledger) -> None:
    original = filled.log.entry(2)
    for position in range(len(original)):
        _tamper(
            filled,
            "UPDATE ledger_entry SET entry = {} WHERE leaf_index = 2",
            _flip(original, position),
        )
        with pytest.raises(LogInconsistent, match="entry 2"):
            filled.verify()
    _tamper(filled, "UPDATE ledger_entry SET entry = {} WHERE leaf_index = 2", original)
    filled.verify()


def test_an_entry_changed_with_its_stored_hashes_still_fails_the_signed_heads(
    filled: Ledger,
) -> None:
    entries = [e for _, e in filled.log.entries()]
    entries[1] = entries[1].replace("officer-2", "officer-9")
    assert entries[1] != filled.log.entry(1)
    frontier = Frontier()
    _tamper(filled, "DELETE FROM ledger_node")
    for entry in entries:
        for (level, index), digest in frontier.push(leaf_hash(entry.encode())):
            _tamper(
                filled,
                "INSERT INTO ledger_node (id, hash) VALUES ({}, {})",
                node_key(level, index),
                digest,
            )
    _tamper(filled, "UPDATE ledger_entry SET entry = {} WHERE leaf_index = 1", entries[1])
    with pytest.raises(LogInconsistent, match="tree head of 2 entries does not match"):
        filled.verify()


def test_changing_a_stored_subtree_is_detected(filled: Ledger) -> None:
    _tamper(filled, "UPDATE ledger_node SET hash = {} WHERE id = {}", bytes(32), node_key(1, 1))
    with pytest.raises(LogInconsistent, match=r"subtree \(1, 1\)"):
        filled.verify()


def test_an_extra_stored_subtree_is_detected(filled: Ledger) -> None:
    _tamper(filled, "INSERT INTO ledger_node (id, hash) VALUES ({}, {})", node_key(3, 0), bytes(32))
    with pytest.raises(LogInconsistent, match=r"stray subtree \(3, 0\)"):
        filled.verify()


def test_changing_any_byte_of_a_tree_head_is_detected(filled: Ledger) -> None:
    head = next(h for h in filled.log.heads() if h.tree_size == 4)
    for position in range(len(head.checkpoint)):
        if head.checkpoint[position] == "\u2014":
            continue  # not ASCII: changed below, as a whole character
        changed = _flip(head.checkpoint, position)
        _tamper(filled, "UPDATE ledger_head SET checkpoint = {} WHERE tree_size = 4", changed)
        with pytest.raises(VerificationFailed, match="tree head of 4 entries"):
            filled.verify()
    changed = head.checkpoint.replace("\u2014", "-")
    _tamper(filled, "UPDATE ledger_head SET checkpoint = {} WHERE tree_size = 4", changed)
    with pytest.raises(InvalidSignature):
        filled.verify()


def test_changing_a_tree_heads_root_column_is_detected(filled: Ledger) -> None:
    _tamper(filled, "UPDATE ledger_head SET root_hash = {} WHERE tree_size = 3", bytes(32))
    with pytest.raises(LogInconsistent, match="tree head of 3 entries"):
        filled.verify()


def test_changing_the_current_tree_head_is_detected(filled: Ledger) -> None:
    older = next(h for h in filled.log.heads() if h.tree_size == 6)
    _tamper(filled, "UPDATE ledger_state SET checkpoint = {}", older.checkpoint)
    with pytest.raises(LogInconsistent, match="current tree head"):
        filled.verify()


def test_deleting_an_entry_in_the_middle_is_detected(filled: Ledger) -> None:
    _tamper(filled, "DELETE FROM ledger_entry WHERE leaf_index = 3")
    with pytest.raises(LogInconsistent, match="entry 3 is missing"):
        filled.verify()


def test_deleting_the_last_entry_is_detected(filled: Ledger) -> None:
    _tamper(filled, "DELETE FROM ledger_entry WHERE leaf_index = 6")
    with pytest.raises(LogInconsistent, match="7 entries"):
        filled.verify()


def test_reordering_two_entries_is_detected(filled: Ledger) -> None:
    first, second = filled.log.entry(1), filled.log.entry(2)
    _tamper(filled, "UPDATE ledger_entry SET entry = {} WHERE leaf_index = 1", second)
    _tamper(filled, "UPDATE ledger_entry SET entry = {} WHERE leaf_index = 2", first)
    with pytest.raises(LogInconsistent, match="entry 1"):
        filled.verify()


def test_changing_any_byte_of_a_file_is_detected(filled: Ledger) -> None:
    path = _file(filled, 0)
    original = path.read_bytes()
    path.chmod(0o644)
    for position in range(len(original)):
        changed = bytearray(original)
        changed[position] ^= 0x01
        path.write_bytes(bytes(changed))
        with pytest.raises(EvidenceHashMismatch, match=path.name):
            filled.verify()
    path.write_bytes(original)
    filled.verify()


def test_swapping_a_file_for_another_of_the_same_size_is_detected(filled: Ledger) -> None:
    first, second = _file(filled, 0), _file(filled, 2)
    assert first.stat().st_size == second.stat().st_size
    first.chmod(0o644)
    first.write_bytes(second.read_bytes())
    with pytest.raises(EvidenceHashMismatch, match=first.name):
        filled.verify()


def test_deleting_a_file_is_detected(filled: Ledger) -> None:
    path = _file(filled, 4)
    path.unlink()
    with pytest.raises(EvidenceMissing, match="entry 4"):
        filled.verify()


def test_heads_re_signed_with_another_key_fail_against_the_published_key(filled: Ledger) -> None:
    published = filled.signer.verifier
    forged = Signer.generate(published.name)  # the same log name, another key
    for head in filled.log.heads():
        checkpoint = sign_checkpoint(forged, head.tree_size, head.root_hash)
        _tamper(
            filled,
            "UPDATE ledger_head SET checkpoint = {} WHERE tree_size = {}",
            checkpoint,
            head.tree_size,
        )
        if head.tree_size == 7:
            _tamper(filled, "UPDATE ledger_state SET checkpoint = {}", checkpoint)
    assert filled.verify(key=forged.verifier).tree_size == 7
    for key in (published, None):  # the published key, and the data folder's own
        with pytest.raises(
            InvalidSignature, match=f"tree head of 1 entries: .* key {published.name}"
        ):
            filled.verify(key=key)


@pytest.mark.parametrize("size", [1, 4, 6])
def test_a_tree_head_deleted_from_the_middle_is_named(filled: Ledger, size: int) -> None:
    _tamper(filled, "DELETE FROM ledger_head WHERE tree_size = {}", size)
    with pytest.raises(LogInconsistent, match=f"tree head of {size} entries is missing"):
        filled.verify()


def test_a_deleted_head_is_named_in_a_bundle_too(filled: Ledger, tmp_path: Path) -> None:
    filled.export(tmp_path / "bundle", with_files=False, actor="monitor")
    heads = tmp_path / "bundle" / "heads.jsonl"
    lines = heads.read_text().splitlines()
    heads.write_text("\n".join(lines[:2] + lines[3:]) + "\n")
    with pytest.raises(LogInconsistent, match="tree head of 3 entries is missing"):
        verify_bundle(tmp_path / "bundle")


def _resign_without_previous(ledger: Ledger, size: int) -> None:
    """Sign the head of ``size`` as eo152 did before heads named their predecessor."""
    head = next(h for h in ledger.log.heads() if h.tree_size == size)
    checkpoint = sign_checkpoint(ledger.signer, size, head.root_hash)
    _tamper(ledger, "UPDATE ledger_head SET checkpoint = {} WHERE tree_size = {}", checkpoint, size)


def test_heads_from_before_they_named_their_predecessor_still_verify(filled: Ledger) -> None:
    for size in (1, 2, 3):
        _resign_without_previous(filled, size)
    assert filled.verify().tree_size == 7
    _resign_without_previous(filled, 5)  # after heads that name theirs: only a key holder could
    with pytest.raises(LogInconsistent, match="head of 5 entries does not name the head before"):
        filled.verify()


@pytest.mark.parametrize("kept", [0, 7])
def test_a_bundle_whose_last_heads_were_cut_off_is_refused(
    filled: Ledger, tmp_path: Path, kept: int
) -> None:
    filled.export(tmp_path / "bundle", with_files=False, actor="monitor")
    heads = tmp_path / "bundle" / "heads.jsonl"
    heads.write_text("".join(heads.read_text().splitlines(keepends=True)[:kept]))
    with pytest.raises(LogInconsistent, match="does not end with the tree head in bundle"):
        verify_bundle(tmp_path / "bundle")
