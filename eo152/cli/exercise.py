"""``eo152 exercise``: the scenario library for tabletop exercises, checked against the
engine of today, paper exercises scored without the web, and scenarios turned into policy
tests.

A scenario names a file (``path/to/scenario.yaml``) or a shipped scenario's id. Bad input
(a file that is not there, an answers file with problems) exits 2 naming each problem; a
scenario that fails ``check`` exits 1, naming the inject.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.markup import escape
from rich.table import Table

from ..exercises.checking import (
    AnswersRefused,
    policy_tests,
    problems_of,
    read_answers,
    run_on_paper,
)
from ..exercises.scenario import Scenario, ScenarioError, library, load
from ..rules import Engine, PolicyError
from ..services.decisions import engine_for
from ._options import JsonOption
from ._output import console, fail, print_json

app = typer.Typer(
    help="Tabletop exercises: list and check scenarios, score paper answers, export tests.",
    no_args_is_help=True,
)

ScenarioArgument = Annotated[
    str, typer.Argument(help="A shipped scenario's id (see `eo152 exercise list`) or a file.")
]
ReadingsOption = Annotated[
    Path | None,
    typer.Option("--readings", help="A readings file answering open legal questions."),
]


def _engine(readings: Path | None) -> Engine:
    if readings is not None and not readings.is_file():
        fail(f"--readings: no file {escape(str(readings))}")
    try:
        return engine_for(readings)
    except PolicyError as error:
        fail(f"cannot load the readings or the policy:\n{error}")


def _shipped() -> list[Path]:
    folder = Path(str(resources.files("eo152.exercises").joinpath("scenarios")))
    return sorted(path for path in folder.glob("*.yaml") if not path.name.endswith(".answers.yaml"))


def _scenario(name: str) -> Scenario:
    """A scenario by file or by id; a broken one exits 2 naming every problem."""
    path = Path(name)
    try:
        if path.suffix in (".yaml", ".yml") or path.exists():
            if not path.is_file():
                fail(f"no scenario file {escape(name)}")
            return load(path)
        found = library()
    except ScenarioError as error:
        fail("the scenario cannot be run:\n" + _lines(error.source, error.problems))
    if name not in found:
        fail(f"no scenario {escape(name)}; shipped: {', '.join(found)}")
    return found[name]


def _lines(source: str, problems: list[str]) -> str:
    return "\n".join(f"  {escape(source)}: {escape(problem)}" for problem in problems)


@app.command("list")
def list_(as_json: JsonOption = False) -> None:
    """The shipped scenarios: id, title, roles, injects and objectives."""
    try:
        scenarios = library()
    except ScenarioError as error:
        fail("a shipped scenario is broken:\n" + _lines(error.source, error.problems), 1)
    rows: list[dict[str, Any]] = [
        {
            "id": scenario.id,
            "title": scenario.title,
            "roles": list(scenario.roles),
            "injects": [inject.id for inject in scenario.injects],
            "objectives": [
                {"id": item.id, "text": item.text, "provisions": list(item.provisions)}
                for item in scenario.objectives
            ],
            "research": list(scenario.research),
        }
        for scenario in scenarios.values()
    ]
    if as_json:
        print_json(rows)
        return
    table = Table(title="Scenarios")
    for column in ("id", "title", "roles", "injects", "objectives"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["id"],
            row["title"]["en"],
            ", ".join(row["roles"]),
            str(len(row["injects"])),
            ", ".join(item["id"] for item in row["objectives"]),
        )
    console.print(table)


@app.command()
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Scenario files to check; every shipped scenario when none."),
    ] = None,
    readings: ReadingsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check scenarios against the contract and the engine of today (exit 1 on a problem)."""
    engine = _engine(readings)
    paths = list(files or _shipped())
    for path in paths:
        if not path.is_file():
            fail(f"no scenario file {escape(str(path))}")
    results: list[dict[str, Any]] = []
    for path in paths:
        try:
            scenario = load(path)
        except ScenarioError as error:
            results.append({"file": str(path), "scenario": None, "problems": error.problems})
            continue
        results.append(
            {"file": str(path), "scenario": scenario.id, "problems": problems_of(scenario, engine)}
        )
    failed = [result for result in results if result["problems"]]
    if as_json:
        print_json(results)
    else:
        for result in results:
            if result["problems"]:
                console.print(f"[red]FAIL[/] {escape(result['file'])}", highlight=False)
                for problem in result["problems"]:
                    console.print(f"       {escape(problem)}", highlight=False)
            else:
                console.print(f"[green]ok  [/] {escape(result['file'])}", highlight=False)
        console.print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise SystemExit(1)


@app.command()
def run(
    scenario: ScenarioArgument,
    answers: Annotated[
        Path, typer.Option("--answers", help="The players' answers (YAML; docs/exercises.md).")
    ],
    readings: ReadingsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score a paper exercise: each player's answers against the engine, inject by inject."""
    chosen = _scenario(scenario)
    engine = _engine(readings)
    if not answers.is_file():
        fail(f"--answers: no file {escape(str(answers))}")
    try:
        data = yaml.safe_load(answers.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        fail(f"{escape(str(answers))}: not YAML: {escape(str(error))}")
    try:
        players = read_answers(data, chosen, engine)
    except AnswersRefused as refused:
        fail("the answers cannot be scored:\n" + _lines(str(answers), refused.problems))
    result = run_on_paper(chosen, engine, players)
    result["readings"] = str(readings) if readings else None
    if as_json:
        print_json(result)
        return
    _show_run(result)


def _show_run(result: dict[str, Any]) -> None:
    table = Table(title=f"{result['scenario']}: injects in the order taken")
    for column in ("inject", "player", "role", "score", "errors", "missed or settled too soon"):
        table.add_column(column)
    for row in result["scores"]:
        weak = [
            f"{duty['duty']} ({duty['status']})"
            for duty in row["duties"]
            if duty["status"] not in ("named", "spotted")
        ]
        table.add_row(
            row["inject"],
            row["player"],
            row["role"],
            f"{row['points']}/{row['possible']}",
            str(row["errors"]),
            "; ".join(weak),
        )
    console.print(table)
    for total in result["totals"]:
        console.print(
            f"{escape(total['player'])}: {total['points']}/{total['possible']}", highlight=False
        )


@app.command("export-tests")
def export_tests(
    scenario: ScenarioArgument,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the tests here (standard output if none).")
    ] = None,
) -> None:
    """A scenario's injects as policy YAML tests (eo152/policies/*/tests.yaml's shape)."""
    chosen = _scenario(scenario)
    tests = policy_tests(chosen, _engine(None))
    text = (
        f"# Policy tests exported from the exercise scenario {chosen.id}: each inject's\n"
        "# situation and what the engine decided for its roles when exported. Append them to\n"
        "# an instrument's tests.yaml (docs/exercises.md).\n"
        + yaml.safe_dump(tests, sort_keys=False, allow_unicode=True, width=100)
    )
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"{len(tests)} tests written to {escape(str(out))}", highlight=False)
