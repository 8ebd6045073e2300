"""Resolving one (actor, action): every way the unknown facts and open questions could turn out.

The engine splits on unknown variables only where a rule cannot be decided without them, and
stops a branch as soon as every rule of the pair is decided (Kleene evaluation). Each leaf is
one class of possible worlds with precedence applied: the highest instrument that speaks
prevails, and a lower one that says otherwise is a conflict. The pair's outcome is determinate
when all leaves agree; otherwise it is indeterminate, and the variables whose value changes the
set of outcomes are the missing facts and open questions that would decide it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .compile import Compiled, CompiledRule, Pair, Variable
from .conditions import Truth


@dataclass(frozen=True)
class Verdict:
    """What one rule says in a world: its outcome, and the exception that gave it, if any."""

    rule: CompiledRule
    outcome: str
    exception: str | None


@dataclass(frozen=True)
class Leaf:
    outcome: str | None
    prevailing: tuple[Verdict, ...]
    verdicts: tuple[Verdict, ...]  # every rule that speaks here, highest instrument first
    overridden: tuple[Verdict, ...]

    @property
    def agreeing(self) -> frozenset[str]:
        """Every rule, of any instrument, giving this leaf's outcome."""
        return frozenset(v.rule.rule.id for v in self.verdicts if v.outcome == self.outcome)


@dataclass(frozen=True)
class Resolution:
    outcome: str | None  # None: the law in force does not speak to the pair here
    leaves: tuple[Leaf, ...]
    cited: tuple[Verdict, ...]
    relevant: tuple[Variable, ...]
    conflicts: tuple[tuple[Verdict, Verdict], ...]


def resolve(compiled: Compiled, pair: Pair, values: Sequence[Truth]) -> Resolution:
    leaves: list[Leaf] = []
    relevant: list[Variable] = []
    _explore(compiled, pair, list(values), leaves, relevant)
    outcomes = {leaf.outcome for leaf in leaves}
    outcome = next(iter(outcomes)) if len(outcomes) == 1 else "indeterminate"
    return Resolution(
        outcome=outcome,
        leaves=tuple(leaves),
        cited=_cited(leaves, outcome),
        relevant=tuple(relevant),
        conflicts=_conflicts(leaves, determinate=len(outcomes) == 1),
    )


def _explore(
    compiled: Compiled,
    pair: Pair,
    values: list[Truth],
    leaves: list[Leaf],
    relevant: list[Variable],
) -> frozenset[str | None]:
    split = _leaf_or_split(compiled, pair, values)
    if isinstance(split, Leaf):
        leaves.append(split)
        return frozenset({split.outcome})
    seen: list[frozenset[str | None]] = []
    for truths in split.domain:
        branch = list(values)
        for index, truth in zip(split.atoms, truths, strict=True):
            branch[index] = truth
        seen.append(_explore(compiled, pair, branch, leaves, relevant))
    if len(set(seen)) > 1 and split not in relevant:
        relevant.append(split)
    return frozenset().union(*seen)


def _leaf_or_split(compiled: Compiled, pair: Pair, values: list[Truth]) -> Leaf | Variable:
    spoken: list[tuple[Verdict, ...]] = []
    for _instrument, rules in pair.groups:
        verdicts: list[Verdict] = []
        for rule in rules:
            applies = rule.when(values)
            if applies is None:
                return _unknown_variable(compiled, rule.atoms, values)
            if not applies:
                continue
            verdict = Verdict(rule, rule.rule.outcome, None)
            for exception in rule.unless:
                holds = exception.test(values)
                if holds is None:
                    return _unknown_variable(compiled, exception.atoms, values)
                if holds:
                    verdict = Verdict(rule, exception.exception.outcome, exception.exception.id)
                    break
            verdicts.append(verdict)
        if verdicts:
            spoken.append(tuple(verdicts))
    if not spoken:
        return Leaf(None, (), (), ())
    prevailing = spoken[0]
    outcome = prevailing[0].outcome
    overridden = tuple(v for group in spoken[1:] for v in group if v.outcome != outcome)
    return Leaf(outcome, prevailing, tuple(v for group in spoken for v in group), overridden)


def _unknown_variable(compiled: Compiled, atoms: Sequence[int], values: list[Truth]) -> Variable:
    for index in atoms:
        if values[index] is None:
            return compiled.variable_of[index]
    raise AssertionError("a condition is unknown although all its atoms are known")


def _cited(leaves: list[Leaf], outcome: str | None) -> tuple[Verdict, ...]:
    """The rules to cite: those giving the outcome in every world, else each world's prevailing."""
    if outcome is None:
        return ()
    if outcome != "indeterminate":
        always = frozenset.intersection(*(leaf.agreeing for leaf in leaves))
        found = _unique(v for leaf in leaves for v in leaf.verdicts)
        chosen = tuple(v for v in found if v.rule.rule.id in always)
        if chosen:
            return chosen
    return _unique(v for leaf in leaves for v in leaf.prevailing)


def _unique(verdicts: Iterable[Verdict]) -> tuple[Verdict, ...]:
    found: dict[str, Verdict] = {}
    for verdict in verdicts:
        found.setdefault(verdict.rule.rule.id, verdict)
    return tuple(found.values())


def _conflicts(leaves: list[Leaf], determinate: bool) -> tuple[tuple[Verdict, Verdict], ...]:
    """The overrides precedence resolved: for an undecided pair, only those in every world.

    An override that happens only in some ways the facts could turn out is not reported as
    resolved; the open question or missing fact that decides it is reported instead.
    """
    found: dict[tuple[str, str], tuple[Verdict, Verdict]] = {}
    seen_in: dict[tuple[str, str], int] = {}
    for leaf in leaves:
        for low in leaf.overridden:
            high = leaf.prevailing[0]
            key = (high.rule.rule.id, low.rule.rule.id)
            found.setdefault(key, (high, low))
            seen_in[key] = seen_in.get(key, 0) + 1
    return tuple(v for k, v in found.items() if determinate or seen_in[k] == len(leaves))
