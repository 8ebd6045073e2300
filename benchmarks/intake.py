"""Load on the public report: the final submit of finished drafts, then a SIGKILL mid-load.

What is measured is what a resident's "Send report" costs: the check page's POST, which
reads the draft from the session, decides the facts (with the places lookup of the
address), appends the filing to the ledger, writes the incident and answers with the
reference and follow-up code. One draft is walked through the form over HTTP; it is then
copied into ``--reports`` sessions, each with its own draft token (so each copy files its
own incident), and ``--clients`` keep-alive connections send the final submits.

The per-client rate limits are set aside for the run with ``EO152_RATE_LIMITS=0`` (the
setting ``eo152/site/settings.py`` documents): 50 clients from one address would
otherwise be one client past its limit.

Then the kill: a second batch of submits, and after ``--kill-after`` seconds the whole
server (nginx, Granian and its workers) gets SIGKILL. Every reference that reached a
client must be in the database afterwards, and ``eo152 ledger verify`` must pass.

    python benchmarks/intake.py                       # SQLite (WAL) in a throwaway folder
    python benchmarks/intake.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

With a PostgreSQL URL a fresh database is made beside the one named, and dropped after.
Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import html.parser
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

REFERENCE = re.compile(rb"EO-[0-9A-Z]{4}-[0-9A-Z]{4}")
WIZARD_PREFIX = "report_wizard"
#: What the resident answers on each page (the address is the City and County Building).
ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "where": {"address": "1437 Bannock St"},
    "when": {"day": date.today().isoformat(), "time_of_day": "afternoon"},
    "agents": {"agencies": ["ice"]},
    "looks": {"masked": "yes", "showed_id": "no"},
    "did": {"did": ["pepper_spray", "arrest"]},
    "hurt": {"hurt": "minor"},
    "aid": {"aid_blocked": "no"},
    "protest": {"protest": "yes"},
    "story": {"narrative": "Agents sprayed pepper spray at people filming an arrest."},
    "files": {},
    "contact": {"reporting": "anonymous"},
}


def main() -> None:
    options = _options()
    with (
        tempfile.TemporaryDirectory(prefix="eo152-intake-") as folder,
        _database(options.database_url, Path(folder)) as database_url,
    ):
        environment = {
            **os.environ,
            "EO152_DATA_DIR": str(Path(folder) / "data"),
            "DATABASE_URL": database_url,
            "EO152_RATE_LIMITS": "0",
        }
        os.environ.update(environment)
        _run([sys.executable, "-m", "eo152", "init"], environment)
        print(f"database: {_shown(database_url)}; rate limits set aside (EO152_RATE_LIMITS=0)")
        port = _free_port()
        server = _start(port, options.workers, environment)
        try:
            cookie, fields = _walk_the_form(port)
            sessions = _copies(cookie, options.reports + options.kill_reports)
            timed, rest = sessions[: options.reports], sessions[options.reports :]
            print(f"{len(sessions)} finished drafts ready; {options.clients} clients")
            result = asyncio.run(_load(port, timed, fields, options.clients, None))
            _report("load", result)
            killed = asyncio.run(
                _load(port, rest, fields, options.clients, (server, options.kill_after))
            )
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
        _report("until SIGKILL", killed)
        _check_after_kill(killed.references + result.references, environment)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--reports", type=int, default=3000, help="final submits timed")
    parser.add_argument("--kill-reports", type=int, default=2000, help="drafts for the kill")
    parser.add_argument("--kill-after", type=float, default=3.0, help="seconds into the kill run")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--database-url", default="", help="PostgreSQL server (default SQLite)")
    return parser.parse_args()


@contextmanager
def _database(url: str, folder: Path) -> Iterator[str]:
    """SQLite in the folder, or a new PostgreSQL database beside ``url``'s (dropped after)."""
    if not url:
        yield f"sqlite:///{folder / 'data' / 'eo152.sqlite3'}"
        return
    import psycopg

    name = f"eo152_intake_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _shown(url: str) -> str:
    return "SQLite (WAL)" if url.startswith("sqlite") else f"PostgreSQL ({url})"


def _run(command: list[str], environment: dict[str, str]) -> str:
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[1:])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(port: int, workers: int, environment: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "eo152", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    print("server:", " ".join(command[1:]), flush=True)
    # Its own process group: the kill reaches nginx, Granian and every worker at once.
    server = subprocess.Popen(command, env=environment, start_new_session=True)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not come up") from None
            time.sleep(0.2)


# -- one draft, walked through the form --------------------------------------------------


class _Inputs(html.parser.HTMLParser):
    """The hidden inputs of a page's form (CSRF token, the wizard's step, the draft token)."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.hidden[str(found["name"])] = found.get("value") or ""


def _hidden(page: bytes) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(page.decode("utf-8"))
    return parser.hidden


def _walk_the_form(port: int) -> tuple[str, dict[str, str]]:
    """Answer every page once; return the session cookie header and the check page's
    hidden fields (what the final submit sends)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    opener.open(f"{base}/report/new?lang=en").read()
    for step, answers in ANSWERS.items():
        url = f"{base}/report/{step}?lang=en"
        fields: list[tuple[str, str]] = list(_hidden(opener.open(url).read()).items())
        for name, value in answers.items():
            values = value if isinstance(value, list) else [value]
            fields += [(f"{step}-{name}", item) for item in values]
        with opener.open(url, urllib.parse.urlencode(fields).encode()) as answered:
            if answered.url.split("?")[0] == url.split("?")[0]:
                raise SystemExit(f"the form refused the answers on {step}")
    check = opener.open(f"{base}/report/check?lang=en").read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, _hidden(check)


def _copies(cookie: str, count: int) -> list[tuple[str, str]]:
    """``count`` sessions holding the walked draft, each with a draft token of its own:
    each session's cookie header and token (the check page's ``report_token``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eo152.site.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    cookies = dict(part.split("=", 1) for part in cookie.split("; "))
    original = SessionStore(session_key=cookies[settings.SESSION_COOKIE_NAME]).load()
    wizard = next(key for key, value in original.items() if isinstance(value, dict))
    headers: list[tuple[str, str]] = []
    for _ in range(count):
        data = copy.deepcopy(original)
        token = secrets.token_urlsafe(24)
        data[wizard]["extra_data"] = {"token": token}
        session = SessionStore()
        session.update(data)
        session.create()
        others = [f"{k}={v}" for k, v in cookies.items() if k != settings.SESSION_COOKIE_NAME]
        header = "; ".join([f"{settings.SESSION_COOKIE_NAME}={session.session_key}", *others])
        headers.append((header, token))
    return headers


# -- the load ----------------------------------------------------------------------------


class Result:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.references: list[str] = []
        self.failures = 0
        self.elapsed = 0.0


async def _load(
    port: int,
    drafts: list[tuple[str, str]],
    fields: dict[str, str],
    clients: int,
    kill: tuple[subprocess.Popen[bytes], float] | None,
) -> Result:
    result = Result()
    queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
    for cookie, token in drafts:
        queue.put_nowait(
            (cookie, urllib.parse.urlencode({**fields, "report_token": token}).encode())
        )
    start = time.monotonic()
    tasks = [asyncio.create_task(_client(port, queue, result)) for _ in range(clients)]
    if kill is not None:
        server, after = kill
        await asyncio.sleep(after)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        print(f"SIGKILL sent to the server's process group after {after:.1f} s", flush=True)
    await asyncio.gather(*tasks)
    result.elapsed = time.monotonic() - start
    return result


async def _client(port: int, queue: asyncio.Queue[tuple[str, bytes]], result: Result) -> None:
    reader = writer = None
    while not queue.empty():
        cookie, body = queue.get_nowait()
        request = (
            f"POST /report/check?lang=en HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        sent = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert reader is not None
            writer.write(request)
            status, answer = await _response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            result.failures += 1
            writer = None
            if queue.qsize() and not await _reachable(port):
                return  # the server is gone (the kill run)
            continue
        found = REFERENCE.search(answer)
        if status == 200 and found:
            result.latencies.append(time.monotonic() - sent)
            result.references.append(found.group().decode())
        else:
            result.failures += 1
    if writer is not None:
        writer.close()


async def _reachable(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    return True


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"]))
    parts = []
    while size := int((await reader.readline()).strip(), 16):
        parts.append(await reader.readexactly(size))
        await reader.readline()
    await reader.readline()
    return status, b"".join(parts)


def _report(what: str, result: Result) -> None:
    done = len(result.latencies)
    if not done:
        print(f"{what}: no report was filed ({result.failures} failures)")
        return
    ms = sorted(latency * 1000 for latency in result.latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(
        f"{what}: {done} reports in {result.elapsed:.1f} s = {done / result.elapsed:.0f} "
        f"reports/s; latency p50 {statistics.median(ms):.0f} ms, p99 {p99:.0f} ms; "
        f"{result.failures} failed"
    )


def _check_after_kill(references: list[str], environment: dict[str, str]) -> None:
    from eo152.incidents.models import Incident

    stored = set(
        Incident.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    missing = sorted(set(references) - stored)
    print(
        f"after SIGKILL: {len(stored)} of {len(set(references))} references given out are "
        f"stored ({len(missing)} missing{': ' + ', '.join(missing[:5]) if missing else ''})"
    )
    verify = subprocess.run(
        [sys.executable, "-m", "eo152", "ledger", "verify"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    last = (verify.stdout.strip().splitlines() or verify.stderr.strip().splitlines() or [""])[-1]
    print(f"eo152 ledger verify: exit {verify.returncode}: {last}")
    if missing or verify.returncode != 0:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
