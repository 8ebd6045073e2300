"""The referral packet: a BagIt bag (RFC 8493) a prosecutor or the defense checks offline.

The bag's payload is the referral as a PDF and as JSON (both from
:func:`services.packet_document`), the evidence files the referral discloses, and an
inclusion proof for every ledger entry the packet relies on, all against one signed
checkpoint, with the log's public key. ``eo152 packet verify`` (:mod:`eo152.packets.verify`)
checks it with no database. See ``docs/packets.md``.

Exporting is itself logged before anything is written: a ``record.changed`` entry of the
referral naming the files that leave, and a ``custody.exported`` entry per file, so each
file's custody history shows it left. The packet's checkpoint is the tree head right after
those entries, so the packet proves its own export.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bagit

from ..accounts.models import User
from ..accounts.permissions import require
from ..incidents.services import IntakeRefused
from ..ledger import CustodyEvent, EvidenceHashMismatch, Ledger, MerkleLog, Receipt, TreeHead
from ..ledger import _merkle as merkle
from ..services.records import log_written, site_ledger
from .models import Referral
from .services import RECORD_TYPE, packet_document

MAX_FILE_BYTES = 2 << 30
"""Evidence files larger than this are listed by their hash, not copied into the packet."""

SOURCE_ORGANIZATION = "City and County of Denver"
NOT_INCLUDED = "not included: larger than {limit} bytes"
"""What the JSON's evidence list says instead of a path for a file left out for its size."""

_EXTENSIONS = {"text/plain": ".txt", "image/jpeg": ".jpg", "video/quicktime": ".mov"}
"""Extensions the standard table gives oddly or not at all (``.bat`` for text, ``.jpe``)."""


@dataclass(frozen=True)
class ExportedPacket:
    """What :func:`export_packet` wrote and logged."""

    folder: Path
    reference: str
    tree_size: int
    """The size of the tree head the packet's checkpoint signs."""
    checkpoint: str
    included: tuple[str, ...]
    """SHA-256 of each evidence file copied into the bag."""
    listed_only: tuple[str, ...]
    """SHA-256 of each file too large to copy: listed with its hash only."""
    receipt: Receipt
    """The receipt of the export's own ``record.changed`` entry."""


def extension(media_type: str) -> str:
    return _EXTENSIONS.get(media_type) or mimetypes.guess_extension(media_type) or ".bin"


def _check_folder(folder: Path) -> None:
    """A packet goes into a new or empty folder; refused before anything is logged."""
    if folder.exists() and not folder.is_dir():
        raise IntakeRefused("folder", f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise IntakeRefused("folder", f"{folder} is not empty: a packet goes in a new folder")


def export_packet(
    user: User, referral: Referral, folder: Path, max_file_bytes: int = MAX_FILE_BYTES
) -> ExportedPacket:
    """Log the export, then write the referral's packet into ``folder`` (new or empty).

    Raises PermissionDenied without ``referrals.export`` and IntakeRefused for a folder
    that is a file or is not empty; nothing is logged then. If writing fails after the
    export was logged, the entries stay: the log may show an export that did not finish,
    never one that happened unrecorded (as ``ledger export``).
    """
    require(user, "referrals.export", referral)
    folder = Path(folder)
    _check_folder(folder)
    ledger = site_ledger()
    snapshot_files: list[dict[str, Any]] = referral.snapshot["evidence"]
    included = [item for item in snapshot_files if item["size"] <= max_file_bytes]
    listed = [item for item in snapshot_files if item["size"] > max_file_bytes]
    for item in included:
        ledger.require_stored(item["sha256"])
    exported = {
        "packet": referral.reference,
        "snapshot_sha256": referral.snapshot_sha256,
        "included": [item["sha256"] for item in included],
        "listed_only": [item["sha256"] for item in listed],
        "by": user.actor,
    }
    receipt = log_written(
        RECORD_TYPE, referral.reference, exported, user.actor, created=False, day_only=False
    )
    at = json.loads(receipt.entry)["at"]
    office = referral.snapshot["office"]["name"]
    # One transaction for every file's custody entry (the clock was checked just above).
    custody = (
        ledger.log.append_many(
            [
                CustodyEvent(
                    "exported",
                    item["sha256"],
                    user.actor,
                    at,
                    incident=referral.incident.reference,
                    recipient=office,
                    reason=f"referral packet {referral.reference}",
                ).to_entry()
                for item in included
            ]
        )
        if included
        else []
    )
    last = custody[-1] if custody else receipt
    head = TreeHead(last.tree_size, last.root_hash, last.checkpoint)
    document = packet_document(referral)  # its activity log names disclosed files only
    document["evidence"] = [
        {
            "sha256": item["sha256"],
            "size": item["size"],
            "media_type": item["media_type"],
            "label": item["label"],
            "path": f"data/evidence/{item['sha256']}{extension(item['media_type'])}"
            if item in included
            else NOT_INCLUDED.format(limit=max_file_bytes),
        }
        for item in snapshot_files
    ]
    document["export"] = exported
    leaves = _relied_on(ledger.log, referral, document, receipt, custody)
    document["proofs"] = leaves
    _write(folder, referral, document, included, _prove_at(ledger.log, leaves, head), ledger)
    return ExportedPacket(
        folder,
        referral.reference,
        head.tree_size,
        head.checkpoint,
        tuple(item["sha256"] for item in included),
        tuple(item["sha256"] for item in listed),
        receipt,
    )


def _relied_on(
    log: MerkleLog,
    referral: Referral,
    document: dict[str, Any],
    receipt: Receipt,
    custody: list[Receipt],
) -> list[int]:
    """Indexes of the entries the packet proves: each file's registration, the referral's
    making, every later step of it (sign-off, sending), and the export's own entries."""
    leaves = {item["leaf_index"] for item in referral.snapshot["evidence"]}
    leaves.add(referral.receipt["leaf_index"])
    for step in document["activity"]:
        if step["kind"] == "record.changed":
            entry = json.loads(log.entry(step["leaf_index"]))
            if (entry["record_type"], entry["record_id"]) == (RECORD_TYPE, referral.reference):
                leaves.add(step["leaf_index"])
    leaves.add(receipt.leaf_index)
    leaves.update(item.leaf_index for item in custody)
    return sorted(leaves)


def _prove_at(log: MerkleLog, leaves: list[int], head: TreeHead) -> list[Receipt]:
    """Receipts of ``leaves`` against ``head``, also when later appends moved the log on:
    the stored subtrees a proof reads never change once written."""
    paths = {index: merkle.inclusion_ranges(index, head.tree_size) for index in leaves}
    hashes = log._span_hashes({span for path in paths.values() for span in path})
    receipts = []
    for index, path in paths.items():
        entry = log.entry(index)
        receipt = Receipt(
            leaf_index=index,
            entry=entry,
            leaf_hash=merkle.leaf_hash(entry.encode()),
            tree_size=head.tree_size,
            root_hash=head.root_hash,
            inclusion_proof=[hashes[span] for span in path],
            checkpoint=head.checkpoint,
            log_key=log.verifier.encode(),
        )
        # Checked before it is handed out, as the ledger checks its own receipts.
        merkle.verify_inclusion(
            receipt.leaf_hash, index, head.tree_size, receipt.inclusion_proof, head.root_hash
        )
        receipts.append(receipt)
    return receipts


def _write(
    folder: Path,
    referral: Referral,
    document: dict[str, Any],
    included: list[dict[str, Any]],
    proofs: list[Receipt],
    ledger: Ledger,
) -> None:
    from .pdf import render_pdf  # WeasyPrint loads only when a packet is made

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "referral.pdf").write_bytes(render_pdf(document))
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    (folder / "referral.json").write_text(text, encoding="utf-8")
    (folder / "evidence").mkdir()
    for item in included:
        target = folder / "evidence" / f"{item['sha256']}{extension(item['media_type'])}"
        _copy_checked(ledger, item["sha256"], target)
    (folder / "proofs").mkdir()
    for receipt in proofs:
        text = json.dumps(receipt.to_dict(), sort_keys=True, indent=2) + "\n"
        (folder / "proofs" / f"{receipt.leaf_index}.json").write_text(text, encoding="utf-8")
    (folder / "checkpoint.txt").write_text(proofs[0].checkpoint, encoding="utf-8")
    (folder / "log-key.txt").write_text(proofs[0].log_key + "\n", encoding="utf-8")
    # make_bag moves the files into data/ and writes the manifests with the working folder
    # changed to the bag for a moment: safe here, as every eo152 process (a CLI command, a
    # server worker) runs one request at a time and names its files by absolute paths.
    bagit.make_bag(
        str(folder),
        {
            "Source-Organization": SOURCE_ORGANIZATION,
            "External-Identifier": referral.reference,
            "External-Description": "Executive Order 152 referral packet: "
            "check it with `eo152 packet verify`",
            "Bagging-Date": datetime.now(UTC).date().isoformat(),
        },
        checksums=["sha256"],
    )


def _copy_checked(ledger: Ledger, digest: str, target: Path) -> None:
    """Copy a stored file, hashing it on the way: a stored file that changed never leaves
    under the name of the one registered."""
    hasher = hashlib.sha256()
    with ledger.store.open(digest) as source, target.open("xb") as out:
        while chunk := source.read(4 << 20):
            hasher.update(chunk)
            out.write(chunk)
    if hasher.hexdigest() != digest:
        target.unlink()
        raise EvidenceHashMismatch(
            f"the stored file {digest} has changed: its bytes hash to {hasher.hexdigest()}"
        )
