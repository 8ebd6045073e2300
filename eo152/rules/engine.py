"""The engine: a compiled policy (and a deployment's readings) turning situations into decisions.

``Engine.decide`` validates the situation, evaluates every atom once, and resolves each
(actor, action) the law in force speaks to. Resolutions are memoized on the truth values of
the atoms a pair's rules read: deciding is a pure function of those, so two situations that
agree on them share the work of splitting on unknowns (see ``docs/architecture.md``). The
explanation is still written from each situation's own facts; a duty is memoized on the
values of the facts it names. ``memoize = False`` turns every memo off (the plain path the
equivalence tests compare against).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from .. import __version__
from . import contract, explain
from .compile import Compiled, Pair, tuple_getter
from .conditions import Truth
from .decision import Conflict, Decision, Duty, IfThen, NotApplicable
from .policy import DEFAULT_POLICY_DIR, Instrument, Policy, load_policy
from .readings import Reading, load_readings
from .resolve import Resolution, Verdict, Walked, resolve
from .vocab import URGENCY

DENVER = ZoneInfo("America/Denver")
ENGINE = f"eo152 {__version__}"
_MEMO_LIMIT = 200_000
_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


def _remembered(table: dict[_Key, _Value], key: _Key, make: Callable[[], _Value]) -> _Value:
    """``table[key]``, made once; a full table is emptied first, so memory stays bounded."""
    found = table.get(key)
    if found is None:
        if len(table) >= _MEMO_LIMIT:
            table.clear()
        found = table[key] = make()
    return found


_LEVEL_WORDS = {
    "federal": "federal law",
    "state": "Colorado law",
    "city_ordinance": "a City ordinance",
    "executive_order": "an executive order",
}


@dataclass(frozen=True)
class _Entry:
    """What the law says about one pair for one memo key."""

    template: explain.Template | None  # None: the law in force does not speak to the pair
    conflicts: tuple[Conflict, ...]
    order: tuple[int, int]  # where its duty is listed: determinate first, then by urgency


class _Step:
    """One pair of a plan and its memo: entries by the truths of every atom the pair's rules
    read (conditions, exceptions and violation tests), and the subtrees its search walked."""

    __slots__ = ("entries", "key", "pair", "walked")

    def __init__(self, pair: Pair, atoms: Sequence[int]) -> None:
        self.pair = pair
        self.key = tuple_getter(atoms)
        self.entries: dict[tuple[Truth, ...], _Entry] = {}
        self.walked: Walked = {}


class _Spoken:
    """What a plan says for one set of truths: the duties' templates in the order duties are
    listed, the conflicts in plan order, and the duties by the facts the templates read."""

    __slots__ = ("conflicts", "duties", "items", "missing", "named", "ruled_out", "templates")

    def __init__(
        self,
        templates: tuple[explain.Template, ...],
        conflicts: tuple[Conflict, ...],
        ruled_out: tuple[explain.RuledOut, ...],
        compiled: Compiled,
    ) -> None:
        self.templates = templates
        self.conflicts = conflicts
        self.ruled_out = ruled_out
        indices = [t.indices for t in templates] + [r.indices for r in ruled_out]
        self.named = tuple_getter(sorted({i for found in indices for i in found}))
        # The ``some`` atoms whose items the templates list: several templates often list the
        # same one, and its items are looked into once per situation for all of them.
        self.items = tuple(sorted({i for t in templates for i in t.items}))
        self.missing = tuple(compiled.items_missing[i] for i in self.items)
        self.duties: dict[tuple[Any, ...], _Written] = {}

    def lists(self, facts: Sequence[Any]) -> explain.Lists:
        return dict(zip(self.items, [missing(facts) for missing in self.missing], strict=True))

    def key(self, facts: Sequence[Any], lists: explain.Lists) -> tuple[Any, ...]:
        """What the duties read beyond the truths: named facts and lists' unknown fields (the
        templates' keys are parts of it)."""
        if not self.items:
            return self.named(facts)
        return (self.named(facts), tuple(lists.values()))


#: A decision's duties and the rules its facts ruled out, as written from its facts.
_Written = tuple[tuple[Duty, ...], tuple[NotApplicable, ...]]


class _Plan:
    """A plan of the law in force, its steps, and what it says by the truths of all atoms:
    situations that agree on every truth (the common case) skip the steps' memos."""

    __slots__ = ("in_force", "spoken", "steps")

    def __init__(self, steps: tuple[_Step, ...], in_force: tuple[tuple[str, str], ...]) -> None:
        self.steps = steps
        self.in_force = in_force  # the instruments with a rule in the plan, and their versions
        self.spoken: dict[tuple[Truth, ...], _Spoken] = {}


class Engine:
    def __init__(self, policy: Policy, readings: dict[str, Reading] | None = None) -> None:
        self.policy = policy
        self.readings = readings or {}
        self.answers = {qid: r.answer for qid, r in self.readings.items()}
        self.compiled = Compiled(policy)
        self.memoize = True
        self._read = self.compiled.reader(self.answers)
        self._tests = self.compiled.tests(self.answers)
        self._plans: dict[int, _Plan] = {}
        self._plan_of_day: dict[date, _Plan] = {}
        self._duties: dict[tuple[explain.Template, tuple[Any, ...], bool], Duty] = {}
        self._instruments = {i.id: i for i in policy.instruments}
        self._readings = [r.as_dict() for r in self.readings.values()]

    @classmethod
    def load(
        cls, policy_dir: Path = DEFAULT_POLICY_DIR, readings_path: Path | None = None
    ) -> Engine:
        policy = load_policy(policy_dir)
        readings = load_readings(readings_path, policy.questions) if readings_path else None
        return cls(policy, readings)

    @property
    def instruments(self) -> list[Instrument]:
        return self.policy.instruments

    def decide(self, situation: dict[str, Any], *, validated: bool = False) -> Decision:
        """The decision for one situation; raises InvalidSituation unless ``validated``."""
        if not validated:
            contract.validate(situation)
        day, as_of, source = _moment(situation.get("at"))
        plan = self._plan(day)
        facts = self._read(situation)
        values = [test(facts) for test in self._tests]
        spoken = self._spoken(plan, values)
        duties, ruled_out = self._written(spoken, facts, situation)
        return Decision(
            engine=ENGINE,
            instruments=[{"id": i, "version": v} for i, v in plan.in_force],
            situation=situation,
            duties=list(duties),
            not_applicable=list(ruled_out),
            conflicts=list(spoken.conflicts),
            as_of=as_of,
            as_of_source=source,
            readings=list(map(dict, self._readings)),
        )

    def _plan(self, day: date) -> _Plan:
        return _remembered(self._plan_of_day, day, lambda: self._plan_of(self.compiled.plan(day)))

    def _plan_of(self, plan: tuple[Pair, ...]) -> _Plan:
        found = self._plans.get(id(plan))
        if found is None:
            steps = tuple(_Step(pair, self._key_atoms(pair)) for pair in plan)
            ids = sorted({r.rule.instrument for p in plan for _, rules in p.groups for r in rules})
            in_force = tuple((i, self._instruments[i].version) for i in ids)
            found = self._plans[id(plan)] = _Plan(steps, in_force)
        return found

    def _key_atoms(self, pair: Pair) -> list[int]:
        tests = [r.rule.violation for _, rules in pair.groups for r in rules if r.rule.violation]
        return sorted({*pair.atoms, *(i for node in tests for i in self.compiled.atoms_in(node))})

    def _spoken(self, plan: _Plan, values: list[Truth]) -> _Spoken:
        if not self.memoize:
            return self._speak(plan, values)
        return _remembered(plan.spoken, tuple(values), lambda: self._speak(plan, values))

    def _speak(self, plan: _Plan, values: list[Truth]) -> _Spoken:
        entries = [self._entry(step, values) for step in plan.steps]
        ordered = sorted((e for e in entries if e.template is not None), key=_order)
        return _Spoken(
            tuple(e.template for e in ordered if e.template is not None),
            tuple(c for e in entries for c in e.conflicts),
            self._ruled_out(plan, values),
            self.compiled,
        )

    def _ruled_out(self, plan: _Plan, values: list[Truth]) -> tuple[explain.RuledOut, ...]:
        """The rules in force whose condition the given facts make false."""
        found = []
        for step in plan.steps:
            presumed = step.pair.presume(values)
            for rule in step.pair.rules:
                if rule.when(presumed) is False:
                    found.append(explain.ruled_out(self.compiled, rule, presumed, self.readings))
        return tuple(found)

    def _entry(self, step: _Step, values: list[Truth]) -> _Entry:
        values = step.pair.presume(values)
        if not self.memoize:
            return self._new_entry(step.pair, values, None)
        if len(step.walked) >= _MEMO_LIMIT:
            step.walked.clear()
        return _remembered(
            step.entries, step.key(values), lambda: self._new_entry(step.pair, values, step.walked)
        )

    def _new_entry(self, pair: Pair, values: list[Truth], walked: Walked | None) -> _Entry:
        # The states this pair's search walks: kept across situations by the memo, and in any
        # case shared by the searches for one situation (its own and its "if ... then" ones).
        walked = {} if walked is None else walked
        resolution = resolve(self.compiled, pair, values, walked)
        if resolution.outcome is None:
            return _Entry(None, (), (0, 0))
        if_then = self._if_then(pair, resolution, values, walked)
        template = explain.template(self.compiled, pair, resolution, values, self.readings, if_then)
        conflicts = tuple(self._conflict(pair, high, low) for high, low in resolution.conflicts)
        rank = _RANK.get(pair.name, len(URGENCY))
        return _Entry(template, conflicts, (int(resolution.outcome == "indeterminate"), rank))

    def _if_then(
        self, pair: Pair, resolution: Resolution, values: list[Truth], walked: Walked
    ) -> tuple[IfThen, ...]:
        """For an undecided pair, what each value of each deciding fact or open question would
        make it, deciding again with that one variable set; values that leave it undecided
        are left out (they settle nothing)."""
        if resolution.outcome != "indeterminate":
            return ()
        questions = self.compiled.policy.questions
        found = []
        for variable in resolution.relevant:
            for choice, truths in enumerate(variable.domain):
                branch = list(values)
                for index, truth in zip(variable.atoms, truths, strict=True):
                    branch[index] = truth
                outcome = resolve(self.compiled, pair, branch, walked).outcome
                if outcome != "indeterminate":
                    found.append(explain.if_then_entry(pair, variable, choice, outcome, questions))
        return tuple(found)

    def _written(self, spoken: _Spoken, facts: list[Any], situation: dict[str, Any]) -> _Written:
        """The decision's duties and ruled-out rules: all at once when these facts (and which
        duties' subjects they raise) were met before."""
        engaged = tuple([t.engaged_by(situation) for t in spoken.templates])
        if not self.memoize:
            missing = self.compiled.items_missing
            return (
                tuple(
                    t.render(situation, {i: missing[i](facts) for i in t.items}, on)
                    for t, on in zip(spoken.templates, engaged, strict=True)
                ),
                tuple(r.render(situation) for r in spoken.ruled_out),
            )
        lists = spoken.lists(facts)
        return _remembered(
            spoken.duties,
            (spoken.key(facts, lists), engaged),
            lambda: (
                tuple(
                    self._duty(t, facts, situation, lists, on)
                    for t, on in zip(spoken.templates, engaged, strict=True)
                ),
                tuple(r.render(situation) for r in spoken.ruled_out),
            ),
        )

    def _duty(
        self,
        template: explain.Template,
        facts: list[Any],
        situation: dict[str, Any],
        lists: explain.Lists,
        engaged: bool,
    ) -> Duty:
        """The duty written from the situation's facts; the same facts give the same duty."""
        if template.duty is not None and engaged:
            return template.duty
        key = (template, template.key(facts, lists), engaged)
        return _remembered(self._duties, key, lambda: template.render(situation, lists, engaged))

    def _conflict(self, pair: Pair, high: Verdict, low: Verdict) -> Conflict:
        upper = self._instruments[high.rule.rule.instrument]
        lower = self._instruments[low.rule.rule.instrument]
        if upper.level != lower.level:
            basis = (
                f"{_LEVEL_WORDS[upper.level]} ({upper.short}) prevails over "
                f"{_LEVEL_WORDS[lower.level]} ({lower.short})"
            )
        else:
            basis = (
                f"the later {upper.short} ({upper.version}) prevails over "
                f"{lower.short} ({lower.version})"
            )
        return Conflict(
            pair.actor,
            pair.action,
            (upper.id, high.rule.rule.id, high.outcome),
            (lower.id, low.rule.rule.id, low.outcome),
            basis,
        )


_RANK = {name: rank for rank, name in enumerate(URGENCY)}
_order = attrgetter("order")


def _moment(at: str | None) -> tuple[date, str, str]:
    """The day whose law applies (in Denver), the moment as ISO text, and where it came from."""
    if at is None:
        return _now(int(time.time()))
    return _moment_at(at)


@lru_cache(maxsize=2)
def _now(second: int) -> tuple[date, str, str]:
    # The moment is written to the second: one clock reading serves every decision in it.
    now = datetime.fromtimestamp(second, DENVER)
    return now.date(), now.isoformat(timespec="seconds"), "now"


@lru_cache(maxsize=4096)
def _moment_at(at: str) -> tuple[date, str, str]:
    # Callers send the same few moments (a batch of one incident, an exercise's clock).
    moment = datetime.fromisoformat(at)
    try:
        local = (
            moment.replace(tzinfo=DENVER) if moment.tzinfo is None else moment.astimezone(DENVER)
        )
    except OverflowError:  # the first or last day a datetime holds: no law changes there
        local = moment
    return local.date(), local.isoformat(timespec="seconds"), "situation"
