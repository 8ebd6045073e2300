"""The engine's reasons (``because``) in plain words where their form allows it.

The engine writes reasons over contract codes: ``location.ownership = city_owned``,
``activities include staging``, ``force.ongoing = true``. Those simple forms are put in the
vocabulary's words of the page's language ("Who owns or controls the place: the City").
Any other reason is shown as the engine wrote it, marked as English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..contract.vocabulary import label
from .texts import TEXTS

_SIMPLE = re.compile(r"^(?P<path>[a-z_.\[\]]+) (?:=|include) (?P<value>\[[\w, ]*\]|\w+)$")


@dataclass(frozen=True)
class Reason:
    text: str
    plain: bool  # False: the engine's own wording, in English


def plain_reasons(because: list[str], lang: str) -> tuple[Reason, ...]:
    found: dict[Reason, None] = {}
    for sentence in because:
        for part in sentence.split("; "):
            found[_reason(part, lang)] = None
    return tuple(found)


def _reason(text: str, lang: str) -> Reason:
    match = _SIMPLE.match(text)
    if match is None:
        return Reason(text, plain=False)
    path = match["path"]
    values = [value.strip() for value in match["value"].strip("[]").split(",") if value.strip()]
    words = ", ".join(_value(path, value, lang) for value in values)
    fact = label(path, lang)
    return Reason(f"{fact[:1].upper()}{fact[1:]}: {words}", plain=True)


def _value(path: str, value: str, lang: str) -> str:
    if value in ("true", "false"):
        return TEXTS[lang]["answer_yes" if value == "true" else "answer_no"]
    return label(f"{path}={value}", lang)
