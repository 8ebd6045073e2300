"""Benchmark of the evidence ledger, printing every figure of issue 5 in one run.

- ingest of one large file (hashed, stored, fsynced, logged) against two limits measured
  in the same run: ``openssl dgst -sha256`` (the processor) and ``dd conv=fsync`` (the disk);
- appends per second on SQLite with durable commits (one by one, and in batches);
- inclusion and consistency proof times at a million entries, in this process and in a
  fresh process right after opening, and the process's peak memory;
- the same entries, tree and proofs with the ``pymerkle`` package (its SQLite tree);
- a SIGKILL crash run: random kills during ingests and appends, then ``verify``.

Medians throughout (the machine is small and noisy). Run from the repository::

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/ledger.py            # 1 GiB file, 1,000,000 entries
    .venv/bin/python benchmarks/ledger.py --quick    # small sizes, to try it out
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from eo152.ledger import CustodyEvent, Ledger, LedgerSettings, initialize

MiB = 1 << 20


def median_time(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def open_ledger(folder: Path) -> Ledger:
    settings = LedgerSettings(folder, f"sqlite:///{folder / 'eo152.sqlite3'}", max_bytes=1 << 40)
    initialize(settings, origin="bench.eo152/ledger")
    return Ledger.open(settings)


def entry(i: int) -> str:
    digest = f"{i:064x}"
    return CustodyEvent("viewed", digest, f"officer-{i % 977}", "2026-03-01T00:00:00Z").to_entry()


def write_random_file(path: Path, size: int) -> None:
    with path.open("wb") as out:
        for _ in range(size // (16 * MiB)):
            out.write(os.urandom(16 * MiB))
        out.write(os.urandom(size % (16 * MiB)))


def bench_ingest(work: Path, size: int, repeat: int) -> None:
    source = work / "evidence.bin"
    write_random_file(source, size)
    openssl = ["openssl", "dgst", "-sha256", str(source)]
    subprocess.run(openssl, check=True, capture_output=True)  # warm the page cache
    dd_out = work / "dd.out"
    dd = ["dd", f"if={source}", f"of={dd_out}", "bs=4M", "conv=fsync", "status=none"]

    def run_dd() -> None:
        subprocess.run(dd, check=True)
        dd_out.unlink()

    def ingest() -> None:
        folder = Path(tempfile.mkdtemp(dir=work))
        ledger = open_ledger(folder)
        ledger.add_evidence(source, "bench")
        ledger.close()
        shutil.rmtree(folder)

    def run_openssl() -> None:
        subprocess.run(openssl, check=True, capture_output=True)

    # Interleaved, so that a slow minute of this shared machine hits all three alike.
    runs: dict[str, list[float]] = {
        "openssl dgst -sha256": [],
        "dd conv=fsync": [],
        "eo152 evidence ingest": [],
    }
    for _ in range(repeat):
        for name, run in zip(runs, (run_openssl, run_dd, ingest), strict=True):
            runs[name].append(median_time(run, 1))
    rates = {name: size / statistics.median(times) for name, times in runs.items()}
    print(f"\n## Ingest of a {size / MiB:,.0f} MiB file (median of {repeat})")
    for name, rate in rates.items():
        print(f"  {name:24} {rate / 1e6:8,.0f} MB/s")
    bar = min(rates["openssl dgst -sha256"], rates["dd conv=fsync"])
    print(
        f"  ingest / slower limit    {rates['eo152 evidence ingest'] / bar:8.2f}   (goal >= 0.70)"
    )
    source.unlink()


def bench_appends(work: Path) -> None:
    ledger = open_ledger(work / "appends")
    singles = [median_time(lambda i=i: ledger.log.append(entry(i)), 1) for i in range(300)]
    batch = [entry(i) for i in range(1000, 51_000)]
    start = time.perf_counter()
    for offset in range(0, len(batch), 1000):
        ledger.log.append_many(batch[offset : offset + 1000])
    batched = len(batch) / (time.perf_counter() - start)
    print("\n## Appends on SQLite (WAL, synchronous=FULL: each commit is on disk)")
    print(f"  one entry per commit     {1 / statistics.median(singles):8,.0f} appends/s")
    print(f"  1,000 entries per commit {batched:8,.0f} appends/s   (goal >= 5,000)")
    ledger.close()


FRESH = """
import json, random, sys, time
from pathlib import Path
from eo152.ledger import Ledger, LedgerSettings
folder = Path(sys.argv[1]); size = int(sys.argv[2]); rng = random.Random(int(sys.argv[3]))
ledger = Ledger.open(LedgerSettings(folder, f"sqlite:///{folder / 'eo152.sqlite3'}"))
index, old_size = rng.randrange(size), rng.randrange(1, size)
clocks = [(time.perf_counter(), time.process_time())]
ledger.log.prove(index)
clocks.append((time.perf_counter(), time.process_time()))
ledger.log.consistency(old_size)
clocks.append((time.perf_counter(), time.process_time()))
print(json.dumps(clocks))
"""

FRESH_PYMERKLE = """
import json, random, sys, time
from pymerkle import SqliteTree
path = sys.argv[1]; size = int(sys.argv[2]); rng = random.Random(int(sys.argv[3]))
tree = SqliteTree(path)
index, old_size = rng.randrange(size) + 1, rng.randrange(1, size)
clocks = [(time.perf_counter(), time.process_time())]
tree.prove_inclusion(index)
clocks.append((time.perf_counter(), time.process_time()))
tree.prove_consistency(old_size)
clocks.append((time.perf_counter(), time.process_time()))
print(json.dumps(clocks))
"""


def fresh_process(script: str, target: str, size: int, repeat: int) -> dict[str, float]:
    """Median wall and CPU time of the first inclusion and consistency proof after opening."""
    runs = []
    for seed in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", script, target, str(size), str(seed)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(out))
    figures = {}
    for step, name in ((1, "inclusion"), (2, "consistency")):
        for clock, label in ((0, "fresh"), (1, "fresh CPU")):
            times = [run[step][clock] - run[step - 1][clock] for run in runs]
            figures[f"{label} {name}"] = statistics.median(times)
    return figures


def per_call(run: Callable[[int], object], size: int, count: int) -> float:
    rng = random.Random(152)
    times = []
    for _ in range(count):
        argument = rng.randrange(1, size)
        start = time.perf_counter()
        run(argument)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_million(work: Path, size: int, repeat: int) -> dict[str, float]:
    folder = work / "million"
    ledger = open_ledger(folder)
    built = 0.0
    for offset in range(0, size, 10_000):
        batch = [entry(i) for i in range(offset, min(size, offset + 10_000))]
        start = time.perf_counter()
        ledger.log.append_many(batch)
        built += time.perf_counter() - start
    figures = {
        "build": built,
        "inclusion": per_call(ledger.log.prove, size, 2000),
        "consistency": per_call(ledger.log.consistency, size, 2000),
    }
    figures.update(fresh_process(FRESH, str(folder), size, 2 * repeat + 1))
    figures["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    figures["verify"] = ledger.verify().tree_size and time.perf_counter() - start
    figures["root"] = int.from_bytes(ledger.log.head().root_hash, "big")
    ledger.close()
    print(f"\n## {size:,} entries (eo152, SQLite)")
    print(f"  built in batches of 10,000     {size / built:10,.0f} appends/s")
    print(f"  inclusion proof (receipt)      {figures['inclusion'] * 1e3:10.3f} ms   (goal < 1 ms)")
    print(
        f"  consistency proof              {figures['consistency'] * 1e3:10.3f} ms   (goal < 1 ms)"
    )
    for name in ("inclusion", "consistency"):
        wall, cpu = figures[f"fresh {name}"], figures[f"fresh CPU {name}"]
        print(f"  first {name:11}, fresh process {wall * 1e3:6.3f} ms (CPU {cpu * 1e3:.3f} ms)")
    print(f"  peak memory of this process    {figures['rss']:10,.0f} MiB")
    print(f"  ledger verify (whole log)      {figures['verify']:10.1f} s")
    return figures


def bench_pymerkle(work: Path, size: int, ours: dict[str, float], repeat: int) -> None:
    try:
        from pymerkle import SqliteTree
    except ImportError:
        print("\n## pymerkle: not installed (pip install -e '.[bench]')")
        return
    path = str(work / "pymerkle.sqlite3")
    tree = SqliteTree(path)
    start = time.perf_counter()
    tree.append_entries(entry(i).encode() for i in range(size))
    built = time.perf_counter() - start
    same_root = int.from_bytes(tree.get_root(), "big") == int(ours["root"])
    figures = {
        "inclusion": per_call(lambda i: tree.prove_inclusion(i + 1), size, 2000),
        "consistency": per_call(tree.prove_consistency, size, 2000),
    }
    tree.close()
    figures.update(fresh_process(FRESH_PYMERKLE, path, size, 2 * repeat + 1))
    print(f"\n## The same {size:,} entries with pymerkle's SqliteTree (same root: {same_root})")
    print(f"  built in one bulk call         {size / built:10,.0f} appends/s (no signed heads)")
    for name, value in figures.items():
        ratio = value / ours[name]
        print(f"  {name:30} {value * 1e3:10.3f} ms   pymerkle / eo152 = {ratio:,.1f}")


CRASH_CHILD = """
import json, os, sys
from pathlib import Path
from eo152.ledger import CustodyEvent, Ledger, LedgerSettings
folder = Path(sys.argv[1]); scratch = Path(sys.argv[2]); round_ = sys.argv[3]
ledger = Ledger.open(LedgerSettings(folder, f"sqlite:///{folder / 'eo152.sqlite3'}"))
for i in range(1_000_000):
    source = scratch / f"{round_}-{i}.bin"
    source.write_bytes(os.urandom(1 + i * 7919 % 2_000_000))
    evidence, receipt = ledger.add_evidence(source, "crash")
    print(json.dumps([receipt.leaf_index, receipt.entry]), flush=True)
    receipts = ledger.log.append_many(
        [CustodyEvent("viewed", evidence.sha256, "crash", "2026-03-01T00:00:00Z").to_entry()] * 50
    )
    for receipt in receipts:
        print(json.dumps([receipt.leaf_index, receipt.entry]), flush=True)
"""


def bench_crash(work: Path, rounds: int) -> None:
    folder, scratch = work / "crash", work / "crash-scratch"
    scratch.mkdir()
    open_ledger(folder).close()
    rng, promised = random.Random(9162), {}
    for round_ in range(rounds):
        child = subprocess.Popen(
            [sys.executable, "-c", CRASH_CHILD, str(folder), str(scratch), str(round_)],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.5, 3.0))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        for line in out.split("\n"):
            if line.endswith("]"):
                index, text = json.loads(line)
                promised[index] = text
    ledger = Ledger.open(LedgerSettings(folder, f"sqlite:///{folder / 'eo152.sqlite3'}"))
    stored = dict(ledger.log.entries())
    lost = [i for i, text in promised.items() if stored.get(i) != text]
    report = ledger.verify()
    print(f"\n## SIGKILL crash run: {rounds} kills at random moments")
    print(f"  receipts handed out {len(promised):,}; missing or changed afterwards: {len(lost)}")
    print(f"  verify: intact, {report.tree_size:,} entries, {report.files:,} files re-hashed")
    ledger.close()


SECTIONS = ("ingest", "appends", "million", "crash")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to try it out")
    parser.add_argument("--workdir", type=Path, default=None, help="where to write (a disk)")
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only these parts")
    args = parser.parse_args()
    only = set(args.only or SECTIONS)
    file_size, entries, repeat, rounds = (
        (64 * MiB, 20_000, 3, 5) if args.quick else (1024 * MiB, 1_000_000, 5, 30)
    )
    work = Path(tempfile.mkdtemp(prefix="eo152-bench-", dir=args.workdir))
    print(f"# eo152 ledger benchmark ({os.cpu_count()} cores; working in {work})")
    try:
        if "ingest" in only:
            bench_ingest(work, file_size, repeat)
        if "appends" in only:
            bench_appends(work)
        if "million" in only:
            ours = bench_million(work, entries, repeat)
            bench_pymerkle(work, entries, ours, repeat)
        if "crash" in only:
            bench_crash(work, rounds)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
