"""``eo152 policy check``: everything that must hold before a policy may run, with file:line.

Beyond what loading already refuses (malformed rules, facts or values not in the contract,
citations of sections that do not exist), the check finds: a section with neither a rule nor a
stated reason; a rule no test exercises; a failing test; an ambiguity of the research with
neither an open question nor a settled reading; and two rules of one instrument that
contradict each other. Contradictions are searched exhaustively: every combination of the
values of the facts and questions the two rules read, each value class, true, false or
unknown, is tried.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from ..contract.vocabulary import LANGUAGES
from . import _yaml
from .compile import Compiled, CompiledRule, Variable
from .conditions import Truth
from .errors import Location, PolicyError
from .glossary import check_glossary
from .policy import DEFAULT_POLICY_DIR, Policy, load_policy
from .policytest import TestRun, run

Problem = tuple[Location, str]


@dataclass
class CheckReport:
    policy: Policy | None
    problems: list[Problem]
    tests: TestRun | None
    combinations: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check(root: Path = DEFAULT_POLICY_DIR) -> CheckReport:
    try:
        policy = load_policy(root)
    except PolicyError as error:
        return CheckReport(None, list(error.problems), None)
    problems: list[Problem] = []
    problems += _sections_without_rules(policy)
    tests = run(policy)
    problems += [(r.where, f"test '{r.name}': {'; '.join(r.problems)}") for r in tests.failed]
    problems += [
        (rule.where, f"rule {rule.id} is exercised by no test")
        for rule in policy.rules
        if rule.id not in tests.exercised
    ]
    problems += _research_coverage(policy, root)
    compiled = Compiled(policy)
    found, combinations = _contradictions(compiled)
    problems += found
    problems += _untranslated(policy)
    problems += _conduct_in_conditions(compiled)
    problems += check_glossary(root)
    return CheckReport(policy, problems, tests, combinations)


def _conduct_in_conditions(compiled: Compiled) -> list[Problem]:
    """A rule whose outcome depends on whether the conduct happened: its condition tests what
    its violation tests. The outcome says what the law is, ``violation`` whether it was broken
    (CONTRACT.md, standing rules)."""
    problems = []
    for rule in compiled.rules:
        if rule.rule.violation is None:
            continue
        shared = set(rule.atoms) & set(compiled.atoms_in(rule.rule.violation))
        if shared:
            facts = ", ".join(sorted({compiled.atoms[i].path for i in shared}))
            problems.append(
                (
                    rule.rule.where,
                    f"rule {rule.rule.id}: its condition tests the conduct its violation tests"
                    f" ({facts}); a standing rule's outcome must not depend on whether the conduct"
                    " happened: move the conduct to 'violation' only",
                )
            )
    return problems


def _sections_without_rules(policy: Policy) -> list[Problem]:
    cited = {
        (owner.id, section)
        for rule in policy.rules
        for cite in rule.cites
        for owner, section in [policy.instrument(rule.instrument).section_of(cite, policy)]  # type: ignore[union-attr]
    }
    problems = []
    for instrument in policy.instruments:
        for section in instrument.sections:
            encoded = (instrument.id, section.id) in cited
            if not encoded and not section.not_encoded:
                problems.append(
                    (
                        section.where,
                        f"section {section.id} of {instrument.id} has no rule and no stated reason",
                    )
                )
            if encoded and section.not_encoded:
                problems.append(
                    (
                        section.where,
                        f"section {section.id} of {instrument.id} is cited but says not_encoded",
                    )
                )
    return problems


def _research_coverage(policy: Policy, root: Path) -> list[Problem]:
    """Every ambiguity of the research is an open question or a reading written on a rule."""
    path = root / "research-coverage.yaml"
    name = f"{root.name}/research-coverage.yaml"
    if not path.exists():
        return [(Location(name, 1), "research-coverage.yaml is missing")]
    items = _yaml.load(path, name)
    rules = {r.id: r for r in policy.rules}
    problems: list[Problem] = []
    for item, line in zip(items, items.item_lines, strict=True):
        where = Location(name, line)
        if "question" in item:
            if item["question"] not in policy.questions:
                problems.append((where, f"{item['item']}: no open question {item['question']!r}"))
        elif "settled" in item:
            rule = rules.get(item["settled"])
            if rule is None:
                problems.append((where, f"{item['item']}: no rule {item['settled']!r}"))
            elif not any(r.about == item["item"] for r in rule.readings):
                problems.append((where, f"{item['item']}: rule {rule.id} has no reading about it"))
        else:
            problems.append((where, f"{item.get('item')}: needs 'question' or 'settled'"))
    return problems


def _untranslated(policy: Policy) -> list[Problem]:
    problems = []
    for rule in policy.rules:
        texts = [rule.plain, *(e.plain for e in rule.unless), *(e.label for e in rule.unless)]
        if rule.changes_if:
            texts.append(rule.changes_if)
        if any(t[lang] == t.en for t in texts for lang in LANGUAGES if lang != "en"):
            problems.append((rule.where, f"rule {rule.id}: a Spanish text is the English text"))
    return problems


# -- contradictions ---------------------------------------------------------------------


def _contradictions(compiled: Compiled) -> tuple[list[Problem], int]:
    problems: list[Problem] = []
    tried = 0
    by_pair: dict[tuple[str, str], list[CompiledRule]] = {}
    for rule in compiled.rules:
        by_pair.setdefault((rule.rule.instrument, rule.rule.pair), []).append(rule)
    for rules in by_pair.values():
        for first, second in itertools.combinations(rules, 2):
            witness, count = _witness(compiled, first, second)
            tried += count
            if witness is not None:
                problems.append(
                    (
                        second.rule.where,
                        f"rules {first.rule.id} and {second.rule.id} contradict when {witness}",
                    )
                )
    return problems, tried


def _witness(
    compiled: Compiled, first: CompiledRule, second: CompiledRule
) -> tuple[str | None, int]:
    """Search every assignment of the facts the two rules read for one giving both outcomes.

    Depth first, splitting on a variable only while a rule is undecided: Kleene evaluation is
    monotone (what is decided with a fact unknown stays decided whatever its value), so a
    branch where either rule is silent, or both agree, holds no contradiction and is pruned,
    and an assignment that leaves some facts unknown is covered by every branch below it.
    """
    values: list[Truth] = [None] * len(compiled.atoms)
    chosen: dict[Variable, str] = {}
    visited = 0

    def search() -> str | None:
        nonlocal visited
        visited += 1
        one, two = _effective(first, values), _effective(second, values)
        if one is _SILENT or two is _SILENT or (one is not None and one == two):
            return None
        if one is not None and two is not None:
            return ", ".join(f"{v.name} = {label}" for v, label in chosen.items()) or "always"
        variable = _undecided(compiled, first if one is None else second, values)
        saved = [values[i] for i in variable.atoms]
        for truths, label in zip(variable.domain, variable.labels, strict=True):
            for index, truth in zip(variable.atoms, truths, strict=True):
                values[index] = truth
            chosen[variable] = label
            found = search()
            if found is not None:
                return found
        for index, old in zip(variable.atoms, saved, strict=True):
            values[index] = old
        del chosen[variable]
        return None

    return search(), visited


_SILENT = "silent"


def _undecided(compiled: Compiled, rule: CompiledRule, values: list[Truth]) -> Variable:
    atoms = (*rule.atoms, *(a for e in rule.unless for a in e.atoms))
    return next(compiled.variable_of[i] for i in atoms if values[i] is None)


def _effective(rule: CompiledRule, values: list[Truth]) -> str | None:
    """The rule's outcome if decided, ``_SILENT`` if it cannot apply, None if still open."""
    applies = rule.when(values)
    if applies is None:
        return None
    if not applies:
        return _SILENT
    for exception in rule.unless:
        holds = exception.test(values)
        if holds is None:
            return None
        if holds:
            return exception.exception.outcome
    return rule.rule.outcome
