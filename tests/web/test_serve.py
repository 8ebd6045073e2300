"""``eo152 serve``: a production server with static files, stopped cleanly by SIGTERM."""

from __future__ import annotations

import signal
import sqlite3
import urllib.request
from pathlib import Path

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
