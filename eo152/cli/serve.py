"""``eo152 serve``: the web app and the HTTP API under a production server.

Granian (a Rust HTTP server) runs the Django WSGI application in worker processes, one
Python thread each: deciding is CPU work under the GIL, so more threads would only contend
(measured: twice the throughput with one). Its main process stops the workers gracefully
on SIGTERM or Ctrl-C. Before it starts, the
data folder is created, the database brought up to date and the static files collected
(both are no-ops when nothing changed), so one command is enough on a fresh machine.
"""

from __future__ import annotations

import os

import typer

from ..config import Settings
from ..services.datadir import init as init_data_dir
from ._output import console

_APP = "eo152.site.wsgi:application"


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every one)."),
    port: int = typer.Option(8152, help="Port to listen on."),
    workers: int = typer.Option(
        os.cpu_count() or 1, help="Worker processes (default: one per core)."
    ),
) -> None:
    """Serve the web app and the HTTP API (static files included). SIGTERM stops it cleanly."""
    init_data_dir(Settings.from_env())
    prepare_django()
    from granian import Granian
    from granian.constants import Interfaces

    shown_host = f"[{host}]" if ":" in host else host
    console.print(f"eo152: serving http://{shown_host}:{port}/ (Ctrl-C or SIGTERM stops)")
    console.print(f"eo152: server command: {server_command(host, port, workers)}", highlight=False)
    Granian(
        _APP,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=1,
        websockets=False,
        log_access=False,
    ).serve()


def prepare_django() -> None:
    """Bring the database up to date and collect the static files."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eo152.site.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def server_command(host: str, port: int, workers: int) -> str:
    """The equivalent Granian command line, printed so a benchmark can say what it measured."""
    return (
        f"granian --interface wsgi --host {host} --port {port} --workers {workers} "
        f"--blocking-threads 1 --no-ws {_APP}"
    )
