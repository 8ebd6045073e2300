"""A process killed (SIGKILL) in the middle of ingests and appends loses nothing it promised.

A child process adds files and appends custody events in a loop, printing each receipt
once it has it; the test kills it at random moments, several times. Afterwards the log
verifies, every printed receipt is in the log, and no partial file sits under a content
address. (The benchmark runs the same thing longer.)
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eo152.ledger import Ledger, LedgerSettings
from eo152.ledger._files import hash_file

pytestmark = pytest.mark.db

CHILD = """
import json, os, sys
from pathlib import Path
from eo152.ledger import CustodyEvent, Ledger, LedgerSettings
settings = LedgerSettings(Path(sys.argv[1]), sys.argv[2])
scratch = Path(sys.argv[3])
ledger = Ledger.open(settings)
round_ = sys.argv[4]
for i in range(100_000):
    source = scratch / f"{round_}-{i}.bin"
    source.write_bytes(os.urandom(1 + i * 7919 % 300_000))
    evidence, receipt = ledger.add_evidence(source, "crash-test")
    print(json.dumps([receipt.leaf_index, receipt.entry]), flush=True)
    event = CustodyEvent("viewed", evidence.sha256, "crash-test", "2026-03-01T00:00:00Z")
    receipt = ledger.record(event)
    print(json.dumps([receipt.leaf_index, receipt.entry]), flush=True)
"""


def _run_and_kill(
    settings: LedgerSettings, scratch: Path, round_: int, rng: random.Random
) -> list[str]:
    """Let the child hand out a random number of receipts, then kill it a moment later."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(settings.data_dir),
            settings.database_url,
            str(scratch),
            str(round_),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    lines = [child.stdout.readline() for _ in range(rng.randint(30, 60))]
    time.sleep(rng.uniform(0, 0.05))  # somewhere inside the next ingest or append
    os.kill(child.pid, signal.SIGKILL)
    out, _ = child.communicate()
    return [line for line in "".join(lines).split("\n") + out.split("\n") if line.endswith("]")]


def test_receipts_survive_sigkill_at_random_moments(
    ledger: Ledger, settings: LedgerSettings, tmp_path: Path
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    rng = random.Random(152)
    promised: dict[int, str] = {}
    for round_ in range(8):
        for line in _run_and_kill(settings, scratch, round_, rng):
            index, entry = json.loads(line)
            promised[index] = entry
    assert len(promised) >= 200, "too few operations ran to test anything"
    stored = dict(ledger.log.entries())
    assert {i: stored.get(i) for i in promised} == promised
    report = ledger.verify()
    assert report.tree_size >= len(promised)
    for path in (settings.evidence_dir / "sha256").rglob("*"):
        if path.is_file():
            assert hash_file(path)[0] == path.name
