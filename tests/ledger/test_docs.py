"""The ledger's public surface stays reviewed: documented commands, a sorted API, no Django."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import typer.core
import typer.main

import eo152.ledger
from eo152.cli import app

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "ledger.md").read_text(encoding="utf-8")


def _ledger_commands() -> list[tuple[str, typer.core.TyperCommand]]:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    found = []
    for group in ("ledger", "evidence"):
        sub = root.commands[group]
        assert isinstance(sub, typer.core.TyperGroup)
        found += [
            (f"eo152 {group} {name}", command) for name, command in sorted(sub.commands.items())
        ]
    return found


def test_every_ledger_and_evidence_command_is_documented_with_help() -> None:
    commands = _ledger_commands()
    assert len(commands) == 12
    for name, command in commands:
        assert f"`{name}" in DOCS, f"{name} is not in docs/ledger.md"
        assert command.help, f"{name} has no help text"


def test_every_option_of_those_commands_is_documented() -> None:
    for name, command in _ledger_commands():
        for parameter in command.params:
            for option in getattr(parameter, "opts", []):
                if option.startswith("--") and option != "--help":
                    assert re.search(rf"`{re.escape(name)}[^`]*{option}", DOCS), f"{name} {option}"


def test_the_public_api_is_sorted_and_complete() -> None:
    names = eo152.ledger.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n.lower() if n.islower() else n))
    for name in names:
        assert hasattr(eo152.ledger, name)


def test_the_ledger_library_never_imports_django_or_the_rules_engine() -> None:
    for module in (ROOT / "eo152" / "ledger").glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level <= 1, f"{module.name} reaches outside eo152.ledger"
                names = [node.module or ""] if node.level == 0 else []
            for name in names:
                assert not name.startswith(("django", "eo152.rules", "eo152.cli")), module.name
