"""What legitimate clients get while the service is attacked (issue 11). Not a test.

Starts ``eo152 serve`` (nginx in front, two workers) on a free loopback port and keeps a few
legitimate clients asking (``/healthz`` and one decision, in turn, each given 5 s) through four
phases of ``--seconds`` each:

1. quiet: nothing else;
2. amplification: two clients looping the largest batch allowed (1,000 sparse situations,
   about 64 MB of answer each) and a 20,000-item body (refused with 413);
3. stalled uploads: 64 connections that promise a body and never send it;
4. a worker killed: one Granian worker gets SIGKILL as the phase starts.

For each phase it prints what the legitimate clients got (answers a second, failures,
time-outs, latency) and, for the attack, what it cost the server (largest worker memory).

    python benchmarks/abuse.py --seconds 8
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.load import SITUATION, _free_port, _start_server, _wait_until_up

LEGIT_CLIENTS = 4
LEGIT_TIMEOUT = 5.0
STALLED = 64
BATCH = json.dumps([{}] * 1_000).encode()
TOO_MANY = json.dumps([{}] * 20_000).encode()


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    timeouts: int = 0
    attack_bytes: int = 0
    attack_answers: int = 0
    peak_worker_rss: int = 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="eo152-abuse-") as data_dir:
        server = _start_server(port, options.workers, Path(data_dir))
        try:
            _wait_until_up(port)
            phases = asyncio.run(_run(port, server.pid, options.seconds))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    _report(phases, options)


async def _run(port: int, server_pid: int, seconds: float) -> list[Phase]:
    phases = []
    for name, attack in (
        ("quiet", _nothing),
        ("amplification", _amplification),
        ("stalled uploads", _stalled_uploads),
        ("a worker killed", _kill_a_worker),
    ):
        phase = Phase(name)
        stop = time.monotonic() + seconds
        await asyncio.gather(
            attack(port, server_pid, phase, stop),
            _watch_memory(server_pid, phase, stop),
            *(_legit_client(port, phase, stop, index) for index in range(LEGIT_CLIENTS)),
        )
        phases.append(phase)
        print(f"phase done: {name}", flush=True)
        await asyncio.sleep(2)  # let the server settle between phases
    return phases


async def _legit_client(port: int, phase: Phase, stop: float, index: int) -> None:
    decision = json.dumps(SITUATION).encode()
    turn = index
    while time.monotonic() < stop:
        turn += 1
        path, body = ("/healthz", None) if turn % 2 else ("/api/v1/decisions", decision)
        sent = time.monotonic()
        try:
            status, _ = await asyncio.wait_for(_ask(port, path, body), LEGIT_TIMEOUT)
        except TimeoutError:
            phase.timeouts += 1
            continue
        except OSError:
            phase.failures += 1
            await asyncio.sleep(0.05)
            continue
        if status == 200:
            phase.latencies.append(time.monotonic() - sent)
        else:
            phase.failures += 1


async def _ask(port: int, path: str, body: bytes | None) -> tuple[int, int]:
    """One request on a new connection: the status and the size of the answer's body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        method = "POST" if body is not None else "GET"
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        writer.write(head.encode() + b"\r\n" + (body or b""))
        status_line = await reader.readline()
        size = 0
        while chunk := await reader.read(1 << 20):
            size += len(chunk)
        return int(status_line.split()[1]), size
    finally:
        writer.close()


async def _nothing(port: int, server_pid: int, phase: Phase, stop: float) -> None:
    await asyncio.sleep(max(0.0, stop - time.monotonic()))


async def _amplification(port: int, server_pid: int, phase: Phase, stop: float) -> None:
    async def attacker() -> None:
        while time.monotonic() < stop:
            for body in (BATCH, TOO_MANY):
                try:
                    _, size = await _ask(port, "/api/v1/decisions", body)
                except OSError:
                    continue
                phase.attack_bytes += size
                phase.attack_answers += 1

    await asyncio.gather(attacker(), attacker())


async def _stalled_uploads(port: int, server_pid: int, phase: Phase, stop: float) -> None:
    writers = []
    for _ in range(STALLED):
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"POST /api/v1/decisions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n["
        )
        writers.append(writer)
    await asyncio.sleep(max(0.0, stop - time.monotonic()))
    for writer in writers:
        writer.close()


async def _kill_a_worker(port: int, server_pid: int, phase: Phase, stop: float) -> None:
    workers = _workers(server_pid)
    if workers:
        os.kill(workers[0], signal.SIGKILL)
        print(f"killed worker {workers[0]}", flush=True)
    await asyncio.sleep(max(0.0, stop - time.monotonic()))


async def _watch_memory(server_pid: int, phase: Phase, stop: float) -> None:
    while time.monotonic() < stop:
        for pid in _workers(server_pid):
            phase.peak_worker_rss = max(phase.peak_worker_rss, _rss(pid))
        await asyncio.sleep(0.2)


def _workers(server_pid: int) -> list[int]:
    """The Granian workers: the server's children that are not nginx."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == server_pid and b"nginx" not in command:
            found.append(int(stat.parent.name))
    return sorted(found)


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _report(phases: list[Phase], options: argparse.Namespace) -> None:
    print(f"\nworkers: {options.workers}, cores: {os.cpu_count()}, {options.seconds:.0f} s a phase")
    print(f"legitimate clients: {LEGIT_CLIENTS}, each request given {LEGIT_TIMEOUT:.0f} s")
    header = "phase              answers/s  failed  timed out  p50 ms  p99 ms  worker RSS peak"
    print(header)
    for phase in phases:
        ordered = sorted(phase.latencies) or [0.0]
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
        print(
            f"{phase.name:<18} {len(phase.latencies) / options.seconds:>9.0f} "
            f"{phase.failures:>7} {phase.timeouts:>10} {p50:>7.1f} {p99:>7.1f} "
            f"{phase.peak_worker_rss / 1e6:>12.0f} MB"
        )
        if phase.attack_answers:
            print(
                f"{'':<18} attack: {phase.attack_answers} answers, "
                f"{phase.attack_bytes / 1e6:,.0f} MB received"
            )


if __name__ == "__main__":
    main()
