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

from .compile import Compiled, CompiledRule, Indexed, Pair, Variable
from .conditions import Truth


@dataclass(frozen=True)
class Verdict:
    """What one rule says in a world: its outcome, and the exception that gave it, if any.

    ``binds`` is false for a permission that is only a floor (this law does not forbid it):
    it never overrides a lower instrument (CONTRACT.md, Combining instruments).
    """

    rule: CompiledRule
    outcome: str
    exception: str | None
    binds: bool = True


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
    cited: tuple[Verdict, ...]
    relevant: tuple[Variable, ...]
    conflicts: tuple[tuple[Verdict, Verdict], ...]
    speaking: tuple[Verdict, ...] = ()  # each rule that speaks in some world, first verdict


@dataclass(frozen=True)
class _Summary:
    """What the leaves below one node of the search say, in the order a depth-first walk meets
    them: everything ``Resolution`` needs, so that a subtree met twice is walked once."""

    outcomes: frozenset[str | None]
    agreeing: frozenset[str]  # rules giving the leaf's outcome in every leaf
    verdicts: tuple[Verdict, ...]  # first verdict of each rule, over all leaves
    prevailing: tuple[Verdict, ...]  # first prevailing verdict of each rule
    relevant: tuple[Variable, ...]  # variables whose value changed the outcomes, post-order
    conflicts: tuple[tuple[Verdict, Verdict], ...]
    everywhere: frozenset[tuple[str, str]]  # the conflicts (by rule ids) found in every leaf


#: Subtrees already walked, by state; an engine may keep one per pair across situations.
Walked = dict[tuple[object, ...], "_Summary"]


def resolve(
    compiled: Compiled, pair: Pair, values: Sequence[Truth], walked: Walked | None = None
) -> Resolution:
    """The pair's outcome over every way its unknowns could turn out; ``walked`` (the same
    pair's, from earlier situations) saves walking states met before."""
    summary = _Search(compiled, pair, {} if walked is None else walked).explore(list(values))
    outcomes = summary.outcomes
    outcome = next(iter(outcomes)) if len(outcomes) == 1 else "indeterminate"
    return Resolution(
        outcome=outcome,
        cited=_cited(summary, outcome),
        relevant=summary.relevant,
        conflicts=_conflicts(summary, determinate=len(outcomes) == 1),
        speaking=summary.verdicts,
    )


class _Search:
    """Depth-first search over the unknown variables, walking each distinct state once.

    A node's subtree is fixed by each rule's *residual*: its condition with every decided part
    replaced by its truth (Kleene logic is monotone: learning more never undecides a part).
    Branches that differ only inside decided parts (say, which open question made the place
    City property) share one walk; without this the search is exponential in the open
    questions and facts a pair reads. Splitting on a variable that no residual mentions gives
    children with the state of their parent, so it cannot change the summary either.
    """

    def __init__(self, compiled: Compiled, pair: Pair, walked: Walked) -> None:
        self.compiled = compiled
        self.pair = pair
        self.rules = [rule for _, rules in pair.groups for rule in rules]
        self.seen = walked

    def explore(self, values: list[Truth]) -> _Summary:
        state, split = self._state(values)
        found = self.seen.get(state)
        if found is None:
            found = self.seen[state] = self._walk(values, split)
        return found

    def _walk(self, values: list[Truth], split: Variable | None) -> _Summary:
        if split is None:
            leaf = _leaf_or_split(self.compiled, self.pair, values)
            assert isinstance(leaf, Leaf)
            return _leaf_summary(leaf)
        children: list[_Summary] = []
        for truths in split.domain:
            branch = list(values)
            for index, truth in zip(split.atoms, truths, strict=True):
                branch[index] = truth
            children.append(self.explore(branch))
        return _merge(children, split)

    def _state(self, values: list[Truth]) -> tuple[tuple[object, ...], Variable | None]:
        """The node's state (each rule's verdict or residual) and the variable to split on:
        the one ``_leaf_or_split`` would choose, the first unknown atom of the first undecided
        rule."""
        state: list[object] = []
        split: Variable | None = None
        for rule in self.rules:
            unknown = _rule_state(rule, values, state)
            if unknown is not None and split is None:
                split = _unknown_variable(self.compiled, unknown, values)
        return tuple(state), split


def _rule_state(
    rule: CompiledRule, values: list[Truth], state: list[object]
) -> Sequence[int] | None:
    """Append the rule's verdict (False: it does not apply) or its residual to ``state``;
    return the atoms to split on while it is undecided."""
    mark = len(state)
    applies = _residual(rule.condition, values, state)
    if applies is False:
        return None
    unknown: Sequence[int] | None = rule.atoms if applies is None else None
    for exception in rule.unless:
        holds = _residual(exception.condition, values, state)
        if holds and unknown is None:
            del state[mark:]
            state.append(f"{exception.exception.outcome}/{exception.exception.id}")
            return None
        if holds is None and unknown is None:
            unknown = exception.atoms
    if unknown is None:
        del state[mark:]
        state.append(rule.rule.outcome)
    return unknown


def _residual(node: Indexed, values: Sequence[Truth], state: list[object]) -> Truth:
    """Kleene's truth of ``node``; appends the node to ``state`` with each decided part
    replaced by its truth (an undecided part is written ``op ... )``)."""
    op = node.op
    if op == "atom":
        truth = values[node.atom]
        state.append(truth)
        return truth
    mark = len(state)
    state.append(op)
    if op == "not":
        inner = _residual(node.children[0], values, state)
        truth = None if inner is None else not inner
    else:
        decisive = op == "or"
        truth = not decisive
        for child in node.children:
            found = _residual(child, values, state)
            if found is decisive:  # decided, whatever the other parts say
                truth = decisive
                break
            if found is None:
                truth = None
    if truth is None:
        state.append(")")
    else:
        del state[mark:]
        state.append(truth)
    return truth


def _leaf_summary(leaf: Leaf) -> _Summary:
    high = leaf.prevailing[0] if leaf.prevailing else None
    conflicts = _unique_conflicts((high, low) for low in leaf.overridden if high is not None)
    return _Summary(
        outcomes=frozenset({leaf.outcome}),
        agreeing=leaf.agreeing,
        verdicts=_unique(leaf.verdicts),
        prevailing=_unique(leaf.prevailing),
        relevant=(),
        conflicts=conflicts,
        everywhere=frozenset(_conflict_key(c) for c in conflicts),
    )


def _merge(children: list[_Summary], split: Variable) -> _Summary:
    relevant = list(dict.fromkeys(v for child in children for v in child.relevant))
    if len({child.outcomes for child in children}) > 1 and split not in relevant:
        relevant.append(split)
    return _Summary(
        outcomes=frozenset().union(*(child.outcomes for child in children)),
        agreeing=frozenset.intersection(*(child.agreeing for child in children)),
        verdicts=_unique(v for child in children for v in child.verdicts),
        prevailing=_unique(v for child in children for v in child.prevailing),
        relevant=tuple(relevant),
        conflicts=_unique_conflicts(c for child in children for c in child.conflicts),
        everywhere=frozenset.intersection(*(child.everywhere for child in children)),
    )


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
            verdict = Verdict(rule, rule.rule.outcome, None, rule.rule.permission != "floor")
            for exception in rule.unless:
                holds = exception.test(values)
                if holds is None:
                    return _unknown_variable(compiled, exception.atoms, values)
                if holds:
                    found = exception.exception
                    verdict = Verdict(rule, found.outcome, found.id, found.permission != "floor")
                    break
            verdicts.append(verdict)
        if verdicts:
            spoken.append(tuple(verdicts))
    if not spoken:
        return Leaf(None, (), (), ())
    # The highest instrument whose outcome binds prevails; a floor above it stands aside.
    top = next((k for k, group in enumerate(spoken) if group[0].binds), 0)
    prevailing = spoken[top]
    outcome = prevailing[0].outcome
    overridden = tuple(v for group in spoken[top + 1 :] for v in group if v.outcome != outcome)
    return Leaf(outcome, prevailing, tuple(v for group in spoken for v in group), overridden)


def _unknown_variable(compiled: Compiled, atoms: Sequence[int], values: list[Truth]) -> Variable:
    for index in atoms:
        if values[index] is None:
            return compiled.variable_of[index]
    raise AssertionError("a condition is unknown although all its atoms are known")


def _cited(summary: _Summary, outcome: str | None) -> tuple[Verdict, ...]:
    """The rules to cite: those giving the outcome in every world, else each world's prevailing."""
    if outcome is None:
        return ()
    if outcome != "indeterminate":
        chosen = tuple(v for v in summary.verdicts if v.rule.rule.id in summary.agreeing)
        if chosen:
            return chosen
    return summary.prevailing


def _unique(verdicts: Iterable[Verdict]) -> tuple[Verdict, ...]:
    found: dict[str, Verdict] = {}
    for verdict in verdicts:
        found.setdefault(verdict.rule.rule.id, verdict)
    return tuple(found.values())


def _conflicts(summary: _Summary, determinate: bool) -> tuple[tuple[Verdict, Verdict], ...]:
    """The overrides precedence resolved: for an undecided pair, only those in every world.

    An override that happens only in some ways the facts could turn out is not reported as
    resolved; the open question or missing fact that decides it is reported instead.
    """
    if determinate:
        return summary.conflicts
    return tuple(c for c in summary.conflicts if _conflict_key(c) in summary.everywhere)


def _conflict_key(conflict: tuple[Verdict, Verdict]) -> tuple[str, str]:
    high, low = conflict
    return (high.rule.rule.id, low.rule.rule.id)


def _unique_conflicts(
    pairs: Iterable[tuple[Verdict, Verdict]],
) -> tuple[tuple[Verdict, Verdict], ...]:
    found: dict[tuple[str, str], tuple[Verdict, Verdict]] = {}
    for conflict in pairs:
        found.setdefault(_conflict_key(conflict), conflict)
    return tuple(found.values())
