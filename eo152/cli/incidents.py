"""``eo152 incidents``: what a token's account may see, and deciding them all again.

Listing acts for a person, so it takes that person's token (``--token`` or
``EO152_TOKEN``), never a name; each incident listed is logged as read by that account.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from ._options import JsonOption
from ._output import console, fail, print_json
from .users import records, table

if TYPE_CHECKING:
    from ..accounts.models import User

app = typer.Typer(
    help="Incidents: list what your role may see, decide them again.", no_args_is_help=True
)

TokenOption = Annotated[
    str | None,
    typer.Option(
        "--token",
        envvar="EO152_TOKEN",
        help="Your API token (or EO152_TOKEN): the command acts for its account.",
        show_default=False,
    ),
]


def account_of(token: str | None) -> User:
    """The account ``token`` stands for; exit 2 saying why when there is none."""
    from ..accounts.tokens import TokenRefused, authenticate

    if not token:
        fail("give your API token with --token or EO152_TOKEN (`eo152 tokens create YOU`)")
    try:
        return authenticate(token)
    except TokenRefused as refused:
        fail(f"token refused: {escape(str(refused))}")


@app.command("list")
def list_incidents(token: TokenOption = None, as_json: JsonOption = False) -> None:
    """List the incidents your token's account may see, newest first, with their duties."""
    with records():
        from ..incidents import services

        user = account_of(token)
        if not user.has_perm("incidents.list"):
            fail(f"the role {user.role} may not list incidents")
        rows: list[dict[str, Any]] = []
        for incident in services.visible_to(user):
            decision = services.current_finding(incident).decision
            outcomes = Counter(duty["outcome"] for duty in decision["duties"])
            row: dict[str, Any] = {
                "reference": incident.reference,
                "state": incident.state,
                "source": incident.source,
                "filed_on": incident.filed_on.isoformat(),
                "duties": dict(sorted(outcomes.items())),
            }
            services.log_shown(user, incident, row, "list")
            rows.append(row)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print(f"no incident is yours to see ({user.role})", highlight=False)
        return
    grid = table("reference", "state", "source", "filed on", "duties")
    for row in rows:
        duties = ", ".join(f"{count} {outcome}" for outcome, count in row["duties"].items())
        grid.add_row(row["reference"], row["state"], row["source"], row["filed_on"], duties)
    console.print(grid)


@app.command()
def audit(
    reference: Annotated[str, typer.Argument(help="The incident's reference (EO-XXXX-XXXX).")],
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who filed, read and changed the incident, and its files' custody, from the ledger."""
    with records():
        from django.core.exceptions import PermissionDenied

        from ..incidents import services
        from ..incidents.models import Incident

        user = account_of(token)
        try:
            incident = services.open_incident(user, reference)
            trail = services.audit_trail(user, incident)
        except Incident.DoesNotExist:
            fail(f"no incident {escape(reference)} is yours to read")
        except PermissionDenied:
            fail(f"the role {user.role} may not read an incident's audit trail")
    if as_json:
        print_json(trail)
        return
    grid = table("entry", "what", "who", "when", "part")
    for entry in trail:
        grid.add_row(
            str(entry["leaf_index"]),
            entry["kind"],
            entry["actor"],
            entry["at"],
            entry.get("part", ""),
        )
    console.print(grid)


@app.command()
def redecide(as_json: JsonOption = False) -> None:
    """Decide every incident again under today's policy; list those whose answer changed.

    A changed answer is kept as a new finding and logged in the ledger (as `system`).
    """
    with records():
        from ..incidents import services

        changed = [
            {"reference": done.reference, "changes": done.changes}
            for done in services.redecide_all()
        ]
    if as_json:
        print_json(changed)
        return
    for done in changed:
        console.print(f"{done['reference']}:", highlight=False)
        for change in done["changes"] or ["no duty changed; decided under the new policy version"]:
            console.print(f"  {escape(change)}", highlight=False)
    console.print(
        f"{len(changed)} incident(s) decided differently" if changed else "no incident changed",
        highlight=False,
    )
