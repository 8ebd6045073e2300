"""``eo152 users``: accounts, made at the server by whoever runs it (the operator).

Also where the CLI's records commands (users, tokens, incidents, demo) get Django: set up
only when one of them runs, so ``eo152 decide`` and the others start without it.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ._options import JsonOption
from ._output import console, fail, print_json
from .ledger import reported

app = typer.Typer(help="Accounts: add one with its role, list them.", no_args_is_help=True)


@contextmanager
def records() -> Iterator[None]:
    """Django set up on this data folder's database; its problems as one line (exit 2)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eo152.site.settings")
    import django
    from django.db import DatabaseError

    django.setup()
    try:
        with reported():  # the ledger's own problems (a full disk, a held lock)
            yield
    except DatabaseError as error:
        fail(f"the records database cannot be used ({escape(str(error))}); run `eo152 init`")


def table(*columns: str) -> Table:
    grid = Table(*columns, box=None, header_style="bold", pad_edge=False)
    return grid


@app.command()
def add(
    username: Annotated[str, typer.Argument(help="The account's sign-in name.")],
    role: Annotated[
        str, typer.Option("--role", help="The account's role (a wrong one lists them).")
    ],
    as_json: JsonOption = False,
) -> None:
    """Add an account; its password is read from standard input (one line), never an argument."""
    from ..accounts.roles import ROLES  # Django's models: only when this command runs

    if role not in ROLES:
        fail(f"unknown role {escape(role)!r}; the roles are: {', '.join(ROLES)}")
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        fail("give the password on standard input, one line (e.g. from a password manager)")
    with records():
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        from ..accounts.models import User

        user = User(username=username, role=role)
        try:
            user.full_clean(exclude=["password"])
            validate_password(password, user)
        except ValidationError as error:
            fail(escape(" ".join(error.messages)))
        user.set_password(password)
        user.save()
    if as_json:
        print_json({"id": user.pk, "username": user.username, "role": user.role})
        return
    console.print(f"added account {escape(user.username)} ({user.role})", highlight=False)


@app.command("list")
def list_accounts(as_json: JsonOption = False) -> None:
    """List the accounts: name, role, whether active, when made."""
    with records():
        from ..accounts.models import User

        rows: list[dict[str, Any]] = [
            {
                "id": user.pk,
                "username": user.username,
                "role": user.role,
                "active": user.is_active,
                "joined": user.date_joined.isoformat(timespec="seconds"),
            }
            for user in User.objects.order_by("username")
        ]
    if as_json:
        print_json(rows)
        return
    grid = table("account", "role", "active", "joined")
    for row in rows:
        grid.add_row(
            escape(row["username"]), row["role"], "yes" if row["active"] else "no", row["joined"]
        )
    console.print(grid)
