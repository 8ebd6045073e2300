"""A scenario file: objectives mapped to provisions, and injects that unfold in steps.

Each inject's situation builds on the previous one's: ``situation`` replaces it whole,
``changes`` is merged into it (objects merged key by key, anything else replaced). A
scenario is checked whole when it is read; every problem is named by file, inject and
field (:class:`ScenarioError`).

File shape (YAML)::

    id: staging-rec-center
    title: {en: ..., es: ...}
    summary: {en: ..., es: ...}
    research: ["§1 P1", ...]           # the research sections it was reviewed against
    objectives:
      - id: staging
        text: {en: ..., es: ...}
        provisions: [denver-eo-152/p1-no-staging-on-city-property]
    injects:
      - id: arrival
        at: "00:00"                      # time in the scenario
        roles: [dispatcher, patrol]      # who it goes to
        narrative: {en: ..., es: ...}
        question: {en: ..., es: ...}
        situation: {...}                 # or changes: {...} after the first
        expected:                        # what players are shown afterwards
          police/record_body_camera: required
        next: agents-stay                # or branches: [{if: {...}, next: ...}, {next: ...}]
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..contract import collect_errors
from ..contract.actions import ACTIONS
from ..contract.errors import FieldError
from .roles import ROLE

LANGS = ("en", "es")
OUTCOMES = ("required", "prohibited", "permitted", "indeterminate")
#: The end of the scenario, as a branch target.
END = "end"


class ScenarioError(ValueError):
    """A scenario that cannot be run: every problem, each as ``where: what``."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(problems))
        self.source = source
        self.problems = problems


@dataclass(frozen=True)
class Objective:
    id: str
    text: dict[str, str]
    provisions: tuple[str, ...]


@dataclass(frozen=True)
class Branch:
    """Go to ``next`` when any player of ``role`` picked ``pick`` (``actor/action``) as
    ``outcome`` at inject ``inject``; a branch with no condition is the default."""

    next: str
    inject: str | None = None
    role: str | None = None
    pick: str | None = None
    outcome: str | None = None

    @property
    def default(self) -> bool:
        return self.inject is None


@dataclass(frozen=True)
class Inject:
    id: str
    at: str
    roles: tuple[str, ...]
    narrative: dict[str, str]
    question: dict[str, str]
    situation: dict[str, Any]  # the whole situation at this inject (changes applied)
    expected: dict[str, str]  # "actor/action": outcome, as the players are shown
    branches: tuple[Branch, ...]


@dataclass(frozen=True)
class Scenario:
    id: str
    title: dict[str, str]
    summary: dict[str, str]
    research: tuple[str, ...]
    objectives: tuple[Objective, ...]
    injects: tuple[Inject, ...]
    source: str = ""
    by_id: dict[str, Inject] = field(default_factory=dict, compare=False, repr=False)

    def inject(self, inject_id: str) -> Inject:
        return self.by_id[inject_id]

    @property
    def roles(self) -> tuple[str, ...]:
        """Every role some inject goes to, in the order of ``ROLES``."""
        named = {role for inject in self.injects for role in inject.roles}
        return tuple(role for role in ROLE if role in named)

    def next_after(
        self, inject_id: str, picked: dict[tuple[str, str], set[tuple[str, str]]]
    ) -> str:
        """The inject after ``inject_id`` given what was picked: ``picked[(inject, role)]``
        holds the (``actor/action``, outcome) pairs players of that role picked there."""
        for branch in self.inject(inject_id).branches:
            if branch.default:
                return branch.next
            chosen = picked.get((branch.inject or "", branch.role or ""), set())
            if (branch.pick, branch.outcome) in chosen:
                return branch.next
        return END


def merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` merged into a copy of ``base``: objects key by key, the rest replaced."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _words(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or any(
        not isinstance(value.get(lang), str) or not value[lang].strip() for lang in LANGS
    ):
        problems.append(f"{where}: give the words in English and Spanish ({{en: ..., es: ...}})")
        return {lang: "" for lang in LANGS}
    return {lang: " ".join(value[lang].split()) for lang in LANGS}


def _expected(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: a mapping of actor/action to an outcome")
        return {}
    found = {}
    for key, outcome in value.items():
        actor, _, action = str(key).partition("/")
        if action not in ACTIONS.get(actor, ()):
            problems.append(f"{where}.{key}: not an actor/action of CONTRACT.md")
        elif outcome not in OUTCOMES:
            problems.append(f"{where}.{key}: the outcome must be one of {', '.join(OUTCOMES)}")
        else:
            found[str(key)] = str(outcome)
    return found


def _branches(item: dict[str, Any], where: str, problems: list[str]) -> tuple[Branch, ...]:
    if "next" in item and "branches" in item:
        problems.append(f"{where}: give next or branches, not both")
    if "branches" not in item:
        return (Branch(next=str(item.get("next", END))),)
    raw = item["branches"]
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}.branches: a list of {{if: ..., next: ...}}")
        return ()
    branches = []
    for index, branch in enumerate(raw):
        at = f"{where}.branches[{index}]"
        if not isinstance(branch, dict) or "next" not in branch:
            problems.append(f"{at}: each branch names its next inject")
            continue
        condition = branch.get("if")
        if condition is None:
            branches.append(Branch(next=str(branch["next"])))
            continue
        if not isinstance(condition, dict) or set(condition) != {"inject", "role", "picked"}:
            problems.append(f"{at}.if: name the inject, the role and what was picked")
            continue
        picked = condition["picked"]
        if not isinstance(picked, dict) or len(picked) != 1:
            problems.append(f"{at}.if.picked: one actor/action and its outcome")
            continue
        ((pick, outcome),) = picked.items()
        _expected({pick: outcome}, f"{at}.if.picked", problems)
        branches.append(
            Branch(
                str(branch["next"]), str(condition["inject"]), str(condition["role"]), pick, outcome
            )
        )
    if branches and not branches[-1].default:
        problems.append(f"{where}.branches: the last branch has no if (where to go otherwise)")
    return tuple(branches)


def parse(data: Any, source: str) -> Scenario:
    """A scenario from its YAML's data; ScenarioError naming every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ScenarioError(source, ["the file must hold one scenario (a mapping)"])
    scenario_id = str(data.get("id", ""))
    if not scenario_id:
        problems.append("id: every scenario has an id")
    title = _words(data.get("title"), "title", problems)
    summary = _words(data.get("summary"), "summary", problems)
    objectives = []
    for index, item in enumerate(data.get("objectives") or []):
        at = f"objectives[{index}]"
        if not isinstance(item, dict) or not item.get("id"):
            problems.append(f"{at}: an objective has an id, text and provisions")
            continue
        provisions = item.get("provisions") or []
        if not provisions:
            problems.append(f"{at}.provisions: map the objective to a provision of the law")
        objectives.append(
            Objective(
                str(item["id"]),
                _words(item.get("text"), f"{at}.text", problems),
                tuple(map(str, provisions)),
            )
        )
    if not objectives:
        problems.append("objectives: a scenario has at least one objective")
    injects: list[Inject] = []
    situation: dict[str, Any] = {}
    raw_injects = data.get("injects") or []
    if not raw_injects:
        problems.append("injects: a scenario has at least one inject")
    for index, item in enumerate(raw_injects):
        at = f"injects[{index}]"
        if not isinstance(item, dict) or not item.get("id"):
            problems.append(f"{at}: an inject has an id")
            continue
        at = f"inject {item['id']}"
        roles = item.get("roles") or []
        for role in roles:
            if role not in ROLE:
                problems.append(f"{at}.roles: {role} is not a role ({', '.join(ROLE)})")
        if not roles:
            problems.append(f"{at}.roles: name who the inject goes to")
        if "situation" in item:
            situation = copy.deepcopy(item["situation"] or {})
        elif "changes" in item and index > 0:
            situation = merged(situation, item["changes"] or {})
        else:
            problems.append(
                f"{at}: the first inject gives a situation; later ones situation or changes"
            )
        errors: list[FieldError] = []
        collect_errors(situation, errors)
        problems.extend(f"{at}.situation.{error.path}: {error.message}" for error in errors)
        injects.append(
            Inject(
                id=str(item["id"]),
                at=str(item.get("at", "")),
                roles=tuple(map(str, roles)),
                narrative=_words(item.get("narrative"), f"{at}.narrative", problems),
                question=_words(item.get("question"), f"{at}.question", problems),
                situation=copy.deepcopy(situation),
                expected=_expected(item.get("expected"), f"{at}.expected", problems),
                branches=_branches(item, at, problems),
            )
        )
    by_id: dict[str, Inject] = {}
    for inject in injects:
        if inject.id in by_id:
            problems.append(f"inject {inject.id}: the id is used twice")
        by_id[inject.id] = inject
    for inject in injects:
        for branch in inject.branches:
            if branch.next != END and branch.next not in by_id:
                problems.append(f"inject {inject.id}: the next inject {branch.next} does not exist")
            if branch.inject is not None and branch.inject not in by_id:
                problems.append(
                    f"inject {inject.id}: a branch reads inject {branch.inject}, which is not there"
                )
            if branch.role is not None and branch.role not in ROLE:
                problems.append(
                    f"inject {inject.id}: a branch reads role {branch.role}, which is not a role"
                )
    if problems:
        raise ScenarioError(source, problems)
    return Scenario(
        id=scenario_id,
        title=title,
        summary=summary,
        research=tuple(map(str, data.get("research") or [])),
        objectives=tuple(objectives),
        injects=tuple(injects),
        source=source,
        by_id=by_id,
    )


def load(path: Path) -> Scenario:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ScenarioError(str(path), [f"not YAML: {error}"]) from None
    return parse(data, str(path))


@cache
def library() -> dict[str, Scenario]:
    """The shipped scenarios by id (``eo152/exercises/scenarios``)."""
    folder = resources.files(__package__).joinpath("scenarios")
    found: dict[str, Scenario] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".yaml") and not entry.name.endswith(".answers.yaml"):
            scenario = parse(
                yaml.safe_load(entry.read_text(encoding="utf-8")), f"scenarios/{entry.name}"
            )
            found[scenario.id] = scenario
    return found
