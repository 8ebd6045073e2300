"""``eo152 data-requests``: log, show, determine and check federal data requests, write
the City's letter, count the public tally, and list the legal bases.

Each command that acts on a request acts for a person, so it takes that person's token
(``--token`` or ``EO152_TOKEN``), never a name; the service checks what the account may do
(a release never leaves without a second person). Bad input exits 2 naming the field; a
step the account or the request's state refuses exits 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from ._options import JsonOption
from ._output import console, fail, print_json
from .incidents import TokenOption, account_of
from .users import records, table

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..datarequests.models import DataRequest

app = typer.Typer(
    help="Federal data requests: log, show, determine, check, letter, tally, bases.",
    no_args_is_help=True,
)

ReferenceArgument = Annotated[str, typer.Argument(help="The request's reference (DR-XXXX-XXXX).")]

#: Refusals that are not the input's fault but who acts or where the request stands: exit 1.
REFUSED_FIELDS = frozenset({"state", "made_by", "checked_by"})


def _open(user: User, reference: str) -> DataRequest:
    from ..datarequests import services
    from ..datarequests.api import request_form
    from ..datarequests.models import DataRequest

    try:
        return services.open_request(user, request_form(reference))
    except DataRequest.DoesNotExist:
        fail(f"no data request {escape(reference)} is yours to read")


def _refused(error: Any) -> None:
    fail(f"{error.field}: {escape(error.message)}", 1 if error.field in REFUSED_FIELDS else 2)


def _not_allowed(user: User, what: str) -> None:
    fail(f"the role {user.role} may not {what}", 1)


def _show(answer: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(answer)
        return
    console.print(
        f"{answer['reference']}: {answer['state']} (engine: {answer['engine_answer']}; "
        f"due {answer['deadline']}, {answer['standing']})",
        highlight=False,
    )


def _body_of(source: str) -> Any:
    """The JSON in FILE, or on standard input for ``-``; exit 2 naming what is wrong."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{escape(source)}: {escape(str(error))}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        fail(f"{escape(source)}: not JSON ({escape(str(error))})")


@app.command()
def add(
    source: Annotated[str, typer.Argument(help="A JSON file of the request, or - for stdin.")],
    process_document: Annotated[
        Path | None,
        typer.Option("--process-document", help="The legal process presented: a PDF or image."),
    ] = None,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Log a request from its JSON (the API's body); the engine decides it at once.

    Nothing is stored when anything is refused, the process document included.
    """
    body = _body_of(source)
    with records():
        from django.core.exceptions import PermissionDenied

        from ..datarequests import services
        from ..incidents.services import IntakeRefused

        user = account_of(token)
        upload = None
        if process_document is not None:
            if not process_document.is_file():
                fail(f"--process-document: no file {escape(str(process_document))}")
            upload = services.Upload(process_document, None, process_document.name)
        try:
            made = services.log_request(user, services.read_body(body), upload)
        except PermissionDenied:
            _not_allowed(user, "log data requests")
        except IntakeRefused as error:
            _refused(error)
        answer = services.shown(user, made)
    _show(answer, as_json)


@app.command()
def show(
    reference: ReferenceArgument, token: TokenOption = None, as_json: JsonOption = False
) -> None:
    """Show a request: its findings, files and determinations (the reading is logged)."""
    with records():
        from ..datarequests import services

        user = account_of(token)
        answer = services.shown(user, _open(user, reference))
    _show(answer, as_json)


@app.command()
def determine(
    reference: ReferenceArgument,
    determination: Annotated[
        str, typer.Option("--determination", help="refuse, release, partial, review or extend.")
    ],
    basis: Annotated[
        list[str] | None,
        typer.Option("--basis", help="A code of `eo152 data-requests bases` (repeat for more)."),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why, in writing.")] = "",
    release_file: Annotated[
        Path | None,
        typer.Option("--release-file", help="The exact file released (a release needs it)."),
    ] = None,
    released_category: Annotated[
        list[str] | None,
        typer.Option("--released-category", help="For partial: a category that goes (repeat)."),
    ] = None,
    new_deadline: Annotated[
        str | None, typer.Option("--new-deadline", help="For extend: YYYY-MM-DD.")
    ] = None,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make a determination. A release uploads its file, then waits for a second person
    (`eo152 data-requests check`); the rest take effect at once."""
    with records():
        from django.core.exceptions import PermissionDenied

        from ..datarequests import services
        from ..datarequests.api import day_of
        from ..incidents.services import IntakeRefused

        user = account_of(token)
        request = _open(user, reference)
        try:
            deadline = day_of(new_deadline, "new_deadline")
            choice = services.Choice(
                kind=determination,
                bases=tuple(basis or ()),
                reason=reason,
                released_categories=tuple(released_category or ()),
                new_deadline=deadline,
            )
            if release_file is None:
                services.determine(user, request, choice)
            elif not release_file.is_file():
                fail(f"--release-file: no file {escape(str(release_file))}")
            else:
                upload = services.Upload(release_file, None, release_file.name)
                services.determine_with_file(user, request, choice, upload)
        except PermissionDenied:
            _not_allowed(user, f"make this determination ({escape(determination)})")
        except IntakeRefused as error:
            _refused(error)
        request.refresh_from_db()
        answer = services.shown(user, request)
    _show(answer, as_json)


@app.command()
def check(
    reference: ReferenceArgument, token: TokenOption = None, as_json: JsonOption = False
) -> None:
    """Confirm a proposed release as the second person (never its maker or the logger)."""
    with records():
        from django.core.exceptions import PermissionDenied

        from ..datarequests import services
        from ..incidents.services import IntakeRefused

        user = account_of(token)
        request = _open(user, reference)
        try:
            services.check(user, request)
        except PermissionDenied:
            _not_allowed(user, "check releases (a supervisor or the City Attorney)")
        except IntakeRefused as error:
            _refused(error)
        request.refresh_from_db()
        answer = services.shown(user, request)
    _show(answer, as_json)


@app.command()
def letter(
    reference: ReferenceArgument,
    out: Annotated[Path, typer.Argument(help="Where to write the letter (a PDF).")],
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the City's letter answering the request (its determination in force)."""
    with records():
        from ..datarequests.letter import letter_pdf
        from ..incidents.services import IntakeRefused

        user = account_of(token)
        request = _open(user, reference)
        if not user.has_perm("data_requests.letter", request):
            _not_allowed(user, "write the letter of a data request")
        try:
            pdf = letter_pdf(request)
        except IntakeRefused as error:
            _refused(error)
    try:
        out.write_bytes(pdf)
    except OSError as error:
        fail(f"{escape(str(out))}: {escape(str(error))}")
    if as_json:
        print_json({"reference": request.reference, "path": str(out), "size": len(pdf)})
        return
    console.print(f"wrote the letter of {request.reference} to {escape(str(out))}", highlight=False)


@app.command()
def tally(
    entries: Annotated[
        Path | None,
        typer.Option("--entries", help="An export bundle's entries.jsonl (else this ledger)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The public tally: requests by agency, category, process and answer, counted from
    ledger entries alone (anyone can recount it from an export)."""
    from ..datarequests.tally import read_entries
    from ..datarequests.tally import tally as count

    if entries is not None:
        try:
            counted = count(read_entries(entries))
        except (OSError, ValueError) as error:
            fail(f"--entries: {escape(str(error))}")
    else:
        with records():
            from ..datarequests import services

            counted = services.site_tally()[0]
    if as_json:
        print_json(counted)
        return
    for key, value in counted.items():
        console.print(f"{key}: {json.dumps(value, ensure_ascii=False)}", highlight=False)


@app.command()
def bases(as_json: JsonOption = False) -> None:
    """The legal bases a determination picks from, with the law each rests on."""
    with records():  # the catalogue checks its determinations against the desk's models
        from ..datarequests.bases import catalogue

        listed = list(catalogue().values())
    if as_json:
        print_json([basis.to_dict() for basis in listed])
        return
    grid = table("code", "determination", "title")
    # A code is typed back on `data-requests determine --basis`: shown whole, never cut.
    grid.columns[0].min_width = max(len(basis.code) for basis in listed)
    for basis in listed:
        grid.add_row(basis.code, basis.determination, basis.title_in("en"))
    console.print(grid)
