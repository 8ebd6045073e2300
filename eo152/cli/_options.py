"""Options every command shares, defined once so they read and behave the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

#: ``--json``: every command that prints a result prints it as JSON instead.
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
