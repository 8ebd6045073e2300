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
from .conditions import Truth, evaluate_atom
from .decision import Conflict, Decision, Duty
from .policy import DEFAULT_POLICY_DIR, Instrument, Policy, load_policy
from .readings import Reading, load_readings
from .resolve import Resolution, Verdict, resolve
from .vocab import URGENCY

DENVER = ZoneInfo("America/Denver")
ENGINE = f"eo152 {__version__}"
_MEMO_LIMIT = 200_000
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
        self.memoize = True
        self._memo: dict[tuple[int, str, tuple[Truth, ...]], Resolution] = {}
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
        values = [evaluate_atom(a, situation, self.answers) for a in self.compiled.atoms]
        duties: list[Duty] = []
        conflicts: list[Conflict] = []
        for pair in plan:
            resolution = self._resolve(plan, pair, values)
            if resolution.outcome is None:
                continue
            duties.append(
                explain.duty(self.compiled, pair, resolution, values, situation, self.readings)
            )
            conflicts.extend(self._conflict(pair, high, low) for high, low in resolution.conflicts)
        duties.sort(key=_urgency)
        in_force = sorted(
            {
                pair_rule.rule.instrument
                for pair in plan
                for _, rules in pair.groups
                for pair_rule in rules
            }
        )
        return Decision(
            engine=ENGINE,
            instruments=[{"id": i, "version": self._instruments[i].version} for i in in_force],
            situation=situation,
            duties=duties,
            conflicts=conflicts,
            as_of=as_of,
            as_of_source=source,
            readings=[r.as_dict() for r in self.readings.values()],
        )

    def _resolve(self, plan: tuple[Pair, ...], pair: Pair, values: list[Truth]) -> Resolution:
        if not self.memoize:
            return resolve(self.compiled, pair, values)
        key = (id(plan), pair.name, tuple(values[i] for i in pair.atoms))
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            found = self._memo[key] = resolve(self.compiled, pair, values)
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


def _urgency(duty: Duty) -> tuple[int, int]:
    name = f"{duty.actor}/{duty.action}"
    rank = URGENCY.index(name) if name in URGENCY else len(URGENCY)
    return (0 if duty.outcome != "indeterminate" else 1, rank)


def _moment(at: str | None) -> tuple[date, str, str]:
    """The day whose law applies (in Denver), the moment as ISO text, and where it came from."""
    if at is None:
        now = datetime.now(DENVER)
        return now.date(), now.isoformat(timespec="seconds"), "now"
    moment = datetime.fromisoformat(at)
    local = moment.replace(tzinfo=DENVER) if moment.tzinfo is None else moment.astimezone(DENVER)
    return local.date(), local.isoformat(timespec="seconds"), "situation"
