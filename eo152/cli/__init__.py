"""The ``eo152`` command: a thin shell over the libraries.

Every command that prints a result takes ``--json``. Errors a user can fix exit with status 2
and a message naming what is wrong; no traceback is ever shown (set ``EO152_DEBUG=1`` to see
one when reporting a bug).
"""

from __future__ import annotations

import os
import sys

import typer

from ..config import Settings
from ..services.datadir import MigrationFailed
from ..services.datadir import init as init_data_dir
from . import (
    datarequests,
    demo,
    evidence,
    exercise,
    incidents,
    ledger,
    packet,
    policy,
    referrals,
    tokens,
    users,
)
from ._options import JsonOption
from ._output import console, fail, print_json
from .decide import decide
from .places import app as places_app
from .serve import serve

app = typer.Typer(
    name="eo152",
    help="Denver Executive Order 152 made operational.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(places_app, name="places")


app.add_typer(ledger.app, name="ledger")
app.add_typer(packet.app, name="packet")
app.add_typer(evidence.app, name="evidence")
app.add_typer(users.app, name="users")
app.add_typer(tokens.app, name="tokens")
app.add_typer(incidents.app, name="incidents")
app.add_typer(referrals.app, name="referrals")
app.add_typer(datarequests.app, name="data-requests")
app.add_typer(demo.app, name="demo")
app.add_typer(exercise.app, name="exercise")


@app.callback()
def _root() -> None:
    """Denver Executive Order 152 made operational."""


@app.command()
def init(as_json: JsonOption = False) -> None:
    """Create the data folder (EO152_DATA_DIR) and what it needs. Safe to run twice."""
    with ledger.reported():  # an unusable DATABASE_URL is the operator's to fix: exit 2
        try:
            lines = init_data_dir(Settings.from_env())
        except MigrationFailed as error:
            fail(str(error))
    if as_json:
        print_json({"done": lines})
        return
    for line in lines:
        console.print(line)


app.command()(decide)
app.add_typer(policy.app, name="policy")
app.command()(serve)


def main() -> None:
    """Entry point: run the app, turning any unexpected error into one line without a traceback."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:
        if os.environ.get("EO152_DEBUG"):
            raise
        ledger.fail_if_environmental(error)  # a full disk, a held lock: say what to do
        fail(f"internal error: {error} (set EO152_DEBUG=1 to see details)", status=1)
