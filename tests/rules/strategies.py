"""Hypothesis strategies for situations, generated from the contract's schema.

Nothing here lists a field or a value by hand: the strategies are built by walking
``eo152.contract.SITUATION``, so a field added to the contract is generated (and the
coverage test fails if a new *kind* of field is not). Every field of an object is
independently absent, ``null`` or set; lists hold 0 to 3 items; ``at`` falls between 2017
and 2027, so instruments both in and out of force are hit.

``Generator`` records, for every contract path, the kind and values its strategies draw
from: the coverage test compares that source schema with ``contract.FIELDS``.

This module also knows where a situation leaves a fact unknown (``holes``) and how to fill
one (``fill``), for the property "unknown is either value, never false", and how to break a
valid situation in one place (``invalid_situations``).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from typing import Any

from hypothesis import strategies as st

from eo152 import contract
from eo152.contract import Field
from eo152.rules.conditions import DEFAULTS, IMPLIED, UNKNOWN_VALUES
from eo152.rules.engine import DENVER

Situation = dict[str, Any]
Key = str | int

#: First and last moments generated for ``at``.
EARLIEST = datetime(2017, 1, 1)
LATEST = datetime(2027, 12, 31, 23, 59, 59)
MAX_ITEMS = 3
#: Text is kept short (the contract's limits are tested by the mutations of invalid input).
MAX_TEXT = 24

_ZONES: st.SearchStrategy[tzinfo] = st.sampled_from(
    [UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=-6)), DENVER]
)


def moments(boundaries: tuple[datetime, ...] = ()) -> st.SearchStrategy[str]:
    """ISO 8601 date-times from 2017 to 2027, naive or with an offset, with the hours around
    ``boundaries`` (the days instruments come into or go out of force) drawn more often."""
    anywhere = st.one_of(
        st.datetimes(EARLIEST, LATEST), st.datetimes(EARLIEST, LATEST, timezones=_ZONES)
    )
    if not boundaries:
        return anywhere.map(lambda d: d.isoformat())
    near = st.tuples(st.sampled_from(boundaries), st.integers(-36, 36)).map(
        lambda b: b[0] + timedelta(hours=b[1])
    )
    return st.one_of(anywhere, near).map(lambda d: d.isoformat())


class Generator:
    """Builds strategies from contract fields and records what they draw from.

    ``kinds`` and ``values`` are the source schema of the strategies built so far: for each
    contract path, its kind and the values a ``sampled_from`` draws from.
    """

    def __init__(self, boundaries: tuple[datetime, ...] = ()) -> None:
        self.boundaries = boundaries
        self.kinds: dict[str, str] = {}
        self.values: dict[str, frozenset[object]] = {}

    def _record(self, node: Field, values: tuple[object, ...] = ()) -> None:
        self.kinds[node.path] = node.kind
        if values:
            self.values[node.path] = frozenset(values)

    def value(self, node: Field) -> st.SearchStrategy[Any]:
        """A set (non-null) value for one contract field."""
        kind = node.kind
        if kind == "bool":
            self._record(node, (True, False))
            return st.booleans()
        if kind == "enum":
            self._record(node, node.values)
            return st.sampled_from(node.values)
        if kind == "enum_list":
            self._record(node, node.values)
            return st.lists(st.sampled_from(node.values), max_size=MAX_ITEMS)
        if kind == "object":
            self._record(node)
            return self.obj(node)
        if kind == "object_list":
            self._record(node)
            return st.lists(self.obj(node), max_size=MAX_ITEMS)
        if kind == "text":
            self._record(node)
            return st.text(max_size=min(MAX_TEXT, node.max_length))
        if kind == "number":
            self._record(node)
            low, high = node.minimum, node.maximum
            assert low is not None and high is not None
            return st.one_of(
                st.floats(low, high, allow_nan=False, allow_infinity=False),
                st.integers(math.ceil(low), math.floor(high)),
            )
        if kind == "datetime":
            self._record(node)
            return moments(self.boundaries)
        raise AssertionError(f"no strategy for {node.path}: kind {kind!r}")

    def obj(self, node: Field) -> st.SearchStrategy[Situation]:
        """An object of the contract (the situation, one of its objects, a list item), each
        field independently absent, null or set."""
        return st.fixed_dictionaries(
            {}, optional={c.name: st.one_of(st.none(), self.value(c)) for c in node.fields}
        )


@cache
def situations(boundaries: tuple[datetime, ...] = ()) -> st.SearchStrategy[Situation]:
    """Any valid situation (built once: Hypothesis caches work per strategy object)."""
    return Generator(boundaries).obj(contract.SITUATION)


def silent_about(base: st.SearchStrategy[Situation], *names: str) -> st.SearchStrategy[Situation]:
    """Situations of ``base`` made to say nothing about the top-level fields ``names``: each
    is absent, null or (for an object) an object whose fields are all null or ``unknown``."""
    said_nothing = {n: _nothing(contract.SITUATION.by_name[n]) for n in names}
    return st.tuples(base, st.fixed_dictionaries({}, optional=said_nothing)).map(
        lambda both: {**{k: v for k, v in both[0].items() if k not in names}, **both[1]}
    )


_ABSENT = object()


def around(
    seeds: tuple[Situation, ...], boundaries: tuple[datetime, ...] = ()
) -> st.SearchStrategy[Situation]:
    """Situations near realistic ones (``seeds``, for example the policy's test cases, where
    rules do apply): each field of a seed, at every depth, is kept, made absent, made null,
    or replaced by any value the contract allows; each field a seed lacks may be added."""
    generator = Generator(boundaries)
    fresh = {
        path: st.one_of(st.none(), generator.value(field))
        for path, field in contract.FIELDS.items()
    }
    return st.one_of(*(_around(seed, contract.SITUATION, fresh) for seed in seeds))


def _around(
    seed: dict[str, Any], node: Field, fresh: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[Situation]:
    choices: dict[str, st.SearchStrategy[Any]] = {}
    for child in node.fields:
        if child.name not in seed:
            choices[child.name] = st.one_of(st.just(_ABSENT), st.just(_ABSENT), fresh[child.path])
            continue
        kept = seed[child.name]
        keep: st.SearchStrategy[Any]
        if child.kind == "object" and isinstance(kept, dict):
            keep = _around(kept, child, fresh)
        elif child.kind == "object_list" and isinstance(kept, list):
            keep = st.tuples(*(_around(item, child, fresh) for item in kept)).map(list)
        else:
            keep = st.just(kept)
        choices[child.name] = st.one_of(keep, keep, keep, st.just(_ABSENT), fresh[child.path])
    return st.fixed_dictionaries(choices).map(
        lambda d: {k: v for k, v in d.items() if v is not _ABSENT}
    )


def _nothing(node: Field) -> st.SearchStrategy[Any]:
    if node.kind == "object":
        unknown = {c.name: _nothing(c) for c in node.fields if c.path not in DEFAULTS}
        return st.one_of(st.none(), st.fixed_dictionaries({}, optional=unknown))
    unknown_values = [v for v in node.values if v in UNKNOWN_VALUES]
    if node.kind == "enum" and unknown_values:
        return st.sampled_from([None, *unknown_values])
    if node.kind == "enum_list" and unknown_values:
        some_unknown = st.lists(st.sampled_from(unknown_values), min_size=1, max_size=MAX_ITEMS)
        return st.one_of(st.none(), some_unknown)
    return st.none()


# -- unknown facts and how to fill them -----------------------------------------------------


@dataclass(frozen=True)
class Hole:
    """A fact the situation leaves unknown, at a concrete place (``city_personnel[1].role``).

    ``where`` is the chain of keys and list indices from the situation down to it; ``field``
    its contract field. Filling it with any allowed value only narrows the worlds the
    situation describes.
    """

    path: str
    where: tuple[Key, ...]
    field: Field
    in_list: bool = False  # an ``unknown`` element of an enumerated list

    def fills(self) -> st.SearchStrategy[list[Any]]:
        """The values to try: every value of a scalar's domain, or one generated value."""
        if self.in_list or self.field.kind in ("enum", "bool"):
            domain = (True, False) if self.field.kind == "bool" else self.field.values
            return st.just(list(domain))
        return _values_of(self.field.path).map(lambda v: [_leave_defaults(v, self.field)])


@cache
def _values_of(path: str) -> st.SearchStrategy[Any]:
    return Generator().value(contract.FIELDS[path])


def _leave_defaults(value: Any, node: Field) -> Any:
    """A generated object without the facts that have a default (``conditions.DEFAULTS``):
    absent they are not unknown, so setting them is not learning an unknown fact."""
    if node.kind != "object" or not isinstance(value, dict):
        return value
    return {
        k: _leave_defaults(v, node.by_name[k])
        for k, v in value.items()
        if node.by_name[k].path not in DEFAULTS
    }


#: Not facts of the encounter: ``at`` absent means "decide as of now", not "unknown".
NOT_FACTS = frozenset({"at"})


def holes(situation: Situation) -> list[Hole]:
    """Every unknown fact of a situation that a rule could read.

    A field is unknown when it (or an object holding it) is absent or null, or holds an
    ``unknown`` value; a list with an ``UNKNOWN`` element has that element unknown. Facts
    with a documented default (``conditions.DEFAULTS``) are not unknown when absent.
    """
    found: list[Hole] = []
    _holes(situation, contract.SITUATION, (), "", found)
    return found


def _implied(path: str, parent: dict[str, Any] | None) -> bool:
    """Whether a sibling settles the absent fact ``path`` (``conditions.IMPLIED``)."""
    rule = IMPLIED.get(path)
    return rule is not None and parent is not None and parent.get(rule[0]) == rule[1]


def _holes(
    facts: dict[str, Any] | None, node: Field, where: tuple[Key, ...], text: str, found: list[Hole]
) -> None:
    for child in node.fields:
        if child.path in NOT_FACTS or child.path in DEFAULTS:
            continue
        here = (*where, child.name)
        name = f"{text}.{child.name}" if text else child.name
        current = facts.get(child.name) if facts is not None else None
        if current is None and _implied(child.path, facts):
            continue  # another fact settles it (``force.kind: none``): it is known
        if child.kind == "object":
            if current is None:
                found.append(Hole(name, here, child))
            _holes(current, child, here, name, found)
        elif current is None or (isinstance(current, str) and current in UNKNOWN_VALUES):
            found.append(Hole(name, here, child))
        elif child.kind == "object_list":
            for index, item in enumerate(current):
                _holes(item, child, (*here, index), f"{name}[{index}]", found)
        elif child.kind == "enum_list":
            for index, element in enumerate(current):
                if element in UNKNOWN_VALUES:
                    found.append(Hole(f"{name}[{index}]", (*here, index), child, in_list=True))


def fill(situation: Situation, hole: Hole, filler: Any) -> Situation:
    """A copy of the situation with the hole filled (objects on the way created)."""
    filled = copy.deepcopy(situation)
    container: Any = filled
    for key in hole.where[:-1]:
        if isinstance(key, int):
            container = container[key]
        else:
            if container.get(key) is None:
                container[key] = {}
            container = container[key]
    container[hole.where[-1]] = filler
    return filled


def contract_path(where: tuple[Key, ...]) -> str:
    """``("city_personnel", 1, "role")`` as the contract writes it: ``city_personnel[].role``."""
    text = ""
    for key in where:
        if isinstance(key, int):
            text += "[]"
        else:
            text = f"{text}.{key}" if text else key
    return text.removesuffix("[]")


# -- invalid situations ----------------------------------------------------------------------

#: Values of the wrong JSON type for each kind of field (a wrong *value* of the right type,
#: for enumerations, is drawn separately).
WRONG_TYPE: dict[str, tuple[object, ...]] = {
    "bool": ("true", 1, 0, 2.5, [], {}),
    "enum": (3, 2.5, True, [], {}),
    "enum_list": ("text", 3, True, {}),
    "object": ("text", 3, True, []),
    "object_list": ("text", 3, True, {}),
    "text": (3, 2.5, True, [], {}),
    "number": ("39.7", True, [], {}, float("nan"), float("inf")),
    "datetime": (3, True, [], {}, "yesterday", "2026-13-01T00:00:00"),
}


@dataclass(frozen=True)
class Broken:
    """A situation broken in one place; ``path`` is how the error must name that place."""

    situation: Situation
    path: str
    how: str
    allowed: tuple[str, ...] = ()  # values (or field names) the message must offer


def _objects(
    facts: dict[str, Any], node: Field, where: tuple[Key, ...], text: str
) -> list[tuple[tuple[Key, ...], str, Field, dict[str, Any]]]:
    """Every object of a situation (itself, its objects, its list items), with its place."""
    found = [(where, text, node, facts)]
    for key, current in facts.items():
        child = node.by_name[key]
        name = f"{text}.{key}" if text else key
        if child.kind == "object" and current is not None:
            found += _objects(current, child, (*where, key), name)
        elif child.kind == "object_list" and current is not None:
            for index, item in enumerate(current):
                found += _objects(item, child, (*where, key, index), f"{name}[{index}]")
    return found


def _wrong_enum_value(node: Field) -> st.SearchStrategy[str]:
    near_misses = st.sampled_from(node.values).map(str.swapcase)
    anything = st.text(max_size=12)
    return st.one_of(near_misses, anything).filter(lambda v: v not in node.values)


@st.composite
def invalid_situations(draw: st.DrawFn) -> Broken:
    """A valid situation broken in one place, at any depth: an unknown field, a value of the
    wrong type, a value outside an enumeration, a bad element of a list, an over-long text,
    a number out of range."""
    situation = draw(situations())
    where, text, node, _ = draw(st.sampled_from(_objects(situation, contract.SITUATION, (), "")))
    broken = copy.deepcopy(situation)
    target: Any = broken
    for key in where:
        target = target[key]

    def at(name: str) -> str:
        return f"{text}.{name}" if text else name

    field = draw(st.sampled_from([None, *node.fields]))
    if field is None:
        unknown = draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in node.by_name))
        target[unknown] = draw(st.sampled_from([None, True, "x", 1, {}]))
        allowed = tuple(c.name for c in node.fields)
        return Broken(broken, at(unknown), "unknown field", allowed)
    ways = ["wrong type"]
    if field.kind == "enum":
        ways.append("value outside the enumeration")
    if field.kind in ("enum_list", "object_list"):
        ways.append("bad list element")
    if field.kind == "text":
        ways.append("too long")
    if field.kind == "number":
        ways.append("out of range")
    how = draw(st.sampled_from(ways))
    name = at(field.name)
    if how == "wrong type":
        target[field.name] = draw(st.sampled_from(WRONG_TYPE[field.kind]))
        return Broken(broken, name, how)
    if how == "value outside the enumeration":
        target[field.name] = draw(_wrong_enum_value(field))
        return Broken(broken, name, how, field.values)
    if how == "too long":
        target[field.name] = "x" * (field.max_length + draw(st.integers(1, 5)))
        return Broken(broken, name, how)
    if how == "out of range":
        assert field.maximum is not None and field.minimum is not None
        target[field.name] = draw(
            st.sampled_from([field.maximum + 0.5, field.minimum - 1, field.maximum * 10])
        )
        return Broken(broken, name, how)
    items = list(target.get(field.name) or [])
    index = draw(st.integers(0, len(items)))
    if field.kind == "enum_list":
        bad: object = draw(st.one_of(_wrong_enum_value(field), st.sampled_from([3, None, {}])))
        allowed = field.values if isinstance(bad, str) else ()
    else:
        bad, allowed = draw(st.sampled_from(["text", 3, None, [], True])), ()
    items.insert(index, bad)
    target[field.name] = items
    return Broken(broken, f"{name}[{index}]", how, allowed)
