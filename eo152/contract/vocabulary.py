"""Plain words in English and Spanish for the contract's facts, values, actors and actions.

``label(key, lang)`` takes a fact path (``force.kind``), a value (``force.kind=firearm``), an
actor (``police``), an action (``police/intervene``) or an outcome (``required``).
``FACT_GROUPS`` lists the facts in the order and groups an officer answers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class FactGroup:
    id: str
    title: dict[str, str]
    facts: tuple[str, ...]


def _load() -> tuple[dict[str, dict[str, str]], tuple[FactGroup, ...], dict[str, dict[str, str]]]:
    data: dict[str, Any] = yaml.safe_load(
        (Path(__file__).parent / "vocabulary.yaml").read_text("utf-8")
    )
    labels: dict[str, dict[str, str]] = {}
    for section in ("facts", "values", "actors", "people", "actions", "outcomes"):
        labels.update(data[section])
    groups = tuple(
        FactGroup(g["id"], {lang: g[lang] for lang in LANGUAGES}, tuple(g["facts"]))
        for g in data["groups"]
    )
    phrases: dict[str, dict[str, str]] = data["phrases"]
    for key, entry in phrases.items():
        missing = [lang for lang in LANGUAGES if lang not in entry]
        if missing:
            raise ValueError(f"vocabulary.yaml: phrase {key!r} has no {', '.join(missing)}")
    return labels, groups, phrases


LABELS, FACT_GROUPS, PHRASES = _load()


def label(key: str, lang: str = "en") -> str:
    """The plain words for a fact, value, actor, action or outcome; the key itself if unknown."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["en"]


def phrase(key: str, lang: str, **values: str) -> str:
    """One of the engine's phrases in ``lang``, its ``{name}`` slots filled from ``values``."""
    return PHRASES[key][lang].format(**values)


def value_words(path: str, value: Any, lang: str) -> str:
    """A fact's value in words: yes or no for a true/false fact, else its label."""
    if isinstance(value, bool):
        return phrase("yes" if value else "no", lang)
    key = f"{path}={value}"
    found = label(key, lang)
    return str(value) if found == key else found


def duty_sentence(actor: str, action: str, outcome: str, lang: str) -> str:
    """ "Federal agents must not use City property ...": who, whether and what, as a sentence
    whose verb agrees with its actor, for a firm outcome (required, prohibited, permitted)."""
    return phrase(
        f"title_{outcome}", lang, actor=label(actor, lang), action=action_verb(actor, action, lang)
    )


def action_verb(actor: str, action: str, lang: str) -> str:
    """An action said as a verb, for a sentence: its label, unless the label is a noun
    ("racial profiling") and the vocabulary has a ``verb:`` phrase for it."""
    pair = f"{actor}/{action}"
    return PHRASES.get(f"verb:{pair}", {}).get(lang) or label(pair, lang)


def mid_sentence(words: str) -> str:
    """Words that began a sentence, inside one: "federal agents", but "City agencies" (a name)."""
    return words if words.startswith("City") else words[:1].lower() + words[1:]
