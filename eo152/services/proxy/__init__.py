"""nginx in front of the Granian workers, started and watched by ``eo152 serve``.

Granian gives each worker one Python thread and reads a request's body only as the app asks
for it, with no deadline: a client that never finishes its body holds a worker (four such
connections froze a two-worker server). nginx reads the whole body first, gives up on a
client silent for 10 s, and hands Granian only complete requests over a Unix socket in the
data folder. docs/deploy.md says why a proxy rather than a guard in the app.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

_log = logging.getLogger("eo152.proxy")
_TEMPLATE = Path(__file__).with_name("nginx.conf")
_TEMP_FOLDERS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
#: Debian installs nginx in /usr/sbin, which is not on an ordinary user's PATH.
_SEARCHED = (shutil.which("nginx"), "/usr/sbin/nginx")


class ProxyFailed(Exception):
    """nginx is missing, or would not start (its own words follow)."""


def nginx_binary() -> str:
    for candidate in _SEARCHED:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise ProxyFailed(
        "nginx is not installed: install Debian's nginx-light package (`make setup` does), "
        "or pass --no-proxy when a reverse proxy with body timeouts is already in front"
    )


#: Longest path a Unix socket may have, with room to spare (Linux allows 107 bytes).
_MAX_SOCKET_PATH = 100


def upstream_socket(run_dir: Path) -> Path:
    """Where Granian listens for nginx: in ``run_dir``, or in a private temporary folder when
    that path would be too long for a Unix socket. A stale socket of an earlier run goes."""
    path = run_dir / "granian.sock"
    if len(os.fsencode(path)) > _MAX_SOCKET_PATH:
        path = Path(tempfile.mkdtemp(prefix="eo152-")) / "granian.sock"
    if path.is_socket():
        path.unlink()
    return path


def write_config(run_dir: Path, host: str, port: int, upstream: Path) -> Path:
    """nginx's configuration for this run, written (mode 600) into ``run_dir``."""
    run_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name in _TEMP_FOLDERS:
        (run_dir / name).mkdir(mode=0o700, exist_ok=True)
    listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    # Run as root, nginx would hand its workers to `nobody`, who cannot open the socket in a
    # folder only its owner may enter: they stay with the user who started the server.
    user_line = "user root;" if os.geteuid() == 0 else ""
    text = Template(_TEMPLATE.read_text("utf-8")).substitute(
        user_line=user_line, run=run_dir, socket=upstream, listen=listen
    )
    config = run_dir / "nginx.conf"
    config.write_text(text, "utf-8")
    config.chmod(0o600)
    return config


@dataclass
class Proxy:
    """A running nginx, restarted if it dies while the server runs."""

    config: Path
    address: tuple[str, int]
    process: subprocess.Popen[bytes] = field(init=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)

    def start(self) -> None:
        binary = nginx_binary()
        checked = subprocess.run(
            [binary, "-t", "-q", "-e", "stderr", "-c", str(self.config)],
            capture_output=True,
            text=True,
            check=False,
        )
        if checked.returncode != 0:
            raise ProxyFailed(f"nginx refused its configuration: {checked.stderr.strip()}")
        self.process = subprocess.Popen([binary, "-e", "stderr", "-c", str(self.config)])
        self._wait_until_listening()
        threading.Thread(target=self._watch, name="nginx-watch", daemon=True).start()

    def stop(self) -> None:
        """Graceful stop (SIGQUIT lets open requests finish), then a kill after 10 s."""
        self._stopping.set()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ProxyFailed(
                    f"nginx stopped as it started (status {self.process.returncode}); "
                    f"is {self.address[0]}:{self.address[1]} already in use?"
                )
            try:
                socket.create_connection(_reachable(self.address), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise ProxyFailed(f"nginx did not listen on {self.address[0]}:{self.address[1]} in 10 s")

    def _watch(self) -> None:
        # nginx's master restarts its own workers; this restarts the master, should it die.
        while not self._stopping.is_set():
            status = self.process.wait()
            if self._stopping.is_set():
                return
            _log.error("nginx stopped unexpectedly (status %s); starting it again", status)
            time.sleep(1)
            try:
                self.start()
            except ProxyFailed as error:
                _log.error("%s", error)
            return  # the restarted proxy has a watcher of its own


def _reachable(address: tuple[str, int]) -> tuple[str, int]:
    """Where to knock to see a server listening on ``address`` (every address: the loopback)."""
    host, port = address
    return ({"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host), port)
