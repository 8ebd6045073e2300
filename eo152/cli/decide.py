"""``eo152 decide``: a situation in, the decision out, for a person or (``--json``) a program."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.panel import Panel

from ..rules import Decision, Duty, InvalidSituation, PolicyError
from ..rules.vocabulary import label
from ..service import decide_all, parse_json, to_json
from ._output import console, fail

_HEADINGS = {
    "required": ("Must do", "Debe hacer"),
    "prohibited": ("Must not", "No debe"),
    "permitted": ("May", "Puede"),
    "indeterminate": (
        "Not decided yet: depends on facts or open questions",
        "No se puede decidir todavía: depende de hechos o de cuestiones abiertas",
    ),
}
_STYLE = {
    "required": "bold green",
    "prohibited": "bold red",
    "permitted": "cyan",
    "indeterminate": "yellow",
}


def decide(
    file: str = typer.Argument(
        ..., help="A situation JSON file, or - for standard input. A JSON array gives an array."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the decision JSON of CONTRACT.md."),
    readings: Path | None = typer.Option(
        None, "--readings", help="A readings file answering open legal questions."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of the plain sentences: en or es."),
) -> None:
    """Decide what the law in force says each actor must, may or must not do in a situation."""
    if lang not in ("en", "es"):
        fail(f"--lang must be en or es, not {lang!r}")
    data = _read(file)
    try:
        result = decide_all(parse_json(data), readings)
    except InvalidSituation as invalid:
        fail("the situation is not valid:\n" + "\n".join(f"  {e}" for e in invalid.errors))
    except PolicyError as error:
        fail(f"cannot load the readings or the policy:\n{error}")
    if json_out:
        sys.stdout.write(to_json(result, indent=2).decode() + "\n")
        return
    for decision in result if isinstance(result, list) else [result]:
        _show(decision, lang)


def _read(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    path = Path(file)
    try:
        return path.read_bytes()
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror or error}")


def _show(decision: Decision, lang: str) -> None:
    situation_id = decision.situation.get("id")
    title = f"Decision{' for ' + escape(str(situation_id)) if situation_id else ''}"
    when = "now" if decision.as_of_source == "now" else decision.as_of
    console.print(Panel.fit(f"[bold]{title}[/]\nlaw in force {escape(when)}", border_style="blue"))
    for outcome in ("required", "prohibited", "permitted", "indeterminate"):
        duties = [d for d in decision.duties if d.outcome == outcome]
        if not duties:
            continue
        heading = _HEADINGS[outcome][0 if lang == "en" else 1]
        console.print(f"\n[{_STYLE[outcome]}]{heading}[/]")
        for duty in duties:
            _duty(duty, lang, brief=outcome == "indeterminate")
    for conflict in decision.conflicts:
        console.print(
            f"\n[magenta]Conflict:[/] {escape(conflict.basis)}: {conflict.prevailing[1]} "
            f"({conflict.prevailing[2]}) over {conflict.overridden[1]} ({conflict.overridden[2]})"
        )
    if decision.missing_facts:
        facts = ", ".join(label(f, lang) for f in decision.missing_facts)
        console.print(f"\n[yellow]Facts that would decide more:[/] {escape(facts)}")


def _duty(duty: Duty, lang: str, brief: bool) -> None:
    action = label(f"{duty.actor}/{duty.action}", lang)
    actor = label(duty.actor, lang)
    console.print(
        f"  • [bold]{escape(actor)}: {escape(action)}[/]  [dim]{escape(', '.join(duty.cites))}[/]"
    )
    console.print(f"    {escape(duty.plain[lang])}", highlight=False)
    if brief:
        return
    if duty.changes_if:
        console.print(f"    [dim]{escape(duty.changes_if[lang])}[/]", highlight=False)
    if duty.because:
        console.print(f"    [dim]because: {escape('; '.join(duty.because))}[/]", highlight=False)
