"""The log on every store (memory, SQLite, PostgreSQL): receipts, proofs, tree heads, pages.

Each test taking ``any_ledger`` runs once per store; the PostgreSQL run is in the PostgreSQL
pass (marker ``db``). Several processes appending need a database they share.
"""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from eo152.ledger import (
    CustodyEvent,
    Ledger,
    LedgerError,
    LedgerSettings,
    NoSuchEntry,
    RecordChanged,
    RefusedEntry,
    _log,
    verify_consistency,
    verify_receipt,
)
from eo152.ledger._merkle import EMPTY_ROOT, Frontier, leaf_hash

DIGEST = "ab" * 32


def _event(i: int) -> str:
    return CustodyEvent(
        "viewed", DIGEST, f"officer-{i}", f"2026-03-01T00:00:{i % 60:02d}Z"
    ).to_entry()


def test_an_empty_log_has_the_empty_root_and_a_signed_head(any_ledger: Ledger) -> None:
    head = any_ledger.log.head()
    assert (head.tree_size, head.root_hash) == (0, EMPTY_ROOT)
    assert head.checkpoint.startswith("eo152.test/ledger\n0\n")


def test_each_receipt_proves_its_entry_in_the_head_it_was_issued_with(any_ledger: Ledger) -> None:
    receipts = [any_ledger.log.append(_event(i)) for i in range(9)]
    for index, receipt in enumerate(receipts):
        assert (receipt.leaf_index, receipt.tree_size) == (index, index + 1)
        assert receipt.leaf_hash == leaf_hash(receipt.entry.encode())
        verify_receipt(receipt, any_ledger.signer.verifier)
    frontier = Frontier()
    for receipt in receipts:
        frontier.push(receipt.leaf_hash)
    assert any_ledger.log.head().root_hash == frontier.root()


def test_a_batch_append_gives_consecutive_indexes_and_one_head(any_ledger: Ledger) -> None:
    any_ledger.log.append(_event(0))
    receipts = any_ledger.log.append_many([_event(i) for i in range(1, 6)])
    assert [r.leaf_index for r in receipts] == [1, 2, 3, 4, 5]
    assert {r.tree_size for r in receipts} == {6}
    assert [h.tree_size for h in any_ledger.log.heads()] == [1, 6]
    assert "\nprevious 1\n" in receipts[0].checkpoint  # the head before it, signed
    for receipt in receipts:
        verify_receipt(receipt)


def test_a_later_proof_for_an_old_entry_uses_the_latest_head(any_ledger: Ledger) -> None:
    any_ledger.log.append_many([_event(i) for i in range(13)])
    receipt = any_ledger.log.prove(4)
    assert receipt.tree_size == 13
    verify_receipt(receipt, any_ledger.signer.verifier)


def test_every_older_head_is_consistent_with_the_current_one(any_ledger: Ledger) -> None:
    heads = [any_ledger.log.append(_event(i)) for i in range(11)]
    current = any_ledger.log.head()
    for old in heads:
        proof = any_ledger.log.consistency(old.tree_size)
        verify_consistency(
            old.tree_size, current.tree_size, old.root_hash, current.root_hash, proof.hashes
        )
    assert any_ledger.log.consistency(0).hashes == []


def test_proving_an_entry_that_does_not_exist_is_a_ledger_error(any_ledger: Ledger) -> None:
    any_ledger.log.append(_event(0))
    for beyond in (lambda: any_ledger.log.prove(1), lambda: any_ledger.log.consistency(2)):
        with pytest.raises(NoSuchEntry) as raised:
            beyond()
        assert isinstance(raised.value, LedgerError)
        assert isinstance(raised.value, IndexError)  # what callers caught before
    with pytest.raises(NoSuchEntry, match="no entry 5"):
        any_ledger.log.entry(5)
    with pytest.raises(RefusedEntry, match="nothing to append"):
        any_ledger.log.append_many([])


def test_a_question_mark_in_a_note_is_stored_as_written(any_ledger: Ledger) -> None:
    # On PostgreSQL, SQL once had "?" rewritten to "%s"; a value must never be touched.
    note = "who filmed this? unknown; 50% blurred; ?, %s, $1"
    event = CustodyEvent(
        "derived",
        "cd" * 32,
        "tech-1",
        "2026-03-01T00:00:00Z",
        derived_from=DIGEST,
        derivation="redacted",
        note=note,
    )
    receipt = any_ledger.log.append(event.to_entry())
    assert json.loads(any_ledger.log.entry(receipt.leaf_index))["note"] == note
    assert any_ledger.log.prove(0).entry == receipt.entry
    assert any_ledger.verify().tree_size == 1


def test_an_append_that_fails_leaves_nothing_behind(
    any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    any_ledger.log.append_many([_event(i) for i in range(3)])
    before = (any_ledger.log.head(), list(any_ledger.log.entries()))

    def fail(*args: object) -> None:
        raise RuntimeError("the power went out")

    with monkeypatch.context() as patch:
        patch.setattr(any_ledger.log, "_receipts", fail)  # after the rows are written
        with pytest.raises(RuntimeError):
            any_ledger.log.append_many([_event(i) for i in range(3, 8)])
    assert (any_ledger.log.head(), list(any_ledger.log.entries())) == before
    assert any_ledger.log.append(_event(3)).leaf_index == 3
    assert any_ledger.verify().tree_size == 4


def test_the_log_streams_page_by_page(any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    any_ledger.log.append_many([_event(i) for i in range(10)])
    any_ledger.log.append_many([_event(i) for i in range(10, 17)])
    monkeypatch.setattr(_log, "PAGE", 3)
    assert [index for index, _ in any_ledger.log.entries()] == list(range(17))
    assert [index for index, _ in any_ledger.log.entries(15)] == [15, 16]
    assert [head.tree_size for head in any_ledger.log.heads()] == [10, 17]
    keys = [key for key, _ in any_ledger.log.stored_nodes(0, (1 << 63) - 1)]
    assert keys == sorted(keys) and len(keys) == 17 + 8 + 4 + 2 + 1
    assert any_ledger.verify().tree_size == 17


def test_entries_are_canonical_json_of_who_what_when_and_hashes(any_ledger: Ledger) -> None:
    change = RecordChanged(
        "incident", "I-7", "cd" * 32, "created", "intake:web", "2026-03-01T00:00:00Z"
    )
    receipt = any_ledger.record(change)
    assert receipt.entry == (
        '{"actor":"intake:web","at":"2026-03-01T00:00:00Z","change":"created",'
        '"kind":"record.created","record_id":"I-7","record_sha256":"' + "cd" * 32 + '",'
        '"record_type":"incident"}'
    )


def test_a_derived_copy_names_its_original() -> None:
    event = CustodyEvent(
        "derived",
        "cd" * 32,
        "tech-1",
        "2026-03-01T00:00:00Z",
        derived_from=DIGEST,
        derivation="redacted",
    )
    assert json.loads(event.to_entry())["derived_from"] == DIGEST
    with pytest.raises(ValueError):
        CustodyEvent("derived", "cd" * 32, "tech-1", "2026-03-01T00:00:00Z").to_entry()
    with pytest.raises(ValueError):
        CustodyEvent("burned", DIGEST, "tech-1", "2026-03-01T00:00:00Z").to_entry()


def _append_in_another_process(settings: LedgerSettings, worker: int, count: int) -> None:
    ledger = Ledger.open(settings)
    for i in range(count):
        ledger.log.append(_event(worker * 1000 + i))
    ledger.close()


@pytest.mark.db
def test_appends_from_several_processes_get_every_index_exactly_once(
    ledger: Ledger, settings: LedgerSettings
) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_append_in_another_process, args=(settings, w, 25)) for w in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    assert [index for index, _ in ledger.log.entries()] == list(range(100))
    assert sorted(json.loads(e)["actor"] for _, e in ledger.log.entries()) == sorted(
        f"officer-{w * 1000 + i}" for w in range(4) for i in range(25)
    )
    assert ledger.verify().tree_size == 100


@pytest.mark.db
def test_the_key_file_is_private(ledger: Ledger, settings: LedgerSettings) -> None:
    assert settings.key_file.stat().st_mode & 0o777 == 0o600
    assert Path(settings.key_file).read_text().startswith("PRIVATE+KEY+eo152.test/ledger+")


def test_a_data_request_step_holds_codes_only() -> None:
    """The public tally is recounted from these entries: they may hold codes, never words
    about a person (a name, an address) that a log that cannot be edited would keep."""
    from eo152.ledger import DataRequestStep, RefusedEntry

    digest = "ab" * 32
    step = DataRequestStep(
        "DR-ABCD-EFGH",
        "logged",
        "account:3",
        "2026-12-01T17:00:00Z",
        digest,
        {"agencies": ["ICE_ERO"], "data_categories": ["address"], "against_engine": False},
    )
    entry = json.loads(step.to_entry())
    assert entry["kind"] == "data_request.logged"
    assert entry["agencies"] == ["ICE_ERO"] and entry["against_engine"] is False
    assert "approvers" not in entry and "sha256" not in entry
    for facts in ({"concerning": "Ana Ruiz, 123 Main St"}, {"bad name": "x"}):
        with pytest.raises(RefusedEntry):
            DataRequestStep(
                "DR-ABCD-EFGH", "logged", "account:3", "2026-12-01", digest, facts
            ).to_entry()
    with pytest.raises(RefusedEntry):
        DataRequestStep(
            "DR-ABCD-EFGH", "released", "account:3", "2026-12-01", digest, {}, sha256="no"
        ).to_entry()


def test_an_exercise_record_holds_roles_and_scores_never_names() -> None:
    from eo152.ledger import ExerciseRecorded, RefusedEntry

    record = ExerciseRecorded(
        "K7Q2XM",
        "staging-rec-center",
        "2026-12-02",
        ("patrol", "sergeant"),
        {"patrol": (7, 9), "sergeant": (5, 9)},
        "cd" * 32,
        "account:4",
        "2026-12-02T18:00:00Z",
    )
    entry = json.loads(record.to_entry())
    assert entry["kind"] == "exercise.recorded"
    assert entry["scores"] == {"patrol": [7, 9], "sergeant": [5, 9]}
    for bad in (
        {"roles": ("Officer Ana Ruiz",)},
        {"scores": {"patrol": (10, 9)}},
        {"plan_sha256": "not a hash"},
    ):
        fields = {**record.__dict__, **bad}
        with pytest.raises(RefusedEntry):
            ExerciseRecorded(**fields).to_entry()
