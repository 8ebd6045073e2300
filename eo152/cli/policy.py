"""``eo152 policy``: check, test and show the policy (the order and the law around it)."""

from __future__ import annotations

import typer
import yaml
from rich.markup import escape
from rich.table import Table

from ..rules import Instrument, PolicyError, load_policy
from ..rules.check import check as check_policy
from ..rules.policytest import run
from ..services.policy import policy_document
from ._options import JsonOption
from ._output import console, fail, print_json

app = typer.Typer(help="Check, test and read the policy.", no_args_is_help=True)


@app.command()
def check(
    json_out: JsonOption = False,
) -> None:
    """Fail, naming file and line, on anything wrong with the policy (exit status 1)."""
    report = check_policy()
    if json_out:
        print_json(
            {
                "ok": report.ok,
                "problems": [{"where": str(w), "problem": p} for w, p in report.problems],
            }
        )
    else:
        for where, problem in report.problems:
            console.print(f"[red]{escape(str(where))}[/]: {escape(problem)}", highlight=False)
        if report.ok and report.policy is not None and report.tests is not None:
            rules, cases = len(report.policy.rules), len(report.tests.results)
            console.print(
                f"[green]policy ok[/]: {len(report.policy.instruments)} instruments, {rules} "
                f"rules, {len(report.policy.questions)} open questions, {cases} tests; every rule "
                "tested, every section encoded or explained; "
                f"{report.combinations:,} combinations searched for contradictions, none found"
            )
    if not report.ok:
        raise SystemExit(1)


@app.command("test")
def test_(
    json_out: JsonOption = False,
) -> None:
    """Run every instrument's YAML tests (exit status 1 when one fails)."""
    try:
        results = run(load_policy())
    except PolicyError as error:
        fail(f"the policy does not load:\n{error}", status=1)
    if json_out:
        print_json(
            [
                {
                    "instrument": r.instrument,
                    "name": r.name,
                    "where": str(r.where),
                    "problems": r.problems,
                }
                for r in results.results
            ]
        )
    else:
        for result in results.results:
            mark = "[red]FAIL[/]" if result.problems else "[green]ok  [/]"
            console.print(
                f"{mark} {escape(result.instrument)}: {escape(result.name)}", highlight=False
            )
            for problem in result.problems:
                console.print(
                    f"       {escape(str(result.where))}: {escape(problem)}", highlight=False
                )
        failed = len(results.failed)
        console.print(f"{len(results.results) - failed} passed, {failed} failed")
    if results.failed:
        raise SystemExit(1)


@app.command()
def show(
    instrument: str | None = typer.Argument(
        None, help="An instrument id, e.g. denver-eo-152; all when absent."
    ),
    json_out: JsonOption = False,
) -> None:
    """A lawyer's view: sections with their source and confidence, rules, open questions."""
    try:
        policy = load_policy()
    except PolicyError as error:
        fail(f"the policy does not load:\n{error}", status=1)
    chosen = [i for i in policy.instruments if instrument in (None, i.id)]
    if not chosen:
        fail(f"no instrument {instrument!r}; known: {', '.join(i.id for i in policy.instruments)}")
    if json_out:
        document = policy_document(full=True)
        print_json([i for i in document["instruments"] if instrument in (None, i["id"])])
        return
    if instrument is None:
        _overview(chosen)
        return
    _instrument(chosen[0])


def _overview(instruments: list[Instrument]) -> None:
    table = Table(title="Instruments, highest precedence first", show_lines=False)
    for column in ("id", "level", "enacted", "rules", "open questions", "title"):
        table.add_column(column)
    for i in instruments:
        table.add_row(i.id, i.level, i.version, str(len(i.rules)), str(len(i.questions)), i.title)
    console.print(table)
    console.print("Show one with: eo152 policy show INSTRUMENT")


def _instrument(i: Instrument) -> None:
    console.print(f"[bold]{escape(i.title)}[/]")
    console.print(f"{i.level}, enacted {i.version}, in force from {i.in_force_from.isoformat()}")
    if i.note:
        console.print(escape(i.note))
    sections = Table(title="Sections: the words we have", show_lines=True, expand=True)
    sections.add_column("section, source and confidence", ratio=2)
    sections.add_column("text, and how it is encoded", ratio=3)
    for s in i.sections:
        rules = [r.id.split("/", 1)[1] for r in i.rules if s.id in r.cites]
        encoded = "rules: " + ", ".join(rules) if rules else f"not encoded: {s.not_encoded or ''}"
        verified = "" if s.text_verified else ", text not verified"
        sections.add_row(
            f"[bold]{escape(s.id)}[/] {escape(s.heading)}\n"
            f"[dim]{s.confidence.replace('_', ' ')}{verified}; {escape(s.source)}[/]",
            f"{escape(s.text)}\n[italic]{escape(encoded)}[/]",
        )
    console.print(sections)
    for rule in i.rules:
        console.print(
            f"\n[bold]{escape(rule.id)}[/]: {rule.actor}/{rule.action} → [bold]{rule.outcome}[/] "
            f"(cites {', '.join(rule.cites)}; in force {rule.in_force_from.isoformat()})"
        )
        console.print(
            escape(yaml.safe_dump(rule.source, allow_unicode=True, sort_keys=False)).rstrip()
        )
        console.print(
            "\n".join(f"[dim]{lang}:[/] {escape(text)}" for lang, text in rule.plain.items())
        )
        for reading in rule.readings:
            console.print(
                f"[dim]settled reading ({escape(reading.about)}):[/] {escape(reading.reading)}"
            )
    if i.questions:
        console.print("\n[bold]Open questions[/] (unanswered unless a readings file answers them)")
        for q in i.questions:
            answers = "; ".join(f"{a}: {q.answer_labels[a].en}" for a in q.answers)
            console.print(
                f"• [bold]{q.id}[/]: {escape(q.question.en)}\n  answers: {escape(answers)}"
            )
