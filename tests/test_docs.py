"""Every CLI command is documented, and so is every rule id's instrument."""

from __future__ import annotations

from pathlib import Path

import typer.main

from eo152.cli import app

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands(group: object, prefix: str = "eo152") -> list[str]:
    found = []
    for name, command in getattr(group, "commands", {}).items():
        path = f"{prefix} {name}"
        found.append(path)
        found.extend(_commands(command, path))
    return found


def test_every_cli_command_is_in_docs_cli_md_and_has_help() -> None:
    click_app = typer.main.get_command(app)
    text = (DOCS / "cli.md").read_text()
    commands = _commands(click_app)
    assert "eo152 decide" in commands and "eo152 policy check" in commands
    for command in commands:
        assert f"`{command}" in text, f"{command} is not documented in docs/cli.md"
    for name, command in click_app.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"eo152 {name} has no help text"
