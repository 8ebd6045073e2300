"""A decision in the words of one language.

Only presentation: the outcomes, reasons and citations are the engine's, unchanged, and so
is the order of the duties (the engine lists what must be done at once first). This module
puts the plain words of the vocabulary on the contract's codes and picks the sentences of
the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..contract.vocabulary import label
from .reasons import Reason, plain_reasons
from .texts import TEXTS


@dataclass(frozen=True)
class DutyView:
    actor: str
    action: str
    outcome: str
    outcome_label: str
    plain: str
    violation: bool
    because: tuple[Reason, ...]
    cites: tuple[str, ...]
    changes_if: str
    missing_facts: tuple[str, ...]
    open_questions: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    engine: str
    as_of: str
    as_of_shown: str
    as_of_is_now: bool
    place: str
    duties: tuple[DutyView, ...]
    missing_facts: tuple[str, ...]
    conflicts: tuple[str, ...]
    readings: tuple[str, ...]


def present(decision: dict[str, Any], lang: str) -> Answer:
    as_of = decision.get("as_of") or {}
    return Answer(
        engine=decision["engine"],
        as_of=as_of.get("at", ""),
        as_of_shown=_moment(as_of.get("at", "")),
        as_of_is_now=as_of.get("source") == "now",
        place=_place(decision.get("place"), lang),
        duties=tuple(_duty(duty, lang) for duty in decision["duties"]),
        missing_facts=tuple(_fact(path, lang) for path in decision.get("missing_facts", [])),
        conflicts=tuple(_conflict(conflict, lang) for conflict in decision.get("conflicts", [])),
        readings=tuple(_reading(reading) for reading in decision.get("readings", [])),
    )


def _duty(duty: dict[str, Any], lang: str) -> DutyView:
    changes_if = duty.get("changes_if") or {}
    return DutyView(
        actor=label(duty["actor"], lang),
        action=_sentence(label(f"{duty['actor']}/{duty['action']}", lang)),
        outcome=duty["outcome"],
        outcome_label=TEXTS[lang][f"outcome_{duty['outcome']}"],
        plain=duty["plain"].get(lang) or duty["plain"]["en"],
        violation=duty.get("violation") is True,
        because=plain_reasons(duty.get("because", []), lang),
        cites=tuple(duty.get("cites", [])),
        changes_if=changes_if.get(lang) or changes_if.get("en", ""),
        missing_facts=tuple(_fact(path, lang) for path in duty.get("missing_facts", [])),
        open_questions=tuple(_question(q, lang) for q in duty.get("open_questions", [])),
    )


def _place(place: dict[str, Any] | None, lang: str) -> str:
    """The place the registry matched: its name, what kind of place and whose it is."""
    if not place:
        return ""
    about = [
        label(f"location.{fact}={place[fact]}", lang)
        for fact in ("kind", "ownership")
        if place.get(fact)
    ]
    return f"{place['name']} ({', '.join(about)})" if about else str(place["name"])


def _fact(path: str, lang: str) -> str:
    return _sentence(label(path, lang))


def _question(question: dict[str, Any], lang: str) -> str:
    words = question.get("question")
    if isinstance(words, dict):
        return str(words.get(lang) or words.get("en") or question["id"])
    return str(words or question["id"])


def _conflict(conflict: dict[str, Any], lang: str) -> str:
    prevailing, overridden = conflict["prevailing"], conflict["overridden"]
    action = _sentence(label(f"{conflict['actor']}/{conflict['action']}", lang))
    prevails = TEXTS[lang]["decision_prevails_over"]
    return (
        f"{action}: {prevailing['instrument']} ({prevailing['rule']}) {prevails} "
        f"{overridden['instrument']} ({overridden['rule']}). {conflict.get('basis', '')}"
    ).strip()


def _reading(reading: dict[str, Any]) -> str:
    return f"{reading['question']} = {reading['answer']} ({reading['by']}, {reading['date']})"


def _moment(text: str) -> str:
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M %z")
    except ValueError:
        return text


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]
