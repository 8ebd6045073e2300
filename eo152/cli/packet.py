"""``eo152 packet verify``: check a referral packet offline, with no database.

Thin over :mod:`eo152.packets.verify`. Exit status 0 when every check passed, 1 when a
check failed (the output names it and the files), 2 when the folder is not a packet or the
key cannot be used. ``eo152 ledger verify --bundle`` stays for whole-ledger bundles.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..ledger import LedgerError
from ..packets.verify import NotAPacket, verify_packet
from ._options import JsonOption
from ._output import console, fail, print_json

# bagit logs every bad file as a warning; the report names them once, in plain words.
logging.getLogger("bagit").addHandler(logging.NullHandler())
logging.getLogger("bagit").propagate = False

app = typer.Typer(
    help="Referral packets: check one offline (no database, no network).",
    no_args_is_help=True,
)


def _key_text(key: str) -> str:
    """``--key`` names a file holding the published key; the key itself is taken too."""
    path = Path(key)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            fail(f"--key: cannot read {escape(key)}: {escape(str(error))}")
    if "+" in key:
        return key
    fail(f"--key: {escape(key)} is not a file, nor a key (name+id+base64)")


@app.command()
def verify(
    folder: Annotated[Path, typer.Argument(help="The packet's folder (a BagIt bag).")],
    key: Annotated[
        str | None,
        typer.Option(
            "--key",
            help="A file holding the log key the City published (or the key itself); "
            "without it the check only shows the packet is consistent with itself.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check a referral packet: bag, ledger proofs, signature, evidence, PDF and JSON."""
    try:
        report = verify_packet(folder, _key_text(key) if key is not None else None)
    except NotAPacket as error:
        fail(escape(str(error)))
    except LedgerError as error:  # a --key that is no key
        fail(f"--key: {escape(str(error))}")
    if as_json:
        print_json(report.to_dict())
    else:
        for line in report.lines():
            console.print(line, markup=False, highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)
