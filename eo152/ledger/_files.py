"""Evidence bytes, stored under their SHA-256: a small storage interface and a folder.

A file is hashed while it streams in, written to a temporary file, fsynced and renamed
into place, so a crash never leaves a partial file under a real name; the same bytes are
stored once. Files are their owner's alone (600 while written, then 400) and folders 700,
whatever the umask: evidence is not for every local user to read. Object storage for a
deployment would be another :class:`BlobStore`.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from ._errors import (
    EvidenceEmpty,
    EvidenceNotFound,
    EvidenceTooLarge,
    EvidenceUnreadable,
    StorageFailed,
)
from ._media import SNIFF_BYTES

CHUNK = 4 << 20
"""Bytes read at a time: large enough that hashing and writing run at full speed."""

_DIGEST = re.compile(r"[0-9a-f]{64}")
_PARTIAL = "incoming-"
"""How the temporary file of a ``put`` is named, in ``tmp/`` beside ``sha256/``."""

SWEEP_MARGIN = 60
"""Seconds a partial upload must be older than the ``put`` that removes it."""


@dataclass(frozen=True)
class Blob:
    sha256: str
    size: int
    head: bytes
    """The first bytes, for detecting the media type."""


class BlobStore(Protocol):
    """Where evidence bytes live; content-addressed and write-once."""

    def put(self, source: BinaryIO, max_size: int) -> Blob: ...

    def open(self, digest: str) -> BinaryIO: ...

    def size(self, digest: str) -> int | None:
        """The stored size, or None when no file has that digest."""
        ...

    def digests(self) -> Iterator[str]: ...

    def partial_uploads(self) -> list[tuple[str, int]]:
        """Names and sizes of files left half-written by an interrupted ``put``."""
        ...


def is_digest(text: str) -> bool:
    return bool(_DIGEST.fullmatch(text))


def hash_file(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read once in chunks."""
    try:
        with open_regular(path) as source:
            return hash_stream(source)
    except OSError as error:
        raise EvidenceUnreadable(f"cannot read {path}: {error.strerror}") from error


def hash_stream(source: BinaryIO) -> tuple[str, int]:
    hasher, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        hasher.update(chunk)
        size += len(chunk)
    return hasher.hexdigest(), size


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading; refuse ``..`` in the path, devices, folders, pipes."""
    if ".." in path.parts:
        raise EvidenceUnreadable(f"{path}: a path with '..' is refused; give the file's own path")
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise EvidenceUnreadable(f"cannot read {path}: {error.strerror}") from error
    if not stat.S_ISREG(mode):
        raise EvidenceUnreadable(f"{path} is not a regular file (a device, folder or pipe)")
    try:
        return path.open("rb", buffering=0)
    except OSError as error:
        raise EvidenceUnreadable(f"cannot read {path}: {error.strerror}") from error


class FolderStore:
    """Files under ``root/sha256/ab/cd/<digest>``; temporary files under ``root/tmp``.

    A ``put`` holds an exclusive lock on its temporary file while it writes; the lock goes
    with the process. A temporary file nobody holds a lock on is a partial upload left by
    a crash: ``partial_uploads`` names them, and the next ``put`` removes those last
    written ``SWEEP_MARGIN`` seconds or more before it started. Nothing under ``sha256/``
    is ever removed.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, digest: str) -> Path:
        if not is_digest(digest):
            raise EvidenceNotFound(f"{digest!r} is not a SHA-256 digest (64 lowercase hex)")
        return self.root / "sha256" / digest[:2] / digest[2:4] / digest

    def put(self, source: BinaryIO, max_size: int) -> Blob:
        started = time.time()
        spool = self.root / "tmp"
        try:
            make_private(spool)
            fd, temporary = tempfile.mkstemp(dir=spool, prefix=_PARTIAL)
            fcntl.flock(fd, fcntl.LOCK_EX)  # in progress: the sweep of another put leaves it
            self._sweep(started)
        except OSError as error:
            raise StorageFailed(f"cannot write in {spool}: {error.strerror}").because(
                error
            ) from error
        try:
            blob = _copy(source, fd, max_size)
            os.fsync(fd)
        except BaseException as error:
            os.close(fd)
            os.unlink(temporary)
            if isinstance(error, OSError):
                raise StorageFailed(f"cannot write in {spool}: {error.strerror}").because(
                    error
                ) from error
            raise
        os.close(fd)
        final = self.path(blob.sha256)
        try:
            self._place(Path(temporary), final)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)  # nothing half-stored is kept
            raise StorageFailed(f"cannot store {final}: {error.strerror}").because(error) from error
        return blob

    def _place(self, temporary: Path, final: Path) -> None:
        if final.exists():
            temporary.unlink()  # the same bytes are already stored
            return
        make_private(final.parent)
        os.chmod(temporary, 0o400)  # write-once: not even its owner writes it again
        os.replace(temporary, final)
        # The rename is durable only once the folders that name the file are synced.
        for folder in (final.parent, final.parent.parent, final.parent.parent.parent):
            _fsync_dir(folder)

    def open(self, digest: str) -> BinaryIO:
        try:
            return self.path(digest).open("rb")
        except FileNotFoundError as error:
            raise EvidenceNotFound(f"no stored file has SHA-256 {digest}") from error

    def size(self, digest: str) -> int | None:
        try:
            return self.path(digest).stat().st_size
        except FileNotFoundError:
            return None

    def partial_uploads(self) -> list[tuple[str, int]]:
        return [(path.name, size) for path, size, _ in self._abandoned()]

    def _sweep(self, started: float) -> None:
        """Remove the partial uploads written before ``started`` (none of them is evidence)."""
        for path, _, modified in self._abandoned():
            # The margin covers a put caught between creating its file and locking it.
            if modified < started - SWEEP_MARGIN:
                path.unlink(missing_ok=True)

    def _abandoned(self) -> list[tuple[Path, int, float]]:
        """Temporary files no live ``put`` holds: path, size and time last written."""
        spool = self.root / "tmp"
        if not spool.is_dir():
            return []
        found = []
        for path in sorted(spool.glob(_PARTIAL + "*")):
            try:
                with path.open("rb") as partial:
                    fcntl.flock(partial, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    status = os.fstat(partial.fileno())
            except BlockingIOError:
                continue  # still being written
            except FileNotFoundError:
                continue  # its put finished meanwhile
            found.append((path, status.st_size, status.st_mtime))
        return found

    def digests(self) -> Iterator[str]:
        base = self.root / "sha256"
        if not base.is_dir():
            return
        for first in sorted(base.iterdir()):
            for second in sorted(first.iterdir()) if first.is_dir() else [first]:
                for file in sorted(second.iterdir()) if second.is_dir() else [second]:
                    yield file.name


def _copy(source: BinaryIO, fd: int, max_size: int) -> Blob:
    """Copy ``source`` into ``fd`` while hashing it, each byte read once.

    Hashing runs in a second thread (hashlib releases the GIL on large buffers) while this
    one writes, so the two cores share the work; two buffers take turns, and a buffer is
    refilled only after its hash is done.
    """
    hasher, size, head = hashlib.sha256(), 0, b""
    buffers = [bytearray(CHUNK), bytearray(CHUNK)]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as hashing:
        hashed: Future[None] | None = None
        turn = 0
        while count := source.readinto(buffers[turn]):  # type: ignore[attr-defined]
            size += count
            if size > max_size:
                raise EvidenceTooLarge(f"the file is larger than the limit of {max_size} bytes")
            chunk = memoryview(buffers[turn])[:count]
            if hashed:
                hashed.result()
            hashed = hashing.submit(hasher.update, chunk)
            if len(head) < SNIFF_BYTES:
                head += bytes(chunk[: SNIFF_BYTES - len(head)])
            _write_all(fd, chunk)
            _start_writeback(fd, size - count, count)
            turn ^= 1
        if hashed:
            hashed.result()
    if size == 0:
        raise EvidenceEmpty("the file is empty (zero bytes); there is nothing to record")
    return Blob(hasher.hexdigest(), size, head)


def make_private(folder: Path) -> None:
    """Create ``folder`` and any missing parent as 700 (``mkdir`` gives parents the umask's)."""
    if folder.is_dir():
        return
    make_private(folder.parent)
    folder.mkdir(mode=0o700, exist_ok=True)


def _start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing this range to disk now, without waiting for it.

    Otherwise the kernel waits until much of memory is dirty, and the final fsync then
    writes the whole file while nothing else happens; this way the disk works while the
    rest of the file is still being read and hashed. (On Linux, DONTNEED on dirty pages
    starts their writeback; the pages are dropped from the cache once written.)
    """
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, offset, length, os.POSIX_FADV_DONTNEED)


def _write_all(fd: int, chunk: memoryview) -> None:
    while chunk:
        chunk = chunk[os.write(fd, chunk) :]


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
