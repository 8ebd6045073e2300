"""The engine is the answer key: a stale scenario is named by inject, a reading changes the
scores, naming an open question earns credit, and bad scenarios or answers are refused
naming where."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from eo152.exercises.checking import (
    AnswersRefused,
    problems_of,
    read_answers,
    run_on_paper,
)
from eo152.exercises.scenario import ScenarioError, library, parse
from eo152.rules import default_engine
from eo152.services.decisions import engine_for

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS_DIR = ROOT / "eo152" / "exercises" / "scenarios"
RESEARCH_READINGS = ROOT / "examples" / "readings-research-recommended.yaml"


def raw(scenario_id: str) -> dict[str, Any]:
    data = yaml.safe_load((SCENARIOS_DIR / f"{scenario_id}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def problems_parsing(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as refused:
        parse(data, "test.yaml")
    return refused.value.problems


def test_an_expected_answer_the_engine_disagrees_with_is_named_by_its_inject() -> None:
    data = raw("shots-fired-car")
    data["injects"][1]["expected"]["first_responders/render_aid"] = "permitted"
    problems = problems_of(parse(data, "stale.yaml"), default_engine())
    assert problems == [
        "inject driver-hit: first_responders/render_aid is shown as permitted, "
        "but the engine decides required"
    ]


def test_an_objective_mapped_to_no_rule_of_the_policy_is_named() -> None:
    data = raw("aid-blocked")
    data["objectives"][0]["provisions"] = ["denver-eo-152/p99-made-up"]
    problems = problems_of(parse(data, "made-up.yaml"), default_engine())
    assert problems == ["objective aid: denver-eo-152/p99-made-up is not a rule of the policy"]


def clerk_naming(question: str) -> dict[str, Any]:
    answer = {"picks": {}, "open_questions": [question], "unknown_facts": []}
    return {
        "players": [{"name": "Ana", "role": "records_clerk", "answers": {"database-login": answer}}]
    }


def share_data(result: dict[str, Any]) -> dict[str, Any]:
    (row,) = [row for row in result["scores"] if row["inject"] == "database-login"]
    (duty,) = [duty for duty in row["duties"] if duty["duty"] == "city_agencies/share_data"]
    return {"points": row["points"], "possible": row["possible"], **duty}


def test_naming_the_open_question_a_duty_turns_on_earns_the_point() -> None:
    scenario, engine = library()["records-subpoena"], default_engine()
    players = read_answers(clerk_naming("p4-administrative-subpoena"), scenario, engine)
    duty = share_data(run_on_paper(scenario, engine, players))
    assert duty["outcome"] == "indeterminate"
    assert duty["status"] == "spotted"
    assert "p4-administrative-subpoena" in duty["turns_on"]


def test_a_reading_that_answers_the_open_question_changes_the_scores() -> None:
    """The research reads an administrative subpoena as not enough (§2.6): under that
    reading sharing is prohibited, so the same answer no longer earns the point."""
    scenario = library()["records-subpoena"]
    answers = clerk_naming("p4-administrative-subpoena")
    scores = {}
    for name, engine in (("none", default_engine()), ("research", engine_for(RESEARCH_READINGS))):
        scores[name] = share_data(
            run_on_paper(scenario, engine, read_answers(answers, scenario, engine))
        )
    assert scores["none"]["status"] == "spotted"
    assert scores["research"]["outcome"] == "prohibited"
    assert scores["research"]["status"] == "missed"
    assert scores["none"]["points"] > scores["research"]["points"]


def test_a_branch_follows_what_a_player_of_the_role_picked() -> None:
    scenario, engine = library()["shots-fired-car"], default_engine()

    def order(pick: str) -> list[str]:
        answer = {"picks": {"police/detain_federal_agent": pick}}
        data = {"players": [{"name": "Pat", "role": "patrol", "answers": {"driver-hit": answer}}]}
        return run_on_paper(scenario, engine, read_answers(data, scenario, engine))["injects"]

    assert order("required") == ["shots-reported", "driver-hit", "hold-the-agent", "agent-leaves"]
    assert order("prohibited") == ["shots-reported", "driver-hit", "agent-leaves"]


def test_a_scenario_with_an_invalid_situation_is_refused_naming_the_inject_and_field() -> None:
    data = raw("masked-agents")
    data["injects"][1]["changes"] = {"agents": {"masked": "maybe"}}
    problems = problems_parsing(data)
    assert any(p.startswith("inject agency-named.situation.agents.masked") for p in problems)


def test_an_inject_for_an_unknown_role_is_refused_naming_it() -> None:
    data = raw("protest-surge")
    data["injects"][2]["roles"] = ["patrol", "mayor"]
    assert any(
        p.startswith("inject peaceful.roles: mayor is not a role") for p in problems_parsing(data)
    )


def test_a_branch_to_a_missing_inject_is_refused_naming_it() -> None:
    data = raw("records-subpoena")
    data["injects"][1]["branches"][0]["next"] = "appeal"
    assert "inject address-request: the next inject appeal does not exist" in problems_parsing(data)


def refused(data: dict[str, Any], scenario_id: str = "staging-rec-center") -> list[str]:
    with pytest.raises(AnswersRefused) as error:
        read_answers(data, library()[scenario_id], default_engine())
    return error.value.problems


def test_a_duplicate_player_name_is_refused_naming_the_player() -> None:
    players = [{"name": "Lee", "role": "patrol"}, {"name": "lee", "role": "sergeant"}]
    assert refused({"players": players}) == ["players[1].name: lee is already a player's name"]


def test_an_answer_for_an_unknown_inject_is_refused_naming_it() -> None:
    players = [{"name": "Lee", "role": "patrol", "answers": {"helicopter": {}}}]
    assert refused({"players": players}) == ["players[0].answers.helicopter: no such inject"]


def test_an_answer_for_an_inject_not_sent_to_the_role_and_a_bad_pick_are_each_named() -> None:
    example = yaml.safe_load(
        (SCENARIOS_DIR / "staging-rec-center.answers.yaml").read_text(encoding="utf-8")
    )
    data = copy.deepcopy(example)
    data["players"][0]["answers"]["vans-in-the-lot"]["picks"]["police/fly"] = "required"
    data["players"][0]["answers"]["vans-in-the-lot"]["open_questions"] = ["p99-nothing"]
    data["players"].append({"name": "Fi", "role": "firefighter", "answers": {"no-paper": {}}})
    assert refused(data) == [
        "players[0].answers.vans-in-the-lot.picks.police/fly: not an action of a patrol's actors",
        "players[0].answers.vans-in-the-lot.open_questions: p99-nothing is not an open question "
        "of the policy",
        f"players[{len(example['players'])}].answers.no-paper: the inject does not go to a "
        "firefighter",
    ]
