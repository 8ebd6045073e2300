"""``eo152 exercise``: list, check, run and export-tests, without the web or a database."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from eo152.cli import app
from eo152.exercises.scenario import library
from eo152.rules import load_policy
from eo152.rules.policytest import TestRun, cases, run_case

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS_DIR = ROOT / "eo152" / "exercises" / "scenarios"
RESEARCH_READINGS = ROOT / "examples" / "readings-research-recommended.yaml"


def eo152(*args: str) -> Any:
    return CliRunner().invoke(app, ["exercise", *args])


def test_list_names_every_scenario_with_its_roles_injects_and_objectives() -> None:
    run = eo152("list", "--json")
    assert run.exit_code == 0, run.output
    rows = {row["id"]: row for row in json.loads(run.stdout)}
    assert set(rows) == set(library())
    records = rows["records-subpoena"]
    assert records["roles"] == ["records_clerk", "city_attorney"]
    assert records["injects"][0] == "database-login"
    assert records["title"]["es"].startswith("Una solicitud")
    assert all(objective["provisions"] for objective in records["objectives"])


def test_check_passes_every_shipped_scenario() -> None:
    run = eo152("check")
    assert run.exit_code == 0, run.output
    assert f"{len(library())} passed, 0 failed" in run.stdout


def test_check_fails_a_stale_scenario_naming_the_inject(tmp_path: Path) -> None:
    data = yaml.safe_load((SCENARIOS_DIR / "aid-blocked.yaml").read_text(encoding="utf-8"))
    data["injects"][1]["expected"]["police/render_aid"] = "permitted"
    stale = tmp_path / "stale.yaml"
    stale.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = eo152("check", str(stale), str(SCENARIOS_DIR / "protest-surge.yaml"), "--json")
    assert run.exit_code == 1
    results = json.loads(run.stdout)
    assert results[0]["problems"] == [
        "inject blocked: police/render_aid is shown as permitted, but the engine decides required"
    ]
    assert results[1]["problems"] == []


def test_check_fails_a_scenario_that_does_not_parse_naming_each_problem(tmp_path: Path) -> None:
    data = yaml.safe_load((SCENARIOS_DIR / "protest-surge.yaml").read_text(encoding="utf-8"))
    data["injects"][0]["roles"] = ["mayor"]
    data["injects"][3]["next"] = "riot"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = eo152("check", str(broken))
    assert run.exit_code == 1
    assert "inject surge-announced.roles: mayor is not a role" in run.stdout
    assert "inject spray: the next inject riot does not exist" in run.stdout


def test_check_with_the_research_readings_flags_what_they_decide() -> None:
    """The shipped scenarios show the law with no readings; a deployment's readings can
    settle an open question a scenario shows as undecided, and check says where."""
    run = eo152("check", "--readings", str(RESEARCH_READINGS), "--json")
    assert run.exit_code == 1
    problems = {r["scenario"]: r["problems"] for r in json.loads(run.stdout)}
    assert (
        "inject database-login: city_agencies/share_data is shown as indeterminate, "
        "but the engine decides prohibited"
    ) in problems["records-subpoena"]


@pytest.mark.parametrize("scenario_id", sorted(library()))
def test_run_scores_each_example_answers_file(scenario_id: str) -> None:
    answers = SCENARIOS_DIR / f"{scenario_id}.answers.yaml"
    run = eo152("run", scenario_id, "--answers", str(answers), "--json")
    assert run.exit_code == 0, run.output
    result = json.loads(run.stdout)
    assert result["scenario"] == scenario_id
    assert result["totals"] and all(t["possible"] > 0 for t in result["totals"])


def test_run_takes_a_scenario_file_and_a_readings_file() -> None:
    answers = str(SCENARIOS_DIR / "courthouse-arrest.answers.yaml")
    scenario = str(SCENARIOS_DIR / "courthouse-arrest.yaml")
    plain = json.loads(eo152("run", scenario, "--answers", answers, "--json").stdout)
    read = eo152(
        "run", scenario, "--answers", answers, "--readings", str(RESEARCH_READINGS), "--json"
    )
    assert read.exit_code == 0, read.output
    assert json.loads(read.stdout)["readings"] == str(RESEARCH_READINGS)
    assert json.loads(read.stdout)["totals"] != plain["totals"]


def test_run_refuses_a_bad_answers_file_naming_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    players = [
        {"name": "Lee", "role": "patrol", "answers": {"helicopter": {}}},
        {"name": "LEE", "role": "sergeant"},
    ]
    bad.write_text(yaml.safe_dump({"players": players}), encoding="utf-8")
    run = eo152("run", "staging-rec-center", "--answers", str(bad))
    assert run.exit_code == 2
    assert "players[0].answers.helicopter: no such inject" in run.stderr
    assert "players[1].name: LEE is already a player's name" in run.stderr


def test_run_refuses_an_unknown_scenario_and_a_missing_answers_file(tmp_path: Path) -> None:
    run = eo152("run", "moon-landing", "--answers", str(tmp_path / "a.yaml"))
    assert run.exit_code == 2 and "no scenario moon-landing" in run.stderr
    run = eo152("run", "aid-blocked", "--answers", str(tmp_path / "a.yaml"))
    assert run.exit_code == 2 and "--answers: no file" in run.stderr


@pytest.mark.parametrize("scenario_id", sorted(library()))
def test_exported_tests_pass_the_policy_test_runner(scenario_id: str, tmp_path: Path) -> None:
    out = tmp_path / "tests.yaml"
    run = eo152("export-tests", scenario_id, "--out", str(out))
    assert run.exit_code == 0, run.output
    policy = load_policy()
    instrument = dataclasses.replace(policy.instruments[0], tests_file=out)
    found = cases(instrument)
    assert found
    for case, where in found:
        result = run_case(policy, instrument, case, where, {}, TestRun())
        assert result.problems == [], f"{where}: {result.problems}"


def test_export_tests_prints_to_standard_output_without_out() -> None:
    run = eo152("export-tests", "staging-rec-center")
    assert run.exit_code == 0, run.output
    tests = yaml.safe_load(run.stdout)
    assert tests[0]["name"].startswith("Exercise staging-rec-center, inject vans-in-the-lot")
