"""``eo152 evidence``: add files, get them back, and log what is done with them.

Thin over :class:`eo152.ledger.Ledger`: each command logs one custody event (``derive``
also registers the new copy) and prints its receipt.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..ledger import BadEvidence, Receipt
from ..services.custody import log_shared, log_viewed
from ._options import JsonOption
from ._output import print_json
from .ledger import (
    ActorOption,
    ReasonOption,
    actor_or_default,
    opened,
    reported,
    show_receipt,
    text_field,
)

app = typer.Typer(
    help="Evidence files: add them, get them back, log views, shares and derived copies.",
    no_args_is_help=True,
)

DigestArgument = Annotated[str, typer.Argument(help="The file's SHA-256 (64 hex digits).")]
IncidentOption = Annotated[
    str | None,
    typer.Option("--incident", help="The incident it belongs to.", callback=text_field("incident")),
]
MediaTypeOption = Annotated[
    str | None,
    typer.Option(
        "--media-type", help="The declared media type.", callback=text_field("media_type")
    ),
]


class How(StrEnum):
    """The ways a copy is made (the library's DERIVATIONS)."""

    redacted = "redacted"
    clipped = "clipped"


def _logged(receipt: Receipt, as_json: bool, what: str, extra: dict[str, object]) -> None:
    headline = f"logged {what}: entry {receipt.leaf_index} in a tree of {receipt.tree_size}"
    show_receipt(receipt, as_json, extra, headline)


@app.command()
def add(
    file: Annotated[Path, typer.Argument(help="The file to add (stored unmodified).")],
    incident: IncidentOption = None,
    media_type: MediaTypeOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Hash and store FILE under its SHA-256, log it, and print the receipt."""
    with opened() as ledger, reported():
        evidence, receipt = ledger.add_evidence(file, actor_or_default(actor), incident, media_type)
    extra = {
        "sha256": evidence.sha256,
        "size": evidence.size,
        "media_type": evidence.media_type,
        "detected_media_type": evidence.detected_media_type,
    }
    show_receipt(receipt, as_json, extra)


@app.command()
def get(
    digest: DigestArgument,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.")
    ] = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Copy a stored file out, and log that it was downloaded (a custody event)."""
    if out is None and as_json:
        raise typer.BadParameter("--json needs --out (the file's bytes go to standard output)")
    digest = digest.lower()
    who = actor_or_default(actor)
    with opened() as ledger, reported():
        ledger.require_stored(digest)
        if out is not None and out.exists():
            raise BadEvidence(f"{out} already exists; give a new file name")
        if out is None:
            receipt = ledger.fetch_evidence(digest, sys.stdout.buffer, who)
        else:
            try:
                target = out.open("xb")
            except OSError as error:
                raise BadEvidence(f"cannot write {out}: {error.strerror}") from error
            with target:
                receipt = ledger.fetch_evidence(digest, target, who)
    if as_json:
        print_json({"sha256": digest, "out": str(out), "custody": receipt.to_dict()})


@app.command()
def view(
    digest: DigestArgument,
    reason: ReasonOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Log that you viewed a stored file (played or opened it); print the receipt.

    Nothing is copied: record each viewing, in the evidence room or on a stored copy.
    """
    digest = digest.lower()
    with opened() as ledger, reported():
        receipt = log_viewed(ledger, digest, actor_or_default(actor), reason)
    _logged(receipt, as_json, f"viewed {digest}", {"sha256": digest})


@app.command()
def share(
    digest: DigestArgument,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="Who receives it, in a few words (an office, a role, a case number).",
            callback=text_field("recipient"),
        ),
    ],
    reason: ReasonOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Log that a stored file was given to someone outside (a prosecutor, the defense).

    Nothing is sent: hand over the file (for example from `eo152 evidence get`), and
    record here to whom.
    """
    digest = digest.lower()
    with opened() as ledger, reported():
        receipt = log_shared(ledger, digest, actor_or_default(actor), to, reason)
    _logged(receipt, as_json, f"shared {digest}", {"sha256": digest})


@app.command()
def derive(
    original: Annotated[str, typer.Argument(help="The original's SHA-256 (64 hex digits).")],
    file: Annotated[Path, typer.Argument(help="The redacted or clipped copy to add.")],
    how: Annotated[How, typer.Option("--how", help="How the copy was made from the original.")],
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            help="What was done, in general terms (e.g. 'faces blurred'); never names.",
            callback=text_field("note"),
        ),
    ] = None,
    incident: IncidentOption = None,
    media_type: MediaTypeOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store a redacted or clipped copy of a stored file and log which original it came from.

    Logs two entries: the copy's registration and a `custody.derived` entry naming both
    fingerprints; prints the receipt of the second (the first is under `registered`).
    """
    original = original.lower()
    with opened() as ledger, reported():
        evidence, registered, derived = ledger.derive_evidence(
            original,
            file,
            actor_or_default(actor),
            how.value,
            note=note,
            incident=incident,
            media_type=media_type,
        )
    extra: dict[str, object] = {
        "sha256": evidence.sha256,
        "derived_from": original,
        "derivation": how.value,
        "size": evidence.size,
        "media_type": evidence.media_type,
        "detected_media_type": evidence.detected_media_type,
        "registered": registered.to_dict(),
    }
    _logged(derived, as_json, f"{how.value} copy {evidence.sha256} of {original}", extra)
