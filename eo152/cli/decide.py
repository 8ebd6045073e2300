"""``eo152 decide``: a situation in, the decision out, for a person or (``--json``) a program."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

import typer
from rich.markup import escape
from rich.panel import Panel

from ..contract import MAX_INPUT_BYTES
from ..contract.vocabulary import LANGUAGES, label
from ..rules import Decision, Duty, InvalidSituation, OpenQuestion, PolicyError, jsontext
from ..services.batch_stream import StreamedBatch
from ..services.decisions import (
    PlacesUnavailable,
    decide_all,
    engine_for,
    if_lines,
    parse_json,
    raised_not_applicable,
    to_json,
)
from ._options import JsonOption
from ._output import console, error_console, fail
from ._texts import word

_STYLE = {
    "required": "bold green",
    "prohibited": "bold red",
    "permitted": "cyan",
    "indeterminate": "yellow",
}
_OUTCOMES = ("required", "prohibited", "permitted", "indeterminate")


def decide(
    file: str = typer.Argument(
        ..., help="A situation JSON file, or - for standard input. A JSON array gives an array."
    ),
    json_out: JsonOption = False,
    readings: Path | None = typer.Option(
        None, "--readings", help="A readings file answering open legal questions."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of the plain sentences: en or es."),
) -> None:
    """Decide what the law in force says each actor must, may or must not do in a situation."""
    if lang not in LANGUAGES:
        fail(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    with _opened(file) as source:
        head = _read(source, file, MAX_INPUT_BYTES + 1)
        if len(head) > MAX_INPUT_BYTES:
            _decide_streamed(StreamedBatch(head, source, readings), json_out, lang, readings)
            return
    try:
        result = decide_all(parse_json(head), readings)
    except InvalidSituation as invalid:
        fail("the situation is not valid:\n" + "\n".join(f"  {e}" for e in invalid.errors))
    except PolicyError as error:
        fail(f"cannot load the readings or the policy:\n{error}")
    except PlacesUnavailable as error:
        fail(_places_unavailable(error), status=1)
    if json_out:
        sys.stdout.write(to_json(result, indent=2).decode() + "\n")
        return
    for decision in result if isinstance(result, list) else [result]:
        _show(decision, lang, readings)


def _decide_streamed(
    batch: StreamedBatch, json_out: bool, lang: str, readings: Path | None
) -> None:
    """A batch over 1 MB: every bad item named, as found, before anything is decided; then
    the decisions written one at a time (CONTRACT.md: the CLI reads any size as a stream)."""
    with batch:
        try:
            bad = 0
            for error in batch.errors():
                if not bad:
                    error_console.print("[bold red]eo152:[/] the situation is not valid:")
                error_console.print(f"  {error}", markup=False, highlight=False)
                bad += 1
            if bad:
                raise SystemExit(2)
            decisions = batch.decisions()
            if json_out:
                parts = (decision.json_parts(2) for decision in decisions)
                for piece in jsontext.array_stream(parts, 2):
                    sys.stdout.buffer.write(piece)
                sys.stdout.buffer.write(b"\n")
                return
            for decision in decisions:
                _show(decision, lang, readings)
        except InvalidSituation as invalid:  # the array itself is broken
            fail("the situation is not valid:\n" + "\n".join(f"  {e}" for e in invalid.errors))
        except PolicyError as error:
            fail(f"cannot load the readings or the policy:\n{error}")
        except PlacesUnavailable as error:
            fail(_places_unavailable(error), status=1)


def _places_unavailable(error: PlacesUnavailable) -> str:
    return (
        f"the places layers cannot be read ({error}), so a point or an address cannot be "
        "placed: import them again (eo152 places import), or give location.ownership and kind"
    )


@contextlib.contextmanager
def _opened(file: str) -> Iterator[IO[bytes]]:
    if file == "-":
        yield sys.stdin.buffer
        return
    try:
        opened = Path(file).open("rb")  # noqa: SIM115 (closed below; an error opening it is ours to word)
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror or error}")
    with opened:
        yield opened


def _read(source: IO[bytes], file: str, size: int) -> bytes:
    try:
        return source.read(size)
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror or error}")


def _show(decision: Decision, lang: str, readings: Path | None) -> None:
    """Engaged duties first, by outcome, undecided ones with their "If ..." lines; then the
    rules the situation raised and ruled out; the rest folded under "also keep in mind"."""
    situation_id = decision.situation.get("id")
    title = word("decision", lang)
    if situation_id:
        title += f" {word('for', lang)} {escape(str(situation_id))}"
    when = word("now", lang) if decision.as_of_source == "now" else decision.as_of
    console.print(
        Panel.fit(
            f"[bold]{title}[/]\n{word('law_in_force', lang)} {escape(when)}", border_style="blue"
        )
    )
    questions = engine_for(readings).policy.questions
    engaged = [d for d in decision.duties if d.engaged]
    for outcome in _OUTCOMES:
        duties = [d for d in engaged if d.outcome == outcome]
        if duties:
            console.print(f"\n[{_STYLE[outcome]}]{word(outcome, lang)}[/]")
        for duty in duties:
            _duty(duty, lang, questions)
    ruled_out = raised_not_applicable(decision, readings)
    if ruled_out:
        console.print(f"\n[dim bold]{word('not_applicable', lang)}[/]")
    for ruled, rule in ruled_out:
        what = escape(f"{label(rule.actor, lang)}: {label(rule.pair, lang)}")
        reasons = escape("; ".join(ruled.because))
        cites = escape(", ".join(ruled.cites))
        console.print(f"  • {what} [dim]({cites}): {reasons}[/]", highlight=False)
    for conflict in decision.conflicts:
        console.print(
            f"\n[magenta]{word('conflict', lang)}:[/] {escape(conflict.basis)}: "
            f"{conflict.prevailing[1]} ({conflict.prevailing[2]}) {word('over', lang)} "
            f"{conflict.overridden[1]} ({conflict.overridden[2]})"
        )
    missing = list(dict.fromkeys(f for d in engaged for f in d.missing_facts))
    if missing:
        facts = ", ".join(label(f, lang) for f in missing)
        console.print(f"\n[yellow]{word('missing', lang)}:[/] {escape(facts)}")
    rest = [d for d in decision.duties if not d.engaged]
    if rest:
        console.print(f"\n[dim bold]{word('keep_in_mind', lang)}[/]")
    for duty in rest:
        console.print(f"  [dim]• {escape(_title(duty, lang))}: {label(duty.outcome, lang)}[/]")


def _title(duty: Duty, lang: str) -> str:
    return f"{label(duty.actor, lang)}: {label(f'{duty.actor}/{duty.action}', lang)}"


def _duty(duty: Duty, lang: str, questions: Mapping[str, OpenQuestion]) -> None:
    console.print(
        f"  • [bold]{escape(_title(duty, lang))}[/]  [dim]{escape(', '.join(duty.cites))}[/]"
    )
    if duty.outcome == "indeterminate":
        for line in if_lines(duty, lang, questions):
            console.print(f"    {escape(line)}", highlight=False)
        if not duty.if_then:
            console.print(f"    {escape(duty.plain[lang])}", highlight=False)
        return
    console.print(f"    {escape(duty.plain[lang])}", highlight=False)
    if duty.changes_if:
        console.print(f"    [dim]{escape(duty.changes_if[lang])}[/]", highlight=False)
    if duty.because:
        reasons = escape("; ".join(duty.because))
        console.print(f"    [dim]{word('because', lang)}: {reasons}[/]", highlight=False)
