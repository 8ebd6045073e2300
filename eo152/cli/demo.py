"""``eo152 demo load``: demo accounts and incidents for a new data folder (`make run`)."""

from __future__ import annotations

import typer
from rich.markup import escape

from ..config import Settings
from ._options import JsonOption
from ._output import console, fail, print_json
from .users import records, table

app = typer.Typer(
    help="The demo: accounts for every role and realistic incidents.", no_args_is_help=True
)


@app.command()
def load(as_json: JsonOption = False) -> None:
    """Load the demo into this data folder (refused if it holds records of its own).

    Prints the demo accounts and their passwords: a demo only, never a real deployment
    (`make run DEMO=0`). Loading again is safe: it says the demo is already loaded.
    """
    settings = Settings.from_env()
    with records():
        from ..incidents.demo import DemoRefused
        from ..incidents.demo import load as load_demo

        try:
            loaded = load_demo(settings.data_dir)
        except DemoRefused as refused:
            fail(f"{escape(str(refused))} (for a real deployment: make run DEMO=0)")
    accounts = [
        {"username": a.username, "role": a.role, "password": a.password} for a in loaded.accounts
    ]
    if as_json:
        print_json(
            {
                "already_loaded": loaded.already,
                "accounts": accounts,
                "incidents": loaded.references,
                "data_requests": loaded.data_requests,
                "exercise": loaded.exercise,
            }
        )
        return
    console.print(
        "demo already loaded"
        if loaded.already
        else f"loaded {len(loaded.references)} demo incidents, "
        f"{len(loaded.data_requests)} federal data requests and a finished tabletop exercise "
        f"(/exercises/{loaded.exercise}/hot-wash)",
        highlight=False,
    )
    grid = table("account", "role", "password (demo only)")
    for account in accounts:
        grid.add_row(account["username"], account["role"], escape(account["password"]))
    console.print(grid)
    console.print(
        "Sign in at /sign-in, or make an API token: eo152 tokens create demo-monitor",
        highlight=False,
    )
