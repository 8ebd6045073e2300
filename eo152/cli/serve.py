"""``eo152 serve``: the web app and the HTTP API under a production server.

Granian (a Rust HTTP server) runs the Django WSGI application in worker processes, one
Python thread each: deciding is CPU work under the GIL, so more threads would only contend
(measured: twice the throughput with one). A worker that dies (out of memory, a crash in
native code) is started again; the others go on answering. In front of them nginx takes
each request whole before a worker sees it, so a client whose body stalls is cut off after
10 s without holding a worker (``eo152.services.proxy``; ``--no-proxy`` when another proxy
with body timeouts is in front). Granian's main process stops the workers gracefully on
SIGTERM or Ctrl-C, then nginx is stopped. Before it starts, the data folder is created, the
database brought up to date and the static files collected (both are no-ops when nothing
changed), so one command is enough on a fresh machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from ..config import Settings
from ..services.datadir import init as init_data_dir
from ..services.proxy import Proxy, ProxyFailed, upstream_socket, write_config
from ._output import console, fail

_APP = "eo152.site.wsgi:application"
#: Seconds between a worker's death and its replacement (Granian's default is 3.5).
RESPAWN_INTERVAL = 1.0
#: Seconds a worker gets to stop gracefully before it is killed. Without a limit, a SIGTERM
#: that reaches a worker still starting (one just respawned) is never answered, and the
#: server waits for it forever.
KILL_TIMEOUT = 10


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every one)."),
    port: int = typer.Option(8152, help="Port to listen on."),
    workers: int = typer.Option(
        os.cpu_count() or 1, help="Worker processes (default: one per core)."
    ),
    proxy: bool = typer.Option(
        True,
        help="Put nginx in front (body timeouts). --no-proxy: Granian listens itself, for "
        "when a reverse proxy with body timeouts is already in front (docs/deploy.md).",
    ),
) -> None:
    """Serve the web app and the HTTP API (static files included). SIGTERM stops it cleanly."""
    settings = Settings.from_env()
    init_data_dir(settings)
    prepare_django()
    from granian import Granian
    from granian.constants import Interfaces

    run_dir = Path(settings.data_dir) / "run"
    run_dir.mkdir(mode=0o700, exist_ok=True)
    upstream = upstream_socket(run_dir)
    front = None
    if proxy:
        try:
            front = Proxy(write_config(run_dir, host, port, upstream), (host, port))
            front.start()
        except ProxyFailed as error:
            fail(str(error))
    shown_host = f"[{host}]" if ":" in host else host
    console.print(f"eo152: serving http://{shown_host}:{port}/ (Ctrl-C or SIGTERM stops)")
    command = server_command(host, port, workers, upstream if proxy else None)
    console.print(f"eo152: server command: {command}", highlight=False)
    listen = (
        {"uds": upstream, "uds_permissions": 0o600} if proxy else {"address": host, "port": port}
    )
    try:
        Granian(
            _APP,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=1,
            websockets=False,
            log_access=False,
            respawn_failed_workers=True,
            respawn_interval=RESPAWN_INTERVAL,
            workers_kill_timeout=KILL_TIMEOUT,
            **listen,  # type: ignore[arg-type]
        ).serve()
    finally:
        if front is not None:
            front.stop()


def prepare_django() -> None:
    """Bring the database up to date and collect the static files."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eo152.site.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def server_command(host: str, port: int, workers: int, upstream: Path | None = None) -> str:
    """The equivalent Granian command line, printed so a benchmark can say what it measured."""
    where = f"--uds {upstream}" if upstream else f"--host {host} --port {port}"
    behind = f" (behind nginx on {host}:{port})" if upstream else ""
    return (
        f"granian --interface wsgi {where} --workers {workers} --blocking-threads 1 --no-ws "
        f"--respawn-failed-workers --respawn-interval {RESPAWN_INTERVAL} "
        f"--workers-kill-timeout {KILL_TIMEOUT} {_APP}{behind}"
    )
