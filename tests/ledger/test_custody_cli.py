"""``eo152 evidence view|share|derive`` and a self-logging ``eo152 ledger export``, as typed.

Each refusal must exit 2 naming what is wrong, with no traceback, and leave the stored
files and the log as they were.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from eo152.cli.evidence import How
from eo152.ledger import DERIVATIONS

from .conftest import Eo152
from .test_cli import RECEIPT_KEYS, _add, _json, _size, _stored

pytestmark = pytest.mark.db


def _entry(result: dict[str, object]) -> dict[str, object]:
    entry = json.loads(str(result["entry"]))
    assert isinstance(entry, dict)
    return entry


def _original(eo152: Eo152, tmp_path: Path) -> str:
    return str(_add(eo152, tmp_path, "bodycam.mp4", b"\x00\x00\x00\x18ftypmp42 full")["sha256"])


def test_view_logs_who_viewed_which_file_and_why(eo152: Eo152, tmp_path: Path) -> None:
    digest = _original(eo152, tmp_path)
    result = _json(
        eo152,
        "evidence",
        "view",
        digest.upper(),
        "--reason",
        "charging review",
        "--actor",
        "tech-7",
    )
    assert set(result) == RECEIPT_KEYS | {"sha256"}
    entry = _entry(result)
    assert entry == {
        "kind": "custody.viewed",
        "sha256": digest,
        "actor": "tech-7",
        "at": entry["at"],
        "reason": "charging review",
    }
    assert (result["leaf_index"], _size(eo152)) == (1, 2)


def test_view_without_json_prints_a_line_and_the_receipt(eo152: Eo152, tmp_path: Path) -> None:
    digest = _original(eo152, tmp_path)
    code, out, _ = eo152("evidence", "view", digest)
    assert code == 0
    headline, _, receipt = out.partition("\n\n")
    assert headline == f"logged viewed {digest}: entry 1 in a tree of 2"
    assert json.loads(receipt)["leaf_index"] == 1
    assert json.loads(json.loads(receipt)["entry"])["actor"].startswith("cli:")


def test_share_logs_the_recipient(eo152: Eo152, tmp_path: Path) -> None:
    digest = _original(eo152, tmp_path)
    result = _json(eo152, "evidence", "share", digest, "--to", "Denver DA, case 26CR0001")
    entry = _entry(result)
    assert (entry["kind"], entry["recipient"]) == ("custody.shared", "Denver DA, case 26CR0001")
    assert "reason" not in entry


def test_a_receipt_of_a_share_checks_out_offline(eo152: Eo152, tmp_path: Path) -> None:
    digest = _original(eo152, tmp_path)
    result = _json(eo152, "evidence", "share", digest, "--to", "defense counsel")
    (tmp_path / "receipt.json").write_text(json.dumps(result))
    checked = _json(
        eo152,
        "ledger",
        "verify-receipt",
        tmp_path / "receipt.json",
        "--file",
        tmp_path / "bodycam.mp4",
    )
    assert checked["ok"] is True


def test_derive_stores_the_copy_and_links_it_to_its_original(eo152: Eo152, tmp_path: Path) -> None:
    original = _original(eo152, tmp_path)
    (tmp_path / "redacted.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 blur")
    result = _json(
        eo152,
        "evidence",
        "derive",
        original,
        tmp_path / "redacted.mp4",
        "--how",
        "redacted",
        "--note",
        "faces of bystanders blurred",
        "--incident",
        "I-2026-0001",
    )
    assert set(result) == RECEIPT_KEYS | {
        "sha256",
        "derived_from",
        "derivation",
        "size",
        "media_type",
        "detected_media_type",
        "registered",
    }
    copy = str(result["sha256"])
    assert (result["derived_from"], result["derivation"], result["media_type"]) == (
        original,
        "redacted",
        "video/mp4",
    )
    entry = _entry(result)
    assert (entry["kind"], entry["sha256"], entry["derived_from"]) == (
        "custody.derived",
        copy,
        original,
    )
    assert entry["note"] == "faces of bystanders blurred"
    registered = result["registered"]
    assert isinstance(registered, dict) and set(registered) == RECEIPT_KEYS
    assert _entry(registered)["kind"] == "evidence.registered"
    assert (registered["leaf_index"], result["leaf_index"], _size(eo152)) == (1, 2, 3)
    # The copy is evidence like any other: it can be got back, and verify re-hashes it.
    _json(eo152, "evidence", "get", copy, "--out", tmp_path / "again.mp4")
    assert (tmp_path / "again.mp4").read_bytes() == (tmp_path / "redacted.mp4").read_bytes()
    assert _json(eo152, "ledger", "verify")["files_checked"] == 2
    for receipt in (result, registered):
        (tmp_path / "receipt.json").write_text(json.dumps(receipt))
        eo152_args = (
            "verify-receipt",
            tmp_path / "receipt.json",
            "--file",
            tmp_path / "redacted.mp4",
        )
        assert _json(eo152, "ledger", *eo152_args)["ok"] is True


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown original", "no stored file"),
        ("not a digest", "'bodycam.mp4' is not a SHA-256 digest"),
        ("same bytes", "byte for byte the original"),
        ("missing copy", "cannot read"),
        ("empty copy", "empty"),
        ("copy over the limit", "larger than the limit"),
        ("bad --how", "'--how'"),
        ("no --how", "'--how'"),
        ("long --note", "'--note'"),
        ("--incident with a newline", "'--incident'"),
        ("--media-type with a tab", "'--media-type'"),
    ],
)
def test_a_refused_derive_stores_nothing_and_logs_nothing(
    eo152: Eo152, tmp_path: Path, env: dict[str, str], case: str, message: str
) -> None:
    original = _original(eo152, tmp_path)
    copy = tmp_path / "copy.mp4"
    copy.write_bytes(
        {
            "same bytes": (tmp_path / "bodycam.mp4").read_bytes(),
            "empty copy": b"",
            "copy over the limit": b"x" * (int(env["EO152_EVIDENCE_MAX_BYTES"]) + 1),
        }.get(case, b"a clipped copy")
    )
    if case == "missing copy":
        copy.unlink()
    digest = {"unknown original": "cd" * 32, "not a digest": "bodycam.mp4"}.get(case, original)
    options = {
        "bad --how": ["--how", "enhanced"],
        "no --how": [],
        "long --note": ["--how", "clipped", "--note", "n" * 201],
        "--incident with a newline": ["--how", "clipped", "--incident", "I-1\nI-2"],
        "--media-type with a tab": ["--how", "clipped", "--media-type", "video/mp4\t"],
    }.get(case, ["--how", "clipped"])
    before = (_size(eo152), _stored(env))
    code, out, err = eo152("evidence", "derive", digest, copy, *options, "--json")
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err
    assert (_size(eo152), _stored(env)) == before


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["share", "DIGEST", "--to", "x" * 101], "'--to'"),
        (["share", "DIGEST", "--to", "Denver DA\x1b[31m"], "'--to'"),
        (["share", "DIGEST", "--to", "   "], "'--to'"),
        (["share", "DIGEST"], "'--to'"),
        (["share", "DIGEST", "--to", "DA", "--reason", "r" * 201], "'--reason'"),
        (["view", "DIGEST", "--reason", "line one\nline two"], "'--reason'"),
        (["view", "DIGEST", "--actor", "\u202eadmin"], "'--actor'"),
        (["view", "DIGEST", "--actor", ""], "'--actor'"),
        (["add", "FILE", "--incident", "I" * 65], "'--incident'"),
        (["get", "DIGEST", "--out", "OUT", "--actor", "a\rb"], "'--actor'"),
    ],
)
def test_refused_free_text_exits_2_naming_the_option(
    eo152: Eo152, tmp_path: Path, env: dict[str, str], args: list[str], option: str
) -> None:
    digest = _original(eo152, tmp_path)
    (tmp_path / "new.txt").write_bytes(b"a new file")
    names = {"DIGEST": digest, "FILE": str(tmp_path / "new.txt"), "OUT": str(tmp_path / "out")}
    before = (_size(eo152), _stored(env))
    code, out, err = eo152("evidence", *(names.get(a, a) for a in args), "--json")
    assert (code, out) == (2, "")
    assert option in err and "Traceback" not in err
    assert (_size(eo152), _stored(env)) == before
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["view", "share"])
@pytest.mark.parametrize(("digest", "message"), [("cd" * 32, "no stored file"), ("xyz", "xyz")])
def test_view_or_share_of_an_unknown_file_logs_nothing(
    eo152: Eo152, tmp_path: Path, command: str, digest: str, message: str
) -> None:
    _original(eo152, tmp_path)
    code, out, err = (
        eo152("evidence", command, digest, "--to", "DA")
        if command == "share"
        else (eo152("evidence", command, digest))
    )
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err
    assert _size(eo152) == 1


def test_export_logs_itself_as_the_bundle_s_last_entry(
    eo152: Eo152, tmp_path: Path, eo152_with: Callable[[dict[str, str]], Eo152]
) -> None:
    original = _original(eo152, tmp_path)
    (tmp_path / "clip.mp4").write_bytes(b"the first minute")
    _json(eo152, "evidence", "derive", original, tmp_path / "clip.mp4", "--how", "clipped")
    folder = tmp_path / "home" / "jdoe" / "for-defense"
    result = _json(
        eo152,
        "ledger",
        "export",
        folder,
        "--with-files",
        "--to",
        "defense counsel",
        "--reason",
        "discovery",
        "--actor",
        "clerk-2",
    )
    custody = result["custody"]
    assert isinstance(custody, dict) and set(custody) == RECEIPT_KEYS
    entry = _entry(custody)
    assert entry == {
        "kind": "ledger.exported",
        "actor": "clerk-2",
        "at": entry["at"],
        "with_files": True,
        "recipient": "defense counsel",
        "reason": "discovery",
    }
    assert "jdoe" not in custody["entry"] and "for-defense" not in custody["entry"]
    assert (result["tree_size"], custody["leaf_index"], custody["tree_size"]) == (4, 3, 4)
    assert (folder / "entries.jsonl").read_text().splitlines()[-1] == custody["entry"]
    # On another machine: the bundle, with the copy and its own export entry, verifies,
    # and so does the export's receipt, against the key and the bundle's file.
    key = str(_json(eo152, "ledger", "key")["verifier_key"])
    elsewhere = eo152_with(
        {"EO152_DATA_DIR": str(tmp_path / "nothing"), "DATABASE_URL": "sqlite:////nonexistent/x"}
    )
    report = _json(elsewhere, "ledger", "verify", "--bundle", folder, "--key", key)
    assert (report["tree_size"], report["files_checked"]) == (4, 2)
    (tmp_path / "export-receipt.json").write_text(json.dumps(custody))
    checked = _json(elsewhere, "ledger", "verify-receipt", tmp_path / "export-receipt.json")
    assert checked["ok"] is True
    assert json.loads((folder / "bundle.json").read_text())["checkpoint"] == custody["checkpoint"]
    assert _json(eo152, "ledger", "verify")["tree_size"] == 4


def test_export_without_json_says_which_entry_records_it(eo152: Eo152, tmp_path: Path) -> None:
    _original(eo152, tmp_path)
    code, out, _ = eo152("ledger", "export", tmp_path / "bundle")
    assert code == 0
    assert out.splitlines() == [
        f"exported 2 entries to {tmp_path / 'bundle'}",
        "entry 1, the last in the bundle, records this export",
    ]


def test_each_export_adds_one_entry_however_many_files(eo152: Eo152, tmp_path: Path) -> None:
    for i in range(5):
        _add(eo152, tmp_path, f"e{i}.txt", f"evidence {i}".encode())
    _json(eo152, "ledger", "export", tmp_path / "b1", "--with-files")
    _json(eo152, "ledger", "export", tmp_path / "b2", "--with-files")
    assert _size(eo152) == 7
    report = _json(eo152, "ledger", "verify", "--bundle", tmp_path / "b2")
    assert (report["tree_size"], report["files_checked"]) == (7, 5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "x" * 101], "'--to'"),
        (["--reason", "tab\there"], "'--reason'"),
        (["--actor", " "], "'--actor'"),
        (["USED"], "not an empty folder"),
        (["FILE"], "not an empty folder"),
    ],
)
def test_a_refused_export_logs_nothing_and_writes_nothing(
    eo152: Eo152, tmp_path: Path, args: list[str], message: str
) -> None:
    _original(eo152, tmp_path)
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "mine.txt").write_text("someone's notes")
    folder = {"USED": tmp_path / "used", "FILE": tmp_path / "bodycam.mp4"}
    target = folder.get(args[0], tmp_path / "new") if args else tmp_path / "new"
    options = [a for a in args if a not in folder]
    code, out, err = eo152("ledger", "export", target, *options, "--json")
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err
    assert _size(eo152) == 1
    assert not (tmp_path / "new").exists()
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["mine.txt"]


def test_get_into_a_folder_that_does_not_exist_is_bad_input(eo152: Eo152, tmp_path: Path) -> None:
    digest = _original(eo152, tmp_path)
    code, _, err = eo152("evidence", "get", digest, "--out", tmp_path / "nowhere" / "copy")
    assert code == 2 and "cannot write" in err and "internal error" not in err
    assert _size(eo152) == 1


def test_derive_offers_exactly_the_library_s_derivations() -> None:
    assert [how.value for how in How] == list(DERIVATIONS)
