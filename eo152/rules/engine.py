"""The engine: a compiled policy (and a deployment's readings) turning situations into decisions.

``Engine.decide`` validates the situation, evaluates every atom once, and resolves each
(actor, action) the law in force speaks to. Resolutions are memoized on the truth values of
the atoms a pair reads: deciding is a pure function of those, so two situations that agree on
them share the work of splitting on unknowns (see ``docs/architecture.md``); the explanation
is still written from each situation's own facts.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .. import __version__
from . import contract, explain
from .compile import Compiled, Pair
from .conditions import Truth
from .decision import Conflict, Decision, Duty
from .policy import DEFAULT_POLICY_DIR, Instrument, Policy, load_policy
from .readings import Reading, load_readings
from .resolve import Resolution, Verdict, resolve
from .vocab import URGENCY

DENVER = ZoneInfo("America/Denver")
ENGINE = f"eo152 {__version__}"
_MEMO_LIMIT = 200_000
_Resolved = tuple[Resolution, explain.Template | None]
_LEVEL_WORDS = {
    "federal": "federal law",
    "state": "Colorado law",
    "city_ordinance": "a City ordinance",
    "executive_order": "an executive order",
}


class Engine:
    def __init__(self, policy: Policy, readings: dict[str, Reading] | None = None) -> None:
        self.policy = policy
        self.readings = readings or {}
        self.answers = {qid: r.answer for qid, r in self.readings.items()}
        self.compiled = Compiled(policy)
        self._tests = self.compiled.tests(self.answers)
        self.memoize = True
        self._memo: dict[tuple[int, str, tuple[Truth, ...]], _Resolved] = {}
        self._duties: dict[tuple[explain.Template, tuple[Any, ...]], Duty] = {}
        self._instruments_of: dict[int, tuple[tuple[str, str], ...]] = {}
        self._instruments = {i.id: i for i in policy.instruments}

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
        values = [test(situation) for test in self._tests]
        duties: list[Duty] = []
        conflicts: list[Conflict] = []
        for pair in plan:
            resolution, template = self._resolve(plan, pair, values)
            if template is None:
                continue
            duties.append(self._duty(template, values, situation))
            conflicts.extend(self._conflict(pair, high, low) for high, low in resolution.conflicts)
        duties.sort(key=_urgency)
        return Decision(
            engine=ENGINE,
            instruments=[{"id": i, "version": v} for i, v in self._in_force(plan)],
            situation=situation,
            duties=duties,
            conflicts=conflicts,
            as_of=as_of,
            as_of_source=source,
            readings=[r.as_dict() for r in self.readings.values()],
        )

    def _resolve(
        self, plan: tuple[Pair, ...], pair: Pair, values: list[Truth]
    ) -> tuple[Resolution, explain.Template | None]:
        """The pair's resolution and its duty's template (None where the law does not speak)."""
        if not self.memoize:
            return self._resolved(pair, values)
        key = (id(plan), pair.name, tuple(values[i] for i in pair.atoms))
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            found = self._memo[key] = self._resolved(pair, values)
        return found

    def _resolved(
        self, pair: Pair, values: list[Truth]
    ) -> tuple[Resolution, explain.Template | None]:
        resolution = resolve(self.compiled, pair, values)
        if resolution.outcome is None:
            return resolution, None
        return resolution, explain.template(self.compiled, pair, resolution, values, self.readings)

    def _duty(
        self, template: explain.Template, values: list[Truth], situation: dict[str, Any]
    ) -> Duty:
        """The duty written from the situation's facts; the same facts give the same duty."""
        if not self.memoize:
            return template.render(values, situation)
        key = (template, template.key(values, situation))
        found = self._duties.get(key)
        if found is None:
            if len(self._duties) >= _MEMO_LIMIT:
                self._duties.clear()
            found = self._duties[key] = template.render(values, situation)
        return found

    def _in_force(self, plan: tuple[Pair, ...]) -> tuple[tuple[str, str], ...]:
        """The instruments with a rule in the plan, and their versions."""
        found = self._instruments_of.get(id(plan))
        if found is None:
            ids = sorted(
                {r.rule.instrument for pair in plan for _, rules in pair.groups for r in rules}
            )
            found = self._instruments_of[id(plan)] = tuple(
                (i, self._instruments[i].version) for i in ids
            )
        return found

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


def _urgency(duty: Duty) -> tuple[int, int]:
    rank = _RANK.get(f"{duty.actor}/{duty.action}", len(URGENCY))
    return (0 if duty.outcome != "indeterminate" else 1, rank)


def _moment(at: str | None) -> tuple[date, str, str]:
    """The day whose law applies (in Denver), the moment as ISO text, and where it came from."""
    if at is None:
        now = datetime.now(DENVER)
        return now.date(), now.isoformat(timespec="seconds"), "now"
    moment = datetime.fromisoformat(at)
    local = moment.replace(tzinfo=DENVER) if moment.tzinfo is None else moment.astimezone(DENVER)
    return local.date(), local.isoformat(timespec="seconds"), "situation"
