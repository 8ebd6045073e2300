"""Resolving one (actor, action): every way the unknown facts and open questions could turn out.

CONTRACT.md, "Combining instruments": the outcome is determinate when every way of resolving
the unknowns, with precedence applied, gives the same outcome. So the search splits on an
unknown variable only where a rule cannot be decided without it, and stops a branch once every
rule of the pair is decided (Kleene evaluation). Each leaf is one class of possible worlds with
precedence applied (``leaf``). The pair's outcome is determinate when all leaves agree;
otherwise it is indeterminate, and the variables whose value changes the set of outcomes are the
missing facts and open questions that would decide it. The same walk says what each value of
each such variable would make the pair (``Resolution.settled``: the "if ..., then ..." lines).

The search is exact, and fast for sparse situations because it walks each distinct *state*
once: see ``Walk``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_

from .compile import Compiled, CompiledRule, Indexed, Pair, Variable
from .conditions import Truth

#: Sets of outcomes as bit masks: the search unions them at every node.
_BIT: dict[str | None, int] = {None: 1, "required": 2, "prohibited": 4, "permitted": 8}
_ONLY = {bit: outcome for outcome, bit in _BIT.items()}


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


def leaf(spoken: Sequence[Sequence[Verdict]]) -> Leaf:
    """Precedence in one world; ``spoken`` holds the verdicts of each instrument that speaks
    there, highest first. The highest instrument whose outcome binds prevails (a floor above it
    stands aside), and a lower one giving another outcome is overridden."""
    if not spoken:
        return Leaf(None, (), (), ())
    top = next((k for k, group in enumerate(spoken) if group[0].binds), 0)
    prevailing = tuple(spoken[top])
    outcome = prevailing[0].outcome
    overridden = tuple(v for group in spoken[top + 1 :] for v in group if v.outcome != outcome)
    return Leaf(outcome, prevailing, tuple(v for group in spoken for v in group), overridden)


@dataclass(frozen=True)
class Settled:
    """What the pair would be if one deciding variable had one value (a ``domain`` index)."""

    variable: Variable
    choice: int
    outcome: str | None


@dataclass(frozen=True)
class Resolution:
    outcome: str | None  # None: the law in force does not speak to the pair here
    cited: tuple[Verdict, ...]
    relevant: tuple[Variable, ...]
    conflicts: tuple[tuple[Verdict, Verdict], ...]
    speaking: tuple[Verdict, ...] = ()  # each rule that speaks in some world, first verdict
    settled: tuple[Settled, ...] = ()  # of an indeterminate pair: each value that decides it


def resolve(
    compiled: Compiled, pair: Pair, values: Sequence[Truth], walk: Walk | None = None
) -> Resolution:
    """The pair's outcome over every way its unknowns could turn out; ``walk`` (the same pair's,
    from earlier situations) saves walking states met before."""
    summary = (walk or Walk(compiled, pair)).explore(values)
    outcome = _ONLY.get(summary.outcomes, "indeterminate")
    determinate = outcome != "indeterminate"
    return Resolution(
        outcome=outcome,
        cited=_cited(summary, outcome),
        relevant=summary.relevant,
        conflicts=_conflicts(summary, determinate),
        speaking=summary.verdicts,
        settled=()
        if determinate
        else tuple(
            Settled(variable, choice, _ONLY[outcomes])
            for variable in summary.relevant
            for choice, outcomes in enumerate(summary.given[variable])
            if outcomes in _ONLY
        ),
    )


# -- the search ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Summary:
    """What the leaves below one node of the search say, in the order a depth-first walk meets
    them: everything ``Resolution`` needs, so that a subtree met twice is walked once."""

    outcomes: int  # the leaves' outcomes (``_BIT``)
    agreeing: frozenset[str]  # rules giving the leaf's outcome in every leaf
    verdicts: tuple[Verdict, ...]  # first verdict of each rule, over all leaves
    prevailing: tuple[Verdict, ...]  # first prevailing verdict of each rule
    relevant: tuple[Variable, ...]  # variables whose value changed the outcomes, post-order
    conflicts: tuple[tuple[Verdict, Verdict], ...]
    everywhere: frozenset[tuple[str, str]]  # the conflicts (by rule ids) found in every leaf
    # For each variable split on below: the outcomes of the leaves with each of its values.
    given: Mapping[Variable, tuple[int, ...]]


class _RuleState:
    """One rule at one node of the search: its verdict once decided, else what is left of its
    condition and exceptions (its *residual*). One object per distinct residual of a rule, so
    that a node's state is the tuple of its rules' states and compares by identity."""

    __slots__ = ("decided", "live", "split", "verdict")

    def __init__(
        self,
        verdict: Verdict | None,
        split: Sequence[int] = (),
        live: frozenset[int] = frozenset(),
    ) -> None:
        self.decided = not split
        self.verdict = verdict  # None: it does not apply (or is undecided)
        self.split = split  # while undecided: the atoms to split on, in order
        self.live = live  # the unknown atoms its residual still reads


_Residual = bool | tuple[object, ...]  # a decided part's truth, or what is left of it


class Walk:
    """The states one pair's search walked, and the summary below each.

    A node's subtree is fixed by each rule's residual: its condition and exceptions with every
    decided part replaced by its truth (Kleene logic is monotone: learning more never undecides
    a part). Branches that differ only inside decided parts (say, which open question made the
    place City property) share one walk; without this the search is exponential in the open
    questions and facts a pair reads. A variable that no residual reads is never split on: its
    values would give children with the state of their parent.

    Within one resolution this table is part of the algorithm; an engine's memo may keep a
    pair's walk across situations, since a state's summary does not depend on the situation.
    """

    def __init__(self, compiled: Compiled, pair: Pair) -> None:
        self.variable_of = compiled.variable_of
        ranked = [(rank, rule) for rank, (_, rules) in enumerate(pair.groups) for rule in rules]
        self.rules = tuple(rule for _, rule in ranked)
        self.ranks = tuple(rank for rank, _ in ranked)
        self.groups = len(pair.groups)
        # Per rule: its state by the truths of its atoms, and by its residual.
        self.by_truths: list[dict[tuple[Truth, ...], _RuleState]] = [{} for _ in ranked]
        self.by_residual: list[dict[_Residual, _RuleState]] = [{} for _ in ranked]
        self.summaries: dict[tuple[_RuleState, ...], _Summary] = {}

    def explore(self, values: Sequence[Truth]) -> _Summary:
        states = []
        for k, rule in enumerate(self.rules):
            truths = rule.truths(values)
            state = self.by_truths[k].get(truths)
            if state is None:
                residual, state = _rule_state(rule, values)
                state = self.by_truths[k][truths] = self.by_residual[k].setdefault(residual, state)
            states.append(state)
        key = tuple(states)
        found = self.summaries.get(key)
        if found is None:
            found = self.summaries[key] = self._walk(values, key)
        return found

    def _walk(self, values: Sequence[Truth], states: tuple[_RuleState, ...]) -> _Summary:
        split = self._split(values, states)
        if split is None:
            spoken: list[list[Verdict]] = [[] for _ in range(self.groups)]
            for rank, state in zip(self.ranks, states, strict=True):
                if state.verdict is not None:
                    spoken[rank].append(state.verdict)
            return _leaf_summary(leaf([group for group in spoken if group]))
        children = []
        for truths in split.domain:
            branch = list(values)
            for index, truth in zip(split.atoms, truths, strict=True):
                branch[index] = truth
            children.append(self.explore(branch))
        return _merge(children, split)

    def _split(self, values: Sequence[Truth], states: tuple[_RuleState, ...]) -> Variable | None:
        """The variable to split on: that of the first unknown atom of the first undecided rule,
        passing over variables no residual reads."""
        undecided = next((state for state in states if not state.decided), None)
        if undecided is None:
            return None
        live = frozenset().union(*(state.live for state in states))
        for index in undecided.split:
            if values[index] is None:
                variable = self.variable_of[index]
                if not live.isdisjoint(variable.atoms):
                    return variable
        raise AssertionError("an undecided rule reads no unknown atom")


def _rule_state(rule: CompiledRule, values: Sequence[Truth]) -> tuple[_Residual, _RuleState]:
    """The rule's residual and its state (as ``verdict`` decides it)."""
    live: list[int] = []
    applies = _residual(rule.condition, values, live)
    if applies is False:
        return False, _RuleState(None)
    split: Sequence[int] = rule.atoms if applies is not True else ()
    residual: list[_Residual] = [applies]
    for exception in rule.unless:
        holds = _residual(exception.condition, values, live)
        if holds is True and not split:
            found = exception.exception
            decided = Verdict(rule, found.outcome, found.id, found.permission != "floor")
            return (found.id,), _RuleState(decided)
        if holds is not True and holds is not False and not split:
            split = exception.atoms
        residual.append(holds)
    if not split:
        return True, _RuleState(
            Verdict(rule, rule.rule.outcome, None, rule.rule.permission != "floor")
        )
    return tuple(residual), _RuleState(None, split, frozenset(live))


def _residual(node: Indexed, values: Sequence[Truth], live: list[int]) -> _Residual:
    """Kleene's truth of ``node`` when decided, else what is left of it (a tuple of its
    parts' residuals); the unknown atoms left are added to ``live``."""
    op = node.op
    if op == "atom":
        truth = values[node.atom]
        if truth is None:
            live.append(node.atom)
            return ()
        return truth
    if op == "not":
        inner = _residual(node.children[0], values, live)
        return inner if isinstance(inner, tuple) else not inner
    decisive = op == "or"
    mark = len(live)
    parts: list[_Residual] = []
    for child in node.children:
        found = _residual(child, values, live)
        if found is decisive:  # decided, whatever the other parts say
            del live[mark:]
            return decisive
        parts.append(found)
    if len(live) == mark:
        return not decisive
    return tuple(parts)


def _leaf_summary(found: Leaf) -> _Summary:
    high = found.prevailing[0] if found.prevailing else None
    conflicts = _unique_conflicts((high, low) for low in found.overridden if high is not None)
    return _Summary(
        outcomes=_BIT[found.outcome],
        agreeing=found.agreeing,
        verdicts=_unique(found.verdicts),
        prevailing=_unique(found.prevailing),
        relevant=(),
        conflicts=conflicts,
        everywhere=frozenset(_conflict_key(c) for c in conflicts),
        given={},
    )


def _merge(children: list[_Summary], split: Variable) -> _Summary:
    relevant = list(dict.fromkeys(v for child in children for v in child.relevant))
    if len({child.outcomes for child in children}) > 1 and split not in relevant:
        relevant.append(split)
    # With a variable known, a leaf keeps its outcome; the split's values are the children's.
    given = {split: tuple(child.outcomes for child in children)}
    for variable in dict.fromkeys(v for child in children for v in child.given):
        if variable is not split:
            width = len(variable.domain)
            rows = [child.given.get(variable) or (child.outcomes,) * width for child in children]
            given[variable] = tuple(reduce(or_, column) for column in zip(*rows, strict=True))
    return _Summary(
        outcomes=reduce(or_, (child.outcomes for child in children)),
        agreeing=frozenset.intersection(*(child.agreeing for child in children)),
        verdicts=_unique(v for child in children for v in child.verdicts),
        prevailing=_unique(v for child in children for v in child.prevailing),
        relevant=tuple(relevant),
        conflicts=_unique_conflicts(c for child in children for c in child.conflicts),
        everywhere=frozenset.intersection(*(child.everywhere for child in children)),
        given=given,
    )


# -- what the summary of the root says ------------------------------------------------------


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
