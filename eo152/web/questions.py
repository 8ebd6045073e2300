"""The questions of "Check a situation", built from the contract's fields and vocabulary.

The form asks the facts of :data:`eo152.contract.vocabulary.FACT_GROUPS` in its order; each
field's kind picks the widget, and "Don't know" (an empty answer) is always possible and
always the default, because an unknown fact must stay unknown, never become "no". A list
of objects (injuries, City personnel…) is asked as "is there one?" plus the facts of one
item: an officer answers for the most serious one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..contract import Field, field_at
from ..contract.vocabulary import FACT_GROUPS, label
from .texts import TEXTS

#: The form's stand-in for an empty list: "none of these" rather than "don't know".
NONE_OF_THESE = "none"
#: Enumerations longer than this are a drop-down list; shorter ones, radio buttons.
_MOST_RADIOS = 12

FormValues = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool
    id: str


@dataclass(frozen=True)
class Question:
    name: str
    id: str
    widget: str  # radios, select, checkboxes, text, datetime, number, list
    legend: str
    hint: str
    choices: tuple[Choice, ...]
    value: str
    error: str
    items: tuple[Question, ...] = ()
    max_length: int = 0

    @property
    def anchor(self) -> str:
        """The element an error summary links to: the first choice, or the field itself."""
        return self.choices[0].id if self.choices and self.widget != "select" else self.id


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    questions: tuple[Question, ...]


def build_groups(values: FormValues, errors: Mapping[str, str], lang: str) -> list[Group]:
    """The form's groups of questions, showing ``values`` and the ``errors`` by field path."""
    return [
        Group(
            id=f"group-{group.id}",
            title=group.title[lang],
            questions=tuple(_question(_field(path), values, errors, lang) for path in group.facts),
        )
        for group in FACT_GROUPS
    ]


def html_id(path: str) -> str:
    return "f-" + path.replace("[]", "").replace(".", "-").replace("_", "-")


def _field(path: str) -> Field:
    found = field_at(path)
    if found is None:
        raise LookupError(
            f"the vocabulary's fact groups name {path!r}, which is not a contract field"
        )
    return found


def _question(field: Field, values: FormValues, errors: Mapping[str, str], lang: str) -> Question:
    texts = TEXTS[lang]
    given = list(values.get(field.path, ()))
    base = Question(
        name=field.path,
        id=html_id(field.path),
        widget=_widget(field),
        legend=_sentence(label(field.path, lang)),
        hint="",
        choices=(),
        value=given[0] if given else "",
        error=errors.get(field.path, ""),
    )
    if field.kind == "object_list":
        items = tuple(_question(child, values, errors, lang) for child in field.fields)
        legend = texts.get(f"list_present_{field.name}", base.legend)
        return replace(
            base, legend=legend, hint=texts["hint_item"], items=items, choices=_yes_no(base, lang)
        )
    if field.kind == "bool":
        return replace(base, choices=_yes_no(base, lang))
    if field.kind in ("enum", "enum_list"):
        return replace(base, choices=_choices(field, given, lang), hint=_list_hint(field, lang))
    hint = texts["hint_at"] if field.kind == "datetime" else texts["hint_text"]
    return replace(base, hint=hint, max_length=field.max_length if field.kind == "text" else 0)


def _widget(field: Field) -> str:
    if field.kind in ("bool", "object_list"):
        return "radios" if field.kind == "bool" else "list"
    if field.kind == "enum":
        return "select" if len(field.values) > _MOST_RADIOS else "radios"
    if field.kind == "enum_list":
        return "checkboxes"
    return {"datetime": "datetime", "number": "number"}.get(field.kind, "text")


def _yes_no(base: Question, lang: str) -> tuple[Choice, ...]:
    texts = TEXTS[lang]
    answers = (
        ("true", "answer_yes", "yes"),
        ("false", "answer_no", "no"),
        ("", "dont_know", "dont-know"),
    )
    return tuple(
        Choice(value, texts[key], base.value == value, f"{base.id}-{suffix}")
        for value, key, suffix in answers
    )


def _choices(field: Field, given: list[str], lang: str) -> tuple[Choice, ...]:
    """The field's values in plain words; its own ``unknown`` is the "Don't know" choice."""
    texts = TEXTS[lang]
    known = [value for value in field.values if value != "unknown"]
    choices = [
        Choice(
            value,
            _sentence(label(f"{field.path}={value}", lang)),
            value in given,
            f"{html_id(field.path)}-{value.lower().replace('_', '-')}",
        )
        for value in known
    ]
    if field.kind == "enum_list":
        choices.append(
            Choice(
                NONE_OF_THESE,
                texts["none_of_these"],
                NONE_OF_THESE in given,
                f"{html_id(field.path)}-none",
            )
        )
        return tuple(choices)
    dont_know = Choice(
        "", texts["dont_know"], not set(given) & set(known), f"{html_id(field.path)}-dont-know"
    )
    # A drop-down list shows its first option when closed: there, "Don't know" leads.
    if _widget(field) == "select":
        return (dont_know, *choices)
    return (*choices, dont_know)


def _list_hint(field: Field, lang: str) -> str:
    return TEXTS[lang]["hint_list"] if field.kind == "enum_list" else ""


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]
