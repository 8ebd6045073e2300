"""The referral packet: exported as a BagIt bag, logged, and checked offline with no
database (`eo152 packet verify` in a process whose DATABASE_URL leads nowhere)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from eo152.incidents.services import IntakeRefused
from eo152.referrals import services
from eo152.referrals.packet import export_packet

pytestmark = [pytest.mark.db]

ROOT = Path(__file__).resolve().parents[2]
CLI = "import sys; from eo152.cli import main; sys.argv[0] = 'eo152'; main()"


def sent_referral(case: Any, **chosen: Any) -> Any:
    chosen = chosen or {"evidence": case.files}
    referral = services.create(
        case.investigator, case.incident, "denver_da", "assault_first_degree", **chosen
    )
    services.sign_off(case.supervisor, referral)
    services.send(case.investigator, referral)
    referral.refresh_from_db()
    return referral


def verify_offline(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`eo152 packet verify` in a fresh process that can reach no database."""
    env = {
        **os.environ,
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
        "EO152_DATA_DIR": str(folder.parent / "no-data-here"),
        "COLUMNS": "300",
    }
    return subprocess.run(
        [sys.executable, "-c", CLI, "packet", "verify", str(folder), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_sent_referral_exports_to_a_packet_that_verifies_offline(
    case: Any, tmp_path: Path
) -> None:
    referral = sent_referral(case)
    folder = tmp_path / "packet"
    exported = export_packet(case.investigator, referral, folder)
    digests = [item.sha256 for item in case.files]
    files = tree(folder)
    assert {
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
        "data/referral.pdf",
        "data/referral.json",
        "data/checkpoint.txt",
        "data/log-key.txt",
        *(f"data/evidence/{digest}.txt" for digest in digests),
    } <= set(files)
    info = (folder / "bag-info.txt").read_text()
    assert "Source-Organization: City and County of Denver" in info
    assert f"External-Identifier: {referral.reference}" in info and "Bagging-Date: " in info
    document = json.loads((folder / "data/referral.json").read_text())
    assert document["reference"] == referral.reference and document["state"] == "sent"
    assert [item["path"] for item in document["evidence"]] == [
        f"data/evidence/{digest}.txt" for digest in digests
    ]
    proofs = sorted(int(name[12:-5]) for name in files if name.startswith("data/proofs/"))
    assert proofs == document["proofs"]
    # Both registrations, the making, sign-off and sending, the export and two custody entries.
    assert len(proofs) == 2 + 3 + 1 + 2
    assert exported.tree_size == max(proofs) + 1 and exported.included == tuple(digests)
    checkpoint = (folder / "data/checkpoint.txt").read_text()
    assert checkpoint == exported.checkpoint and checkpoint.split("\n")[1] == str(
        exported.tree_size
    )
    for index in proofs:
        receipt = json.loads((folder / f"data/proofs/{index}.json").read_text())
        assert receipt["checkpoint"] == checkpoint
    custody = [
        json.loads(json.loads((folder / f"data/proofs/{i}.json").read_text())["entry"])
        for i in proofs
    ]
    left = [entry for entry in custody if entry["kind"] == "custody.exported"]
    assert sorted(entry["sha256"] for entry in left) == sorted(digests)
    assert {entry["recipient"] for entry in left} == {"Denver District Attorney"}

    result = verify_offline(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"The packet {referral.reference} passed every check." in out
    assert "all 2 evidence files are exactly the files the City registered on" in out
    assert "only shows the packet is consistent with itself" in out and "SHA256:" in out
    for name in ("bag", "proofs", "signature", "evidence", "pdf", "referral"):
        assert f"ok     {name}: " in out

    key = tmp_path / "published.key"
    key.write_text((folder / "data/log-key.txt").read_text())
    trusted = verify_offline(folder, "--key", str(key), "--json")
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    report = json.loads(trusted.stdout)
    assert report["ok"] and report["key_given"] and report["reference"] == referral.reference
    assert "signed by the key you gave" in report["checks"][2]["says"]


def test_verify_imports_no_django_and_no_database_driver() -> None:
    code = (
        "import sys, eo152.packets.verify, eo152.cli.packet\n"
        "bad = [m for m in ('django', 'sqlite3', 'psycopg') if m in sys.modules]\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_file_marked_do_not_disclose_never_enters_the_packet(case: Any, tmp_path: Path) -> None:
    held = case.files[1]
    referral = sent_referral(case, evidence=[case.files[0]], do_not_disclose=[held])
    folder = tmp_path / "packet"
    export_packet(case.supervisor, referral, folder)
    for path in folder.rglob("*"):
        if path.is_file():
            assert held.sha256 not in path.name
            if path.suffix in (".json", ".txt"):
                assert held.sha256 not in path.read_text(), path
    assert not any(
        path.read_bytes() == b"Radio log." for path in (folder / "data/evidence").iterdir()
    )
    assert json.loads((folder / "data/referral.json").read_text())["referral"]["withheld"] == 1
    assert verify_offline(folder).returncode == 0


def test_a_file_over_the_limit_is_listed_by_its_hash_and_verify_says_so(
    case: Any, tmp_path: Path
) -> None:
    referral = sent_referral(case)
    big, small = sorted(case.files, key=lambda item: -item.size)
    folder = tmp_path / "packet"
    exported = export_packet(case.investigator, referral, folder, max_file_bytes=small.size)
    assert exported.listed_only == (big.sha256,) and exported.included == (small.sha256,)
    names = [path.name for path in (folder / "data/evidence").iterdir()]
    assert names == [f"{small.sha256}.txt"]
    document = json.loads((folder / "data/referral.json").read_text())
    listed = {item["sha256"]: item["path"] for item in document["evidence"]}
    assert listed[big.sha256] == f"not included: larger than {small.size} bytes"
    result = verify_offline(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"the file {big.sha256} is listed by its hash only" in result.stdout
    assert "1 more listed by hash only" in result.stdout


def test_export_is_refused_without_permission_or_into_a_folder_in_use(
    case: Any, tmp_path: Path, make_user: Callable[..., Any]
) -> None:
    from eo152.services.records import site_ledger

    referral = sent_referral(case)
    size = site_ledger().log.tree_size
    with pytest.raises(PermissionDenied):
        export_packet(case.officer, referral, tmp_path / "a")
    with pytest.raises(PermissionDenied):
        export_packet(make_user("prosecutor", "colorado_ag"), referral, tmp_path / "b")
    used = tmp_path / "used"
    used.mkdir()
    (used / "x").write_text("x")
    with pytest.raises(IntakeRefused, match="not empty"):
        export_packet(case.investigator, referral, used)
    (tmp_path / "file").write_text("x")
    with pytest.raises(IntakeRefused, match="is a file"):
        export_packet(case.investigator, referral, tmp_path / "file")
    assert site_ledger().log.tree_size == size, "a refused export logs nothing"
    da = make_user("prosecutor", "denver_da")
    assert export_packet(da, referral, tmp_path / "da").included


def test_not_a_packet_and_a_bad_key_are_usage_errors(case: Any, tmp_path: Path) -> None:
    folder = tmp_path / "packet"
    export_packet(case.investigator, sent_referral(case), folder)
    assert verify_offline(tmp_path / "nowhere").returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = verify_offline(empty)
    assert result.returncode == 2 and "not a BagIt bag" in result.stderr
    result = verify_offline(folder, "--key", "not-a-key")
    assert result.returncode == 2 and "--key" in result.stderr


def test_a_hash_broken_across_lines_in_the_pdf_text_is_joined() -> None:
    from eo152.packets.verify import pdf_hashes

    digest = "397b3b05bd8faa0fcb8138e548c38ea2f370dd1fe58029e9a784bb13eeb7462b"
    text = f"SHA-256:\n{digest[:32]}\n{digest[32:50]}\u00ad\n{digest[50:]}\nRadio log"
    assert pdf_hashes(text)[1] == [digest]
    # A word made of hex digits ("de") next to a hash joins it; the hash is still found in it.
    assert pdf_hashes(f"(SHA-256: {digest}).")[1] == [digest]
    runs = pdf_hashes(f"archivo {digest} de 12 bytes")[1]
    assert len(runs) == 1 and digest in runs[0]
    assert pdf_hashes(f"short {digest[:40]} only")[1] == []
    column = "\n".join(f"{n} File added" if n % 9 else str(n) for n in range(10, 99))
    assert pdf_hashes(" ".join(str(n) for n in range(100, 200)) + column)[1] == []


def test_a_draft_without_files_exports_and_verifies(case: Any, tmp_path: Path) -> None:
    referral = services.create(case.investigator, case.incident, "colorado_ag", "robbery")
    folder = tmp_path / "packet"
    exported = export_packet(case.supervisor, referral, folder)
    assert exported.included == () and not any((folder / "data/evidence").iterdir())
    # The making and the export: nothing was signed off or sent.
    assert len(json.loads((folder / "data/referral.json").read_text())["proofs"]) == 2
    result = verify_offline(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok     evidence: the packet holds no evidence file" in result.stdout
