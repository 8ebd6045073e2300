"""A partial upload left by a crash (the temporary file of an interrupted ``evidence add``)
is reported by verify as a warning, not a tampering, and removed by the next add: only
files no live add holds and older than that add, never a stored file."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from eo152.ledger import Ledger
from eo152.ledger._files import SWEEP_MARGIN

from .conftest import Eo152

# Runs `evidence add` in a child process that dies (SIGKILL, as a crash would) while the
# file is being written, so the temporary file is left exactly as a crash leaves it.
_CRASHING_ADD = """
import os, signal, sys
from eo152.cli import app
from eo152.ledger import _files

write_all = _files._write_all

def write_then_die(fd, chunk):
    write_all(fd, chunk)
    os.kill(os.getpid(), signal.SIGKILL)

_files._write_all = write_then_die
app(["evidence", "add", sys.argv[1]])
"""


def _crash_while_adding(env: dict[str, str], path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _CRASHING_ADD, str(path)],
        env={**os.environ, **env},
        capture_output=True,
        check=False,
    )
    assert result.returncode == -9, result.stderr


def _spool(env: dict[str, str]) -> Path:
    return Path(env["EO152_DATA_DIR"]) / "evidence" / "tmp"


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_crashed_add_is_reported_by_verify_and_removed_by_the_next_add(
    eo152: Eo152, env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "kept.txt").write_text("a statement already stored")
    assert eo152("evidence", "add", tmp_path / "kept.txt")[0] == 0
    (tmp_path / "video.bin").write_bytes(b"\x01" * 5000)
    _crash_while_adding(env, tmp_path / "video.bin")
    [partial] = list(_spool(env).iterdir())
    assert partial.stat().st_size == 5000

    code, out, err = eo152("ledger", "verify", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["tree_size"] == 1
    assert [
        f"evidence/tmp/{partial.name}: a partial upload of 5000 bytes" in w
        for w in report["warnings"]
    ] == [True]
    assert "warning" in err and partial.name in err

    # A partial upload written just before the next add is left alone (it might be one
    # whose add has not locked it yet); an older one is removed.
    (tmp_path / "next.txt").write_text("the next statement")
    assert eo152("evidence", "add", tmp_path / "next.txt")[0] == 0
    assert partial.exists()
    _age(partial, SWEEP_MARGIN + 1)
    (tmp_path / "later.txt").write_text("a later statement")
    assert eo152("evidence", "add", tmp_path / "later.txt")[0] == 0
    assert list(_spool(env).iterdir()) == []
    report = json.loads(eo152("ledger", "verify", "--json")[1])
    assert (report["tree_size"], report["files_checked"], report["warnings"]) == (3, 3, [])


def test_an_upload_in_progress_is_neither_reported_nor_removed(
    ledger: Ledger, tmp_path: Path
) -> None:
    spool = ledger.settings.evidence_dir / "tmp"
    spool.mkdir(parents=True, exist_ok=True)
    busy = spool / "incoming-busy"
    busy.write_bytes(b"half of a file")
    _age(busy, SWEEP_MARGIN + 1)
    with busy.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as the add writing it holds it
        assert ledger.verify().warnings == []
        (tmp_path / "other.txt").write_text("another statement")
        ledger.add_evidence(tmp_path / "other.txt", "officer-1")
        assert busy.exists()
    assert ledger.store.partial_uploads() == [("incoming-busy", 14)]


def test_stored_evidence_is_never_swept(ledger: Ledger, tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("an old statement")
    evidence, _ = ledger.add_evidence(tmp_path / "old.txt", "officer-1")
    stored = ledger.settings.evidence_dir / "sha256" / evidence.sha256[:2] / evidence.sha256[2:4]
    _age(stored / evidence.sha256, SWEEP_MARGIN + 3600)
    (tmp_path / "new.txt").write_text("a new statement")
    ledger.add_evidence(tmp_path / "new.txt", "officer-1")
    assert (stored / evidence.sha256).exists()
    assert ledger.verify().files == 2
