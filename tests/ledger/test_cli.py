"""``eo152 evidence`` and ``eo152 ledger`` as a user runs them: output keys and exit status."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from eo152.ledger import Signer, Verifier

from .conftest import Eo152

pytestmark = pytest.mark.db

RECEIPT_KEYS = {
    "leaf_index",
    "entry",
    "leaf_hash",
    "tree_size",
    "root_hash",
    "inclusion_proof",
    "checkpoint",
    "log_key",
}


def _json(eo152: Eo152, *args: str | Path) -> dict[str, object]:
    code, out, err = eo152(*args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def _add(eo152: Eo152, tmp_path: Path, name: str, data: bytes) -> dict[str, object]:
    path = tmp_path / name
    path.write_bytes(data)
    return _json(eo152, "evidence", "add", path, "--incident", "I-2026-0001")


def _size(eo152: Eo152) -> int:
    return int(str(_json(eo152, "ledger", "head")["tree_size"]))


def test_init_twice_appends_nothing(eo152: Eo152) -> None:
    assert eo152("init")[0] == 0
    head = _json(eo152, "ledger", "head")
    assert set(head) == {"tree_size", "root_hash", "checkpoint"}
    assert head["tree_size"] == 0


def test_adding_a_file_appends_one_entry_and_prints_its_receipt(
    eo152: Eo152, tmp_path: Path
) -> None:
    receipt = _add(eo152, tmp_path, "clip.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(100))
    assert set(receipt) == RECEIPT_KEYS | {"sha256", "size", "media_type", "detected_media_type"}
    assert (receipt["size"], receipt["media_type"], receipt["leaf_index"]) == (112, "video/mp4", 0)
    entry = json.loads(str(receipt["entry"]))
    assert entry["sha256"] == receipt["sha256"] and entry["incident"] == "I-2026-0001"
    assert all(isinstance(h, str) and len(h) == 64 for h in receipt["inclusion_proof"])  # type: ignore[union-attr]
    assert _size(eo152) == 1


def test_prove_consistency_and_key_print_the_documented_keys(eo152: Eo152, tmp_path: Path) -> None:
    for i in range(5):
        _add(eo152, tmp_path, f"f{i}.txt", f"statement {i}".encode())
    assert set(_json(eo152, "ledger", "prove", "2")) == RECEIPT_KEYS
    proof = _json(eo152, "ledger", "consistency", "3")
    assert set(proof) == {"old_size", "tree_size", "root_hash", "checkpoint", "consistency_proof"}
    assert (proof["old_size"], proof["tree_size"]) == (3, 5)
    key = _json(eo152, "ledger", "key")
    assert set(key) == {"origin", "key_name", "verifier_key"}
    assert str(key["verifier_key"]).startswith(f"{key['key_name']}+")


def test_a_receipt_checks_out_offline_against_its_file_and_a_newer_head(
    eo152: Eo152, tmp_path: Path
) -> None:
    receipt = _add(eo152, tmp_path, "photo.txt", b"what I saw")
    (tmp_path / "receipt.json").write_text(json.dumps(receipt))
    _add(eo152, tmp_path, "later.txt", b"a later statement")
    (tmp_path / "newer.json").write_text(json.dumps(_json(eo152, "ledger", "consistency", "1")))
    result = _json(
        eo152,
        "ledger",
        "verify-receipt",
        tmp_path / "receipt.json",
        "--file",
        tmp_path / "photo.txt",
        "--head",
        tmp_path / "newer.json",
    )
    assert result["ok"] is True and len(result["checks"]) == 4  # type: ignore[arg-type]


def _receipt_file(eo152: Eo152, tmp_path: Path, change: dict[str, object]) -> Path:
    for i in range(3):
        _add(eo152, tmp_path, f"s{i}.txt", f"statement {i}".encode())
    receipt = {**_json(eo152, "ledger", "prove", "1"), **change}
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(receipt))
    return path


def test_a_receipt_with_a_wrong_proof_fails(eo152: Eo152, tmp_path: Path) -> None:
    path = _receipt_file(eo152, tmp_path, {"inclusion_proof": ["00" * 32, "11" * 32]})
    code, _, err = eo152("ledger", "verify-receipt", path)
    assert code == 1 and "inclusion proof" in err


def test_a_receipt_with_a_wrong_signature_fails(eo152: Eo152, tmp_path: Path) -> None:
    path = _receipt_file(eo152, tmp_path, {})
    receipt = json.loads(path.read_text())
    body, _, line = receipt["checkpoint"].rpartition("\u2014 ")
    name, signature = line.split(" ")
    flipped = ("B" if signature[10] == "A" else "A").join([signature[:10], signature[11:]])
    receipt["checkpoint"] = f"{body}\u2014 {name} {flipped}"
    path.write_text(json.dumps(receipt))
    code, _, err = eo152("ledger", "verify-receipt", path)
    assert code == 1 and "signature" in err


def test_a_receipt_checked_against_another_file_fails(eo152: Eo152, tmp_path: Path) -> None:
    receipt = _add(eo152, tmp_path, "a.txt", b"the original")
    (tmp_path / "receipt.json").write_text(json.dumps(receipt))
    (tmp_path / "b.txt").write_bytes(b"an altered copy")
    code, _, err = eo152(
        "ledger", "verify-receipt", tmp_path / "receipt.json", "--file", tmp_path / "b.txt"
    )
    assert code == 1 and "b.txt" in err


def test_a_receipt_pinned_to_another_key_fails(eo152: Eo152, tmp_path: Path) -> None:
    path = _receipt_file(eo152, tmp_path, {})
    other = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    code, _, err = eo152("ledger", "verify-receipt", path, "--key", other)
    assert code == 1 and "signature" in err


@pytest.mark.parametrize("content", ["not json", "[]", '{"leaf_index": "x"}'])
def test_a_malformed_receipt_is_bad_input(eo152: Eo152, tmp_path: Path, content: str) -> None:
    (tmp_path / "receipt.json").write_text(content)
    code, _, err = eo152("ledger", "verify-receipt", tmp_path / "receipt.json")
    assert code == 2 and "receipt" in err and "Traceback" not in err


def test_an_exported_bundle_verifies_with_no_database(
    eo152: Eo152, tmp_path: Path, eo152_with: Callable[[dict[str, str]], Eo152]
) -> None:
    for i in range(4):
        _add(eo152, tmp_path, f"e{i}.txt", f"evidence {i}".encode())
    key = str(_json(eo152, "ledger", "key")["verifier_key"])
    _json(eo152, "ledger", "export", tmp_path / "bundle", "--with-files")
    elsewhere = eo152_with(
        {"EO152_DATA_DIR": str(tmp_path / "nothing"), "DATABASE_URL": "sqlite:////nonexistent/x"}
    )
    report = _json(elsewhere, "ledger", "verify", "--bundle", tmp_path / "bundle", "--key", key)
    # The four files' entries and the entry recording the export itself.
    assert (report["tree_size"], report["files_checked"]) == (5, 4)


def test_a_bundle_missing_an_evidence_file_fails(eo152: Eo152, tmp_path: Path) -> None:
    _add(eo152, tmp_path, "e.txt", b"evidence")
    _json(eo152, "ledger", "export", tmp_path / "bundle", "--with-files")
    shutil.rmtree(tmp_path / "bundle" / "files")
    code, _, err = eo152("ledger", "verify", "--bundle", tmp_path / "bundle")
    assert code == 1 and "lacks the file" in err


def test_a_bundle_missing_its_entries_is_bad_input(eo152: Eo152, tmp_path: Path) -> None:
    _add(eo152, tmp_path, "e.txt", b"evidence")
    _json(eo152, "ledger", "export", tmp_path / "bundle")
    (tmp_path / "bundle" / "entries.jsonl").unlink()
    code, _, err = eo152("ledger", "verify", "--bundle", tmp_path / "bundle")
    assert code == 2 and "entries.jsonl" in err


def test_a_bundle_with_a_changed_entry_fails(eo152: Eo152, tmp_path: Path) -> None:
    _add(eo152, tmp_path, "e.txt", b"evidence")
    _add(eo152, tmp_path, "f.txt", b"more evidence")
    _json(eo152, "ledger", "export", tmp_path / "bundle")
    entries = tmp_path / "bundle" / "entries.jsonl"
    entries.write_text(entries.read_text().replace("I-2026-0001", "I-2026-0002", 1))
    code, _, err = eo152("ledger", "verify", "--bundle", tmp_path / "bundle")
    assert code == 1 and "tree head of 1 entries" in err


def test_verify_fails_with_status_1_naming_the_bad_file(
    eo152: Eo152, tmp_path: Path, env: dict[str, str]
) -> None:
    receipt = _add(eo152, tmp_path, "e.txt", b"evidence")
    assert eo152("ledger", "verify")[0] == 0
    digest = str(receipt["sha256"])
    stored = Path(env["EO152_DATA_DIR"]) / "evidence" / "sha256" / digest[:2] / digest[2:4] / digest
    stored.chmod(0o644)
    stored.write_bytes(b"evidencE")
    code, _, err = eo152("ledger", "verify")
    assert code == 1 and digest in err


def _stored(env: dict[str, str]) -> list[Path]:
    return sorted(p for p in (Path(env["EO152_DATA_DIR"]) / "evidence").rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty", "empty"),
        ("missing", "cannot read"),
        ("folder", "not a regular file"),
        ("/dev/null", "not a regular file"),
        ("dotdot", "'..'"),
        ("large", "larger than the limit"),
    ],
)
def test_bad_files_are_refused_with_status_2_and_change_nothing(
    eo152: Eo152, tmp_path: Path, env: dict[str, str], name: str, message: str
) -> None:
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "folder").mkdir()
    (tmp_path / "large").write_bytes(b"x" * (int(env["EO152_EVIDENCE_MAX_BYTES"]) + 1))
    path = {"dotdot": f"{tmp_path}/folder/../large", "/dev/null": "/dev/null"}.get(
        name, str(tmp_path / name)
    )
    code, out, err = eo152("evidence", "add", path, "--json")
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err
    assert _size(eo152) == 0 and _stored(env) == []


def test_get_copies_the_file_out_and_logs_the_download(eo152: Eo152, tmp_path: Path) -> None:
    receipt = _add(eo152, tmp_path, "e.txt", b"evidence bytes")
    result = _json(eo152, "evidence", "get", str(receipt["sha256"]), "--out", tmp_path / "copy")
    assert (tmp_path / "copy").read_bytes() == b"evidence bytes"
    custody = json.loads(str(result["custody"]["entry"]))  # type: ignore[index]
    assert (custody["kind"], custody["sha256"]) == ("custody.downloaded", receipt["sha256"])
    assert _size(eo152) == 2


def test_getting_an_unknown_digest_is_bad_input(eo152: Eo152, tmp_path: Path) -> None:
    code, _, err = eo152("evidence", "get", "ab" * 32, "--out", tmp_path / "copy")
    assert code == 2 and "no stored file" in err
    assert _size(eo152) == 0


def test_commands_before_init_say_to_run_init(
    tmp_path: Path, database_url: str, eo152_with: Callable[[dict[str, str]], Eo152]
) -> None:
    fresh = eo152_with({"EO152_DATA_DIR": str(tmp_path / "new"), "DATABASE_URL": database_url})
    code, _, err = fresh("ledger", "head")
    assert code == 2 and "eo152 init" in err


def test_bad_arguments_exit_with_status_2(eo152: Eo152) -> None:
    assert eo152("ledger", "prove", "x")[0] == 2
    code, _, err = eo152("ledger", "prove", "5")
    assert code == 2 and "no entry 5" in err


def test_an_unusable_database_url_is_bad_input(
    eo152: Eo152, env: dict[str, str], eo152_with: Callable[[dict[str, str]], Eo152]
) -> None:
    broken = eo152_with({**env, "DATABASE_URL": "mysql://nowhere/eo152"})
    code, _, err = broken("ledger", "head")
    assert code == 2 and "DATABASE_URL" in err


def test_get_never_overwrites_a_file(eo152: Eo152, tmp_path: Path) -> None:
    receipt = _add(eo152, tmp_path, "e.txt", b"evidence bytes")
    (tmp_path / "copy").write_bytes(b"someone else's file")
    code, _, err = eo152("evidence", "get", str(receipt["sha256"]), "--out", tmp_path / "copy")
    assert code == 2 and "already exists" in err
    assert (tmp_path / "copy").read_bytes() == b"someone else's file"
    assert _size(eo152) == 1


def test_messages_keep_brackets_in_file_names(eo152: Eo152, tmp_path: Path) -> None:
    code, _, err = eo152("evidence", "add", tmp_path / "[draft] statement.txt")
    assert code == 2 and "[draft] statement.txt" in err


def test_a_bundle_cut_short_fails(eo152: Eo152, tmp_path: Path) -> None:
    for i in range(3):
        _add(eo152, tmp_path, f"e{i}.txt", f"evidence {i}".encode())
    _json(eo152, "ledger", "export", tmp_path / "bundle")
    for name in ("entries.jsonl", "heads.jsonl"):
        path = tmp_path / "bundle" / name
        path.write_text("".join(path.read_text().splitlines(keepends=True)[:-1]))
    code, _, err = eo152("ledger", "verify", "--bundle", tmp_path / "bundle")
    assert code == 1 and "cut short" in err


def test_verify_with_the_published_key_fails_on_a_log_rebuilt_with_another_key(
    eo152: Eo152,
    tmp_path: Path,
    env: dict[str, str],
    eo152_with: Callable[[dict[str, str]], Eo152],
) -> None:
    for i in range(3):
        _add(eo152, tmp_path, f"e{i}.txt", f"evidence {i}".encode())
    published = str(_json(eo152, "ledger", "key")["verifier_key"])
    assert _json(eo152, "ledger", "verify", "--key", published)["tree_size"] == 3
    # Someone with the data folder puts in a key of their own under the log's name and
    # rebuilds the log from the same files: every tree head is now signed by their key.
    key_file = Path(env["EO152_DATA_DIR"]) / "ledger" / "log.key"
    forged = Signer.generate(Verifier.decode(published).name)
    key_file.unlink()
    key_file.write_text(forged.encode() + "\n")
    rebuilt = eo152_with({**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'rebuilt.sqlite3'}"})
    assert rebuilt("init")[0] == 0
    for i in range(3):
        _add(rebuilt, tmp_path, f"e{i}.txt", f"evidence {i}".encode())
    code, out, err = rebuilt("ledger", "verify", "--key", published)
    assert (code, out) == (1, "")
    assert "verification failed: tree head of 1 entries" in err
    assert f"no signature by the key {forged.name}" in err
    # Against its own key the rebuilt log is consistent, and says which key that was.
    report = _json(rebuilt, "ledger", "verify")
    assert str(forged.verifier.encode()) in report["checks"][0]  # type: ignore[index]
    assert _json(rebuilt, "ledger", "verify", "--key", forged.verifier.encode())["ok"] is True


def test_a_bundle_cut_back_to_an_earlier_signed_head_fails(eo152: Eo152, tmp_path: Path) -> None:
    for i in range(3):
        _add(eo152, tmp_path, f"e{i}.txt", f"evidence {i}".encode())
    _json(eo152, "ledger", "export", tmp_path / "bundle")
    # Cut at the signed head of 2 entries, and bundle.json rewritten to that head.
    bundle = tmp_path / "bundle"
    entries = bundle / "entries.jsonl"
    entries.write_text("".join(entries.read_text().splitlines(keepends=True)[:2]))
    heads = [json.loads(line) for line in (bundle / "heads.jsonl").read_text().splitlines()]
    kept = [head for head in heads if head["tree_size"] <= 2]
    (bundle / "heads.jsonl").write_text("".join(json.dumps(head) + "\n" for head in kept))
    summary = json.loads((bundle / "bundle.json").read_text())
    (bundle / "bundle.json").write_text(json.dumps({**summary, **kept[-1]}))
    code, out, err = eo152("ledger", "verify", "--bundle", bundle)
    assert (code, out) == (1, "")
    assert "does not end with the ledger.exported entry of its export" in err


def _bundle_claiming(eo152: Eo152, tmp_path: Path, exported: bool, claimed: bool) -> Path:
    """A bundle exported with files or not, whose bundle.json says ``claimed``."""
    _add(eo152, tmp_path, "e.txt", b"evidence")
    bundle = tmp_path / "bundle"
    _json(eo152, "ledger", "export", bundle, *(["--with-files"] if exported else []))
    summary = json.loads((bundle / "bundle.json").read_text())
    (bundle / "bundle.json").write_text(json.dumps({**summary, "with_files": claimed}))
    return bundle


def test_a_bundle_that_hides_the_files_its_export_took_fails(eo152: Eo152, tmp_path: Path) -> None:
    bundle = _bundle_claiming(eo152, tmp_path, exported=True, claimed=False)
    shutil.rmtree(bundle / "files")
    code, _, err = eo152("ledger", "verify", "--bundle", bundle)
    assert code == 1
    assert "bundle.json says with_files is false, the bundle's signed export entry says true" in err


def test_a_bundle_claiming_files_its_export_did_not_take_fails(
    eo152: Eo152, tmp_path: Path, env: dict[str, str]
) -> None:
    bundle = _bundle_claiming(eo152, tmp_path, exported=False, claimed=True)
    shutil.copytree(Path(env["EO152_DATA_DIR"]) / "evidence", bundle / "files")
    code, _, err = eo152("ledger", "verify", "--bundle", bundle)
    assert code == 1
    assert "bundle.json says with_files is true, the bundle's signed export entry says false" in err
    summary = json.loads((bundle / "bundle.json").read_text())
    (bundle / "bundle.json").write_text(json.dumps({**summary, "with_files": False}))
    code, _, err = eo152("ledger", "verify", "--bundle", bundle)
    assert code == 1 and "its signed export entry says no files went" in err
