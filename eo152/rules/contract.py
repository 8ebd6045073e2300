"""The situation of ``CONTRACT.md`` as data: its fields, their types and their vocabulary.

One description serves validation (with field paths and allowed values in every message),
the policy checker (a rule may only name facts and values that are here), the JSON Schema of
the HTTP API, the forms of the web page and the property tests' generators.

Two facts extend the contract because the law needs them (see ``docs/contract-extensions.md``):
``location.within_city_limits`` (City-owned land outside Denver, an open question of P1) and
``force.excessive`` (the state-law test of C.R.S. 18-8-802, which is not the order's test).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache, partial
from typing import Any, Literal

from ..location_values import LOCATION_KINDS, LOCATION_OWNERSHIPS
from .errors import FieldError, InvalidSituation

Kind = Literal["bool", "enum", "enum_list", "object", "object_list", "text", "number", "datetime"]

#: Largest situation (or batch) accepted, in bytes of JSON.
MAX_INPUT_BYTES = 1024 * 1024

PEOPLE = ("subject", "protester", "observer", "bystander", "federal_agent", "officer")


@dataclass(frozen=True)
class Field:
    """One field of the situation; ``path`` is its dotted name, list items written ``[]``."""

    name: str
    kind: Kind
    values: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 200
    path: str = ""
    by_name: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def child(self, name: str) -> Field | None:
        return self.by_name.get(name)


def _f(name: str, kind: Kind, *values: str, **extra: Any) -> Field:
    return Field(name, kind, tuple(values), **extra)


def _obj(name: str, kind: Kind, *fields: Field) -> Field:
    return Field(name, kind, fields=fields)


def _with_paths(node: Field, prefix: str) -> Field:
    suffix = "[]" if node.kind in ("object_list",) else ""
    path = f"{prefix}.{node.name}" if prefix else node.name
    children = tuple(_with_paths(c, path + suffix) for c in node.fields)
    return Field(
        node.name,
        node.kind,
        node.values,
        children,
        node.minimum,
        node.maximum,
        node.max_length,
        path,
        {c.name: c for c in children},
    )


SITUATION: Field = _with_paths(
    _obj(
        "",
        "object",
        _f("id", "text"),
        _f("at", "datetime"),
        _f("jurisdiction", "enum", "denver"),
        _obj(
            "agents",
            "object",
            _f(
                "agencies",
                "enum_list",
                "ICE_ERO",
                "ICE_HSI",
                "CBP",
                "BORDER_PATROL",
                "USCIS",
                "FBI",
                "DEA",
                "ATF",
                "USMS",
                "OTHER_FEDERAL",
                "STATE",
                "LOCAL",
                "UNKNOWN",
            ),
            _f(
                "purpose",
                "enum",
                "civil_immigration",
                "criminal_immigration",
                "non_immigration",
                "unknown",
            ),
            _f("masked", "bool"),
            _f("identification_visible", "bool"),
        ),
        _f(
            "activities",
            "enum_list",
            "staging",
            "processing",
            "operations_base",
            "transit",
            "arrest",
            "detention",
            "search",
            "interview",
            "surveillance",
            "patrol",
            "crowd_control",
            "port_of_entry_inspection",
        ),
        _obj(
            "requests",
            "object_list",
            _f(
                "kind",
                "enum",
                "property_use",
                "vehicle_or_equipment",
                "data",
                "non_public_area_access",
                "jail_access",
            ),
            _f(
                "data_categories",
                "enum_list",
                "immigration_status",
                "citizenship",
                "address",
                "contact",
                "identity",
                "release_date",
                "criminal_history",
                "database_access",
                "technology_agreement",
                "other_pii",
            ),
        ),
        _obj(
            "authority",
            "object",
            _f(
                "kind",
                "enum",
                "judicial_warrant",
                "court_order",
                "court_issued_subpoena",
                "immigration_judge_order",
                "administrative_warrant",
                "administrative_subpoena",
                "detainer",
                "required_by_law",
                "consent",
                "none",
                "unknown",
            ),
            _f("form", "text"),
        ),
        _obj(
            "location",
            "object",
            _f("lat", "number", minimum=-90, maximum=90),
            _f("lon", "number", minimum=-180, maximum=180),
            _f("address", "text", max_length=300),
            _f("ownership", "enum", *LOCATION_OWNERSHIPS),
            _f("kind", "enum", *LOCATION_KINDS),
            _f("area", "enum", "public", "non_public"),
            _f("within_city_limits", "bool"),
            _f("courthouse_environs", "bool"),
            _f("fixed_cameras", "bool"),
            _f("courtroom", "bool"),
        ),
        _obj(
            "force",
            "object",
            _f(
                "kind",
                "enum",
                "none",
                "control_hold",
                "takedown",
                "chemical",
                "impact",
                "taser",
                "firearm",
                "neck_restraint",
                "vehicle",
                "other",
            ),
            _f("could_cause_death_or_serious_bodily_injury", "bool"),
            _f("excessive", "bool"),
            _f("ongoing", "bool"),
            _f("target", "enum", *PEOPLE),
        ),
        _obj(
            "injuries",
            "object_list",
            _f("person", "enum", *PEOPLE),
            _f("severity", "enum", "minor", "serious", "fatal"),
        ),
        _f("aid_blocked", "bool"),
        _obj("protest", "object", _f("present", "bool"), _f("peaceful", "bool")),
        _f("surge", "bool"),
        _obj(
            "city_personnel",
            "object_list",
            _f(
                "role",
                "enum",
                "dpd_officer",
                "dsd_deputy",
                "firefighter",
                "paramedic",
                "city_employee",
            ),
            _f("on_duty", "bool"),
            _f("present", "bool"),
            _f("responding", "bool"),
            _f("body_camera", "enum", "recording", "off", "none"),
        ),
        _obj(
            "profiling",
            "object",
            _f("alleged", "bool"),
            _f("basis", "enum", "race", "ethnicity", "national_origin", "language", "religion"),
        ),
        _obj(
            "alleged_crimes",
            "object_list",
            _f("by", "enum", "federal_agent", "city_personnel", "other"),
            _f("felony", "bool"),
            _f("description", "text", max_length=2000),
            _f("within_federal_duties", "bool"),
        ),
        _obj("subject", "object", _f("court_proceeding", "bool")),
    ),
    "",
)


def walk(node: Field = SITUATION) -> Iterator[Field]:
    """Every field below ``node``, depth first."""
    for child in node.fields:
        yield child
        yield from walk(child)


FIELDS: dict[str, Field] = {f.path: f for f in walk()}


def field_at(path: str) -> Field | None:
    """The field named by a contract path such as ``city_personnel[].role``."""
    return FIELDS.get(path)


# -- validation ---------------------------------------------------------------------------

_TYPE_NAMES = {
    "bool": "true, false or null",
    "enum": "one of the allowed values or null",
    "enum_list": "a list of allowed values",
    "object": "an object",
    "object_list": "a list of objects",
    "text": "a string",
    "number": "a number",
    "datetime": "an ISO 8601 date-time string",
}


def validate(situation: object, prefix: str = "") -> dict[str, Any]:
    """Check a situation against the contract; return it unchanged or raise InvalidSituation.

    Every problem is reported, not only the first, each with its field path and, for a
    vocabulary field, the allowed values.
    """
    if not _VALID(situation):  # ``collect_errors`` written out: most situations are valid
        errors: list[FieldError] = []
        _check_object(situation, SITUATION, prefix, errors)
        if errors:
            raise InvalidSituation(errors)
    assert isinstance(situation, dict)
    return situation


def collect_errors(situation: object, errors: list[FieldError], prefix: str = "") -> None:
    """Append every problem of a situation to ``errors`` (nothing if it is valid).

    ``errors`` may be a list that keeps only the first problems and counts the rest (the
    HTTP API's, ``eo152.services.decisions.FieldErrors``): it only ever sees ``append``.
    """
    if not _VALID(situation):
        _check_object(situation, SITUATION, prefix, errors)


def _check_object(value: object, node: Field, where: str, errors: list[FieldError]) -> None:
    if not isinstance(value, dict):
        errors.append(FieldError(where or "(situation)", f"expected an object, got {_show(value)}"))
        return
    for key, item in value.items():
        child = node.child(key) if isinstance(key, str) else None
        path = f"{where}.{key}" if where else str(key)
        if child is None:
            allowed = ", ".join(c.name for c in node.fields)
            errors.append(FieldError(path, f"unknown field; allowed fields here: {allowed}"))
            continue
        if item is not None:
            _check_value(item, child, path, errors)


def _check_value(value: object, node: Field, path: str, errors: list[FieldError]) -> None:
    kind = node.kind
    if kind == "object":
        _check_object(value, node, path, errors)
    elif kind == "object_list" or kind == "enum_list":
        if not isinstance(value, list):
            errors.append(FieldError(path, f"expected {_TYPE_NAMES[kind]}, got {_show(value)}"))
            return
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if kind == "object_list":
                _check_object(item, node, item_path, errors)
            else:
                _check_enum(item, node, item_path, errors)
    elif kind == "enum":
        _check_enum(value, node, path, errors)
    elif kind == "bool":
        if not isinstance(value, bool):
            errors.append(FieldError(path, f"expected {_TYPE_NAMES[kind]}, got {_show(value)}"))
    elif kind == "number":
        _check_number(value, node, path, errors)
    elif kind == "text":
        _check_text(value, node, path, errors)
    else:
        _check_datetime(value, path, errors)


def _check_enum(value: object, node: Field, path: str, errors: list[FieldError]) -> None:
    if not isinstance(value, str) or value not in node.values:
        allowed = ", ".join(node.values)
        errors.append(FieldError(path, f"{_show(value)} is not allowed; allowed values: {allowed}"))


def _check_number(value: object, node: Field, path: str, errors: list[FieldError]) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        errors.append(FieldError(path, f"expected a number, got {_show(value)}"))
    elif (
        node.minimum is not None
        and node.maximum is not None
        and not (node.minimum <= value <= node.maximum)
    ):
        errors.append(
            FieldError(path, f"{value} is out of range {node.minimum:g} to {node.maximum:g}")
        )


def _check_text(value: object, node: Field, path: str, errors: list[FieldError]) -> None:
    if not isinstance(value, str):
        errors.append(FieldError(path, f"expected a string, got {_show(value)}"))
    elif len(value) > node.max_length:
        errors.append(FieldError(path, f"longer than {node.max_length} characters"))
    elif not _is_unicode(value):
        errors.append(
            FieldError(path, "not Unicode text (it holds a lone surrogate, \\ud800 to \\udfff)")
        )


def _is_unicode(text: str) -> bool:
    """JSON lets ``"\\ud800"`` through, but no UTF-8 (and no canonical JSON) can hold it."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_datetime(value: object, path: str, errors: list[FieldError]) -> None:
    if not isinstance(value, str):
        errors.append(FieldError(path, f"expected {_TYPE_NAMES['datetime']}, got {_show(value)}"))
        return
    try:
        datetime.fromisoformat(value)
    except ValueError:
        errors.append(
            FieldError(
                path, f"{_show(value)} is not an ISO 8601 date-time (2026-03-10T14:30:00-07:00)"
            )
        )


# The fast path: most situations are valid, and deciding one takes a few microseconds, so a
# valid situation is checked by closures compiled once from the fields, without building paths
# or messages; the walk above runs only to report what is wrong. Both must accept the same
# situations (tests/rules/test_speedups_equivalence.py).


def _checker(node: Field) -> Callable[[object], bool]:
    kind = node.kind
    if kind == "object":
        return _object_checker(node)
    if kind == "object_list":
        item = _object_checker(node)
        return lambda value: isinstance(value, list) and all(item(x) for x in value)
    if kind == "enum":
        allowed = frozenset(node.values)
        return lambda value: isinstance(value, str) and value in allowed
    if kind == "enum_list":
        return partial(_valid_enum_list, allowed=frozenset(node.values))
    if kind == "bool":
        return lambda value: isinstance(value, bool)
    if kind == "number":
        return partial(_valid_number, node=node)
    if kind == "text":
        longest = node.max_length
        return lambda value: isinstance(value, str) and len(value) <= longest and _is_unicode(value)
    return lambda value: isinstance(value, str) and _is_datetime(value)


def _object_checker(node: Field) -> Callable[[object], bool]:
    checks = {child.name: _checker(child) for child in node.fields}
    # Most fields are enums: their values are looked up here, without a call per field.
    enums = {child.name: frozenset(child.values) for child in node.fields if child.kind == "enum"}

    def check(value: object) -> bool:
        if not isinstance(value, dict):
            return False
        for key, item in value.items():
            if item is None:
                if key not in checks:
                    return False
                continue
            allowed = enums.get(key)
            if allowed is not None:
                if isinstance(item, str) and item in allowed:
                    continue
                return False
            test = checks.get(key)
            if test is None or not test(item):
                return False
        return True

    return check


def _valid_enum_list(value: object, allowed: frozenset[str]) -> bool:
    if not isinstance(value, list):
        return False
    try:
        return allowed.issuperset(value)
    except TypeError:  # an unhashable item (a list or an object) is no allowed value
        return False


def _valid_number(value: object, node: Field) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return False
    low, high = node.minimum, node.maximum
    return low is None or high is None or low <= value <= high


@lru_cache(maxsize=1024)
def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:40] + "…")
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return "an object"
    return "a list" if isinstance(value, list) else type(value).__name__


_VALID = _checker(SITUATION)


# -- JSON Schema (for the HTTP API's OpenAPI document) --------------------------------------


def situation_json_schema() -> dict[str, Any]:
    """The situation as JSON Schema (draft 2020-12); every field optional, null means unknown."""
    schema = _schema(SITUATION)
    schema["title"] = "Situation"
    return schema


def _schema(node: Field) -> dict[str, Any]:
    if node.kind in ("object", "object_list"):
        obj: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {c.name: _nullable(_schema(c)) for c in node.fields},
        }
        return obj if node.kind == "object" else {"type": "array", "items": obj}
    if node.kind == "enum_list":
        return {"type": "array", "items": {"type": "string", "enum": list(node.values)}}
    if node.kind == "enum":
        return {"type": "string", "enum": list(node.values)}
    if node.kind == "bool":
        return {"type": "boolean"}
    if node.kind == "number":
        return {"type": "number", "minimum": node.minimum, "maximum": node.maximum}
    if node.kind == "datetime":
        return {"type": "string", "format": "date-time"}
    return {"type": "string", "maxLength": node.max_length}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_TEXT = {"type": "object", "properties": {"en": {"type": "string"}, "es": {"type": "string"}}}
_RULE_REF = {
    "type": "object",
    "properties": {k: {"type": "string"} for k in ("instrument", "rule", "outcome")},
}


def decision_json_schema() -> dict[str, Any]:
    """The decision of CONTRACT.md as JSON Schema."""
    strings = {"type": "array", "items": {"type": "string"}}
    duty = {
        "type": "object",
        "required": [
            "actor",
            "action",
            "outcome",
            "rules",
            "cites",
            "because",
            "plain",
            "engaged",
            "if_then",
        ],
        "properties": {
            "actor": {"type": "string"},
            "action": {"type": "string"},
            "outcome": {"enum": ["required", "prohibited", "permitted", "indeterminate"]},
            "rules": strings,
            "cites": strings,
            "because": strings,
            "open_questions": {"type": "array", "items": {"type": "object"}},
            "violation": {"type": ["boolean", "null"]},
            "plain": _TEXT,
            "changes_if": {"anyOf": [_TEXT, {"type": "null"}]},
            "missing_facts": strings,
            "engaged": {"type": "boolean"},
            "if_then": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["if", "then", "plain"],
                    "properties": {
                        "if": {"type": "object"},
                        "then": {
                            "enum": ["required", "prohibited", "permitted", "indeterminate", None]
                        },
                        "plain": _TEXT,
                    },
                },
            },
        },
    }
    ruled_out = {
        "type": "object",
        "required": ["rule", "cites", "because"],
        "properties": {"rule": {"type": "string"}, "cites": strings, "because": strings},
    }
    conflict = {
        "type": "object",
        "properties": {
            "actor": {"type": "string"},
            "action": {"type": "string"},
            "prevailing": _RULE_REF,
            "overridden": _RULE_REF,
            "basis": {"type": "string"},
        },
    }
    return {
        "title": "Decision",
        "type": "object",
        "required": [
            "engine",
            "policy",
            "situation_sha256",
            "duties",
            "missing_facts",
            "conflicts",
            "not_applicable",
        ],
        "properties": {
            "engine": {"type": "string"},
            "policy": {"type": "object"},
            "as_of": {"type": "object"},
            "situation_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "duties": {"type": "array", "items": duty},
            "missing_facts": strings,
            "conflicts": {"type": "array", "items": conflict},
            "not_applicable": {"type": "array", "items": ruled_out},
            "readings": {"type": "array", "items": {"type": "object"}},
            "place": {"type": ["object", "null"]},
        },
    }
