"""The real app in a real browser: ``eo152 serve`` in a subprocess, Debian's Chromium.

Chromium comes from the system (``make setup`` installs it with apt-get); Playwright only
drives it and never downloads a browser. The flags keep Chromium off the network, which
this machine does not have, and away from any profile of a person's.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page

CHROMIUM = Path(os.environ.get("EO152_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
# Screenshots of each page land here when the variable is set (for a person to look at).
SCREENSHOTS = os.environ.get("EO152_SCREENSHOTS")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(
    data_dir: Path, workers: int = 1, *options: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``eo152 serve`` on a free port of the loopback, stopped with SIGTERM at the end."""
    port = free_port()
    environment = {**os.environ, "EO152_DATA_DIR": str(data_dir)}
    environment.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eo152",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            *options,
        ],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        _wait_for(address, server)
        yield address, server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def _wait_for(address: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read().decode() if server.stdout else ""
            raise RuntimeError(f"eo152 serve stopped with status {server.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(f"{address}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"eo152 serve did not answer at {address} within 90 s")


def assert_accessible(page: Page) -> None:
    """axe-core finds nothing against WCAG 2.2 A and AA and its best practices."""
    # evaluate() runs through the DevTools protocol, so the page's CSP need not allow it.
    page.evaluate(AXE.read_text("utf-8"))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
    )
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []


def assert_fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing scrolls sideways on a phone"


def shoot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png")
        page.screenshot(path=f"{SCREENSHOTS}/{name}-full.png", full_page=True)
