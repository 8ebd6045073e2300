"""Between the form's answers and a situation, both ways.

Reading answers builds the situation the contract describes: an empty answer leaves the
fact out (unknown), never false. Writing a situation back gives the values that refill the
form, for "Change your answers" and for a permalink opened in the other language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..contract import SITUATION, Field
from .questions import NONE_OF_THESE, FormValues
from .texts import TEXTS

DENVER = ZoneInfo("America/Denver")
_ISO_TIMES = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")
# What a browser sends from its date picker is ISO; typed by hand (a browser without one),
# a date is written as its reader writes it: month first in English, day first in Spanish.
_TIME_FORMATS = {
    "en": (*_ISO_TIMES, "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p"),
    "es": (*_ISO_TIMES, "%d/%m/%Y %H:%M"),
}


class UnreadableAnswers(ValueError):
    """Answers that cannot be turned into facts: ``errors`` maps field paths to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors.items()))


def situation_from_answers(values: FormValues, lang: str) -> dict[str, Any]:
    errors: dict[str, str] = {}
    situation = _read_object(SITUATION, values, errors, lang)
    if errors:
        raise UnreadableAnswers(errors)
    return situation


def answers_from_situation(situation: dict[str, Any]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    _write_object(SITUATION, situation, values)
    return values


def _read_object(
    node: Field, values: FormValues, errors: dict[str, str], lang: str
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for child in node.fields:
        value = _read(child, values, errors, lang)
        if value is not None:
            found[child.name] = value
    return found


def _read(field: Field, values: FormValues, errors: dict[str, str], lang: str) -> Any:
    given = [value.strip() for value in values.get(field.path, ()) if value.strip()]
    if field.kind == "object":
        return _read_object(field, values, errors, lang) or None
    if field.kind == "object_list":
        return _read_list(field, given, values, errors, lang)
    if field.kind == "enum_list":
        chosen = [value for value in given if value != NONE_OF_THESE]
        return chosen or ([] if given else None)
    if not given:
        return None
    try:
        return _scalar(field, given[0], lang)
    except ValueError as error:
        errors[field.path] = str(error)
        return None


def _read_list(
    field: Field, given: list[str], values: FormValues, errors: dict[str, str], lang: str
) -> list[dict[str, Any]] | None:
    """One item when any of its facts is known (or "yes" was answered), none for "no"."""
    item = _read_object(field, values, errors, lang)
    if item or given == ["true"]:
        return [item]
    return [] if given == ["false"] else None


def _scalar(field: Field, text: str, lang: str) -> Any:
    if field.kind == "bool":
        return {"true": True, "false": False}.get(text, text)
    if field.kind == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError(TEXTS[lang]["error_not_a_number"]) from None
    if field.kind == "datetime":
        return _denver_time(text, lang)
    return text


def _denver_time(text: str, lang: str) -> str:
    for time_format in _TIME_FORMATS[lang]:
        try:
            moment = datetime.strptime(text, time_format)
        except ValueError:
            continue
        return moment.replace(tzinfo=DENVER).isoformat()
    raise ValueError(TEXTS[lang]["error_not_a_time"])


def _write_object(node: Field, situation: dict[str, Any], values: dict[str, list[str]]) -> None:
    for child in node.fields:
        value = situation.get(child.name) if isinstance(situation, dict) else None
        if value is not None:
            _write(child, value, values)


def _write(field: Field, value: Any, values: dict[str, list[str]]) -> None:
    if field.kind == "object":
        _write_object(field, value, values)
    elif field.kind == "object_list" and isinstance(value, list):
        values[field.path] = ["true" if value else "false"]
        if value:
            _write_object(field, value[0], values)
    elif field.kind == "enum_list" and isinstance(value, list):
        values[field.path] = [str(item) for item in value] or [NONE_OF_THESE]
    elif field.kind == "bool":
        values[field.path] = ["true" if value else "false"]
    elif field.kind == "datetime":
        values[field.path] = [_local_time(str(value))]
    else:
        values[field.path] = [str(value)]


def _local_time(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(DENVER)
        except OverflowError:  # the first or last day a datetime holds: shown as given
            moment = moment.replace(tzinfo=None)
    # isoformat, not strftime: "%Y" writes the year 1 as "1", which the form cannot read back.
    return moment.replace(tzinfo=None).isoformat(timespec="minutes")
