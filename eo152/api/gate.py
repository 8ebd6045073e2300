"""One large batch at a time across all the server's workers.

A batch is allowed 1,000 situations, and deciding 1,000 takes a worker about a second:
two clients looping on the largest batch kept every worker busy and cut everyone else's
answers by over 90% (benchmarks/abuse.py). A batch of more than ``LARGE_BATCH`` situations
must hold this gate, an advisory lock on a file of the run folder shared by the workers, for
as long as its answer is written; while another holds it the caller is told to send again
(503 with Retry-After), so the other workers stay free for everyone else. The lock goes
with its file descriptor: a worker that dies, or an answer closed unread, releases it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

#: Batches up to this many situations never wait: a tenth of a second of a worker's time.
LARGE_BATCH = 100


def is_free(run_dir: Path) -> bool:
    """Whether no large batch holds the gate now (a probe: taken and given back at once)."""
    descriptor = _opened(run_dir)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock
    return True


def gated(chunks: Iterator[bytes], run_dir: Path) -> Iterator[bytes]:
    """``chunks``, written while holding the gate. It is taken as the answer starts to be
    written, not when the view answers, so an answer never read holds nothing; a batch that
    lost the race since the probe waits for the other's end (about a second at most)."""
    descriptor = _opened(run_dir)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield from chunks
    finally:
        os.close(descriptor)


def _opened(run_dir: Path) -> int:
    run_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return os.open(run_dir / "large-batch.lock", os.O_RDWR | os.O_CREAT, 0o600)
