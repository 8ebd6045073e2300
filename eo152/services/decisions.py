"""The one service every front end calls to decide: CLI, HTTP API and web page alike.

It takes JSON text or an already parsed body (one situation or a list of them), validates it
against the contract, and returns the contract's decision JSON: as text (``to_json``) for
the API and the CLI, as dicts (``decide_payload``) for the pages. Bad input raises
``InvalidSituation`` naming every bad field (items of a batch prefixed ``[i]``), or only the
first of them when the caller sets a cap (the HTTP API: see ``FieldErrors``); nothing is
decided unless everything is valid.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from itertools import accumulate
from pathlib import Path
from typing import Any

from ..contract import MAX_INPUT_BYTES, collect_errors
from ..contract.vocabulary import duty_sentence, label, mid_sentence, phrase, value_words
from ..rules import (
    Decision,
    Duty,
    Engine,
    FieldError,
    InvalidSituation,
    OpenQuestion,
    default_engine,
    engine_with_readings,
    jsontext,
)
from ..rules.decision import NotApplicable
from ..rules.explain import subject_given
from ..rules.policy import Rule

#: Deepest nesting of arrays and objects read, in levels. The deepest valid body has five (a
#: batch, a situation, an object, a list of objects, an object in it); Python's parser recurses
#: once per level and fails near 1,000 levels, fewer with the stack a request already uses.
MAX_NESTING = 64

#: The largest magnitude of a number read: a double's (JSON's interoperable numbers, RFC 8259
#: section 6). Python reads 1e400 as infinity, and an integer past it fails ``float()``.
MAX_NUMBER = sys.float_info.max


class InputBeyondLimits(InvalidSituation):
    """JSON refused unread: nested deeper than ``MAX_NESTING`` or a number past ``MAX_NUMBER``."""


def parse_json(data: bytes | str) -> Any:
    """Parse a request body or file; too large, not JSON, or JSON beyond the limits above
    raises InvalidSituation (``InputBeyondLimits`` for the last).

    Both limits are checked here, not in validation, because both are about the text: the
    nesting must be measured before the parser recurses, and a number is best named as it
    was written (validation would see ``inf``, or an integer it must not turn into a float).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_INPUT_BYTES:
        raise InvalidSituation(
            [
                FieldError(
                    "(input)", f"larger than 1 MB ({len(raw):,} bytes; limit {MAX_INPUT_BYTES:,})"
                )
            ]
        )
    try:
        # What ``json.loads`` does with bytes, done first so that the text can be measured.
        text = raw.decode(json.detect_encoding(raw), "surrogatepass")
        _check_nesting(text)
        return json.loads(
            text, parse_constant=_refuse_constant, parse_int=_read_int, parse_float=_read_float
        )
    except UnicodeDecodeError:
        raise InvalidSituation([FieldError("(input)", "not UTF-8 text")]) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise InvalidSituation(
            [FieldError("(input)", f"invalid JSON at {where}: {error.msg}")]
        ) from None
    except _NotJSONNumber as error:
        raise InvalidSituation([FieldError("(input)", str(error))]) from None


class _NotJSONNumber(ValueError):
    pass


def _refuse_constant(name: str) -> object:
    # JSON has no NaN or Infinity; Python's parser accepts them unless told not to.
    raise _NotJSONNumber(f"invalid JSON: {name} is not a JSON number")


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _check_nesting(text: str) -> None:
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return  # too few brackets to nest too deep: most bodies
    # Brackets in strings do not nest; an unclosed string is the parser's to report.
    outside = _STRING.sub("", text).partition('"')[0]
    depth = max(accumulate(map(_STEP.__getitem__, _BRACKET.findall(outside))), default=0)
    if depth > MAX_NESTING:
        raise _beyond_limits(
            f"arrays and objects nested {depth:,} levels deep; the limit is {MAX_NESTING}"
        )


def _read_int(digits: str) -> int:
    # JSON integers have no leading zeros: more than 309 digits is past MAX_NUMBER, and so is
    # never handed to int(), which refuses more than 4,300.
    if len(digits.lstrip("-")) > 309 or abs(value := int(digits)) > MAX_NUMBER:
        raise _too_large(digits)
    return value


def _read_float(digits: str) -> float:
    value = float(digits)
    if math.isinf(value):
        raise _too_large(digits)
    return value


def _too_large(digits: str) -> InputBeyondLimits:
    shown = digits if len(digits) <= 20 else f"{digits[:12]}… ({len(digits):,} characters)"
    return _beyond_limits(f"the number {shown} is too large; the limit is ±{MAX_NUMBER:.1e}")


def _beyond_limits(message: str) -> InputBeyondLimits:
    return InputBeyondLimits([FieldError("(input)", message)])


def engine_for(readings_path: str | Path | None) -> Engine:
    return (
        engine_with_readings(Path(readings_path).resolve()) if readings_path else default_engine()
    )


class FieldErrors(list[FieldError]):
    """Field errors that keeps the first ``limit`` (all without one) and counts the rest.

    What is past the limit is counted and dropped as it is found, so a body full of bad
    values costs the time to find them but never the memory of all their messages.
    """

    def __init__(self, limit: int | None = None) -> None:
        super().__init__()
        self.limit = limit
        self.not_listed = 0

    def append(self, error: FieldError) -> None:
        if self.limit is not None and len(self) >= self.limit:
            self.not_listed += 1
        else:
            super().append(error)


def not_listed(invalid: InvalidSituation) -> int:
    """How many field errors ``invalid`` counted but does not list (0 unless capped)."""
    return invalid.errors.not_listed if isinstance(invalid.errors, FieldErrors) else 0


class PlacesUnavailable(Exception):
    """The places registry cannot be read (a damaged or missing layer file): a situation
    given only a point or an address cannot be decided until an operator repairs it."""


def decide_all(
    payload: Any, readings_path: str | Path | None = None, *, max_errors: int | None = None
) -> Decision | list[Decision]:
    """Decide one situation or a batch; a batch with any invalid item decides nothing.

    InvalidSituation lists every bad field, or only the first ``max_errors`` of them (the
    HTTP API's cap) with the rest counted: see :func:`not_listed`.
    """
    engine = engine_for(readings_path)
    if isinstance(payload, list):
        return [decide_located(engine, item) for item in _located_batch(payload, max_errors)]
    _validate(payload, max_errors)
    return decide_located(engine, locate(payload, None))


def decide_batch_json(
    payload: list[Any],
    readings_path: str | Path | None = None,
    *,
    max_errors: int | None = None,
    indent: int | None = None,
) -> Iterator[bytes]:
    """The batch's answer as ``to_json(decide_all(payload))`` writes it, a decision at a time.

    Everything that can refuse the batch (a bad field, a point the registry refuses, an
    unreadable registry) is raised before this returns; the text is then made as it is read,
    so a worker holds one decision's text at a time instead of the whole answer's.
    """
    engine = engine_for(readings_path)
    located = _located_batch(payload, max_errors)
    parts = (decide_located(engine, item).json_parts(indent) for item in located)
    return _in_chunks(jsontext.array_stream(parts, indent))


#: Bytes gathered before a piece of a streamed answer is handed on: one write per piece.
STREAM_CHUNK = 65_536


def _in_chunks(pieces: Iterator[bytes]) -> Iterator[bytes]:
    gathered: list[bytes] = []
    size = 0
    for piece in pieces:
        gathered.append(piece)
        size += len(piece)
        if size >= STREAM_CHUNK:
            yield b"".join(gathered)
            gathered, size = [], 0
    if gathered:
        yield b"".join(gathered)


def _validate(payload: Any, max_errors: int | None, prefix: str = "") -> None:
    errors = FieldErrors(max_errors)
    collect_errors(payload, errors, prefix)
    if errors or errors.not_listed:
        raise InvalidSituation(errors)


def _located_batch(payload: list[Any], max_errors: int | None) -> list[Located]:
    errors = FieldErrors(max_errors)
    for index, item in enumerate(payload):
        collect_errors(item, errors, f"[{index}]")
    if errors or errors.not_listed:
        raise InvalidSituation(errors)
    return [locate(item, index) for index, item in enumerate(payload)]


@dataclass(frozen=True)
class Located:
    """A valid situation, with the location the places registry filled in (if it did)."""

    situation: dict[str, Any]
    filled: dict[str, Any] | None = None
    place: Any = None


def locate(situation: dict[str, Any], index: int | None) -> Located:
    """Ask the places registry where the situation gives only a point or an address."""
    location = situation.get("location") or {}
    located = location.get("address") or (
        location.get("lat") is not None and location.get("lon") is not None
    )
    if not located or (location.get("ownership") is not None and location.get("kind") is not None):
        return Located(situation)
    from ..places import InvalidCoordinates, Registry, StoreError  # numpy, shapely: when needed

    try:
        fill = Registry.current().fill(location)
    except InvalidCoordinates as error:
        prefix = "" if index is None else f"[{index}]."
        raise InvalidSituation([FieldError(f"{prefix}location.lat", str(error))]) from None
    except StoreError as error:
        raise PlacesUnavailable(str(error)) from error
    return Located(situation, {**situation, "location": fill.location}, fill.place)


def decide_located(engine: Engine, located: Located) -> Decision:
    """Decide a located situation: the decision's hash is of the situation as given, and
    ``place`` says which place matched."""
    if located.filled is None:
        return engine.decide(located.situation, validated=True)
    decision = engine.decide(located.filled, validated=True)
    return replace(decision, situation=located.situation, place=located.place)


def decide_payload(
    payload: Any, readings_path: str | Path | None = None
) -> dict[str, Any] | list[dict[str, Any]]:
    """The contract's decision JSON for a parsed body (a list gives a list)."""
    result = decide_all(payload, readings_path)
    if isinstance(result, list):
        return [d.to_dict() for d in result]
    return result.to_dict()


def to_json(result: Decision | list[Decision], indent: int | None = None) -> bytes:
    """``json.dumps(..., ensure_ascii=False, indent=indent)`` of ``decide_payload``'s answer
    for the same body, in UTF-8, written from the text of each duty written once."""
    if isinstance(result, list):
        return b"".join(jsontext.array([d.json_parts(indent) for d in result], indent))
    return result.to_json(indent)


def raised_not_applicable(
    decision: Decision, readings_path: str | Path | None = None
) -> list[tuple[NotApplicable, Rule]]:
    """The rules a given fact ruled out whose subject the situation raised, each with its rule:
    what a front end shows as "does not apply" (the staging ban beside a question about
    staging; not the aid rule of a situation that never mentioned injuries)."""
    rules = {rule.id: rule for rule in engine_for(readings_path).policy.rules}
    return [
        (ruled, rules[ruled.rule])
        for ruled in decision.not_applicable
        if subject_given(rules[ruled.rule].subject)(decision.situation)
    ]


def if_lines(duty: Duty, lang: str, questions: Mapping[str, OpenQuestion]) -> list[str]:
    """The duty's "If ..." lines, one per fact or question and outcome: the values that lead
    to the same outcome are said together ("a warrant signed by a judge or a court order")."""
    grouped: dict[tuple[str, str | None], list[Any]] = {}
    for line in duty.if_then:
        ((key, value),) = line.given
        grouped.setdefault((key, line.then), []).extend(
            value if isinstance(value, list) else [value]
        )
    lines = []
    for (key, then), values in grouped.items():
        if key.startswith("question:"):
            asked = questions[key.removeprefix("question:")]
            what = asked.question[lang]
            words = [phrase("quoted", lang, text=asked.answer_labels[v][lang]) for v in values]
        else:
            what, words = label(key, lang), [value_words(key, v, lang) for v in values]
        answer = phrase("or", lang).join(words)
        condition = phrase("answer_is", lang, question=what, answer=answer)
        result = (
            phrase("does_not_apply", lang)
            if then is None
            else mid_sentence(duty_sentence(duty.actor, duty.action, then, lang)).removesuffix(".")
        )
        lines.append(phrase("if_then", lang, condition=condition, then=result))
    return lines
