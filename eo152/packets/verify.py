"""Check a referral packet offline: each check says in plain words what it proved, or what
failed.

Six checks, each run whatever the others found, so one tampering shows in every place it
breaks something:

1. ``bag``: the BagIt bag is complete and every file matches its SHA-256 manifest.
2. ``proofs``: every ledger proof leads to the root of the packet's one checkpoint.
3. ``signature``: the checkpoint is signed by the log key in the packet (and, with a key
   given, that key is the one the City published).
4. ``evidence``: each evidence file hashes to its name, to the JSON's entry and to the
   ``evidence.registered`` entry proven in the packet; the ledger records it left.
5. ``pdf``: the PDF and the JSON name the same file hashes.
6. ``referral``: the JSON's snapshot is the one the ledger recorded when the referral was
   made, and its sign-off, sending and this export are the entries proven in the packet.

Imports no Django and opens no database (a test checks it in a fresh interpreter).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bagit
import rfc8785

from ..ledger import (
    BadDocument,
    Checkpoint,
    LedgerError,
    Receipt,
    Verifier,
    verify_inclusion,
)
from ..ledger._note import open_checkpoint

_EVIDENCE_NAME = re.compile(r"([0-9a-f]{64})(\.[a-z0-9]{1,8})?")
_PROOF_NAME = re.compile(r"(0|[1-9][0-9]*)\.json")
_HEX = re.compile(r"[0-9a-f]+")
_PUNCTUATION = ".,;:()[]{}\u00ab\u00bb\"'\u201c\u201d\u2018\u2019"
_HASH_PIECE = re.compile(r"(?=.*[a-f])[0-9a-f]{16,}")
# Characters a PDF's text may carry inside a hash broken across lines: soft hyphens,
# zero-width spaces and joiners, word joiners.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


class NotAPacket(Exception):
    """The folder is not a referral packet at all (exit status 2, not a failed check)."""


@dataclass
class Check:
    name: str
    ok: bool
    says: str
    """What the check proved, or, when it failed, what it looked for."""
    problems: list[str] = field(default_factory=list)
    """What failed, one line each, naming the file."""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "says": self.says, "problems": self.problems}


@dataclass
class Report:
    folder: Path
    reference: str | None
    key: str | None
    """The log key the packet carries (C2SP verifier key), if it could be read."""
    key_fingerprint: str | None
    key_given: bool
    checks: list[Check]
    notes: list[str] = field(default_factory=list)
    """What is true and worth knowing but is no failure (files listed by hash only)."""

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "folder": str(self.folder),
            "reference": self.reference,
            "log_key": self.key,
            "log_key_fingerprint": self.key_fingerprint,
            "key_given": self.key_given,
            "checks": [check.to_dict() for check in self.checks],
            "notes": self.notes,
        }

    def lines(self) -> list[str]:
        """The report in plain words: a verdict, then one line per check and its problems."""
        if self.ok:
            head = f"The packet {self.reference} passed every check."
        else:
            names = ", ".join(check.name for check in self.failed)
            head = f"The packet {self.reference or ''} FAILED: {names}.".replace("  ", " ")
        out = [head]
        for check in self.checks:
            if check.ok:
                out.append(f"  ok     {check.name}: {check.says}")
            else:
                out.append(f"  FAILED {check.name} (it checks that {check.says}):")
            out.extend(f"           - {problem}" for problem in check.problems)
        out.extend(f"  note: {note}" for note in self.notes)
        return out


def fingerprint(content: Any) -> str:
    """SHA-256 of ``content`` as RFC 8785 canonical JSON (as the City's records are hashed)."""
    return hashlib.sha256(rfc8785.dumps(content)).hexdigest()


def key_fingerprint(verifier: Verifier) -> str:
    """SHA-256 of the raw Ed25519 public key, in groups of four hex digits."""
    digest = hashlib.sha256(verifier.public_key).hexdigest()
    return "SHA256:" + ":".join(digest[i : i + 4] for i in range(0, 64, 4))


def _leaf_hash(entry: str) -> bytes:
    return hashlib.sha256(b"\x00" + entry.encode()).digest()


def _sha256_file(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(4 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


@dataclass
class _Packet:
    """What the checks read, loaded once; whatever could not be read is None, and why."""

    folder: Path
    data: Path
    document: dict[str, Any] | None = None
    document_error: str = ""
    checkpoint_text: str | None = None
    checkpoint: Checkpoint | None = None
    checkpoint_error: str = ""
    verifier: Verifier | None = None
    key_error: str = ""
    proofs: dict[int, Receipt] = field(default_factory=dict)
    """Proof files that could be read, by leaf index."""
    proof_errors: list[str] = field(default_factory=list)
    entries: dict[int, dict[str, Any]] = field(default_factory=dict)
    """The entries of the proofs that lead to the checkpoint, by leaf index."""

    def proven(self, kind: str, **fields: Any) -> list[tuple[int, dict[str, Any]]]:
        return [
            (index, entry)
            for index, entry in sorted(self.entries.items())
            if entry.get("kind") == kind and all(entry.get(k) == v for k, v in fields.items())
        ]


def _load(folder: Path) -> _Packet:
    packet = _Packet(folder, folder / "data")
    try:
        loaded = json.loads((packet.data / "referral.json").read_text(encoding="utf-8"))
        if not isinstance(loaded, dict):
            raise ValueError("it is not a JSON object")
        packet.document = loaded
    except (OSError, ValueError) as error:
        packet.document_error = f"data/referral.json cannot be read: {error}"
    try:
        packet.checkpoint_text = (packet.data / "checkpoint.txt").read_text(encoding="utf-8")
        body = packet.checkpoint_text.rpartition("\n\n")[0] + "\n"
        packet.checkpoint = Checkpoint.parse(body)
    except (OSError, ValueError, LedgerError) as error:
        packet.checkpoint_error = f"data/checkpoint.txt cannot be read: {error}"
    try:
        packet.verifier = Verifier.decode((packet.data / "log-key.txt").read_text("utf-8"))
    except (OSError, ValueError, LedgerError) as error:
        packet.key_error = f"data/log-key.txt cannot be read: {error}"
    proofs = packet.data / "proofs"
    for path in sorted(proofs.iterdir()) if proofs.is_dir() else []:
        name = f"data/proofs/{path.name}"
        match = _PROOF_NAME.fullmatch(path.name)
        if not match:
            packet.proof_errors.append(f"{name} is not named after a leaf index")
            continue
        try:
            receipt = Receipt.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, LedgerError) as error:
            packet.proof_errors.append(f"{name} is not a ledger proof: {error}")
            continue
        if receipt.leaf_index != int(match[1]):
            packet.proof_errors.append(
                f"{name} holds the proof of entry {receipt.leaf_index}, not {match[1]}"
            )
            continue
        packet.proofs[receipt.leaf_index] = receipt
    return packet


def verify_packet(folder: Path, key: str | None = None) -> Report:
    """Check the packet in ``folder``; ``key`` is the log key to trust (C2SP verifier key).

    Raises NotAPacket when ``folder`` is no BagIt bag, BadDocument when ``key`` is not a
    key; otherwise returns a report whose ``ok`` says whether every check passed.
    """
    folder = Path(folder)
    trusted = Verifier.decode(key) if key is not None else None
    if not folder.is_dir():
        raise NotAPacket(f"{folder} is not a folder")
    if not (folder / "bagit.txt").is_file():
        raise NotAPacket(f"{folder} is not a BagIt bag (it has no bagit.txt)")
    packet = _load(folder)
    notes: list[str] = []
    checks = [
        _guard("bag", lambda: _check_bag(packet)),
        _guard("proofs", lambda: _check_proofs(packet)),
        _guard("signature", lambda: _check_signature(packet, trusted)),
        _guard("evidence", lambda: _check_evidence(packet, notes)),
        _guard("pdf", lambda: _check_pdf(packet)),
        _guard("referral", lambda: _check_referral(packet)),
    ]
    document = packet.document or {}
    reference = document.get("reference")
    return Report(
        folder,
        reference if isinstance(reference, str) else None,
        packet.verifier.encode() if packet.verifier else None,
        key_fingerprint(packet.verifier) if packet.verifier else None,
        trusted is not None,
        checks,
        notes,
    )


def _guard(name: str, run: Callable[[], Check]) -> Check:
    """A check that meets a packet too broken to read reports that, rather than crashing."""
    try:
        return run()
    except (OSError, ValueError, KeyError, TypeError, AttributeError, LedgerError) as error:
        return Check(name, False, "could not be completed", [f"{type(error).__name__}: {error}"])


# -- 1. the bag ----------------------------------------------------------------------------


def _check_bag(packet: _Packet) -> Check:
    says = "the bag is complete and every file matches its SHA-256 in the bag's manifests"
    try:
        bag = bagit.Bag(str(packet.folder))
    except bagit.BagError as error:
        return Check("bag", False, says, [f"the bag's own files cannot be read: {error}"])
    problems = []
    if "sha256" not in bag.algorithms:
        problems.append("the bag has no SHA-256 manifest (manifest-sha256.txt)")
    try:
        bag.validate()
    except bagit.BagValidationError as error:
        details = _bag_details(bag) or [error.message]
        problems.extend(details)
    except bagit.BagError as error:
        problems.append(str(error))
    reference = (packet.document or {}).get("reference")
    if reference is not None and bag.info.get("External-Identifier") != reference:
        problems.append("bag-info.txt names another referral than data/referral.json")
    if problems:
        return Check("bag", False, says, problems)
    count = len(bag.entries)
    return Check(
        "bag",
        True,
        f"the bag is complete (nothing missing, nothing added) and all {count} files "
        "match their SHA-256 in the bag's manifests",
    )


def _bag_details(bag: bagit.Bag) -> list[str]:
    """Name every missing, added and changed file (bagit stops at the first kind it finds)."""
    details: list[Any] = []
    for step in (bag._validate_completeness, lambda: bag._validate_entries(1)):
        try:
            step()
        except bagit.BagValidationError as error:
            details.extend(error.details)
    missing = {d.path for d in details if isinstance(d, bagit.FileMissing)}
    said = []
    for detail in details:
        if isinstance(detail, bagit.FileMissing):
            said.append(f"{detail.path} is missing (the bag's manifest lists it)")
        elif isinstance(detail, bagit.UnexpectedFile):
            said.append(f"{detail.path} was added (the bag's manifest does not list it)")
        elif isinstance(detail, bagit.ChecksumMismatch):
            if detail.path not in missing:  # a missing file is named once, as missing
                said.append(
                    f"{detail.path} has changed: its {detail.algorithm} is {detail.found}, "
                    f"the manifest says {detail.expected}"
                )
        else:
            said.append(str(detail))
    return said


# -- 2. the proofs -------------------------------------------------------------------------


def _check_proofs(packet: _Packet) -> Check:
    says = "every ledger proof leads to the root hash of the packet's checkpoint"
    problems = list(packet.proof_errors)
    checkpoint = packet.checkpoint
    if checkpoint is None or packet.checkpoint_text is None:
        return Check("proofs", False, says, [packet.checkpoint_error, *problems])
    document = packet.document or {}
    listed = document.get("proofs")
    if isinstance(listed, list):
        for index in listed:
            if index not in packet.proofs and f"{index}.json" not in str(problems):
                problems.append(f"data/proofs/{index}.json is missing (the JSON lists it)")
    if not packet.proofs:
        problems.append("the packet holds no ledger proof (data/proofs/ is empty or missing)")
    for index, receipt in sorted(packet.proofs.items()):
        name = f"data/proofs/{index}.json"
        try:
            if _leaf_hash(receipt.entry) != receipt.leaf_hash:
                raise BadDocument("its entry text does not hash to its leaf_hash")
            if receipt.checkpoint != packet.checkpoint_text:
                raise BadDocument("its checkpoint is not data/checkpoint.txt")
            if (receipt.tree_size, receipt.root_hash) != (
                checkpoint.tree_size,
                checkpoint.root_hash,
            ):
                raise BadDocument("it is for another tree size or root than the checkpoint")
            verify_inclusion(
                receipt.leaf_hash,
                index,
                checkpoint.tree_size,
                receipt.inclusion_proof,
                checkpoint.root_hash,
            )
            entry = json.loads(receipt.entry)
            if not isinstance(entry, dict):
                raise BadDocument("its entry is not a JSON object")
        except (LedgerError, ValueError) as error:
            problems.append(f"{name}: {error}")
            continue
        packet.entries[index] = entry
    if problems:
        return Check("proofs", False, says, problems)
    root = checkpoint.root_hash.hex()
    return Check(
        "proofs",
        True,
        f"all {len(packet.proofs)} ledger entries the packet relies on are in the City's log "
        f"of {checkpoint.tree_size} entries, word for word (inclusion proofs to root "
        f"{root[:16]}…)",
    )


# -- 3. the signature ----------------------------------------------------------------------


def _check_signature(packet: _Packet, trusted: Verifier | None) -> Check:
    if packet.verifier is None or packet.checkpoint_text is None:
        return Check(
            "signature",
            False,
            "the checkpoint is signed by the log's key",
            [p for p in (packet.key_error, packet.checkpoint_error) if p],
        )
    problems = []
    verifier = packet.verifier
    if trusted is not None and trusted != verifier:
        problems.append(
            f"the packet's log key is not the key you gave: the packet carries "
            f"{verifier.encode()} ({key_fingerprint(verifier)})"
        )
    try:
        open_checkpoint(packet.checkpoint_text, trusted or verifier)
    except LedgerError as error:
        problems.append(f"data/checkpoint.txt: {error}")
    if trusted is not None:
        says = (
            "the checkpoint is signed by the key you gave (the City's published key), "
            "and the packet carries that same key"
        )
    else:
        says = (
            "the checkpoint is signed by the log key in the packet. Without --key this "
            "only shows the packet is consistent with itself: compare the key's "
            f"fingerprint {key_fingerprint(verifier)} with the one the City publishes"
        )
    return Check("signature", not problems, says, problems)


# -- 4. the evidence -----------------------------------------------------------------------


def _check_evidence(packet: _Packet, notes: list[str]) -> Check:
    says = (
        "each evidence file hashes to its name, to the JSON's list and to the file the City "
        "registered in the ledger"
    )
    document = packet.document
    if document is None:
        return Check("evidence", False, says, [packet.document_error])
    listing = document["evidence"]
    registered = {item["sha256"]: item for item in document["referral"]["evidence"]}
    problems = []
    on_disk = {}
    folder = packet.data / "evidence"
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        name = f"data/evidence/{path.name}"
        match = _EVIDENCE_NAME.fullmatch(path.name)
        if not match or not path.is_file():
            problems.append(f"{name} is not named after a SHA-256 (or is not a file)")
            continue
        actual = _sha256_file(path)
        if actual != match[1]:
            problems.append(f"{name} is not the file its name says: its SHA-256 is {actual}")
        on_disk[name] = (match[1], actual, path.stat().st_size)
    listed_names = set()
    days = set()
    included = 0
    for item in listing:
        digest, path = item["sha256"], item["path"]
        short = f"{digest[:12]}…"
        snapshot = registered.get(digest)
        if snapshot is None:
            problems.append(f"{short}: the JSON's list names it, the referral's snapshot does not")
            continue
        for key in ("size", "media_type", "label"):
            if snapshot[key] != item[key]:
                problems.append(f"{short}: the JSON's list and the snapshot differ in {key}")
        proof = packet.entries.get(snapshot["leaf_index"])
        if proof is None:
            problems.append(
                f"{short}: no valid proof of its registration "
                f"(data/proofs/{snapshot['leaf_index']}.json)"
            )
        elif (proof.get("kind"), proof.get("sha256"), proof.get("size")) != (
            "evidence.registered",
            digest,
            snapshot["size"],
        ):
            problems.append(
                f"{short}: entry {snapshot['leaf_index']} of the ledger registers another "
                "file, or another size"
            )
        else:
            days.add(str(proof.get("at", ""))[:10])
        if not str(path).startswith("data/evidence/"):
            notes.append(
                f"the file {digest} is listed by its hash only ({path}); its registration "
                "is proven, the file is not in the packet: ask the City for it and check "
                "its SHA-256 (sha256sum) against this hash"
            )
            continue
        listed_names.add(path)
        found = on_disk.get(path)
        if found is None:
            problems.append(f"{path} is missing (the JSON lists {short} there)")
        elif found[1] == digest and found[2] != snapshot["size"]:  # else named above
            problems.append(f"{path} has {found[2]} bytes, {snapshot['size']} were registered")
        if not packet.proven("custody.exported", sha256=digest):
            problems.append(f"{short}: no proven ledger entry records that it left in a packet")
        included += 1
    for name in sorted(set(on_disk) - listed_names):
        problems.append(f"{name} is not in the JSON's list of evidence")
    # Which files left is in the export's own ledger entry (the referral check proves the
    # JSON's `export` is what that entry fingerprints): the packet must hold exactly those.
    export = document.get("export") or {}
    held = sorted(item["sha256"] for item in listing if item["path"].startswith("data/"))
    if sorted(export.get("included", [])) != held:
        problems.append(
            "the files in the packet are not the ones its export entry says left "
            f"(the entry: {len(export.get('included', []))}, the packet: {len(held)})"
        )
    if set(registered) - {item["sha256"] for item in listing}:
        problems.append("the snapshot names a file the JSON's list leaves out")
    if problems:
        return Check("evidence", False, says, problems)
    when = " and ".join(sorted(d for d in days if d)) or "an unknown day"
    listed_only = len(listing) - included
    extra = f"; {listed_only} more listed by hash only (see the note)" if listed_only else ""
    if not included:
        return Check("evidence", True, "the packet holds no evidence file" + extra)
    return Check(
        "evidence",
        True,
        f"all {included} evidence files are exactly the files the City registered on {when} "
        "(SHA-256 and ledger proofs), and the ledger records that each left in this export" + extra,
    )


# -- 5. the PDF ----------------------------------------------------------------------------


def pdf_hashes(text: str) -> tuple[str, list[str]]:
    """The PDF's text with every line break inside a hash undone, and the hashes in it.

    A hash may be broken across lines (or set as two halves); runs of words made only of
    hex digits are joined. Words that happen to be hex ("de", "added") joined to a hash
    make a run longer than 64: such a run is kept whole, and matched by containment. A run
    counts only if one of its words is a piece of a hash (16 hex digits or more, a letter
    among them), so a column of numbers (the activity log's entry numbers) is no hash.
    """
    words = [_INVISIBLE.sub("", word).lower().strip(_PUNCTUATION) for word in text.split()]
    runs: list[str] = []
    current: list[str] = []
    for word in [*words, ""]:
        if word and _HEX.fullmatch(word):
            current.append(word)
            continue
        joined = "".join(current)
        if len(joined) >= 64 and any(_HASH_PIECE.fullmatch(piece) for piece in current):
            runs.append(joined)
        current = []
    return " ".join(words), runs


def _check_pdf(packet: _Packet) -> Check:
    says = "the PDF names the same file hashes as the JSON"
    document = packet.document
    if document is None:
        return Check("pdf", False, says, [packet.document_error])
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    path = packet.data / "referral.pdf"
    try:
        reader = PdfReader(path)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (OSError, PyPdfError, ValueError) as error:
        return Check("pdf", False, says, [f"data/referral.pdf cannot be read: {error}"])
    _, runs = pdf_hashes(text)
    json_text = (packet.data / "referral.json").read_text(encoding="utf-8")
    in_json = set(re.findall(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])", json_text))
    problems = []
    files = [item["sha256"] for item in document["evidence"]]
    for digest in files:
        if not any(digest in run for run in runs):
            problems.append(f"data/referral.pdf does not name the file {digest} the JSON lists")
    for run in runs:
        if not any(known in run for known in in_json):
            problems.append(f"data/referral.pdf names a hash the JSON does not: {run[:64]}")
    reference = document.get("reference")
    if isinstance(reference, str) and reference not in "".join(text.split()):
        problems.append(f"data/referral.pdf does not name the referral {reference}")
    if problems:
        return Check("pdf", False, says, problems)
    return Check(
        "pdf",
        True,
        f"the PDF and the JSON name the same {len(files)} file hashes, and the PDF names no "
        "hash the JSON lacks",
    )


# -- 6. the referral -----------------------------------------------------------------------


def _check_referral(packet: _Packet) -> Check:
    says = "the JSON's referral is the snapshot the City recorded when it was made"
    document = packet.document
    if document is None:
        return Check("referral", False, says, [packet.document_error])
    reference = document["reference"]
    computed = fingerprint(document["referral"])
    problems = []
    if computed != document["snapshot_sha256"]:
        problems.append(
            f"data/referral.json: the referral hashes to {computed}, "
            f"the JSON's snapshot_sha256 says {document['snapshot_sha256']}"
        )
    made = packet.proven("record.created", record_type="referral", record_id=reference)
    if len(made) != 1:
        problems.append(f"no single proven record.created entry for {reference}")
    else:
        index, entry = made[0]
        if entry.get("record_sha256") != computed:
            problems.append(
                f"the referral in data/referral.json is not the one recorded in entry {index} "
                f"when it was made (it hashes to {computed}, the ledger has "
                f"{entry.get('record_sha256')})"
            )
        if entry.get("actor") != (document.get("made") or {}).get("by"):
            problems.append(f"entry {index} names another maker than the JSON")
    changes = packet.proven("record.changed", record_type="referral", record_id=reference)
    steps = []
    for state, key in (("signed_off", "signed_off"), ("sent", "sent")):
        step = document.get(key)
        if step is None:
            continue
        content = {
            "reference": reference,
            "state": state,
            "snapshot_sha256": document["snapshot_sha256"],
            "by": step["by"],
        }
        found = [i for i, e in changes if e.get("record_sha256") == fingerprint(content)]
        if not found:
            problems.append(f"no proven ledger entry records that {step['by']} {state} it")
        else:
            steps.append(f"{state.replace('_', ' ')} by {step['by']} (entry {found[0]})")
    export = document.get("export")
    exported = [i for i, e in changes if export and e.get("record_sha256") == fingerprint(export)]
    if not exported:
        problems.append("no proven ledger entry records this export (the JSON's export)")
    if problems:
        return Check("referral", False, says, problems)
    return Check(
        "referral",
        True,
        f"the referral {reference} in the JSON is exactly the snapshot the City recorded when "
        f"it was made (RFC 8785 SHA-256 {computed[:16]}…, entry {made[0][0]})"
        + (f"; {', '.join(steps)}" if steps else "")
        + f"; this export is entry {exported[0]}",
    )
