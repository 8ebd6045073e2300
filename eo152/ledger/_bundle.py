"""Export bundles: the whole log in plain files, checked on another machine with no database.

A bundle is a folder::

    bundle.json      format, origin, the log key, the latest signed tree head
    log-key.txt      the log's public key (C2SP verifier key)
    entries.jsonl    every entry, the exact canonical JSON that was hashed, one per line
    heads.jsonl      every signed tree head ever issued, oldest first
    files/sha256/ab/cd/<digest>    the evidence files (only with --with-files)
    README.txt       how to check it

Exported through :meth:`Ledger.export`, the bundle's last entry is the ``ledger.exported``
entry that records the export itself: it is appended first and the bundle is cut at the
tree head that append signed. :func:`verify_bundle` requires that entry, and takes from it
(signed, unlike ``bundle.json``) whether the files are in the bundle.

Entries are canonical JSON (RFC 8785) and so never contain a raw newline; lines are split
on that byte alone.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ._entries import exported_with_files, registered_file
from ._errors import BadDocument, EvidenceHashMismatch, EvidenceMissing, LogInconsistent
from ._files import BlobStore, FolderStore, hash_file
from ._head import TreeHead
from ._log import MerkleLog
from ._note import Verifier
from ._receipt import load_document
from ._verify import Report, check_head, replay

FORMAT = "eo152-ledger-bundle/1"

_README = """\
This folder is an export of an eo152 evidence ledger ({origin}).
It holds {size} log entries and every signed tree head the log issued up to them.

To check it (no database and no network needed):

    eo152 ledger verify --bundle THIS_FOLDER --key '{key}'

Compare the key above with the one the City published before trusting the result.
"""


def prepare_folder(target: Path) -> None:
    """Make ``target`` an empty folder for a bundle, or raise BadDocument; write nothing else."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BadDocument(f"{target} already exists and is not an empty folder")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BadDocument(f"cannot make the bundle folder {target}: {error.strerror}").because(
            error
        ) from error


def export_bundle(
    log: MerkleLog,
    store: BlobStore,
    target: Path,
    with_files: bool,
    head: TreeHead | None = None,
) -> TreeHead:
    """Write a bundle of the log into ``target`` (new or empty), cut at ``head``.

    ``head`` defaults to the latest tree head; entries appended after it are left out.
    """
    prepare_folder(target)
    head = head or log.head()
    try:
        _write_bundle(log, store, target, with_files, head)
    except OSError as error:
        raise BadDocument(f"cannot write the bundle in {target}: {error.strerror}").because(
            error
        ) from error
    return head


def _write_bundle(
    log: MerkleLog, store: BlobStore, target: Path, with_files: bool, head: TreeHead
) -> None:
    key = log.verifier.encode()
    with (target / "entries.jsonl").open("wb") as out:
        for index, entry in log.entries():
            if index >= head.tree_size:
                break  # appended after the head this bundle is cut at
            out.write(entry.encode() + b"\n")
            if with_files:
                _copy_registered(store, entry, target)
    with (target / "heads.jsonl").open("w", encoding="utf-8") as out:
        for stored in log.heads():
            if stored.tree_size <= head.tree_size:
                out.write(json.dumps(stored.to_dict()) + "\n")
    summary = {"format": FORMAT, "origin": log.verifier.name, "log_key": key, **head.to_dict()}
    summary["with_files"] = with_files
    (target / "bundle.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (target / "log-key.txt").write_text(key + "\n", encoding="utf-8")
    readme = _README.format(origin=log.verifier.name, size=head.tree_size, key=key)
    (target / "README.txt").write_text(readme, encoding="utf-8")


def _copy_registered(store: BlobStore, entry: str, target: Path) -> None:
    registered = registered_file(entry)
    if registered is None:
        return
    # The bundle's files folder is laid out like the evidence folder.
    destination = FolderStore(target / "files").path(registered[0])
    if not destination.exists():
        destination.parent.mkdir(parents=True, exist_ok=True)
        with store.open(registered[0]) as source, destination.open("xb") as out:
            shutil.copyfileobj(source, out)


def _entries(lines: BinaryIO) -> Iterator[tuple[int, str]]:
    for index, line in enumerate(lines):
        try:
            yield index, line.rstrip(b"\n").decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadDocument(f"entry {index} in entries.jsonl is not UTF-8") from error


def _last_line(lines: BinaryIO) -> bytes:
    """The last line of ``lines``, without its newline, read from the end."""
    position = lines.seek(0, os.SEEK_END)
    tail = b""
    while position > 0 and b"\n" not in tail[:-1]:
        step = min(position, 1 << 16)
        position -= step
        lines.seek(position)
        tail = lines.read(step) + tail
    return tail.removesuffix(b"\n").rpartition(b"\n")[2]


def _exported_with_files(lines: BinaryIO, summary: dict[str, object]) -> bool:
    """Whether the files were exported, from the bundle's last entry: its own export entry.

    A bundle cut short at an earlier tree head ends with some other entry, and is refused;
    so is a ``bundle.json`` whose ``with_files`` (not signed) says otherwise than the entry.
    The replay then checks that this entry is the one the latest tree head signs.
    """
    # Bytes that are not UTF-8 are refused by the replay, naming the entry.
    with_files = exported_with_files(_last_line(lines).decode("utf-8", "replace"))
    if with_files is None:
        raise LogInconsistent(
            "the bundle does not end with the ledger.exported entry of its export: "
            "it was cut short, or not written by `eo152 ledger export`"
        )
    if summary.get("with_files") is not with_files:
        raise LogInconsistent(
            f"bundle.json says with_files is {json.dumps(summary.get('with_files'))}, "
            f"the bundle's signed export entry says {json.dumps(with_files)}"
        )
    return with_files


def _heads(path: Path) -> Iterator[TreeHead]:
    # Bytes: a line that is not UTF-8 is then refused by json.loads below, not while reading.
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                fields = json.loads(line)
                yield TreeHead(
                    int(fields["tree_size"]),
                    bytes.fromhex(fields["root_hash"]),
                    str(fields["checkpoint"]),
                )
            except (ValueError, KeyError, TypeError) as error:
                raise BadDocument(f"line {number} of {path} is not a tree head") from error


def verify_bundle(folder: Path, key: Verifier | None = None) -> Report:
    """Check a bundle; ``key`` pins the log key (default: the one the bundle carries)."""
    summary = load_document(folder / "bundle.json", "bundle summary")
    if not isinstance(summary, dict) or summary.get("format") != FORMAT:
        raise BadDocument(f"{folder} is not an eo152 ledger bundle ({FORMAT})")
    for name in ("entries.jsonl", "heads.jsonl"):
        if not (folder / name).is_file():
            raise BadDocument(f"the bundle lacks {name}")
    verifier = key or Verifier.decode(str(summary.get("log_key", "")))
    latest = _head_from_summary(summary)
    check_head(latest, verifier)
    with (folder / "entries.jsonl").open("rb") as lines:
        with_files = _exported_with_files(lines, summary)
        files = folder / "files" if with_files else None
        if files is None and (folder / "files").exists():
            raise LogInconsistent(
                "the bundle holds a files folder; its signed export entry says no files went"
            )

        def check_file(index: int, digest: str, size: int) -> None:
            if files is not None:
                _check_bundled_file(files, index, digest, size)

        lines.seek(0)
        report = replay(
            _entries(lines), _heads(folder / "heads.jsonl"), verifier, on_file=check_file
        )
    if (report.tree_size, report.root_hash) != (latest.tree_size, latest.root_hash):
        raise LogInconsistent("the bundle's entries do not end at the tree head in bundle.json")
    last = report.last_head
    if last is None or (last.tree_size, last.root_hash) != (latest.tree_size, latest.root_hash):
        # Each head names the one before it, so only the last ones could go unnoticed.
        raise LogInconsistent("heads.jsonl does not end with the tree head in bundle.json")
    report.checks = [
        f"signatures checked against {verifier.encode()}"
        + ("" if key else " (the key the bundle carries: compare it with the published key)"),
        f"{report.tree_size} entries rebuild the tree; root {report.root_hash.hex()}",
        f"{report.heads} signed tree heads match the tree at their size",
        "the last entry records this export, "
        + ("with the files" if files else "without the files"),
        f"{report.files} registered files "
        + ("hash to their recorded SHA-256" if files else "were not bundled (no --with-files)"),
    ]
    if files is None:
        report.files = 0
    return report


def _head_from_summary(summary: dict[str, object]) -> TreeHead:
    try:
        return TreeHead(
            int(str(summary["tree_size"])),
            bytes.fromhex(str(summary["root_hash"])),
            str(summary["checkpoint"]),
        )
    except (KeyError, ValueError) as error:
        raise BadDocument("bundle.json has no valid tree head") from error


def _check_bundled_file(files: Path, index: int, digest: str, size: int) -> None:
    path = FolderStore(files).path(digest)
    if not path.is_file():
        raise EvidenceMissing(f"entry {index}: the bundle lacks the file {digest}")
    actual, actual_size = hash_file(path)
    if actual != digest or actual_size != size:
        raise EvidenceHashMismatch(f"entry {index}: the bundled file {digest} hashes to {actual}")
