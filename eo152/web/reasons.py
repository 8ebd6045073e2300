"""The engine's reasons (``because``, ``not_applicable``) in the words of the page's language.

The engine writes reasons as a lawyer checks them, over contract codes:
``location.ownership = city_owned``, ``authority.kind = none is not a judicial warrant``,
``force.excessive not given: presumed true (unless ...)``, ``injuries: some``. Each form is
put in the vocabulary's words ("Who owns or controls the place: owned by the City"); the
English words of an exception or a presumption are looked up in the policy for their
translation. A reason of a form not known here keeps the engine's words with every fact
path replaced by its label, marked as English, so no contract path ever reaches a page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..contract.vocabulary import LABELS, label, phrase, value_words
from ..rules import OpenQuestion, Policy

_PATH = r"[a-z_]+(?:\[\])?(?:\.[a-z_]+)*"
_VALUE = r"\[[^\]]*\]|[\w.:-]+(?:, [\w.:-]+)*"
_FACT = re.compile(rf"^(?P<path>{_PATH}) (?:=|include) (?P<value>{_VALUE})$")
_EXCEPTION = re.compile(
    rf"^(?P<fact>{_PATH} (?:=|include) (?:{_VALUE}))(?P<holds> is not|:) (?P<label>.+)$"
)
_PRESUMED = re.compile(rf"^(?P<path>{_PATH}) not given: presumed (?P<value>\w+) \((?P<rebut>.+)\)$")
_SOME = re.compile(rf"^(?P<path>{_PATH}): (?P<some>some|none)(?: with (?P<conditions>.+))?$")
_CONDITION = re.compile(rf"^(?P<field>\w+) (?:is|in|has any of) (?P<value>{_VALUE})$")
_QUESTION = re.compile(r"^open question (?P<id>[\w-]+)$")
_READING = re.compile(
    r"^reading: (?P<id>[\w-]+) = (?P<answer>[\w-]+) \((?P<by>.+), (?P<date>[^,]+)\)$"
)
#: Any fact path of the contract, longest first, for the words of a reason of unknown form.
_ANY_PATH = re.compile(
    r"\b("
    + "|".join(
        re.escape(p) for p in sorted((k for k in LABELS if "=" not in k), key=len, reverse=True)
    )
    + r")\b"
)


@dataclass(frozen=True)
class Reason:
    text: str
    plain: bool  # False: the engine's own form, its facts named in words, in English


class Lexicon:
    """The policy's own words a reason may quote in English: exceptions, presumptions and
    open questions, each with its sentence in every language."""

    def __init__(self, policy: Policy) -> None:
        self.questions: Mapping[str, OpenQuestion] = policy.questions
        self.by_english: dict[str, Mapping[str, str]] = {}
        for rule in policy.rules:
            for exception in rule.unless:
                self.by_english[exception.label.en] = exception.label
            if rule.presumes is not None:
                self.by_english[rule.presumes.label.en] = rule.presumes.label

    def words(self, english: str, lang: str) -> str | None:
        found = self.by_english.get(english)
        return found[lang] if found is not None else None


def plain_reasons(
    because: list[str] | tuple[str, ...], lang: str, lexicon: Lexicon
) -> tuple[Reason, ...]:
    found: dict[Reason, None] = {}
    for sentence in because:
        for part in sentence.split("; "):
            found[reason(part, lang, lexicon)] = None
    # "The papers: an administrative warrant" says less than the reason that goes on to say
    # what it is not: keep only the longer.
    return tuple(r for r in found if not any(o.text.startswith(f"{r.text}. ") for o in found))


def reason(text: str, lang: str, lexicon: Lexicon) -> Reason:
    """One part of ``because`` in words; see the module's docstring for the forms."""
    if match := _FACT.match(text):
        return Reason(fact_words(match["path"], _values(match["value"]), lang), plain=True)
    if match := _EXCEPTION.match(text):
        exception = lexicon.words(match["label"], lang)
        fact = _FACT.match(match["fact"])
        if exception is not None and fact is not None:
            key = "that_is_not" if match["holds"] == " is not" else "that_is"
            words = fact_words(fact["path"], _values(fact["value"]), lang)
            return Reason(phrase(key, lang, fact=words, exception=exception), plain=True)
    if (match := _PRESUMED.match(text)) and (rebut := lexicon.words(match["rebut"], lang)):
        named = _sentence(label(match["path"], lang))
        value = value_words(match["path"], match["value"] == "true", lang)
        return Reason(phrase("presumed", lang, fact=named, value=value, rebut=rebut), plain=True)
    if match := _SOME.match(text):
        return _some(match, lang, text)
    if (match := _QUESTION.match(text)) and match["id"] in lexicon.questions:
        question = lexicon.questions[match["id"]].question[lang]
        return Reason(_sentence(phrase("open_question", lang, question=question)), plain=True)
    if (match := _READING.match(text)) and (
        words := reading_words(
            match["id"], match["answer"], match["by"], match["date"], lang, lexicon
        )
    ):
        return Reason(words, plain=True)
    return Reason(_ANY_PATH.sub(lambda m: label(m[1], "en"), text), plain=False)


def reading_words(
    question: str, answer: str, by: str, date: str, lang: str, lexicon: Lexicon
) -> str:
    """A deployment's answer to an open question, in words; empty for one not in the policy."""
    asked = lexicon.questions.get(question)
    answered = asked.answer_labels.get(answer) if asked is not None else None
    if asked is None or answered is None:
        return ""
    return phrase(
        "reading_is", lang, question=asked.question[lang], answer=answered[lang], by=by, date=date
    )


def fact_words(path: str, values: list[str], lang: str) -> str:
    """ "Who owns or controls the place: owned by the City" for ``location.ownership``."""
    words = phrase("or", lang).join(_value(path, value, lang) for value in values)
    return phrase("fact_is", lang, fact=_sentence(label(path, lang)), value=words)


def _some(match: re.Match[str], lang: str, text: str) -> Reason:
    path = match["path"]
    fact = _sentence(label(path, lang))
    if not match["conditions"]:
        some = match["some"] == "some"
        return Reason(
            phrase("fact_is", lang, fact=fact, value=phrase("yes" if some else "no", lang)),
            plain=True,
        )
    parts = []
    for condition in match["conditions"].split(" and "):
        found = _CONDITION.match(condition)
        if found is None:
            return Reason(_ANY_PATH.sub(lambda m: label(m[1], "en"), text), plain=False)
        item = f"{path}[].{found['field']}"
        parts.append(fact_words(item, _values(found["value"]), lang))
    key = "some_with" if match["some"] == "some" else "none_with"
    conditions = "; ".join(_lower(part) for part in parts)
    return Reason(phrase(key, lang, fact=fact, conditions=conditions), plain=True)


def _values(text: str) -> list[str]:
    return [value.strip() for value in text.strip("[]").split(",") if value.strip()]


def _value(path: str, value: str, lang: str) -> str:
    if value in ("true", "false"):
        return phrase("yes" if value == "true" else "no", lang)
    return value_words(path, value, lang)


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def _lower(words: str) -> str:
    return words[:1].lower() + words[1:]
