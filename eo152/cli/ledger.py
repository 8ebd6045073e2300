"""``eo152 ledger``: the Merkle log's heads, proofs, key, export and verification.

Thin over :mod:`eo152.ledger`. Exit status 2 means the arguments or a document could not
be used; 1 means a check found something that does not match what was recorded; 3 means
the machine stopped the command (a full disk, a held lock, a missing permission, a
read-only file system, an implausible clock), and the message says what to do.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress

from ..config import Settings
from ..ledger import (
    BadDocument,
    Ledger,
    LedgerError,
    LedgerSettings,
    Receipt,
    Report,
    VerificationFailed,
    Verifier,
    check_text,
    condition_of,
    load_document,
    verify_bundle,
    verify_receipt,
)
from ._options import JsonOption
from ._output import console, error_console, fail, print_json
from ._texts import word

ENVIRONMENT_STATUS = 3
"""The exit status when the machine, not the data, stopped a command (docs/cli.md)."""

app = typer.Typer(
    help="The evidence ledger: tree heads, proofs, export and verification.",
    no_args_is_help=True,
)

KeyOption = Annotated[
    str | None,
    typer.Option("--key", help="The log key to trust (C2SP verifier key), as published."),
]


def text_field(field: str) -> Callable[[str | None], str | None]:
    """An option callback that checks free text for the entry field ``field``.

    A refused value exits with status 2 and a message naming the option, before anything
    is stored or logged.
    """

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return check_text(field, value)
        except ValueError as error:
            raise typer.BadParameter(str(error)) from error

    return check


ActorOption = Annotated[
    str | None,
    typer.Option(
        "--actor",
        help="Who is acting (default: cli:<your user name>).",
        callback=text_field("actor"),
    ),
]
RecipientOption = Annotated[
    str | None,
    typer.Option(
        "--to",
        help="Who receives it, in a few words (an office, a role, a case number).",
        callback=text_field("recipient"),
    ),
]
ReasonOption = Annotated[
    str | None,
    typer.Option(
        "--reason",
        help="Why, in a few words; never names or statements (the log cannot be edited).",
        callback=text_field("reason"),
    ),
]


def actor_or_default(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


def fail_if_environmental(error: BaseException) -> None:
    """Exit 3 when the machine stopped the command (a full disk, a held lock, a permission):
    the error's own words say what failed, the CLI's texts what to do about it."""
    condition = condition_of(error)
    if condition is not None:
        advice = word(f"condition_{condition}", "en")
        fail(f"{escape(str(error))}\n{escape(advice)}", status=ENVIRONMENT_STATUS)


@contextmanager
def reported() -> Iterator[None]:
    """Turn the library's exceptions into one line and the right exit status."""
    try:
        yield
    except VerificationFailed as error:
        fail(f"verification failed: {escape(str(error))}", status=1)
    except (LedgerError, OSError) as error:
        fail_if_environmental(error)
        if isinstance(error, OSError):
            raise
        fail(escape(str(error)))  # a path may hold [brackets], which are not markup


@contextmanager
def opened(read_only: bool = False) -> Iterator[Ledger]:
    """The data folder's ledger; ``read_only`` for commands that only look (nothing written)."""
    settings = Settings.from_env()
    with reported():
        ledger = Ledger.open(
            LedgerSettings.from_env(settings.data_dir, settings.database_url), read_only=read_only
        )
        try:
            yield ledger
        finally:
            ledger.close()


def _show(data: Mapping[str, object], as_json: bool, lines: list[str]) -> None:
    if as_json:
        print_json(data)
    else:
        for line in lines:
            console.print(line, markup=False, highlight=False, soft_wrap=True)


def show_receipt(
    receipt: Receipt,
    as_json: bool,
    extra: dict[str, object] | None = None,
    headline: str | None = None,
) -> None:
    data = {**receipt.to_dict(), **(extra or {})}
    headline = headline or f"entry {receipt.leaf_index} in a tree of {receipt.tree_size} entries"
    lines = [headline, ""]
    _show(data, as_json, [*lines, json.dumps(data, indent=2)])


@app.command()
def head(as_json: JsonOption = False) -> None:
    """Show the latest signed tree head (a C2SP checkpoint)."""
    with opened(read_only=True) as ledger:
        tree_head = ledger.log.head()
    _show(tree_head.to_dict(), as_json, [tree_head.checkpoint.rstrip("\n")])


@app.command()
def prove(
    index: Annotated[int, typer.Argument(help="The entry's index (0 is the first).")],
    as_json: JsonOption = False,
) -> None:
    """Print a receipt for entry INDEX: the entry, its inclusion proof and the signed head."""
    with opened(read_only=True) as ledger:
        receipt = ledger.log.prove(index)
    show_receipt(receipt, as_json)


@app.command()
def consistency(
    old_size: Annotated[int, typer.Argument(help="The size of the older tree.")],
    as_json: JsonOption = False,
) -> None:
    """Prove that the tree of OLD_SIZE entries is a prefix of the current one."""
    with opened(read_only=True) as ledger:
        proof = ledger.log.consistency(old_size)
    data = proof.to_dict()
    _show(data, as_json, [json.dumps(data, indent=2)])


@app.command()
def key(as_json: JsonOption = False) -> None:
    """Print the log's public key (C2SP verifier key) for others to check tree heads with."""
    with opened(read_only=True) as ledger:
        verifier = ledger.signer.verifier
    data = {"origin": verifier.name, "key_name": verifier.name, "verifier_key": verifier.encode()}
    _show(data, as_json, [verifier.encode()])


@app.command()
def export(
    folder: Annotated[Path, typer.Argument(help="A new or empty folder for the bundle.")],
    with_files: Annotated[
        bool, typer.Option("--with-files", help="Also copy every evidence file.")
    ] = False,
    to: RecipientOption = None,
    reason: ReasonOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write a self-contained bundle for checking elsewhere, and log the export.

    The bundle's last entry is the `ledger.exported` entry recording this export.
    """
    with opened() as ledger:
        cut, receipt = ledger.export(folder, with_files, actor_or_default(actor), to, reason)
    data = {
        "folder": str(folder),
        "with_files": with_files,
        **cut.to_dict(),
        "custody": receipt.to_dict(),
    }
    files = " and every registered file" if with_files else ""
    lines = [
        f"exported {cut.tree_size} entries{files} to {folder}",
        f"entry {receipt.leaf_index}, the last in the bundle, records this export",
    ]
    _show(data, as_json, lines)


def _progress(total: int) -> tuple[Progress, Callable[[int], None]]:
    progress = Progress(console=error_console, transient=True, disable=total < 10_000)
    task = progress.add_task("checking entries", total=total)

    def advance(index: int) -> None:
        if index % 1000 == 0:
            progress.update(task, completed=index)

    return progress, advance


@app.command()
def verify(
    bundle: Annotated[
        Path | None, typer.Option("--bundle", help="Check an exported bundle instead.")
    ] = None,
    key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Recompute the log, check every signed tree head and re-hash every stored file.

    With --key, every tree head must be signed by that key (the one the City published);
    without it, by the key the bundle carries or the data folder's own key.
    """
    report: Report
    with reported():
        trusted = Verifier.decode(key) if key else None
    if bundle is not None:
        with reported():
            report = verify_bundle(bundle, trusted)
    else:
        with opened(read_only=True) as ledger:
            progress, advance = _progress(ledger.log.tree_size)
            with progress:
                report = ledger.verify(advance, trusted)
    for warning in report.warnings:
        error_console.print(f"eo152: warning: {warning}", markup=False, highlight=False)
    _show(report.to_dict(), as_json, ["intact:", *(f"  {check}" for check in report.checks)])


@app.command("verify-receipt")
def verify_receipt_command(
    receipt: Annotated[Path, typer.Argument(help="A receipt (JSON) to check.")],
    file: Annotated[
        Path | None, typer.Option("--file", help="The file the receipt's entry names.")
    ] = None,
    newer: Annotated[
        Path | None,
        typer.Option("--head", help="Output of `ledger consistency`, from a newer tree head."),
    ] = None,
    key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a receipt offline: its signature, its proof, and optionally its file."""
    with reported():
        document = Receipt.from_json(load_document(receipt, "receipt"))
        later = load_document(newer, "consistency document") if newer else None
        if file is not None and not file.is_file():
            raise BadDocument(f"{file} is not a readable file")
        checks = verify_receipt(document, Verifier.decode(key) if key else None, file, later)
    data = {"ok": True, "leaf_index": document.leaf_index, "checks": checks}
    _show(data, as_json, ["valid:", *(f"  {check}" for check in checks)])
