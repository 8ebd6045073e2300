"""Scoring a player's picks against the engine: no answer key written by hand.

A player answers an inject with picks, not free text: for actions of their role's actors,
what they must do (``required``), must not do (``prohibited``) or may do (``permitted``),
plus the facts (contract paths) and open questions (their ids) they say are still unknown.
Each engaged duty the engine gives their role's actors at that inject is worth one point:

- ``required``: named as a must-do. Naming it a must-not is an error.
- ``prohibited``: named as a must-not. Saying they would do it (must or may) is an error.
- ``indeterminate``: naming a fact it turns on or an open question it names. Stating it as
  settled (any pick) earns nothing and is marked: the law has not decided it.
- ``permitted``: not scored (the law leaves the choice to them).

The score is points over the points possible; a duty's status says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..rules import Decision
from .roles import ExerciseRole

PICKS = ("required", "prohibited", "permitted")
#: Picks that go against a settled duty: refusing what is required, doing what is barred.
WRONG = {"required": ("prohibited",), "prohibited": ("required", "permitted")}


class Status(StrEnum):
    NAMED = "named"  # a required or prohibited duty named as such
    SPOTTED = "spotted"  # an undecided duty's fact or open question named
    MISSED = "missed"
    ERROR = "error"  # would break the law, or refuses what the law requires
    SETTLED_TOO_SOON = "settled_too_soon"  # an undecided duty stated as settled


@dataclass(frozen=True)
class Answer:
    picks: Mapping[str, str] = field(default_factory=dict)  # "actor/action": outcome
    unknown_facts: frozenset[str] = frozenset()
    open_questions: frozenset[str] = frozenset()
    comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "picks": dict(sorted(self.picks.items())),
            "unknown_facts": sorted(self.unknown_facts),
            "open_questions": sorted(self.open_questions),
            "comment": self.comment,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Answer:
        return cls(
            picks={str(key): str(value) for key, value in (data.get("picks") or {}).items()},
            unknown_facts=frozenset(map(str, data.get("unknown_facts") or ())),
            open_questions=frozenset(map(str, data.get("open_questions") or ())),
            comment=str(data.get("comment") or ""),
        )


@dataclass(frozen=True)
class DutyScore:
    key: str  # "actor/action"
    outcome: str  # the engine's
    status: Status
    picked: str | None
    #: For an undecided duty: the facts and questions it turns on (what credit asks for).
    turns_on: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "duty": self.key,
            "outcome": self.outcome,
            "status": self.status.value,
            "picked": self.picked,
            "turns_on": list(self.turns_on),
            "rules": list(self.rules),
        }


@dataclass(frozen=True)
class InjectScore:
    points: int
    possible: int
    duties: tuple[DutyScore, ...]
    extra: tuple[str, ...]  # picks on actions the law does not speak to here

    @property
    def errors(self) -> int:
        return sum(1 for duty in self.duties if duty.status == Status.ERROR)

    def to_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "possible": self.possible,
            "errors": self.errors,
            "duties": [duty.to_dict() for duty in self.duties],
            "extra": list(self.extra),
        }


def duties_for(decision: Decision, role: ExerciseRole) -> list[Any]:
    """The engaged duties of ``role``'s actors: what the player answers for."""
    return [duty for duty in decision.duties if duty.actor in role.actors and duty.engaged]


def score(decision: Decision, role: ExerciseRole, answer: Answer) -> InjectScore:
    scored: list[DutyScore] = []
    seen: set[str] = set()
    for duty in duties_for(decision, role):
        key = f"{duty.actor}/{duty.action}"
        seen.add(key)
        picked = answer.picks.get(key)
        if duty.outcome == "permitted":
            continue
        if duty.outcome == "indeterminate":
            questions = tuple(question["id"] for question in duty.open_questions)
            turns_on = tuple(duty.missing_facts) + questions
            if answer.unknown_facts & set(duty.missing_facts) or answer.open_questions & set(
                questions
            ):
                status = Status.SPOTTED
            elif picked is not None:
                status = Status.SETTLED_TOO_SOON
            else:
                status = Status.MISSED
            scored.append(DutyScore(key, duty.outcome, status, picked, turns_on, duty.rules))
            continue
        if picked == duty.outcome:
            status = Status.NAMED
        elif picked is not None and picked in WRONG[duty.outcome]:
            status = Status.ERROR
        else:
            status = Status.MISSED
        scored.append(DutyScore(key, duty.outcome, status, picked, (), duty.rules))
    points = sum(1 for duty in scored if duty.status in (Status.NAMED, Status.SPOTTED))
    extra = tuple(sorted(key for key in answer.picks if key not in seen))
    return InjectScore(points, len(scored), tuple(scored), extra)


def choices_for(role: ExerciseRole) -> list[str]:
    """Every ``actor/action`` a player of ``role`` may pick (their actors' actions)."""
    from ..contract.actions import ACTIONS

    return [f"{actor}/{action}" for actor in role.actors for action in ACTIONS[actor]]


def check_answer(
    role: ExerciseRole, answer: Answer, facts: Iterable[str], questions: Iterable[str]
) -> list[str]:
    """What is wrong with an answer before it is scored (empty when it can be scored)."""
    problems = []
    allowed = set(choices_for(role))
    for key, outcome in answer.picks.items():
        if key not in allowed:
            problems.append(f"picks.{key}: not an action of a {role.id}'s actors")
        elif outcome not in PICKS:
            problems.append(f"picks.{key}: pick one of {', '.join(PICKS)}")
    known_facts, known_questions = set(facts), set(questions)
    problems.extend(
        f"unknown_facts: {fact} is not a fact of the contract"
        for fact in sorted(answer.unknown_facts - known_facts)
    )
    problems.extend(
        f"open_questions: {question} is not an open question of the policy"
        for question in sorted(answer.open_questions - known_questions)
    )
    return problems
