"""``eo152 referrals``: make, sign off, send, list and export referrals, and the offenses a
referral may name.

Each command but ``offenses`` acts for a person, so it takes that person's token
(``--token`` or ``EO152_TOKEN``), never a name; the service checks what the account may do
(a referral never leaves without a second person's sign-off).
"""

from __future__ import annotations

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
    from ..referrals.models import Referral

app = typer.Typer(
    help="Referrals to the Denver DA or the Colorado AG: make, sign off, send, list, export.",
    no_args_is_help=True,
)

ReferenceArgument = Annotated[str, typer.Argument(help="The referral's reference (RF-XXXX-XXXX).")]


def _open(user: User, reference: str) -> Referral:
    from ..referrals import services
    from ..referrals.api import referral_form
    from ..referrals.models import Referral

    try:
        return services.open_referral(user, referral_form(reference))
    except Referral.DoesNotExist:
        fail(f"no referral {escape(reference)} is yours to read")


def _refused(error: Any) -> str:
    return f"{error.field}: {escape(error.message)}"


def _show(answer: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(answer)
        return
    console.print(
        f"{answer['reference']}: {answer['state']} ({answer['offense']}, {answer['crs']}, "
        f"to {answer['office']}; incident {answer['incident']})",
        highlight=False,
    )


@app.command()
def create(
    incident: Annotated[str, typer.Argument(help="The incident's reference (EO-XXXX-XXXX).")],
    office: Annotated[str, typer.Option("--office", help="denver_da or colorado_ag.")],
    offense: Annotated[
        str, typer.Option("--offense", help="A code of `eo152 referrals offenses`.")
    ],
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", help="SHA-256 of a file to disclose (repeat for more)."),
    ] = None,
    do_not_disclose: Annotated[
        list[str] | None,
        typer.Option(
            "--do-not-disclose", help="SHA-256 of a file to hold back: counted, never named."
        ),
    ] = None,
    language: Annotated[str, typer.Option("--language", help="The packet's language.")] = "en",
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make a referral of an incident under investigation (a draft until signed off).

    The referral is a fixed snapshot of the case; a second person signs it off before it
    can be sent.
    """
    with records():
        from django.core.exceptions import PermissionDenied

        from ..incidents import services as incidents
        from ..incidents.models import Incident
        from ..incidents.services import IntakeRefused
        from ..referrals import services
        from ..referrals.api import files_of, representation

        user = account_of(token)
        try:
            found = incidents.open_incident(user, incident)
        except Incident.DoesNotExist:
            fail(f"no incident {escape(incident)} is yours to read")
        try:
            made = services.create(
                user,
                found,
                office,
                offense,
                evidence=files_of(found, evidence or [], "evidence"),
                do_not_disclose=files_of(found, do_not_disclose or [], "do_not_disclose"),
                language=language,
            )
        except PermissionDenied:
            fail(
                f"the role {user.role} may not make this referral "
                "(the case's investigator or a supervisor makes it)"
            )
        except IntakeRefused as error:
            fail(_refused(error))
        answer = representation(made)
    _show(answer, as_json)


def _step(what: str, move: str, reference: str, token: str | None, as_json: bool) -> None:
    """Take one step (the service function ``move``) on the referral, as the token's account."""
    with records():
        from django.core.exceptions import PermissionDenied

        from ..incidents.services import IntakeRefused
        from ..referrals import services
        from ..referrals.api import representation

        user = account_of(token)
        referral = _open(user, reference)
        try:
            getattr(services, move)(user, referral)
        except PermissionDenied:
            fail(f"the role {user.role} may not {what} this referral")
        except IntakeRefused as error:
            fail(_refused(error))
        referral.refresh_from_db()
        answer = representation(referral)
    _show(answer, as_json)


@app.command("sign-off")
def sign_off(
    reference: ReferenceArgument, token: TokenOption = None, as_json: JsonOption = False
) -> None:
    """Sign off a draft referral: approve its snapshot (never the person who made it)."""
    _step("sign off", "sign_off", reference, token, as_json)


@app.command()
def send(
    reference: ReferenceArgument, token: TokenOption = None, as_json: JsonOption = False
) -> None:
    """Send a signed-off referral to its office; the incident becomes referred."""
    _step("send", "send", reference, token, as_json)


@app.command("list")
def list_referrals(token: TokenOption = None, as_json: JsonOption = False) -> None:
    """List the referrals your token's account may see, newest first.

    A prosecutor sees those sent to their office. Each one listed is logged as read by that
    account.
    """
    with records():
        from ..referrals import services
        from ..services.records import log_read

        user = account_of(token)
        if not user.has_perm("referrals.list"):
            fail(f"the role {user.role} may not list referrals")
        rows: list[dict[str, Any]] = []
        for referral in services.visible_to(user).select_related("incident"):
            row = {
                "reference": referral.reference,
                "state": referral.state,
                "office": referral.office,
                "offense": referral.offense,
                "incident": referral.incident.reference,
            }
            log_read(services.RECORD_TYPE, referral.reference, row, "list", user.actor)
            rows.append(row)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print(f"no referral is yours to see ({user.role})", highlight=False)
        return
    grid = table("reference", "state", "office", "offense", "incident")
    for row in rows:
        grid.add_row(*(row[key] for key in ("reference", "state", "office", "offense", "incident")))
    console.print(grid)


@app.command()
def offenses(as_json: JsonOption = False) -> None:
    """The offenses a referral may name: a C.R.S. section and its NIBRS code, with sources."""
    from ..referrals.offenses import offenses as vocabulary
    from ..referrals.offenses import sources

    if as_json:
        print_json(
            {
                "source": sources(),
                "offenses": [offense.to_dict() for offense in vocabulary().values()],
            }
        )
        return
    grid = table("code", "C.R.S.", "NIBRS", "offense")
    # A code is typed back on `referrals create`: shown whole, never cut.
    grid.columns[0].min_width = max(len(code) for code in vocabulary())
    for offense in vocabulary().values():
        grid.add_row(offense.code, offense.crs, offense.nibrs, offense.label["en"])
    console.print(grid)
    for what, source in sources().items():
        console.print(f"{what}: {escape(source)}", highlight=False)


@app.command()
def export(
    reference: ReferenceArgument,
    folder: Annotated[Path, typer.Argument(help="A new or empty folder for the packet.")],
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the referral's packet into FOLDER (a BagIt bag: PDF, JSON, files, proofs).

    The export is itself logged. Check the packet offline with `eo152 packet verify FOLDER`.
    """
    with records():
        from django.core.exceptions import PermissionDenied

        from ..incidents.services import IntakeRefused
        from ..referrals.packet import export_packet

        user = account_of(token)
        referral = _open(user, reference)
        try:
            done = export_packet(user, referral, folder)
        except PermissionDenied:
            fail(f"the role {user.role} may not export this referral's packet")
        except IntakeRefused as error:
            fail(_refused(error))
    answer = {
        "reference": done.reference,
        "folder": str(done.folder),
        "tree_size": done.tree_size,
        "included": list(done.included),
        "listed_only": list(done.listed_only),
    }
    if as_json:
        print_json(answer)
        return
    console.print(
        f"wrote the packet of {done.reference} to {escape(str(done.folder))}: "
        f"{len(done.included)} file(s) included, {len(done.listed_only)} listed by hash only; "
        f"proofs against the checkpoint of tree size {done.tree_size}",
        highlight=False,
    )
    console.print(f"check it: eo152 packet verify {escape(str(done.folder))}", highlight=False)
