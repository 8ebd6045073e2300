"""Decisions as ``CONTRACT.md`` shapes them: duties, missing facts, conflicts, place."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import Any

import rfc8785

from . import jsontext


@dataclass(frozen=True)
class Conflict:
    """A higher instrument overriding a lower one on one (actor, action)."""

    actor: str
    action: str
    prevailing: tuple[str, str, str]  # instrument, rule, outcome
    overridden: tuple[str, str, str]
    basis: str

    def to_dict(self) -> dict[str, Any]:
        keys = ("instrument", "rule", "outcome")
        return {
            "actor": self.actor,
            "action": self.action,
            "prevailing": dict(zip(keys, self.prevailing, strict=True)),
            "overridden": dict(zip(keys, self.overridden, strict=True)),
            "basis": self.basis,
        }


@dataclass(frozen=True)
class IfThen:
    """What an undecided duty would be if one deciding fact (or open question) were known."""

    given: tuple[tuple[str, Any], ...]  # the fact path (or ``question:<id>``) and its value
    then: str | None  # an outcome, or None: the law would not speak to the pair
    plain: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"if": dict(self.given), "then": self.then, "plain": dict(self.plain)}


@dataclass(frozen=True)
class NotApplicable:
    """A rule in force that a given fact rules out here, and the facts that do."""

    rule: str
    cites: tuple[str, ...]
    because: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "cites": list(self.cites), "because": list(self.because)}


@dataclass(frozen=True)
class Duty:
    """One (actor, action) and what the law says about it.

    The engine memoizes duties and hands the same one to every decision with the same facts:
    treat a duty as read-only; ``to_dict`` gives a copy that is the caller's own.
    """

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
    engaged: bool = True
    if_then: tuple[IfThen, ...] = ()
    _json: dict[int | None, tuple[bytes, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "action": self.action,
            "outcome": self.outcome,
            "rules": list(self.rules),
            "cites": list(self.cites),
            "because": list(self.because),
            "open_questions": [_copied(q) for q in self.open_questions],
            "violation": self.violation,
            "plain": dict(self.plain),
            "changes_if": dict(self.changes_if) if self.changes_if is not None else None,
            "missing_facts": list(self.missing_facts),
            "engaged": self.engaged,
            "if_then": [i.to_dict() for i in self.if_then],
        }

    def json_parts(self, indent: int | None) -> tuple[bytes, ...]:
        """The text of ``to_dict()`` (``jsontext``) in parts to join, written once per duty.

        ``because`` and ``missing_facts`` are the situation's; the parts around them are what
        the duty's template fixes (sentences, open questions: most of the text), interned so
        that the duties of one template keep one copy.
        """
        found = self._json.get(indent)
        if found is None:
            head, middle, tail = map(
                jsontext.intern, jsontext.holed(self.to_dict(), _SITUATIONS_OWN, indent)
            )
            because = jsontext.deeper([jsontext.dumps(list(self.because), indent)], indent)
            missing = jsontext.deeper([jsontext.dumps(list(self.missing_facts), indent)], indent)
            found = self._json[indent] = (head, *because, middle, *missing, tail)
        return found


#: The members of a duty written from the situation's facts, in the order ``to_dict`` has them.
_SITUATIONS_OWN = ("because", "missing_facts")


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
    not_applicable: list[NotApplicable] = field(default_factory=list)

    @property
    def missing_facts(self) -> list[str]:
        return list(dict.fromkeys(chain.from_iterable(d.missing_facts for d in self.duties)))

    @cached_property
    def situation_sha256(self) -> str:
        return hashlib.sha256(canonical_json(self.situation)).hexdigest()

    def duty(self, actor: str, action: str) -> Duty | None:
        return next((d for d in self.duties if d.actor == actor and d.action == action), None)

    def to_dict(self) -> dict[str, Any]:
        return self._shape([d.to_dict() for d in self.duties])

    @classmethod
    def from_dict(cls, stored: dict[str, Any], situation: dict[str, Any]) -> Decision:
        """The decision ``to_dict`` wrote (a stored finding, a referral's snapshot), made
        again from its JSON, with the situation it decided (the JSON holds its hash only)."""
        keys = ("instrument", "rule", "outcome")
        return cls(
            engine=stored["engine"],
            instruments=stored["policy"]["instruments"],
            situation=situation,
            duties=[
                Duty(
                    actor=d["actor"],
                    action=d["action"],
                    outcome=d["outcome"],
                    rules=tuple(d["rules"]),
                    cites=tuple(d["cites"]),
                    because=tuple(d["because"]),
                    open_questions=tuple(d["open_questions"]),
                    violation=d["violation"],
                    plain=d["plain"],
                    changes_if=d["changes_if"],
                    missing_facts=tuple(d["missing_facts"]),
                    engaged=d["engaged"],
                    if_then=tuple(
                        IfThen(tuple(i["if"].items()), i["then"], i["plain"]) for i in d["if_then"]
                    ),
                )
                for d in stored["duties"]
            ],
            conflicts=[
                Conflict(
                    c["actor"],
                    c["action"],
                    tuple(c["prevailing"][k] for k in keys),
                    tuple(c["overridden"][k] for k in keys),
                    c["basis"],
                )
                for c in stored["conflicts"]
            ],
            as_of=stored["as_of"]["at"],
            as_of_source=stored["as_of"]["source"],
            place=stored["place"],
            readings=stored["readings"],
            not_applicable=[
                NotApplicable(n["rule"], tuple(n["cites"]), tuple(n["because"]))
                for n in stored["not_applicable"]
            ],
        )

    def to_json(self, indent: int | None = None) -> bytes:
        """``to_dict()`` as ``json.dumps(..., ensure_ascii=False, indent=indent)`` writes it, in
        UTF-8, with the text of each duty written once for every decision that shares it."""
        return b"".join(self.json_parts(indent))

    def json_parts(self, indent: int | None) -> list[bytes]:
        """The text of ``to_json`` in pieces, to join (``jsontext``)."""
        shape = self._shape([])  # first: a situation that cannot be hashed raises as in to_dict
        duties = jsontext.array([d.json_parts(indent) for d in self.duties], indent)
        return jsontext.members(shape, {"duties": duties}, indent)

    def _shape(self, duties: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "policy": {"jurisdiction": "denver", "instruments": self.instruments},
            "as_of": {"at": self.as_of, "source": self.as_of_source},
            "situation_sha256": self.situation_sha256,
            "duties": duties,
            "missing_facts": self.missing_facts,
            "conflicts": [c.to_dict() for c in self.conflicts],
            "not_applicable": [n.to_dict() for n in self.not_applicable],
            "readings": self.readings,
            "place": self.place,
        }


def _copied(question: dict[str, Any]) -> dict[str, Any]:
    """A copy of an open question's ``to_dict`` (id, question in two languages, answers)."""
    return {
        **question,
        "question": dict(question["question"]),
        "answers": list(question["answers"]),
    }


_SAFE_INTEGER = 2**53 - 1
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical JSON.

    ``json.dumps`` with sorted keys writes the same bytes as RFC 8785 when every key is ASCII
    (RFC 8785 sorts by UTF-16 code units) and every float is one Python writes as ECMAScript
    does (see ``_json_safe``); it is tens of times faster than ``rfc8785``, which handles
    everything else. Coordinates (``39.7392``) are such floats.
    """
    if _json_safe(value):
        text = _CANONICAL.encode(value)
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: let rfc8785 say what is wrong
            pass
    result: bytes = rfc8785.dumps(value)
    return result


def _json_safe(value: Any) -> bool:
    """No non-ASCII key, no integer beyond 2**53 - 1, nothing but JSON's own types (exactly: a
    subclass takes the slow path, which is always right), and only floats that ``repr`` writes
    as ECMAScript (RFC 8785) does: with a fraction (``40.0`` is ``40`` there) and from 1e-4
    (``1e-05`` is ``0.00001`` there) to 1e16 (``1e+16`` is ``10000000000000000``), the same
    shortest digits that read back as the same float; NaN and infinities are not JSON."""
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is dict:
            for key in item:
                if type(key) is not str or not key.isascii():
                    return False
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
        elif kind is int:
            if not -_SAFE_INTEGER <= item <= _SAFE_INTEGER:
                return False
        elif kind is float:
            if not 1e-4 <= abs(item) < 1e16 or item.is_integer():
                return False
        elif not (kind is str or kind is bool or item is None):
            return False
    return True
