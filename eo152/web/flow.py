"""The field guide's path: who is asking, what is happening, a few questions, the answer.

The answers so far ride in the address (``?who=sergeant&place=city_lot``), each a choice
id from :mod:`.flow_answers`, so a page needs no session and every step can be shared or
reopened. Only the questions that apply are read: a follow-up whose parent answer no longer
calls for it is dropped, and so are answers that are not one of the question's choices.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ..contract.people import PEOPLE
from .flow_answers import DONT_KNOW, QUESTIONS, Facts
from .language import url_with
from .permalink import pack

# Every tile but "Something else" is about immigration agents (ICE, Border Patrol) on an
# immigration operation: the start page says so, and other agencies or purposes go to
# "Something else". ICE ERO stands for all four DHS immigration agencies, which every rule
# reads alike (policies/definitions.yaml, dhs_immigration_agencies; a test checks that each
# scenario's answer is the same for any of them). The order's scope is civil immigration
# enforcement (research, P0 and P1).
_IMMIGRATION_AGENTS: Facts = {
    "agents.agencies": ["ICE_ERO"],
    "agents.purpose": "civil_immigration",
}


@dataclass(frozen=True)
class Scenario:
    id: str
    facts: Facts  # what choosing the tile itself says
    questions: tuple[str, ...]  # most settling first


SCENARIOS: dict[str, Scenario] = {
    scenario.id: scenario
    for scenario in (
        Scenario("staging", {**_IMMIGRATION_AGENTS, "activities": ["staging"]}, ("place", "paper")),
        # Force used to stop or hold a person is a seizure, a detention at least (Torres v.
        # Madrid, 592 U.S. 306 (2021)); force on a crowd is the protest tile.
        Scenario(
            "force",
            {**_IMMIGRATION_AGENTS, "activities": ["detention"]},
            ("force", "hurt", "ongoing", "police"),
        ),
        Scenario(
            "records",
            {**_IMMIGRATION_AGENTS, "requests[].kind": "data"},
            ("data", "records_paper"),
        ),
        Scenario(
            "enter",
            {
                **_IMMIGRATION_AGENTS,
                "requests[].kind": "non_public_area_access",
                "location.area": "non_public",
            },
            ("place", "paper"),
        ),
        Scenario(
            "protest",
            {**_IMMIGRATION_AGENTS, "protest.present": True},
            ("peaceful", "surge", "police", "hurt"),
        ),
    )
}
#: The start page's tiles: the scenarios, then "Something else" (the all-questions form).
TILES = (*SCENARIOS, "other")
#: Who the start page offers: the people of the contract, the resident last.
WHO = tuple(person.id for person in PEOPLE)
RESIDENT = "resident"


@dataclass(frozen=True)
class Progress:
    """Who is asking, about which scenario, and the answers given so far (choice ids)."""

    lang: str
    who: str
    scenario: Scenario
    answers: dict[str, str]

    def steps(self) -> Iterator[str]:
        """The questions that apply, in order: each follow-up right after its parent."""
        for question_id in self.scenario.questions:
            yield question_id
            follow_up = QUESTIONS[question_id].follow_ups.get(self.answers.get(question_id, ""))
            if follow_up:
                yield follow_up

    def next_step(self) -> str | None:
        return next((step for step in self.steps() if step not in self.answers), None)

    def previous_step(self, step: str) -> str | None:
        before = None
        for current in self.steps():
            if current == step:
                return before
            before = current
        return before

    def without(self, *steps: str) -> Progress:
        kept = {k: v for k, v in self.answers.items() if k not in steps}
        return Progress(self.lang, self.who, self.scenario, kept)

    def query(self, **extra: str) -> str:
        answers = [(step, self.answers[step]) for step in self.steps() if step in self.answers]
        pairs = [("lang", self.lang), ("who", self.who), *answers, *extra.items()]
        return urlencode(pairs)

    def question_url(self, step: str) -> str:
        return f"/guide/{self.scenario.id}/{step}?{self.query()}"

    def check_url(self) -> str:
        return f"/guide/{self.scenario.id}/check?{self.query()}"

    def next_url(self) -> str:
        step = self.next_step()
        return self.question_url(step) if step else self.check_url()

    def situation(self) -> dict[str, Any]:
        """The tile's facts and those of every answer that applies; "Don't know" adds none."""
        situation: dict[str, Any] = {}
        for path, value in self.scenario.facts.items():
            put(situation, path, value)
        for step in self.steps():
            choice = self.answers.get(step, DONT_KNOW)
            for path, value in QUESTIONS[step].answers.get(choice, {}).items():
                put(situation, path, value)
        return situation

    def decision_url(self) -> str:
        return decision_url(self.situation(), self.lang, self.who)


def decision_url(situation: dict[str, Any], lang: str, who: str) -> str:
    """The answer page for what is known so far, written for ``who``."""
    role = {"role": who} if who else {}
    return url_with("/decision", lang, s=pack(situation), **role)


def read_progress(lang: str, scenario_id: str, query: Mapping[str, str]) -> Progress | None:
    """The progress the address holds; None for a scenario that does not exist. An unknown
    person or an answer that is not a choice is left out, never guessed."""
    scenario = SCENARIOS.get(scenario_id)
    if scenario is None:
        return None
    who = query.get("who", "")
    progress = Progress(lang, who if who in WHO and who != RESIDENT else "", scenario, {})
    # steps() reads the answers as it goes, so a parent's answer brings its follow-up in.
    for step in progress.steps():
        if query.get(step) in QUESTIONS[step].choices:
            progress.answers[step] = query[step]
    return progress


def put(situation: dict[str, Any], path: str, value: Any) -> None:
    """Set a fact by its contract path; ``name[]`` is the one item of a list (the form's
    rule too: an officer answers for the most serious one)."""
    *parents, last = path.split(".")
    node = situation
    for part in parents:
        if part.endswith("[]"):
            items = node.setdefault(part[:-2], [])
            if not items:
                items.append({})
            node = items[0]
        else:
            node = node.setdefault(part, {})
    node[last] = value
