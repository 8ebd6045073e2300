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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import NamedTuple

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
    walk = walk or Walk(compiled, pair)
    summary = walk.explore(values)
    outcome = _ONLY.get(summary.outcomes, "indeterminate")
    determinate = outcome != "indeterminate"
    variables = compiled.variables
    relevant = tuple(variables[n] for n in summary.relevant)
    return Resolution(
        outcome=outcome,
        cited=walk.cited(summary, outcome),
        relevant=relevant,
        conflicts=walk.conflicts(summary, determinate),
        speaking=walk.named(summary.verdicts),
        settled=()
        if determinate
        else tuple(
            Settled(variables[n], choice, _ONLY[outcomes])
            for n in summary.relevant
            for choice, outcomes in enumerate(
                summary.given.get(n) or (summary.outcomes,) * len(variables[n].domain)
            )
            if outcomes in _ONLY
        ),
    )


# -- the search ----------------------------------------------------------------------------


class _Summary(NamedTuple):
    """What the leaves below one node of the search say, in the order a depth-first walk meets
    them: everything ``Resolution`` needs, so that a subtree met twice is walked once.

    Verdicts are numbers in their ``Walk`` and rules positions in the pair, so that a summary
    holds only ints and tuples: a memo keeps hundreds of thousands of them, and the garbage
    collector stops walking such tuples.
    """

    outcomes: int  # the leaves' outcomes (``_BIT``)
    agreeing: int  # rules (bits by position) giving the leaf's outcome in every leaf
    verdicts: tuple[int, ...]  # first verdict of each rule, over all leaves
    prevailing: tuple[int, ...]  # first prevailing verdict of each rule
    relevant: tuple[int, ...]  # variables (numbers) whose value changed the outcomes, post-order
    conflicts: tuple[tuple[int, int], ...]  # (prevailing, overridden) verdicts
    everywhere: int  # the conflicts (bits by the two rules' positions) found in every leaf
    # For each variable split on below: the outcomes of the leaves with each of its values
    # (``_given``: a row of the node's own outcomes is left out).
    given: dict[int, tuple[int, ...]]


#: A rule's state: its verdict (a number, -1 while it does not apply or is undecided), the atoms
#: to split on while undecided (empty once decided), and the unknown atoms its residual still
#: reads (a bit mask). States are numbered per ``Walk``; a node's state is the tuple of the
#: numbers of its rules' states.
_RuleState = tuple[int, tuple[int, ...], int]

_Residual = bool | tuple[object, ...]  # a decided part's truth, or what is left of it
#: A rule's state as ``_rule_state`` finds it: as ``_RuleState``, with the verdict itself.
_Decided = tuple[Verdict | None, tuple[int, ...], int]


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
        self.compiled = compiled
        ranked = [(rank, rule) for rank, (_, rules) in enumerate(pair.groups) for rule in rules]
        self.rules = tuple(rule for _, rule in ranked)
        self.ranks = tuple(rank for rank, _ in ranked)
        self.groups = len(pair.groups)
        # Per rule: its state (a number) by the truths of its atoms, and by its residual.
        self.by_truths: list[dict[tuple[Truth, ...], int]] = [{} for _ in ranked]
        self.by_residual: list[dict[_Residual, int]] = [{} for _ in ranked]
        self.states: list[_RuleState] = []
        # Verdicts by number, each with its rule's position and its outcome's bit.
        self.verdicts: list[Verdict] = []
        self.verdict_of: dict[tuple[int, str | None], int] = {}
        self.position: list[int] = []
        self.leaves: dict[tuple[int, ...], _Summary] = {}
        self.summaries: dict[tuple[int, ...], _Summary] = {}

    def explore(self, values: Sequence[Truth]) -> _Summary:
        key = []
        for k, rule in enumerate(self.rules):
            truths = rule.truths(values)
            state = self.by_truths[k].get(truths)
            if state is None:
                state = self.by_truths[k][truths] = self._state(k, rule, values)
            key.append(state)
        states = tuple(key)
        found = self.summaries.get(states)
        if found is None:
            found = self.summaries[states] = self._walk(values, states)
        return found

    def _state(self, k: int, rule: CompiledRule, values: Sequence[Truth]) -> int:
        residual, (verdict, split, live) = _rule_state(rule, values)
        found = self.by_residual[k].get(residual)
        if found is None:
            number = -1 if verdict is None else self._verdict(k, verdict)
            found = self.by_residual[k][residual] = len(self.states)
            self.states.append((number, split, live))
        return found

    def _verdict(self, k: int, verdict: Verdict) -> int:
        key = (k, verdict.exception)
        found = self.verdict_of.get(key)
        if found is None:
            found = self.verdict_of[key] = len(self.verdicts)
            self.verdicts.append(verdict)
            self.position.append(k)
        return found

    def _walk(self, values: Sequence[Truth], states: tuple[int, ...]) -> _Summary:
        split = self._split(values, states)
        if split < 0:
            spoken = tuple(number for s in states if (number := self.states[s][0]) >= 0)
            found = self.leaves.get(spoken)
            if found is None:
                found = self.leaves[spoken] = self._leaf(spoken)
            return found
        children = []
        atoms = self.compiled.variables[split].atoms
        for truths in self.compiled.variables[split].domain:
            branch = list(values)
            for index, truth in zip(atoms, truths, strict=True):
                branch[index] = truth
            children.append(self.explore(branch))
        return self._merge(children, split)

    def _split(self, values: Sequence[Truth], states: tuple[int, ...]) -> int:
        """The variable (its number) to split on, or -1 at a leaf: that of the first unknown
        atom of the first undecided rule, passing over variables no residual reads."""
        table = self.states
        undecided = next((split for s in states if (split := table[s][1])), None)
        if undecided is None:
            return -1
        live = 0
        for s in states:
            live |= table[s][2]
        number, mask = self.compiled.variable_number, self.compiled.variable_mask
        for index in undecided:
            if values[index] is None and live & mask[number[index]]:
                return number[index]
        raise AssertionError("an undecided rule reads no unknown atom")

    def _leaf(self, spoken: tuple[int, ...]) -> _Summary:
        """The summary of one world, where the verdicts ``spoken`` (numbers, in rule order)
        speak: precedence as ``leaf`` applies it."""
        groups: list[list[Verdict]] = [[] for _ in range(self.groups)]
        for number in spoken:
            groups[self.ranks[self.position[number]]].append(self.verdicts[number])
        found = leaf([group for group in groups if group])
        number_of = {id(self.verdicts[n]): n for n in spoken}
        verdicts = tuple(number_of[id(v)] for v in found.verdicts)
        high = number_of[id(found.prevailing[0])] if found.prevailing else -1
        conflicts = tuple((high, number_of[id(v)]) for v in found.overridden)
        return _Summary(
            outcomes=_BIT[found.outcome],
            agreeing=sum(
                1 << self.position[number_of[id(v)]]
                for v in found.verdicts
                if v.outcome == found.outcome
            ),
            verdicts=verdicts,
            prevailing=tuple(number_of[id(v)] for v in found.prevailing),
            relevant=(),
            conflicts=conflicts,
            everywhere=reduce(or_, (self._conflict_bit(c) for c in conflicts), 0),
            given=_NO_ROWS,
        )

    def _conflict_bit(self, conflict: tuple[int, int]) -> int:
        high, low = conflict
        return 1 << (self.position[high] * len(self.rules) + self.position[low])

    def _merge(self, children: list[_Summary], split: int) -> _Summary:
        first = children[0]
        outcomes, agreeing, everywhere = 0, first.agreeing, first.everywhere
        relevant: dict[int, None] = {}
        for child in children:
            outcomes |= child.outcomes
            agreeing &= child.agreeing
            everywhere &= child.everywhere
            relevant.update(dict.fromkeys(child.relevant))
        if any(child.outcomes != first.outcomes for child in children):
            relevant.setdefault(split)
        return _Summary(
            outcomes=outcomes,
            agreeing=agreeing,
            verdicts=self._unique([child.verdicts for child in children]),
            prevailing=self._unique([child.prevailing for child in children]),
            relevant=tuple(relevant),
            conflicts=self._conflicts(children),
            everywhere=everywhere,
            given=_given(children, split, outcomes, self.compiled.variables),
        )

    def _unique(self, rows: list[tuple[int, ...]]) -> tuple[int, ...]:
        """The verdicts of the children's ``rows``, the first of each rule."""
        first = rows[0]
        if all(row == first for row in rows):
            return first
        seen = 0
        found = []
        position = self.position
        for row in rows:
            for number in row:
                bit = 1 << position[number]
                if not seen & bit:
                    seen |= bit
                    found.append(number)
        return tuple(found)

    def _conflicts(self, children: list[_Summary]) -> tuple[tuple[int, int], ...]:
        """The children's conflicts, the first of each two rules."""
        found: dict[int, tuple[int, int]] = {}
        for child in children:
            for conflict in child.conflicts:
                found.setdefault(self._conflict_bit(conflict), conflict)
        return tuple(found.values())

    # -- what the summary of the root says --------------------------------------------------

    def named(self, numbers: Iterable[int]) -> tuple[Verdict, ...]:
        return tuple(self.verdicts[n] for n in numbers)

    def cited(self, summary: _Summary, outcome: str | None) -> tuple[Verdict, ...]:
        """The rules to cite: those giving the outcome in every world, else each world's
        prevailing."""
        if outcome is None:
            return ()
        if outcome != "indeterminate":
            chosen = self.named(
                n for n in summary.verdicts if summary.agreeing >> self.position[n] & 1
            )
            if chosen:
                return chosen
        return self.named(summary.prevailing)

    def conflicts(
        self, summary: _Summary, determinate: bool
    ) -> tuple[tuple[Verdict, Verdict], ...]:
        """The overrides precedence resolved: for an undecided pair, only those in every world.

        An override that happens only in some ways the facts could turn out is not reported as
        resolved; the open question or missing fact that decides it is reported instead.
        """
        return tuple(
            (self.verdicts[high], self.verdicts[low])
            for high, low in summary.conflicts
            if determinate or summary.everywhere & self._conflict_bit((high, low))
        )


def _given(
    children: list[_Summary], split: int, outcomes: int, variables: Sequence[Variable]
) -> dict[int, tuple[int, ...]]:
    """For each variable split on below: the outcomes of the leaves with each of its values.
    With a variable known, a leaf keeps its outcome; the split's values are the children's.

    A row giving every value the node's own ``outcomes`` is left out, as is every row of a
    node whose leaves agree: a missing row means that, so merging and ``resolve`` read the
    same, and most subtrees (those that are determinate) carry no rows at all.
    """
    if outcomes in _ONLY:
        return _NO_ROWS
    given = {}
    row = tuple([child.outcomes for child in children])
    if any(found != outcomes for found in row):
        given[split] = row
    below = dict.fromkeys(n for child in children for n in child.given)
    below.pop(split, None)
    for n in below:
        columns = (0,) * len(variables[n].domain)
        for child in children:
            found = child.given.get(n)
            if found is None:
                columns = tuple([column | child.outcomes for column in columns])
            else:
                columns = tuple(map(or_, columns, found))
        if any(column != outcomes for column in columns):
            given[n] = columns
    return given


_NO_ROWS: dict[int, tuple[int, ...]] = {}


def _rule_state(
    rule: CompiledRule, values: Sequence[Truth]
) -> tuple[_Residual, tuple[Verdict | None, tuple[int, ...], int]]:
    """The rule's residual and its state: its verdict once decided (None: it does not
    apply), else the atoms to split on and the unknown atoms it still reads (a bit mask)."""
    live: list[int] = []
    applies = _residual(rule.condition, values, live)
    if applies is False:
        return False, (None, (), 0)
    split: tuple[int, ...] = rule.atoms if applies is not True else ()
    residual: list[_Residual] = [applies]
    for exception in rule.unless:
        holds = _residual(exception.condition, values, live)
        if holds is True and not split:
            found = exception.exception
            decided = Verdict(rule, found.outcome, found.id, found.permission != "floor")
            return (found.id,), (decided, (), 0)
        if holds is not True and holds is not False and not split:
            split = exception.atoms
        residual.append(holds)
    if not split:
        verdict = Verdict(rule, rule.rule.outcome, None, rule.rule.permission != "floor")
        return True, (verdict, (), 0)
    return tuple(residual), (None, split, reduce(or_, (1 << i for i in live), 0))


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
