"""The engine: a compiled policy (and a deployment's readings) turning situations into decisions.

``Engine.decide`` reads as CONTRACT.md's "Decision": validate the situation, take the law in
force on its day, evaluate every atom once (three values), and for each (actor, action) that
law speaks to, resolve it (``resolve``: precedence over every way the unknowns could turn out)
and explain it (``explain``: rules, cites, the facts that made it, sentences, "if ..., then").

``Memo`` is everything an engine remembers across situations, in one object beside that logic:
deciding is a pure function of the truths of the atoms a pair reads, so situations that agree
on them share the work (see ``docs/architecture.md``, Memoization). ``engine.memo = None``
decides every situation from scratch: the plain path the equivalence tests compare against.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from .. import __version__, contract
from ..contract.actions import URGENCY
from . import explain
from .compile import Compiled, Pair, Plan, tuple_getter
from .conditions import Truth
from .decision import Conflict, Decision, Duty, NotApplicable
from .policy import DEFAULT_POLICY_DIR, Instrument, Policy, load_policy
from .readings import Reading, load_readings
from .resolve import Verdict, Walk, resolve

DENVER = ZoneInfo("America/Denver")
ENGINE = f"eo152 {__version__}"

_LEVEL_WORDS = {
    "federal": "federal law",
    "state": "Colorado law",
    "city_ordinance": "a City ordinance",
    "executive_order": "an executive order",
}
_RANK = {name: rank for rank, name in enumerate(URGENCY)}


@dataclass(frozen=True)
class _Said:
    """What the law in force says about one pair, given the truths the pair reads."""

    template: explain.Template | None  # None: the law in force does not speak to the pair
    conflicts: tuple[Conflict, ...]
    ruled_out: tuple[explain.RuledOut, ...]  # its rules whose condition the facts make false
    order: tuple[int, int]  # where its duty is listed: determinate first, then by urgency


class _Spoken:
    """What a plan says for one situation's truths: the duties' templates in the order duties
    are listed, the conflicts and the rules ruled out in plan order, and which facts of the
    situation the duties' texts read (their ``key``)."""

    __slots__ = (
        "conflicts",
        "deep",
        "fields",
        "items",
        "masks",
        "missing",
        "named",
        "ruled_out",
        "templates",
    )

    def __init__(self, said: Sequence[_Said], compiled: Compiled) -> None:
        ordered = sorted((s for s in said if s.template is not None), key=lambda s: s.order)
        self.templates = tuple(s.template for s in ordered if s.template is not None)
        self.conflicts = tuple(c for s in said for c in s.conflicts)
        self.ruled_out = tuple(r for s in said for r in s.ruled_out)
        indices = [t.indices for t in self.templates] + [r.indices for r in self.ruled_out]
        self.named = tuple_getter(sorted({i for found in indices for i in found}))
        # The ``some`` atoms whose items the templates list: several templates often list the
        # same one, and its items are looked into once per situation for all of them.
        self.items = tuple(sorted({i for t in self.templates for i in t.items}))
        self.missing = tuple(compiled.items_missing[i] for i in self.items)
        # Most duties' subjects are top-level fields: which of those the situation gives (a bit
        # per field) says whether they are engaged. The others (``deep``) ask the situation.
        fields = sorted({f for t in self.templates for f in t.subject or ()})
        self.fields = {field: 1 << n for n, field in enumerate(fields)}
        self.masks = tuple(
            None if t.subject is None else sum(self.fields[f] for f in t.subject)
            for t in self.templates
        )
        self.deep = tuple(t for t in self.templates if t.subject is None)

    def engaged_key(self, situation: dict[str, Any]) -> object:
        """What ``engaged`` reads of the situation."""
        given = explain.given_fields(situation, self.fields)
        if not self.deep:
            return given
        return (given, tuple([t.engaged_by(situation) for t in self.deep]))

    def engaged(self, situation: dict[str, Any]) -> tuple[bool, ...]:
        """Whether the situation raises each duty's subject."""
        given = explain.given_fields(situation, self.fields)
        return tuple(
            [
                t.engaged_by(situation) if mask is None else bool(given & mask)
                for t, mask in zip(self.templates, self.masks, strict=True)
            ]
        )

    def lists(self, facts: Sequence[Any]) -> explain.Lists:
        if not self.items:
            return _NO_LISTS
        return dict(zip(self.items, [missing(facts) for missing in self.missing], strict=True))

    def key(self, facts: Sequence[Any], lists: explain.Lists) -> tuple[Any, ...]:
        """What the duties read beyond the truths: named facts and lists' unknown fields."""
        if not self.items:
            return self.named(facts)
        return (self.named(facts), tuple(lists.values()))


_NO_LISTS: explain.Lists = MappingProxyType({})

#: A decision's duties and the rules its facts ruled out, as written from its facts.
_Written = tuple[tuple[Duty, ...], tuple[NotApplicable, ...]]


class Engine:
    def __init__(self, policy: Policy, readings: dict[str, Reading] | None = None) -> None:
        self.policy = policy
        self.readings = readings or {}
        self.answers = {qid: r.answer for qid, r in self.readings.items()}
        self.compiled = Compiled(policy)
        self.memo: Memo | None = Memo()
        self._read = self.compiled.reader(self.answers)
        self._tests = self.compiled.tests(self.answers)
        self._instruments = {i.id: i for i in policy.instruments}
        self._readings = [r.to_dict() for r in self.readings.values()]
        self._texts = explain.Texts(self.compiled, self.readings)

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
        plan = self.compiled.plan(day)
        facts = self._read(situation)
        truths = [test(facts) for test in self._tests]
        spoken = self._spoken(plan, truths)
        duties, ruled_out = self._written(spoken, facts, situation)
        # Positional arguments, in ``Decision``'s field order: this runs for every decision.
        return Decision(
            ENGINE,
            [{"id": i, "version": v} for i, v in plan.instruments],
            situation,
            list(duties),
            list(spoken.conflicts),
            as_of,
            source,
            None,
            [dict(r) for r in self._readings] if self._readings else [],
            list(ruled_out),
        )

    def _spoken(self, plan: Plan, truths: list[Truth]) -> _Spoken:
        """What the law in force says about every pair it speaks to."""
        memo = self.memo
        if memo is None:
            return _Spoken(
                [self._said(pair, pair.presume(truths)) for pair in plan.pairs], self.compiled
            )
        key = (plan, tuple(truths))
        found = memo.spoken.get(key)  # looked up here, not in ``remember``: most calls hit
        if found is not None:
            return found
        return memo.remember(
            memo.spoken,
            key,
            lambda: _Spoken(
                [self._said_again(memo, pair, truths) for pair in plan.pairs], self.compiled
            ),
        )

    def _said_again(self, memo: Memo, pair: Pair, truths: list[Truth]) -> _Said:
        presumed = pair.presume(truths)
        return memo.remember(
            memo.said,
            (pair, pair.reads(presumed)),
            lambda: self._said(pair, presumed, memo.walk(self.compiled, pair)),
        )

    def _said(self, pair: Pair, truths: list[Truth], walk: Walk | None = None) -> _Said:
        """Resolve the pair over every way its unknowns could turn out, then explain it; the
        truths are as the pair reads them (its presumptions applied)."""
        ruled_out = tuple(
            explain.ruled_out(self.compiled, rule, truths, self._texts)
            for rule in pair.rules
            if rule.when(truths) is False
        )
        resolution = resolve(self.compiled, pair, truths, walk)
        if resolution.outcome is None:
            return _Said(None, (), ruled_out, (0, 0))
        template = explain.template(self.compiled, pair, resolution, truths, self._texts)
        conflicts = tuple(self._conflict(pair, high, low) for high, low in resolution.conflicts)
        rank = _RANK.get(pair.name, len(URGENCY))
        return _Said(
            template, conflicts, ruled_out, (int(resolution.outcome == "indeterminate"), rank)
        )

    def _written(self, spoken: _Spoken, facts: list[Any], situation: dict[str, Any]) -> _Written:
        """The duties and ruled-out rules written from the situation's own facts."""
        lists = spoken.lists(facts)
        memo = self.memo
        if memo is None:
            engaged = spoken.engaged(situation)
            return (
                tuple(
                    t.render(situation, lists, on)
                    for t, on in zip(spoken.templates, engaged, strict=True)
                ),
                tuple(r.render(situation) for r in spoken.ruled_out),
            )
        key = (spoken, spoken.key(facts, lists), spoken.engaged_key(situation))
        found = memo.written.get(key)
        if found is not None:
            return found
        return memo.remember(
            memo.written,
            key,
            lambda: (
                tuple(
                    memo.duty(t, facts, situation, lists, on)
                    for t, on in zip(spoken.templates, spoken.engaged(situation), strict=True)
                ),
                tuple(r.render(situation) for r in spoken.ruled_out),
            ),
        )

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


_Key = TypeVar("_Key", bound=Hashable)
_Value = TypeVar("_Value")


class Memo:
    """What an engine remembers across situations. Every table is bounded: a full one is
    emptied before it takes another entry.

    - ``spoken``: what a plan says, by the truths of all atoms (most callers repeat situations);
    - ``said``: what the law says about one pair, by the truths it reads (its presumptions
      applied): the resolution and the parts of the duty that follow from it;
    - ``walks``: each pair's search (``resolve.Walk``): a state's summary holds in any situation;
    - ``written`` and ``duties``: duties as written from the facts their texts name.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self.spoken: dict[tuple[Plan, tuple[Truth, ...]], _Spoken] = {}
        self.said: dict[tuple[Pair, tuple[Truth, ...]], _Said] = {}
        self.walks: dict[Pair, Walk] = {}
        self.written: dict[tuple[_Spoken, tuple[Any, ...], object], _Written] = {}
        self.duties: dict[tuple[explain.Template, tuple[Any, ...], bool], Duty] = {}

    def remember(self, table: dict[_Key, _Value], key: _Key, make: Callable[[], _Value]) -> _Value:
        """``table[key]``, made once."""
        found = table.get(key)
        if found is None:
            if len(table) >= self.limit:
                table.clear()
            found = table[key] = make()
        return found

    def walk(self, compiled: Compiled, pair: Pair) -> Walk:
        found = self.walks.get(pair)
        if found is None or len(found.summaries) >= self.limit:
            found = self.walks[pair] = Walk(compiled, pair)
        return found

    def duty(
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
        return self.remember(
            self.duties,
            (template, template.key(facts, lists), engaged),
            lambda: template.render(situation, lists, engaged),
        )


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
