"""``eo152 serve``: a production server with static files, stopped cleanly by SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from eo152.services.decisions import decide_all

from .browser import running_server


def test_serve_answers_serves_static_files_and_stops_on_sigterm(tmp_path: Path) -> None:
    with running_server(tmp_path) as (address, server):
        with urllib.request.urlopen(f"{address}/?lang=es") as response:
            page = response.read().decode()
            assert response.headers["Server"] == "granian"
        stylesheet = page.split('rel="stylesheet" href="')[1].split('"')[0]
        request = urllib.request.Request(address + stylesheet, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Type"].startswith("text/css")
            assert response.headers["Content-Encoding"] == "gzip"
            assert "immutable" in response.headers["Cache-Control"]
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        output = server.stdout.read().decode() if server.stdout else ""
    assert f"serving {address}/" in output
    assert (tmp_path / "static" / "staticfiles.json").exists()
    with sqlite3.connect(tmp_path / "eo152.sqlite3") as database:
        assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def _stalled_upload(address: str) -> socket.socket:
    """A connection that promises a 1,000-byte body and sends one byte of it."""
    host, port = address.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)))
    connection.sendall(
        b"POST /api/v1/decisions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
    )
    return connection


def _health(address: str) -> bool:
    try:
        with urllib.request.urlopen(f"{address}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _workers(server: subprocess.Popen[bytes]) -> list[int]:
    """The Granian workers: the server's child processes that are not nginx."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if parent == server.pid and b"nginx" not in command:
            found.append(int(stat.parent.name))
    return found


def test_stalled_uploads_hold_no_worker_and_are_cut_off(tmp_path: Path) -> None:
    # Issue 11: four bodies that never finished froze a two-worker server (0 of 40 health
    # checks answered). nginx takes bodies whole first and drops a client silent for 10 s.
    with running_server(tmp_path) as (address, _server):
        stalled = [_stalled_upload(address) for _ in range(8)]
        time.sleep(0.5)
        assert all(_health(address) for _ in range(20))
        for connection in stalled:
            connection.settimeout(30)
            answer = connection.recv(4096)  # the proxy's 408, or the connection closed
            assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer[:80]
            connection.close()


def test_a_killed_worker_is_replaced_and_the_service_keeps_answering(tmp_path: Path) -> None:
    # Issue 11: one killed worker shut the others down and `eo152 serve` exited.
    body = json.dumps({"activities": ["staging"]}).encode()
    statuses: list[int] = []
    stop = threading.Event()

    def load(address: str) -> None:  # two clients deciding all along, under the kill
        while not stop.is_set():
            request = urllib.request.Request(
                f"{address}/api/v1/decisions", body, {"Content-Type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

    with running_server(tmp_path, workers=2) as (address, server):
        before = _workers(server)
        assert len(before) == 2
        clients = [threading.Thread(target=load, args=(address,)) for _ in range(2)]
        for client in clients:
            client.start()
        time.sleep(1)
        os.kill(before[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(set(_workers(server)) - set(before)) < 1:
            time.sleep(0.2)
        answered_after_the_kill = len(statuses)
        time.sleep(2)
        stop.set()
        for client in clients:
            client.join()
        assert server.poll() is None
        assert len(_workers(server)) == 2 and before[0] not in _workers(server)
    # At most the requests the dead worker held failed (503 from the proxy: try again).
    assert set(statuses) <= {200, 503}
    assert statuses.count(503) <= 2, statuses.count(503)
    assert statuses[answered_after_the_kill:].count(200) > 10


def test_a_chunked_body_reaches_the_api(tmp_path: Path) -> None:
    body = json.dumps({"activities": ["staging"]}).encode()
    with running_server(tmp_path) as (address, _server):
        request = urllib.request.Request(
            f"{address}/api/v1/decisions",
            data=iter([body[:10], body[10:]]),  # an iterable body goes out chunked
            headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        )
        with urllib.request.urlopen(request) as response:
            decided = json.loads(response.read())
    expected = decide_all(json.loads(body))
    assert not isinstance(expected, list)
    assert decided["situation_sha256"] == expected.situation_sha256


def test_an_answer_from_the_proxy_itself_is_a_problem_document(tmp_path: Path) -> None:
    with running_server(tmp_path) as (address, _server):
        request = urllib.request.Request(
            f"{address}/api/v1/decisions", data=b" " * 3_000_000,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        try:
            urllib.request.urlopen(request)
        except urllib.error.HTTPError as error:
            assert error.code == 413
            assert error.headers["Content-Type"] == "application/problem+json"
            assert error.headers["X-Content-Type-Options"] == "nosniff"
            assert json.loads(error.read())["title"] == "Body too large"
        else:
            raise AssertionError("a 3 MB body was accepted")


def test_without_nginx_serve_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from eo152.services import proxy

    monkeypatch.setattr(proxy, "_SEARCHED", ("/nonexistent/nginx",))
    with pytest.raises(proxy.ProxyFailed, match=r"nginx-light.*--no-proxy"):
        proxy.nginx_binary()


def test_without_the_proxy_granian_listens_itself(tmp_path: Path) -> None:
    # For a deployment whose own reverse proxy times bodies out (docs/deploy.md).
    with running_server(tmp_path, 1, "--no-proxy") as (address, server):
        assert _health(address)
        assert not any(b"nginx" in line for line in _children_commands(server))


def _children_commands(server: subprocess.Popen[bytes]) -> list[bytes]:
    commands = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server.pid:
                commands.append((stat.parent / "cmdline").read_bytes())
        except OSError:
            continue
    return commands


def test_evidence_uploads_pass_the_proxy_and_the_public_form_has_a_ceiling(
    tmp_path: Path,
) -> None:
    """A 30 MB body reaches the app on the upload routes (the app answers it: a refusal for
    want of a CSRF token), where the API's routes stop at 2 MB; past the public form's
    210 MB nginx says in words that the file is too large."""

    def status(address: str, path: str, size: int) -> tuple[int, bytes]:
        request = urllib.request.Request(f"{address}{path}", data=b"x" * size)
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    with running_server(tmp_path) as (address, _server):
        for path in ("/report", "/incidents/new"):
            code, answer = status(address, path, 30_000_000)
            assert code != 413 and b"<html" in answer, path
        code, words = status(address, "/report", 230_000_000)
        assert code == 413 and b"too large" in words
        # The staff's list itself is a page of the app, not a redirect of the proxy's.
        with urllib.request.urlopen(f"{address}/incidents") as answer:
            assert "/sign-in?" in answer.url and answer.status == 200
