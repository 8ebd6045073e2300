"""Checking a situation against the contract: every problem named with its field path and,
for a value outside the vocabulary, the values allowed."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache, partial
from typing import Any, TypeGuard

from .errors import FieldError, InvalidSituation
from .fields import SITUATION, Field

#: Largest situation (or batch) accepted, in bytes of JSON.
MAX_INPUT_BYTES = 1024 * 1024

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
        # A blank key is shown quoted ("" or " "), so the path still says where it is.
        name = str(key) if str(key).strip() else json.dumps(key)
        path = f"{where}.{name}" if where else name
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
    if not _is_number(value):
        errors.append(FieldError(path, f"expected a number, got {_show(value)}"))
    elif (
        node.minimum is not None
        and node.maximum is not None
        and not (node.minimum <= value <= node.maximum)
    ):
        errors.append(
            FieldError(path, f"{_show(value)} is out of range {node.minimum:g} to {node.maximum:g}")
        )


def _is_number(value: object) -> TypeGuard[int | float]:
    # Checked here, not only where JSON is parsed, since validate() takes any Python value: an
    # int is finite however large, and math.isfinite() of one past a double's range raises.
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)


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
    if not _is_number(value):
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


_LONG_NUMBER = 10**40


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:40] + "…")
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int) and not -_LONG_NUMBER < value < _LONG_NUMBER:
        return "a number of more than 40 digits"  # str() of a huge int is slow, or refused
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return "an object"
    return "a list" if isinstance(value, list) else type(value).__name__


_VALID = _checker(SITUATION)
