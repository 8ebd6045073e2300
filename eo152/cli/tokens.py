"""``eo152 tokens``: API tokens for the accounts. A token is shown once, when made; only
its SHA-256 is stored, so a lost token is revoked and a new one made."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from ._options import JsonOption
from ._output import console, fail, print_json
from .users import records, table

app = typer.Typer(help="API tokens: make one, list them, revoke one.", no_args_is_help=True)


@app.command()
def create(
    username: Annotated[str, typer.Argument(help="The account the token acts for.")],
    days: Annotated[int, typer.Option(help="How many days the token lasts (1 to 1095).")] = 365,
    as_json: JsonOption = False,
) -> None:
    """Make a token for USERNAME and print it once, alone on the last line."""
    with records():
        from ..accounts import tokens  # Django's models: once records() has set Django up
        from ..accounts.models import User

        user = User.objects.filter(username=username).first()
        if user is None:
            fail(f"no account is named {escape(username)!r} (see `eo152 users list`)")
        if not user.is_active:
            fail(f"the account {escape(username)!r} is disabled")
        try:
            issued = tokens.create(user, days)
        except tokens.TokenRefused as error:
            fail(str(error))
    if as_json:
        print_json(
            {
                "token_id": issued.token_id,
                "account": username,
                "role": user.role,
                "token": issued.token,
            }
        )
        return
    console.print(
        f"token {issued.token_id} for {escape(username)} ({user.role}); it is shown only "
        "now (only its hash is kept):",
        highlight=False,
    )
    typer.echo(issued.token)


@app.command("list")
def list_tokens(as_json: JsonOption = False) -> None:
    """List the tokens (never the tokens themselves): id, account, role, made, revoked."""
    with records():
        from ..accounts.models import ApiToken

        rows: list[dict[str, Any]] = [
            {
                "id": row.token_id,
                "account": row.user.username,
                "role": row.user.role,
                "created": row.created_at.isoformat(timespec="seconds"),
                "expires": row.expires_at.isoformat(timespec="seconds"),
                "revoked": row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else None,
            }
            for row in ApiToken.objects.select_related("user").order_by("created_at")
        ]
    if as_json:
        print_json(rows)
        return
    grid = table("id", "account", "role", "created", "expires", "revoked")
    for row in rows:
        grid.add_row(
            row["id"],
            escape(row["account"]),
            row["role"],
            row["created"],
            row["expires"],
            row["revoked"] or "-",
        )
    console.print(grid)


@app.command()
def revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (see `eo152 tokens list`).")],
    as_json: JsonOption = False,
) -> None:
    """Revoke a token: the API and the CLI refuse it from now on."""
    with records():
        from ..accounts import tokens

        try:
            row = tokens.revoke(token_id)
        except tokens.TokenRefused as refused:
            fail(escape(str(refused)))
        account = row.user.username
    assert row.revoked_at is not None
    if as_json:
        print_json({"id": row.token_id, "account": account, "revoked": row.revoked_at.isoformat()})
        return
    console.print(
        f"revoked token {row.token_id} of {escape(account)} "
        f"(since {row.revoked_at.isoformat(timespec='seconds')})",
        highlight=False,
    )
