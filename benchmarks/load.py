"""Load on the HTTP API: POST /api/v1/decisions from concurrent keep-alive clients.

Starts ``eo152 serve`` on a free loopback port (a throwaway data folder), sends one
situation over and over from ``--clients`` connections for ``--seconds``, then prints the
server command, the requests per second and the latency percentiles. Not a test: numbers
depend on the machine. The client is raw asyncio over HTTP/1.1 so that it costs the
shared cores as little as possible.

    python benchmarks/load.py --clients 20 --seconds 15
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SITUATION = {
    "at": "2026-03-10T14:30:00-07:00",
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration", "masked": True},
    "activities": ["staging"],
    "authority": {"kind": "administrative_warrant", "form": "I-205"},
    "location": {"ownership": "city_owned", "kind": "library", "area": "public"},
    "force": {
        "kind": "neck_restraint",
        "could_cause_death_or_serious_bodily_injury": True,
        "ongoing": True,
        "target": "protester",
    },
    "injuries": [{"person": "protester", "severity": "serious"}],
    "city_personnel": [
        {
            "role": "dpd_officer",
            "on_duty": True,
            "present": True,
            "responding": True,
            "body_camera": "off",
        }
    ],
}


def main() -> None:
    options = _options()
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="eo152-load-") as data_dir:
        extra = ["--no-proxy"] if options.no_proxy else []
        server = _start_server(port, options.workers, Path(data_dir), extra)
        try:
            _wait_until_up(port)
            latencies, elapsed, failures = asyncio.run(_load(port, options))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    _report(latencies, elapsed, failures, options)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds not counted")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--no-proxy",
        action="store_true",
        help="serve without nginx in front (what the proxy costs: run both in turn)",
    )
    parser.add_argument(
        "--situation",
        type=Path,
        help="a JSON file to send instead of the built-in lethal-force-at-a-library situation",
    )
    return parser.parse_args()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_server(
    port: int, workers: int, data_dir: Path, extra: list[str] | None = None
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "eo152",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        *(extra or []),
    ]
    print("server:", " ".join(command[1:]), flush=True)
    environment = {**os.environ, "EO152_DATA_DIR": str(data_dir)}
    environment.pop("DATABASE_URL", None)
    return subprocess.Popen(command, env=environment)


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit("the server did not come up within 60 s") from None
            time.sleep(0.2)


def _request(port: int, situation: Path | None) -> bytes:
    body = situation.read_bytes() if situation else json.dumps(SITUATION).encode()
    head = (
        f"POST /api/v1/decisions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _load(port: int, options: argparse.Namespace) -> tuple[list[float], float, int]:
    request = _request(port, options.situation)
    start = time.monotonic()
    counted_from = start + options.warmup
    stop = counted_from + options.seconds
    results = await asyncio.gather(
        *(_client(port, request, counted_from, stop) for _ in range(options.clients))
    )
    latencies = [latency for client, _ in results for latency in client]
    failures = sum(failed for _, failed in results)
    return latencies, time.monotonic() - counted_from, failures


async def _client(
    port: int, request: bytes, counted_from: float, stop: float
) -> tuple[list[float], int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    latencies: list[float] = []
    failures = 0
    try:
        while (sent := time.monotonic()) < stop:
            writer.write(request)
            try:
                status = await _read_response(reader)
            except asyncio.IncompleteReadError:  # the server closed a kept-alive connection
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            if sent >= counted_from:
                latencies.append(time.monotonic() - sent)
                failures += status >= 500
    finally:
        writer.close()
    return latencies, failures


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(
        int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")
    )
    await reader.readexactly(length)
    return int(lines[0].split()[1])


def _report(
    latencies: list[float], elapsed: float, failures: int, options: argparse.Namespace
) -> None:
    if not latencies:
        raise SystemExit("no request completed")
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    print(f"clients: {options.clients}, server workers: {options.workers}, cores: {os.cpu_count()}")
    print(f"requests: {len(ordered)} in {elapsed:.1f} s, server errors: {failures}")
    print(f"throughput: {len(ordered) / elapsed:.0f} decisions/s")
    print(
        f"latency ms: p50 {percentile(0.50):.1f}, p90 {percentile(0.90):.1f}, "
        f"p99 {percentile(0.99):.1f}, max {ordered[-1] * 1000:.1f}, "
        f"mean {statistics.fmean(ordered) * 1000:.1f}"
    )


if __name__ == "__main__":
    main()
