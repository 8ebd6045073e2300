"""``eo152 exercise check``, ``run`` and ``export-tests``: scenarios against the engine of
today, answers on paper scored without the web, and a scenario turned into policy tests.

A scenario shows players what the law expects at each inject (``expected``). Those
expectations are checked against what the engine decides now, so a change to the law
flags every scenario it makes stale, by inject.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..contract.fields import FIELDS
from ..rules import Decision, Engine
from .roles import ROLE
from .scenario import END, Scenario
from .scoring import Answer, InjectScore, check_answer, score


def problems_of(scenario: Scenario, engine: Engine) -> list[str]:
    """What is stale or wrong in a valid scenario, each naming its inject ("" if none)."""
    problems = []
    rules = {rule.id for rule in engine.policy.rules}
    for objective in scenario.objectives:
        for provision in objective.provisions:
            if provision not in rules:
                problems.append(
                    f"objective {objective.id}: {provision} is not a rule of the policy"
                )
    for inject in scenario.injects:
        decision = engine.decide(inject.situation)
        outcomes = {f"{duty.actor}/{duty.action}": duty.outcome for duty in decision.duties}
        for key, expected in inject.expected.items():
            found = outcomes.get(key)
            if found != expected:
                problems.append(
                    f"inject {inject.id}: {key} is shown as {expected}, "
                    f"but the engine decides {found or 'nothing about it'}"
                )
    return problems


def decisions_of(scenario: Scenario, engine: Engine) -> dict[str, Decision]:
    return {inject.id: engine.decide(inject.situation) for inject in scenario.injects}


@dataclass(frozen=True)
class PaperPlayer:
    name: str
    role: str
    answers: dict[str, Answer]


class AnswersRefused(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def read_answers(data: Any, scenario: Scenario, engine: Engine) -> list[PaperPlayer]:
    """The players of an answers file (see ``scenarios/*.answers.yaml``); AnswersRefused
    naming every problem: an unknown role or inject, a duplicate name, a bad pick."""
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("players"), list):
        raise AnswersRefused(["the file holds players: a list of {name, role, answers}"])
    if data.get("scenario") not in (None, scenario.id):
        problems.append(f"scenario: the answers are for {data.get('scenario')}, not {scenario.id}")
    players, names = [], set()
    questions = engine.policy.questions
    for index, item in enumerate(data["players"]):
        at = f"players[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{at}: name, role and answers")
            continue
        name, role = str(item.get("name", "")).strip(), str(item.get("role", ""))
        if not name:
            problems.append(f"{at}.name: every player has a name")
        elif name.casefold() in names:
            problems.append(f"{at}.name: {name} is already a player's name")
        names.add(name.casefold())
        if role not in ROLE:
            problems.append(f"{at}.role: {role} is not a role ({', '.join(ROLE)})")
            continue
        answers = {}
        for inject_id, raw in (item.get("answers") or {}).items():
            if inject_id not in scenario.by_id:
                problems.append(f"{at}.answers.{inject_id}: no such inject")
                continue
            if role not in scenario.inject(inject_id).roles:
                problems.append(f"{at}.answers.{inject_id}: the inject does not go to a {role}")
                continue
            answer = Answer.from_dict(raw or {})
            problems.extend(
                f"{at}.answers.{inject_id}.{problem}"
                for problem in check_answer(ROLE[role], answer, FIELDS, questions)
            )
            answers[str(inject_id)] = answer
        players.append(PaperPlayer(name, role, answers))
    if problems:
        raise AnswersRefused(problems)
    return players


def run_on_paper(scenario: Scenario, engine: Engine, players: list[PaperPlayer]) -> dict[str, Any]:
    """Score a paper exercise: the injects in the order the branches take them, and for
    each, each player's score (a player who did not answer scores nothing there)."""
    decisions = decisions_of(scenario, engine)
    picked: dict[tuple[str, str], set[tuple[str, str]]] = {}
    order, current = [], scenario.injects[0].id
    while current != END and current not in order:
        order.append(current)
        for player in players:
            answer = player.answers.get(current)
            if answer is not None:
                picked.setdefault((current, player.role), set()).update(answer.picks.items())
        current = scenario.next_after(current, picked)
    rows = []
    totals: dict[str, list[int]] = {}
    for inject_id in order:
        inject = scenario.inject(inject_id)
        for player in players:
            if player.role not in inject.roles:
                continue
            answer = player.answers.get(inject_id, Answer())
            result: InjectScore = score(decisions[inject_id], ROLE[player.role], answer)
            total = totals.setdefault(player.name, [0, 0])
            total[0] += result.points
            total[1] += result.possible
            rows.append(
                {
                    "inject": inject_id,
                    "player": player.name,
                    "role": player.role,
                    **result.to_dict(),
                }
            )
    return {
        "scenario": scenario.id,
        "injects": order,
        "scores": rows,
        "totals": [
            {"player": name, "points": points, "possible": possible}
            for name, (points, possible) in totals.items()
        ],
    }


def policy_tests(scenario: Scenario, engine: Engine) -> list[dict[str, Any]]:
    """Each inject as a policy test (eo152/policies/*/tests.yaml's shape): its situation,
    and the engine's outcomes for the duties its roles answer for, as they stand today."""
    tests = []
    for inject in scenario.injects:
        decision = engine.decide(inject.situation)
        actors = {actor for role in inject.roles for actor in ROLE[role].actors}
        expect: Mapping[str, str] = {
            f"{duty.actor}/{duty.action}": duty.outcome
            for duty in decision.duties
            if duty.actor in actors and duty.engaged
        }
        if not expect:
            continue
        situation = {key: value for key, value in inject.situation.items() if key != "id"}
        tests.append(
            {
                "name": f"Exercise {scenario.id}, inject {inject.id}: {inject.question['en']}",
                "situation": situation,
                "expect": dict(expect),
            }
        )
    return tests
