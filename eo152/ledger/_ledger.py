"""The ledger of one data folder: its key, its evidence folder and its log in the database.

This is the one place the CLI (and later the web app) talks to. Everything stored lives
under the settings' data folder and database; two data folders share nothing.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ._bundle import export_bundle, prepare_folder
from ._clock import check_clock, entry_time
from ._entries import (
    CustodyEvent,
    DataRequestStep,
    EvidenceRegistered,
    ExerciseRecorded,
    LedgerExported,
    RecordChanged,
    RecordRead,
    check_texts,
    now,
)
from ._errors import (
    BadDocument,
    BadEvidence,
    BadSettings,
    EvidenceHashMismatch,
    EvidenceMissing,
    EvidenceNotFound,
    LedgerNotInitialized,
    LogInconsistent,
    StorageFailed,
)
from ._files import BlobStore, FolderStore, hash_stream, is_digest, make_private, open_regular
from ._head import TreeHead
from ._log import MerkleLog
from ._media import detect_media_type
from ._merkle import Node
from ._note import Signer, Verifier
from ._receipt import Receipt
from ._store import LogStore, node_from_key, node_key, open_store
from ._verify import Report, replay

DEFAULT_MAX_BYTES = 8 << 30
"""Largest evidence file taken in, unless ``EO152_EVIDENCE_MAX_BYTES`` says otherwise."""


@dataclass(frozen=True)
class LedgerSettings:
    """Where one ledger keeps its things, from the project settings and the environment."""

    data_dir: Path
    database_url: str
    max_bytes: int = DEFAULT_MAX_BYTES
    clock_confirmed: bool = False
    """The operator checked the clock: an entry long after the latest one is real (_clock)."""

    @classmethod
    def from_env(
        cls, data_dir: Path, database_url: str, environ: Mapping[str, str] | None = None
    ) -> LedgerSettings:
        env = os.environ if environ is None else environ
        limit = env.get("EO152_EVIDENCE_MAX_BYTES")
        if limit is not None and not limit.isdigit():
            raise BadSettings(f"EO152_EVIDENCE_MAX_BYTES must be a number of bytes, not {limit!r}")
        return cls(
            data_dir,
            database_url,
            int(limit) if limit else DEFAULT_MAX_BYTES,
            env.get("EO152_CLOCK_CONFIRMED") == "1",
        )

    @property
    def key_file(self) -> Path:
        return self.data_dir / "ledger" / "log.key"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"


@dataclass(frozen=True)
class Evidence:
    """A stored file as its ``evidence.registered`` entry describes it."""

    sha256: str
    size: int
    media_type: str
    detected_media_type: str
    added_by: str
    added_at: str
    incident: str | None


def _write_key(key_file: Path, signer: Signer) -> None:
    """Created readable by its owner only, and never overwritten: it signs every head."""
    try:
        make_private(key_file.parent)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(signer.encode() + "\n")
    except OSError as error:
        raise StorageFailed(f"cannot write the key {key_file}: {error.strerror}").because(
            error
        ) from error


def initialize(
    settings: LedgerSettings, origin: str | None = None, log_store: LogStore | None = None
) -> list[str]:
    """Create the signing key, the evidence folder and the tables; append nothing.

    Tables of an older schema version are upgraded. ``log_store`` replaces the database
    ``settings`` name (tests pass a :class:`MemoryStore`); it is left open.
    """
    done = []
    key_file = settings.key_file
    if key_file.exists():
        done.append(f"kept {key_file}")
    else:
        signer = Signer.generate(origin or f"eo152.local/ledger/{secrets.token_hex(4)}")
        _write_key(key_file, signer)
        done.append(f"created {key_file} (log {signer.name})")
    existed = settings.evidence_dir.exists()
    try:
        make_private(settings.evidence_dir)
    except OSError as error:
        raise StorageFailed(f"cannot create {settings.evidence_dir}: {error.strerror}").because(
            error
        ) from error
    done.append(f"{'kept' if existed else 'created'} {settings.evidence_dir}")
    store = log_store or open_store(settings.database_url)
    try:
        existed = store.prepare(create=True)
    finally:
        if log_store is None:
            store.close()
    done.append(f"{'kept' if existed else 'created'} the ledger tables")
    return done


class Ledger:
    def __init__(self, settings: LedgerSettings, log_store: LogStore, signer: Signer) -> None:
        self.settings = settings
        self.signer = signer
        self.store: BlobStore = FolderStore(settings.evidence_dir)
        self.log = MerkleLog(log_store, signer.verifier, signer)

    @classmethod
    def open(
        cls, settings: LedgerSettings, log_store: LogStore | None = None, read_only: bool = False
    ) -> Ledger:
        """The ledger of ``settings``, its tables upgraded if they are of an older version.

        ``log_store`` replaces the database ``settings`` name; the ledger closes it.
        ``read_only`` is for checks: the database is opened so that nothing is written or
        created, and older tables are read as they are instead of upgraded.
        """
        try:
            signer = Signer.decode(settings.key_file.read_text())
        except FileNotFoundError as error:
            raise LedgerNotInitialized(
                f"no ledger key at {settings.key_file}: run `eo152 init` first"
            ) from error
        except OSError as error:  # a folder in its place, no permission to read it
            raise BadSettings(f"cannot read the ledger key {settings.key_file}: {error}").because(
                error
            ) from error
        log_store = log_store or open_store(settings.database_url, read_only)
        try:
            log_store.prepare(create=False, upgrade=not read_only)
        except BaseException:
            log_store.close()
            raise
        return cls(settings, log_store, signer)

    def close(self) -> None:
        self.log.store.close()

    def add_evidence(
        self,
        path: Path,
        actor: str,
        incident: str | None = None,
        media_type: str | None = None,
        day: str | None = None,
    ) -> tuple[Evidence, Receipt]:
        """Store a file under its SHA-256 and log it; a refused file leaves nothing behind.

        ``day`` (``2026-12-02``) stamps the entry with that day instead of the time: a
        public report's files, like its filing, are logged to the day only.
        """
        check_texts({"actor": actor, "incident": incident, "media_type": media_type})
        at = now()
        self._check_clock(at)
        at = day or at
        with open_regular(path) as source:
            blob = self.store.put(source, self.settings.max_bytes)
        detected = detect_media_type(blob.head)
        entry = EvidenceRegistered(
            blob.sha256, blob.size, media_type or detected, detected, actor, at, incident
        )
        receipt = self.log.append(entry.to_entry())
        evidence = Evidence(
            entry.sha256,
            entry.size,
            entry.media_type,
            detected,
            actor,
            entry.at,
            incident,
        )
        return evidence, receipt

    def record(
        self,
        event: CustodyEvent | RecordChanged | RecordRead | DataRequestStep | ExerciseRecorded,
    ) -> Receipt:
        entry = event.to_entry()
        # An entry stamped with a day only is checked against the clock's full time.
        self._check_clock(event.at if "T" in event.at else now())
        return self.log.append(entry)

    def _check_clock(self, at: str) -> None:
        """Refuse to log the time ``at`` if the clock that gave it cannot be believed."""
        size = self.log.tree_size
        latest = self.log.store.entry(size - 1) if size else None
        check_clock(at, entry_time(latest) if latest else None, self.settings.clock_confirmed)

    def fetch_evidence(self, digest: str, out: BinaryIO, actor: str) -> Receipt:
        """Copy a stored file into ``out`` and log that ``actor`` downloaded it."""
        event = CustodyEvent("downloaded", digest, actor, now())
        entry = event.to_entry()  # checked first
        self._check_clock(event.at)
        with self.store.open(digest) as source:
            shutil.copyfileobj(source, out)
        return self.log.append(entry)

    def require_stored(self, digest: str) -> None:
        """Raise EvidenceNotFound unless a file with SHA-256 ``digest`` is stored."""
        if not is_digest(digest):
            raise EvidenceNotFound(f"{digest!r} is not a SHA-256 digest (64 lowercase hex)")
        if self.store.size(digest) is None:
            raise EvidenceNotFound(f"no stored file has SHA-256 {digest}")

    def log_custody(self, event: CustodyEvent) -> Receipt:
        """Log a custody event of a stored file; nothing is appended if the file is unknown."""
        self.require_stored(event.sha256)
        if event.derived_from is not None:
            self.require_stored(event.derived_from)
        return self.record(event)

    def derive_evidence(
        self,
        original: str,
        path: Path,
        actor: str,
        derivation: str,
        note: str | None = None,
        incident: str | None = None,
        media_type: str | None = None,
        day: str | None = None,
    ) -> tuple[Evidence, Receipt, Receipt]:
        """Store a redacted or clipped copy of ``original`` and log where it came from.

        Two entries go in at once: the copy's ``evidence.registered`` (it is evidence in its
        own right: stored, bundled and re-hashed like any file) and a ``custody.derived``
        entry naming both fingerprints. Returns the copy and the two receipts. Nothing is
        stored or logged when the original is unknown, a field is refused, or the copy is
        byte for byte the original.
        """
        self.require_stored(original)
        at = now()
        self._check_clock(at)
        at = day or at  # as in add_evidence
        # Every field is checked before the copy is read, with the original standing in for
        # the copy's digest, which is known only once the copy is stored.
        CustodyEvent(
            "derived", original, actor, at, incident, original, derivation, note=note
        ).check()
        check_texts({"media_type": media_type})
        with open_regular(path) as source:
            blob = self.store.put(source, self.settings.max_bytes)
        if blob.sha256 == original:  # already stored, so nothing new was written
            raise BadEvidence(
                f"{path} is byte for byte the original {original}: it is not a {derivation} copy"
            )
        detected = detect_media_type(blob.head)
        registered = EvidenceRegistered(
            blob.sha256, blob.size, media_type or detected, detected, actor, at, incident
        )
        derived = CustodyEvent(
            "derived", blob.sha256, actor, at, incident, original, derivation, note=note
        )
        receipts = self.log.append_many([registered.to_entry(), derived.to_entry()])
        evidence = Evidence(
            blob.sha256, blob.size, registered.media_type, detected, actor, at, incident
        )
        return evidence, receipts[0], receipts[1]

    def export(
        self,
        target: Path,
        with_files: bool,
        actor: str,
        recipient: str | None = None,
        reason: str | None = None,
    ) -> tuple[TreeHead, Receipt]:
        """Log a ``ledger.exported`` entry, then write a bundle that ends with it.

        The entry goes in first and the bundle is cut at the tree head of that append, so
        the bundle carries the record of its own export (and its receipt verifies against
        the bundle's head). The folder is checked and made before anything is logged; if
        writing the bundle then fails, the entry stays: the log shows an export that was
        started and did not finish, never one that happened unrecorded.
        """
        exported = LedgerExported(actor, now(), with_files, recipient, reason)
        entry = exported.to_entry()
        self._check_clock(exported.at)
        prepare_folder(target)
        receipt = self.log.append(entry)
        head = TreeHead(receipt.tree_size, receipt.root_hash, receipt.checkpoint)
        try:
            export_bundle(self.log, self.store, target, with_files, head)
        except (BadDocument, EvidenceNotFound) as error:
            raise type(error)(
                f"{error}; entry {receipt.leaf_index} records this export, which did not finish"
            ) from error
        return head, receipt

    def verify(
        self, progress: Callable[[int], None] | None = None, key: Verifier | None = None
    ) -> Report:
        """Check the whole log, every stored subtree, every head and every file.

        Every tree head's signature is checked against ``key`` (default: this data folder's
        own key, which whoever can replace the log can replace too). ``progress`` is called
        with each entry index as it is checked.
        """
        with self.log.store.snapshot():
            return self._verify(progress, key)

    def _verify(self, progress: Callable[[int], None] | None, key: Verifier | None) -> Report:
        verifier = key or self.signer.verifier
        size = self.log.tree_size
        stored = StoredTree(self.log.stored_nodes(0, (1 << 63) - 1))

        def on_leaf(index: int, completed: list[tuple[Node, bytes]]) -> None:
            stored.check(index, completed)
            if progress:
                progress(index)

        report = replay(
            self.log.entries(),
            self.log.heads(),
            verifier,
            on_leaf,
            self._check_registered,
        )
        if report.tree_size != size:
            raise LogInconsistent(
                f"the log says it holds {size} entries; {report.tree_size} are stored"
            )
        if size and self.log.head() != self.log.last_issued_head():
            raise LogInconsistent("the log's current tree head is not the last one it issued")
        stored.check_no_strays()
        self._check_stored_files()
        report.checks = [
            f"signatures checked against {verifier.encode()}"
            + ("" if key else " (this data folder's key: compare it with the published key)"),
            f"{size} entries rebuild the tree and its stored subtrees",
            f"root hash {report.root_hash.hex()}",
            f"{report.heads} signed tree heads match the tree at their size",
            f"{report.files} registered files are present with their recorded size",
            "every stored file hashes to its name",
        ]
        report.warnings = [
            f"evidence/tmp/{name}: a partial upload of {size} bytes left by an interrupted "
            "add; it is not evidence, and the next `evidence add` removes it"
            for name, size in self.store.partial_uploads()
        ]
        return report

    def _check_registered(self, index: int, digest: str, size: int) -> None:
        stored = self.store.size(digest)
        if stored is None:
            raise EvidenceMissing(f"entry {index}: the file {digest} is missing")
        if stored != size:
            raise EvidenceHashMismatch(
                f"entry {index}: the file {digest} has {stored} bytes, {size} were recorded"
            )

    def _check_stored_files(self) -> None:
        for digest in self.store.digests():
            with self.store.open(digest) as stored:
                actual, _ = hash_stream(stored)
            if actual != digest:
                raise EvidenceHashMismatch(
                    f"the stored file {digest} has changed: its bytes hash to {actual}"
                )


class StoredTree:
    """Compares the stored perfect subtrees with the ones a replay recomputes, streaming.

    Stored subtrees come in key order (first leaf covered, then level); a subtree starting
    at leaf ``i`` is read when the replay reaches ``i`` and waits until the replay completes
    it, so at most O(log n) wait at any time.
    """

    def __init__(self, rows: Iterator[tuple[int, bytes]]) -> None:
        self.rows = rows
        self.next_row = next(rows, None)
        self.waiting: dict[Node, bytes] = {}

    def check(self, index: int, completed: list[tuple[Node, bytes]]) -> None:
        limit = node_key(0, index + 1)
        while self.next_row is not None and self.next_row[0] < limit:
            self.waiting[node_from_key(self.next_row[0])] = self.next_row[1]
            self.next_row = next(self.rows, None)
        for node, digest in completed:
            if self.waiting.pop(node, None) != digest:
                if node[0] == 0:
                    raise LogInconsistent(f"entry {index}: the stored leaf hash does not match it")
                raise LogInconsistent(f"the stored subtree {node} is missing or does not match")

    def check_no_strays(self) -> None:
        stray = next(iter(self.waiting), None)
        if stray is None and self.next_row is not None:
            stray = node_from_key(self.next_row[0])
        if stray is not None:
            raise LogInconsistent(f"the stored tree has a stray subtree {stray}")
