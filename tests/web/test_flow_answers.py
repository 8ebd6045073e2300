"""The table of observable answers: every answer makes a valid situation, and the choices
the table makes for the person (ICE ERO standing for the DHS immigration agencies) change
no answer the engine gives."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from eo152.contract import validate
from eo152.rules import decide
from eo152.web.flow import SCENARIOS, Progress, Scenario
from eo152.web.flow_answers import DONT_KNOW, QUESTIONS

DHS_IMMIGRATION_AGENCIES = ["ICE_ERO", "ICE_HSI", "CBP", "BORDER_PATROL"]


def _every_progress(scenario: Scenario) -> list[Progress]:
    """Every combination of the scenario's answers, follow-ups included."""
    found = []
    steps = [QUESTIONS[step] for step in scenario.questions]
    for combination in itertools.product(*(q.choices for q in steps)):
        answers = dict(zip(scenario.questions, combination, strict=True))
        progress = Progress("en", "officer", scenario, answers)
        for step in progress.steps():
            if step not in answers:  # a follow-up: each of its answers
                for choice in QUESTIONS[step].choices:
                    found.append(Progress("en", "officer", scenario, {**answers, step: choice}))
                break
        else:
            found.append(progress)
    return found


def _outcomes(situation: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(d.actor, d.action, d.outcome) for d in decide(situation).duties}


@pytest.mark.parametrize("scenario", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_every_answer_makes_a_valid_situation(scenario: Scenario) -> None:
    for progress in _every_progress(scenario):
        validate(progress.situation())


@pytest.mark.parametrize("scenario", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_any_dhs_immigration_agency_gives_the_same_answer(scenario: Scenario) -> None:
    for progress in _every_progress(scenario):
        situation = progress.situation()
        expected = _outcomes(situation)
        for agency in DHS_IMMIGRATION_AGENCIES[1:]:
            other = {**situation, "agents": {**situation["agents"], "agencies": [agency]}}
            assert _outcomes(other) == expected, (progress.answers, agency)


def test_dont_know_is_the_last_choice_of_every_question_and_gives_no_fact() -> None:
    for question in QUESTIONS.values():
        assert question.choices[-1] == DONT_KNOW and DONT_KNOW not in question.answers


def test_every_follow_up_is_a_question_no_scenario_asks_on_its_own() -> None:
    follow_ups = {f for q in QUESTIONS.values() for f in q.follow_ups.values()}
    asked = {step for s in SCENARIOS.values() for step in s.questions}
    assert follow_ups and not follow_ups & asked
    assert asked | follow_ups == set(QUESTIONS), "no question is defined and never asked"
