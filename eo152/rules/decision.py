"""Decisions as ``CONTRACT.md`` shapes them: duties, missing facts, conflicts, place."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import rfc8785


@dataclass(frozen=True)
class Conflict:
    """A higher instrument overriding a lower one on one (actor, action)."""

    actor: str
    action: str
    prevailing: tuple[str, str, str]  # instrument, rule, outcome
    overridden: tuple[str, str, str]
    basis: str

    def as_dict(self) -> dict[str, Any]:
        keys = ("instrument", "rule", "outcome")
        return {
            "actor": self.actor,
            "action": self.action,
            "prevailing": dict(zip(keys, self.prevailing, strict=True)),
            "overridden": dict(zip(keys, self.overridden, strict=True)),
            "basis": self.basis,
        }


@dataclass(frozen=True)
class Duty:
    actor: str
    action: str
    outcome: str
    rules: tuple[str, ...]
    cites: tuple[str, ...]
    because: tuple[str, ...]
    open_questions: tuple[dict[str, Any], ...]
    violation: bool | None
    plain: dict[str, str]
    changes_if: dict[str, str] | None
    missing_facts: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "action": self.action,
            "outcome": self.outcome,
            "rules": list(self.rules),
            "cites": list(self.cites),
            "because": list(self.because),
            "open_questions": list(self.open_questions),
            "violation": self.violation,
            "plain": self.plain,
            "changes_if": self.changes_if,
            "missing_facts": list(self.missing_facts),
        }


@dataclass
class Decision:
    """What the law in force says each actor must, may or must not do in one situation.

    ``situation`` is kept as given (before any place fill) for ``situation_sha256``, which is
    computed on first use: hashing is the caller's cost only when the hash is wanted.
    """

    engine: str
    instruments: list[dict[str, str]]
    situation: dict[str, Any]
    duties: list[Duty]
    conflicts: list[Conflict]
    as_of: str
    as_of_source: str
    place: dict[str, Any] | None = None
    readings: list[dict[str, str]] = field(default_factory=list)

    @property
    def missing_facts(self) -> list[str]:
        found: dict[str, None] = {}
        for duty in self.duties:
            for fact in duty.missing_facts:
                found[fact] = None
        return list(found)

    @cached_property
    def situation_sha256(self) -> str:
        return hashlib.sha256(rfc8785.dumps(self.situation)).hexdigest()

    def duty(self, actor: str, action: str) -> Duty | None:
        return next((d for d in self.duties if d.actor == actor and d.action == action), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "policy": {"jurisdiction": "denver", "instruments": self.instruments},
            "as_of": {"at": self.as_of, "source": self.as_of_source},
            "situation_sha256": self.situation_sha256,
            "duties": [d.as_dict() for d in self.duties],
            "missing_facts": self.missing_facts,
            "conflicts": [c.as_dict() for c in self.conflicts],
            "readings": self.readings,
            "place": self.place,
        }
