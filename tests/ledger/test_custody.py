"""Custody events in the library: views, shares, derived copies, exports, and their free text.

Every refusal here must leave the store and the log exactly as they were.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eo152.ledger import (
    TEXT_LIMITS,
    BadDocument,
    BadEvidence,
    CustodyEvent,
    EvidenceNotFound,
    EvidenceRegistered,
    Ledger,
    LedgerExported,
    check_text,
    verify_bundle,
    verify_receipt,
)
from eo152.ledger._entries import now

AT = "2026-03-01T00:00:00Z"
DIGEST = "ab" * 32
FORBIDDEN = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]] + [
    "\u2028",
    "\u2029",
    "\u202e",  # right-to-left override
    "\u2066",
    "\udcff",  # a byte that was not UTF-8, as Python reads it from the command line
]


def _state(ledger: Ledger) -> tuple[int, list[str]]:
    return ledger.log.tree_size, sorted(ledger.store.digests())


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _kinds(ledger: Ledger) -> list[str]:
    return [json.loads(entry)["kind"] for _, entry in ledger.log.entries()]


# Free text


@pytest.mark.parametrize(
    "text", ["Denver DA, case 26CR0001", "Procuraduría General", "défense: Mᵉ Dupont", "x"]
)
def test_short_plain_text_is_taken_as_it_is(text: str) -> None:
    assert check_text("recipient", text) == text


@given(st.sampled_from(FORBIDDEN), st.text(max_size=20), st.text(max_size=20))
def test_text_with_any_control_character_is_refused(bad: str, before: str, after: str) -> None:
    text = f"x{before}{bad}{after}"  # never over the limit of 200
    with pytest.raises(ValueError, match="control character"):
        check_text("reason", text)


@pytest.mark.parametrize("field", sorted(TEXT_LIMITS))
def test_text_over_the_limit_or_blank_is_refused(field: str) -> None:
    limit = TEXT_LIMITS[field]
    assert check_text(field, "y" * limit) == "y" * limit
    with pytest.raises(ValueError, match=f"at most {limit} characters"):
        check_text(field, "y" * (limit + 1))
    for blank in ("", "   "):
        with pytest.raises(ValueError, match="must not be empty"):
            check_text(field, blank)


def test_every_entry_checks_its_free_text() -> None:
    with pytest.raises(ValueError, match="actor"):
        CustodyEvent("viewed", DIGEST, "tech\n1", AT).to_entry()
    with pytest.raises(ValueError, match="reason"):
        CustodyEvent("viewed", DIGEST, "tech-1", AT, reason="r" * 201).to_entry()
    with pytest.raises(ValueError, match="incident"):
        EvidenceRegistered(DIGEST, 1, "text/plain", "text/plain", "a", AT, "I\x1b[2J").to_entry()
    with pytest.raises(ValueError, match="recipient"):
        LedgerExported("clerk-1", AT, True, recipient="\u202eAD").to_entry()


def test_a_share_names_its_recipient() -> None:
    with pytest.raises(ValueError, match="recipient"):
        CustodyEvent("shared", DIGEST, "clerk-1", AT).to_entry()
    entry = CustodyEvent("shared", DIGEST, "clerk-1", AT, recipient="Denver DA").to_entry()
    assert json.loads(entry) == {
        "kind": "custody.shared",
        "sha256": DIGEST,
        "actor": "clerk-1",
        "at": AT,
        "recipient": "Denver DA",
    }


def test_an_export_entry_names_no_file_and_no_folder() -> None:
    entry = LedgerExported("clerk-1", AT, True, reason="discovery").to_entry()
    assert entry == (
        '{"actor":"clerk-1","at":"2026-03-01T00:00:00Z","kind":"ledger.exported",'
        '"reason":"discovery","with_files":true}'
    )


# Against a ledger (these run on PostgreSQL too)


@pytest.mark.db
def test_views_and_shares_of_a_stored_file_are_logged(ledger: Ledger, tmp_path: Path) -> None:
    evidence, _ = ledger.add_evidence(_file(tmp_path, "a.txt", b"statement"), "officer-1")
    viewed = ledger.log_custody(CustodyEvent("viewed", evidence.sha256, "clerk-1", now()))
    shared = ledger.log_custody(
        CustodyEvent("shared", evidence.sha256, "clerk-1", now(), recipient="Denver DA")
    )
    assert (viewed.leaf_index, shared.leaf_index) == (1, 2)
    verify_receipt(shared, ledger.signer.verifier)
    assert _kinds(ledger) == ["evidence.registered", "custody.viewed", "custody.shared"]


@pytest.mark.db
def test_a_custody_event_of_an_unknown_file_logs_nothing(ledger: Ledger) -> None:
    with pytest.raises(EvidenceNotFound, match="no stored file"):
        ledger.log_custody(CustodyEvent("viewed", DIGEST, "clerk-1", now()))
    assert ledger.log.tree_size == 0


@pytest.mark.db
def test_a_refused_actor_stores_nothing(ledger: Ledger, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="actor"):
        ledger.add_evidence(_file(tmp_path, "a.txt", b"statement"), "officer\n1")
    assert _state(ledger) == (0, [])
    evidence, _ = ledger.add_evidence(_file(tmp_path, "a.txt", b"statement"), "officer-1")
    with (tmp_path / "out").open("wb") as out, pytest.raises(ValueError, match="actor"):
        ledger.fetch_evidence(evidence.sha256, out, "")
    assert (tmp_path / "out").read_bytes() == b""  # refused before a byte was copied
    assert ledger.log.tree_size == 1


@pytest.mark.db
def test_a_derived_copy_is_stored_registered_and_linked(ledger: Ledger, tmp_path: Path) -> None:
    original, _ = ledger.add_evidence(_file(tmp_path, "a.mp4", b"full video"), "officer-1")
    copy, registered, derived = ledger.derive_evidence(
        original.sha256,
        _file(tmp_path, "b.mp4", b"blurred video"),
        "tech-1",
        "redacted",
        note="faces blurred",
        incident="I-1",
    )
    assert (registered.leaf_index, derived.leaf_index, derived.tree_size) == (1, 2, 3)
    assert json.loads(registered.entry)["sha256"] == copy.sha256
    assert json.loads(derived.entry) == {
        "kind": "custody.derived",
        "sha256": copy.sha256,
        "derived_from": original.sha256,
        "derivation": "redacted",
        "note": "faces blurred",
        "incident": "I-1",
        "actor": "tech-1",
        "at": copy.added_at,
    }
    for receipt in (registered, derived):
        verify_receipt(receipt, ledger.signer.verifier, tmp_path / "b.mp4")
    with ledger.store.open(copy.sha256) as stored:
        assert stored.read() == b"blurred video"
    assert ledger.verify().files == 2


@pytest.mark.db
@pytest.mark.parametrize(
    ("original", "data", "changes", "error"),
    [
        ("unknown", b"blurred video", {}, EvidenceNotFound),
        ("not hex", b"blurred video", {}, EvidenceNotFound),
        ("known", b"full video", {}, BadEvidence),  # the copy is the original
        ("known", b"", {}, BadEvidence),  # an empty copy
        ("known", b"x" * ((1 << 20) + 1), {}, BadEvidence),  # over the limit
        ("known", b"blurred video", {"derivation": "enhanced"}, ValueError),
        ("known", b"blurred video", {"note": "n" * 201}, ValueError),
        ("known", b"blurred video", {"media_type": "video/\r\nmp4"}, ValueError),
        ("known", b"blurred video", {"actor": ""}, ValueError),
    ],
)
def test_a_refused_derivation_stores_and_logs_nothing(
    ledger: Ledger,
    tmp_path: Path,
    original: str,
    data: bytes,
    changes: dict[str, str],
    error: type[Exception],
) -> None:
    known, _ = ledger.add_evidence(_file(tmp_path, "a.mp4", b"full video"), "officer-1")
    before = _state(ledger)
    digest = {"known": known.sha256, "unknown": DIGEST}.get(original, original)
    arguments: dict[str, str] = {"actor": "tech-1", "derivation": "clipped", **changes}
    with pytest.raises(error):
        ledger.derive_evidence(
            digest,
            _file(tmp_path, "b.mp4", data),
            arguments["actor"],
            arguments["derivation"],
            note=arguments.get("note"),
            media_type=arguments.get("media_type"),
        )
    assert _state(ledger) == before
    assert not any((ledger.settings.evidence_dir / "tmp").iterdir())


@pytest.mark.db
def test_an_export_logs_itself_as_the_bundle_s_last_entry(ledger: Ledger, tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        ledger.add_evidence(_file(tmp_path, name, name.encode()), "officer-1")
    folder = tmp_path / "private" / "bundle-for-someone"
    head, receipt = ledger.export(folder, True, "clerk-1", recipient="defense counsel")
    assert (receipt.leaf_index, receipt.tree_size, head.tree_size) == (2, 3, 3)
    assert json.loads(receipt.entry) == {
        "kind": "ledger.exported",
        "actor": "clerk-1",
        "at": json.loads(receipt.entry)["at"],
        "with_files": True,
        "recipient": "defense counsel",
    }
    assert str(tmp_path) not in receipt.entry and "bundle-for-someone" not in receipt.entry
    lines = (folder / "entries.jsonl").read_text().splitlines()
    assert lines[-1] == receipt.entry
    summary = json.loads((folder / "bundle.json").read_text())
    assert (summary["tree_size"], summary["checkpoint"]) == (3, receipt.checkpoint)
    report = verify_bundle(folder, ledger.signer.verifier)
    assert (report.tree_size, report.files) == (3, 2)
    assert ledger.verify().tree_size == 3


@pytest.mark.db
def test_an_export_adds_one_entry_however_many_files(ledger: Ledger, tmp_path: Path) -> None:
    for i in range(6):
        ledger.add_evidence(_file(tmp_path, f"{i}.txt", f"file {i}".encode()), "officer-1")
    ledger.export(tmp_path / "one", True, "clerk-1")
    ledger.export(tmp_path / "two", False, "clerk-1")
    assert _kinds(ledger)[6:] == ["ledger.exported", "ledger.exported"]
    assert verify_bundle(tmp_path / "two").tree_size == 8


@pytest.mark.db
def test_an_export_to_a_used_folder_logs_nothing(ledger: Ledger, tmp_path: Path) -> None:
    ledger.add_evidence(_file(tmp_path, "a.txt", b"a"), "officer-1")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine")
    with pytest.raises(BadDocument, match="not an empty folder"):
        ledger.export(tmp_path / "used", False, "clerk-1")
    with pytest.raises(BadDocument, match="not an empty folder"):
        ledger.export(tmp_path / "a.txt", False, "clerk-1")
    with pytest.raises(ValueError, match="reason"):
        ledger.export(tmp_path / "new", False, "clerk-1", reason="x" * 201)
    assert ledger.log.tree_size == 1
    assert not (tmp_path / "new").exists()


@pytest.mark.db
def test_an_export_that_fails_midway_stays_logged_and_says_so(
    ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger.add_evidence(_file(tmp_path, "a.txt", b"a"), "officer-1")

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("eo152.ledger._bundle._write_bundle", disk_full)
    with pytest.raises(BadDocument, match=r"No space left.*entry 1 records this export"):
        ledger.export(tmp_path / "bundle", True, "clerk-1")
    assert _kinds(ledger) == ["evidence.registered", "ledger.exported"]
    assert ledger.verify().tree_size == 2
