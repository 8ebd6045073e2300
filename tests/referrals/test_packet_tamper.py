"""Tampered packets: every change is caught and named by `eo152 packet verify`, run in a
process that can reach no database. After a change the bag is also re-made (new manifests,
as a forger would), to show the ledger proofs and the PDF-JSON cross-checks still catch it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bagit
import pytest

from eo152.ledger import Signer
from eo152.referrals.packet import export_packet

from .test_packet import sent_referral, verify_offline

pytestmark = [pytest.mark.db]

_made: dict[str, Path] = {}


@pytest.fixture
def packet(request: pytest.FixtureRequest, db: None, tmp_path: Path) -> Path:
    """A copy of one good packet of a sent referral with two files (exported once)."""
    if "packet" not in _made:
        case = request.getfixturevalue("case")
        folder = request.config._tmp_path_factory.mktemp("pristine") / "packet"  # type: ignore[attr-defined]
        export_packet(case.investigator, sent_referral(case), folder)
        _made["packet"] = folder
    copy = tmp_path / "packet"
    shutil.copytree(_made["packet"], copy)
    return copy


def report(folder: Path, *args: str) -> dict[str, Any]:
    result = verify_offline(folder, "--json", *args)
    data: dict[str, Any] = json.loads(result.stdout)
    assert result.returncode == (0 if data["ok"] else 1), result.stderr
    return data


def failed(data: dict[str, Any]) -> dict[str, str]:
    """Each failed check's problems, as one text per check name."""
    return {c["name"]: " | ".join(c["problems"]) for c in data["checks"] if not c["ok"]}


def evidence_files(folder: Path) -> list[Path]:
    return sorted((folder / "data/evidence").iterdir())


def flip_byte(path: Path, offset: int = 0) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def rebag(folder: Path) -> None:
    """Re-make the manifests so the bag itself is valid again."""
    bagit.Bag(str(folder)).save(manifests=True)


def document(folder: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((folder / "data/referral.json").read_text())
    return loaded


def write_document(folder: Path, content: dict[str, Any]) -> None:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    (folder / "data/referral.json").write_text(text, encoding="utf-8")


def test_the_untouched_copy_passes(packet: Path) -> None:
    assert report(packet)["ok"]


# -- changes the bag's manifests catch, each named ----------------------------------------


def test_a_changed_byte_of_an_evidence_file(packet: Path) -> None:
    target = evidence_files(packet)[0]
    flip_byte(target)
    problems = failed(report(packet))
    assert set(problems) == {"bag", "evidence"}
    assert f"data/evidence/{target.name} has changed" in problems["bag"]
    assert f"data/evidence/{target.name} is not the file its name says" in problems["evidence"]


def test_a_changed_byte_of_the_pdf(packet: Path) -> None:
    flip_byte(packet / "data/referral.pdf", 200)
    problems = failed(report(packet))
    assert "data/referral.pdf has changed" in problems["bag"]


def test_a_changed_byte_of_the_json(packet: Path) -> None:
    path = packet / "data/referral.json"
    path.write_text(path.read_text().replace("Shots at a car.", "Shots at a cat."))
    problems = failed(report(packet))
    assert set(problems) == {"bag", "referral"}
    assert "data/referral.json has changed" in problems["bag"]
    assert "the referral hashes to" in problems["referral"]


def test_a_changed_byte_of_a_proof(packet: Path) -> None:
    index = document(packet)["referral"]["evidence"][0]["leaf_index"]
    path = packet / f"data/proofs/{index}.json"
    receipt = json.loads(path.read_text())
    first = receipt["inclusion_proof"][0]
    receipt["inclusion_proof"][0] = ("0" if first[0] != "0" else "1") + first[1:]
    path.write_text(json.dumps(receipt, sort_keys=True, indent=2) + "\n")
    problems = failed(report(packet))
    assert f"data/proofs/{index}.json has changed" in problems["bag"]
    assert f"data/proofs/{index}.json: the inclusion proof does not lead" in problems["proofs"]
    assert f"no valid proof of its registration (data/proofs/{index}.json)" in problems["evidence"]


def test_a_changed_byte_of_the_checkpoint(packet: Path) -> None:
    path = packet / "data/checkpoint.txt"
    lines = path.read_text().split("\n")
    lines[1] = str(int(lines[1]) + 1)  # a bigger tree than the one signed
    path.write_text("\n".join(lines))
    problems = failed(report(packet))
    assert "data/checkpoint.txt has changed" in problems["bag"]
    assert "data/checkpoint.txt: the signature by" in problems["signature"]
    assert "its checkpoint is not data/checkpoint.txt" in problems["proofs"]


def test_a_removed_file(packet: Path) -> None:
    target = evidence_files(packet)[1]
    target.unlink()
    problems = failed(report(packet))
    assert (
        f"data/evidence/{target.name} is missing (the bag's manifest lists it)" in problems["bag"]
    )
    assert f"data/evidence/{target.name} is missing (the JSON lists" in problems["evidence"]


def test_an_added_file(packet: Path) -> None:
    (packet / "data/evidence/notes.txt").write_text("planted")
    problems = failed(report(packet))
    assert "data/evidence/notes.txt was added" in problems["bag"]
    assert "data/evidence/notes.txt is not named after a SHA-256" in problems["evidence"]


def test_two_evidence_files_swapped(packet: Path) -> None:
    first, second = evidence_files(packet)
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)
    problems = failed(report(packet))
    for path in (first, second):
        assert f"data/evidence/{path.name} has changed" in problems["bag"]
        assert f"data/evidence/{path.name} is not the file its name says" in problems["evidence"]


# -- re-bagged after the change: the cross-checks still catch it --------------------------


def test_rebagged_changed_evidence_file(packet: Path) -> None:
    target = evidence_files(packet)[0]
    flip_byte(target)
    rebag(packet)
    problems = failed(report(packet))
    assert set(problems) == {"evidence"}
    assert f"data/evidence/{target.name} is not the file its name says" in problems["evidence"]


def test_rebagged_evidence_file_renamed_to_its_new_hash(packet: Path) -> None:
    """A forger renames the changed file after its new hash and edits the JSON to match: the
    registration proven in the ledger and the PDF still name the original."""
    import hashlib

    target = evidence_files(packet)[0]
    old = target.name[:64]
    target.write_bytes(b"Another statement.")
    new = hashlib.sha256(b"Another statement.").hexdigest()
    target.rename(target.with_name(f"{new}.txt"))
    content = document(packet)
    for item in content["evidence"]:
        if item["sha256"] == old:
            item["sha256"], item["path"] = new, f"data/evidence/{new}.txt"
    write_document(packet, content)
    rebag(packet)
    problems = failed(report(packet))
    assert set(problems) == {"evidence", "pdf"}
    assert (
        f"{new[:12]}…: the JSON's list names it, the referral's snapshot does not"
        in (problems["evidence"])
    )
    assert f"data/referral.pdf does not name the file {new}" in problems["pdf"]


def test_rebagged_json_with_a_changed_snapshot_and_its_hash(packet: Path) -> None:
    content = document(packet)
    content["referral"]["incident"]["narrative"] = "Nothing happened."
    from eo152.packets.verify import fingerprint

    content["snapshot_sha256"] = fingerprint(content["referral"])
    write_document(packet, content)
    rebag(packet)
    problems = failed(report(packet))
    assert "referral" in problems
    assert "is not the one recorded in entry" in problems["referral"]


def test_rebagged_pdf_naming_another_hash(packet: Path) -> None:
    from eo152.referrals.pdf import render_pdf

    content = document(packet)
    forged = json.loads(json.dumps(content))
    forged["referral"]["evidence"][0]["sha256"] = "ab" * 32
    (packet / "data/referral.pdf").write_bytes(render_pdf(forged))
    rebag(packet)
    problems = failed(report(packet))
    assert set(problems) == {"pdf"}
    original = content["referral"]["evidence"][0]["sha256"]
    assert f"data/referral.pdf does not name the file {original}" in problems["pdf"]
    assert f"data/referral.pdf names a hash the JSON does not: {'ab' * 32}" in problems["pdf"]


def test_rebagged_changed_proof(packet: Path) -> None:
    index = document(packet)["proofs"][-1]
    path = packet / f"data/proofs/{index}.json"
    receipt = json.loads(path.read_text())
    receipt["entry"] = receipt["entry"].replace('"custody.exported"', '"custody.viewed"')
    path.write_text(json.dumps(receipt, sort_keys=True, indent=2) + "\n")
    rebag(packet)
    problems = failed(report(packet))
    assert "bag" not in problems
    assert f"data/proofs/{index}.json: its entry text does not hash" in problems["proofs"]


def test_rebagged_removed_proof(packet: Path) -> None:
    index = document(packet)["referral"]["evidence"][0]["leaf_index"]
    (packet / f"data/proofs/{index}.json").unlink()
    rebag(packet)
    problems = failed(report(packet))
    assert f"data/proofs/{index}.json is missing (the JSON lists it)" in problems["proofs"]
    assert f"no valid proof of its registration (data/proofs/{index}.json)" in problems["evidence"]


def test_rebagged_added_evidence_file(packet: Path) -> None:
    import hashlib

    name = hashlib.sha256(b"planted").hexdigest() + ".txt"
    (packet / "data/evidence" / name).write_bytes(b"planted")
    rebag(packet)
    problems = failed(report(packet))
    assert set(problems) == {"evidence"}
    assert f"data/evidence/{name} is not in the JSON's list of evidence" in problems["evidence"]


def test_rebagged_file_removed_and_relabelled_as_too_large(packet: Path) -> None:
    """The file goes, and the JSON says it was too large to include: the export's own ledger
    entry still says it left in this packet."""
    target = evidence_files(packet)[0]
    target.unlink()
    content = document(packet)
    for item in content["evidence"]:
        if item["sha256"] == target.name[:64]:
            item["path"] = "not included: larger than 1 bytes"
    write_document(packet, content)
    rebag(packet)
    problems = failed(report(packet))
    assert (
        "the files in the packet are not the ones its export entry says left"
        in (problems["evidence"])
    )


def test_rebagged_swapped_evidence_files(packet: Path) -> None:
    first, second = evidence_files(packet)
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)
    rebag(packet)
    problems = failed(report(packet))
    assert set(problems) == {"evidence"}
    for path in (first, second):
        assert f"data/evidence/{path.name} is not the file its name says" in problems["evidence"]


# -- keys --------------------------------------------------------------------------------


def resign(packet: Path, signer: Signer) -> None:
    """Re-sign the packet's checkpoint with another key, as someone without the City's key
    would have to: the packet is consistent with itself again."""
    path = packet / "data/checkpoint.txt"
    body = path.read_text().rpartition("\n\n")[0] + "\n"
    lines = body.split("\n")
    lines[0] = signer.name
    checkpoint = signer.sign("\n".join(lines))
    path.write_text(checkpoint)
    (packet / "data/log-key.txt").write_text(signer.verifier.encode() + "\n")
    for proof in (packet / "data/proofs").iterdir():
        receipt = json.loads(proof.read_text())
        receipt["checkpoint"], receipt["log_key"] = checkpoint, signer.verifier.encode()
        proof.write_text(json.dumps(receipt, sort_keys=True, indent=2) + "\n")
    rebag(packet)


def test_a_wrong_key_is_named(packet: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.key"
    other.write_text(Signer.generate("someone.else/log").verifier.encode())
    problems = failed(report(packet, "--key", str(other)))
    assert set(problems) == {"signature"}
    assert "the packet's log key is not the key you gave" in problems["signature"]


def test_a_packet_resigned_with_another_key_fails_only_against_the_published_key(
    packet: Path, tmp_path: Path
) -> None:
    published = tmp_path / "published.key"
    published.write_text((packet / "data/log-key.txt").read_text())
    resign(packet, Signer.generate("forger.example/log"))
    alone = report(packet)
    assert alone["ok"], "without --key, a packet only shows it is consistent with itself"
    assert "only shows the packet is consistent with itself" in alone["checks"][2]["says"]
    problems = failed(report(packet, "--key", str(published)))
    assert set(problems) == {"signature"}
    assert "the packet's log key is not the key you gave" in problems["signature"]


def test_the_text_output_names_what_failed(packet: Path) -> None:
    target = evidence_files(packet)[0]
    flip_byte(target)
    result = verify_offline(packet)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith("FAILED: bag, evidence.")
    assert any(line.startswith("  FAILED bag (it checks that ") for line in lines)
    assert any(f"data/evidence/{target.name} has changed" in line for line in lines)
    assert any(line.startswith("  ok     proofs: ") for line in lines)


def test_report_lines_are_plain_words(packet: Path) -> None:
    make: Callable[[Path], dict[str, Any]] = report
    says = [check["says"] for check in make(packet)["checks"]]
    assert says[3].startswith("all 2 evidence files are exactly the files the City registered on")
