"""``eo152 evidence``: add a file to the evidence store and the log, get it back."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..ledger import BadEvidence, EvidenceNotFound
from ._output import print_json
from .ledger import JsonOption, opened, reported, show_receipt

app = typer.Typer(help="Evidence files: add them, get them back.", no_args_is_help=True)

ActorOption = Annotated[
    str | None,
    typer.Option("--actor", help="Who is acting (default: cli:<your user name>)."),
]


def _actor(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


@app.command()
def add(
    file: Annotated[Path, typer.Argument(help="The file to add (stored unmodified).")],
    incident: Annotated[
        str | None, typer.Option("--incident", help="The incident it belongs to.")
    ] = None,
    media_type: Annotated[
        str | None, typer.Option("--media-type", help="The declared media type.")
    ] = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Hash and store FILE under its SHA-256, log it, and print the receipt."""
    with opened() as ledger, reported():
        evidence, receipt = ledger.add_evidence(file, _actor(actor), incident, media_type)
    extra = {
        "sha256": evidence.sha256,
        "size": evidence.size,
        "media_type": evidence.media_type,
        "detected_media_type": evidence.detected_media_type,
    }
    show_receipt(receipt, as_json, extra)


@app.command()
def get(
    digest: Annotated[str, typer.Argument(help="The file's SHA-256 (64 hex digits).")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.")
    ] = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Copy a stored file out, and log that it was downloaded (a custody event)."""
    if out is None and as_json:
        raise typer.BadParameter("--json needs --out (the file's bytes go to standard output)")
    with opened() as ledger, reported():
        if ledger.store.size(digest.lower()) is None:
            raise EvidenceNotFound(f"no stored file has SHA-256 {digest}")
        if out is not None and out.exists():
            raise BadEvidence(f"{out} already exists; give a new file name")
        if out is None:
            receipt = ledger.fetch_evidence(digest.lower(), sys.stdout.buffer, _actor(actor))
        else:
            with out.open("xb") as target:
                receipt = ledger.fetch_evidence(digest.lower(), target, _actor(actor))
    if as_json:
        print_json({"sha256": digest.lower(), "out": str(out), "custody": receipt.to_json()})
