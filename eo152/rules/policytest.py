"""Policy tests: YAML cases a lawyer can read, one file per instrument (``tests.yaml``).

A case::

    - name: Agents with only an I-205 stage in a library lot; use of City property is prohibited
      situation: {...}                      # a situation of CONTRACT.md
      readings: {p1-scope: all_enforcement} # optional answers to open questions
      expect:                               # actor/action: outcome (or "absent")
        federal_agents/use_city_property: prohibited
      missing_facts: [location.ownership]   # optional: each must be listed
      open_questions: [p1-streets]          # optional: each must be named by some duty
      conflicts: true                       # optional: a conflict is (true) or is not reported
      violation: {police/racial_profiling: null}   # optional: each duty's violation
      engaged: {police/intervene: false}    # optional: whether the situation raises each duty
      not_applicable: [denver-eo-152/p1-no-staging-on-city-property]  # optional: ruled out
      law: In re Neagle, 135 U.S. 1 (1890)  # the law a correction rests on, cited

``run`` returns every case's problems and the rules the cases exercised, which the policy
check uses to find rules no test exercises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..contract.errors import InvalidSituation
from . import _yaml
from .decision import Decision
from .engine import Engine
from .errors import Location, PolicyError
from .policy import Instrument, Policy
from .readings import Reading

_CASE_KEYS = {
    "name",
    "situation",
    "readings",
    "expect",
    "missing_facts",
    "open_questions",
    "conflicts",
    "violation",
    "engaged",
    "not_applicable",
    "law",
}


@dataclass
class CaseResult:
    instrument: str
    name: str
    where: Location
    problems: list[str]


@dataclass
class TestRun:
    __test__: ClassVar[bool] = False  # a run of the policy's cases, not a pytest class

    results: list[CaseResult] = field(default_factory=list)
    exercised: set[str] = field(default_factory=set)

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if r.problems]


def run(policy: Policy) -> TestRun:
    """Run every instrument's tests against the policy."""
    engines: dict[frozenset[tuple[str, str]], Engine] = {}
    outcome = TestRun()
    for instrument in policy.instruments:
        for case, where in cases(instrument):
            outcome.results.append(run_case(policy, instrument, case, where, engines, outcome))
    return outcome


def cases(instrument: Instrument) -> list[tuple[Any, Location]]:
    if instrument.tests_file is None:
        return []
    name = f"{instrument.id}/tests.yaml"
    data = _yaml.load(instrument.tests_file, name)
    if not isinstance(data, list):
        raise PolicyError([(Location(name, 1), "tests.yaml holds a list of cases")])
    lines = getattr(data, "item_lines", [1] * len(data))
    return [(case, Location(name, line)) for case, line in zip(data, lines, strict=True)]


def run_case(
    policy: Policy,
    instrument: Instrument,
    case: Any,
    where: Location,
    engines: dict[frozenset[tuple[str, str]], Engine],
    outcome: TestRun,
) -> CaseResult:
    result = CaseResult(
        instrument.id,
        str(case.get("name", "(unnamed)")) if isinstance(case, dict) else "?",
        where,
        [],
    )
    if not isinstance(case, dict) or not {"name", "situation", "expect"} <= set(case):
        result.problems.append("a case needs name, situation and expect")
        return result
    unknown = set(case) - _CASE_KEYS
    if unknown:
        result.problems.append(f"unknown keys {sorted(unknown)}")
    answers = case.get("readings") or {}
    key = frozenset((str(q), str(a)) for q, a in answers.items())
    if key not in engines:
        try:
            engines[key] = Engine(policy, _readings(policy, answers))
        except ValueError as error:
            result.problems.append(str(error))
            return result
    try:
        decision = engines[key].decide(case["situation"])
    except InvalidSituation as invalid:
        result.problems.append(f"the situation is not valid: {invalid}")
        return result
    for duty in decision.duties:
        if duty.outcome != "indeterminate":  # a rule only possibly applying is not exercised
            outcome.exercised.update(duty.rules)
    for conflict in decision.conflicts:
        outcome.exercised.update((conflict.prevailing[1], conflict.overridden[1]))
    result.problems.extend(_check(case, decision))
    return result


def _readings(policy: Policy, answers: dict[str, Any]) -> dict[str, Reading]:
    questions = policy.questions
    found = {}
    for qid, answer in answers.items():
        if qid not in questions or answer not in questions[qid].answers:
            raise ValueError(f"readings: {qid} = {answer} answers no open question of the policy")
        found[qid] = Reading(qid, str(answer), "test case", "undated", "")
    return found


def _check(case: dict[str, Any], decision: Decision) -> list[str]:
    problems = []
    for pair, want in (case.get("expect") or {}).items():
        actor, _, action = str(pair).partition("/")
        duty = decision.duty(actor, action)
        got = duty.outcome if duty else "absent"
        if got != want:
            problems.append(f"{pair}: expected {want}, got {got}")
    missing = set(decision.missing_facts)
    for fact in case.get("missing_facts") or []:
        if fact not in missing:
            problems.append(f"expected missing fact {fact}; missing: {sorted(missing)}")
    named = {q["id"] for d in decision.duties for q in d.open_questions}
    for question in case.get("open_questions") or []:
        if question not in named:
            problems.append(f"expected open question {question}; named: {sorted(named)}")
    if "conflicts" in case and bool(decision.conflicts) != bool(case["conflicts"]):
        problems.append(f"expected conflicts: {case['conflicts']}, got {len(decision.conflicts)}")
    for key in ("violation", "engaged"):
        for pair, want in (case.get(key) or {}).items():
            actor, _, action = str(pair).partition("/")
            duty = decision.duty(actor, action)
            got = getattr(duty, key) if duty else "absent"
            if got != want:
                problems.append(f"{pair}: expected {key} {want}, got {got}")
    ruled_out = {n.rule for n in decision.not_applicable}
    for rule in case.get("not_applicable") or []:
        if rule not in ruled_out:
            problems.append(f"expected {rule} not to apply; ruled out: {sorted(ruled_out)}")
    return problems
