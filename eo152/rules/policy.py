"""Loading the policy: one folder per legal instrument, read and checked once at start-up.

A policy folder holds ``definitions.yaml`` (terms shared by all instruments) and one folder
per instrument with ``instrument.yaml`` (its sections: the words we have, with source and
confidence), and optionally ``definitions.yaml``, ``questions.yaml`` (open legal questions),
``rules.yaml`` and ``tests.yaml``. Each file is checked against its schema (``_schema``: the
keys it may hold, their kinds, which are required) and every problem is reported as
``file:line: reason``, all of them, and stops the load: a malformed policy never runs. The
objects below are built from what passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from ..contract.vocabulary import LANGUAGES
from . import _schema, _yaml
from ._schema import PERMISSIONS as PERMISSIONS  # public: grant | floor
from .conditions import ConditionError, Node, Parser, TermError
from .errors import Location, PolicyError
from .levels import LEVELS

DEFAULT_POLICY_DIR = Path(__file__).resolve().parent.parent / "policies"
FAR_FUTURE = date(9999, 12, 31)


class Text(Mapping[str, str]):
    """A sentence in every language of ``LANGUAGES`` (the loader refuses one that lacks a
    language): ``text["es"]``. English is the policy's source language, ``text.en``."""

    __slots__ = ("_by_language",)

    def __init__(self, by_language: Mapping[str, str]) -> None:
        missing = [lang for lang in LANGUAGES if not by_language.get(lang)]
        if missing:
            raise ValueError(f"a text needs {', '.join(missing)}")
        self._by_language = {lang: by_language[lang] for lang in LANGUAGES}

    def __getitem__(self, lang: str) -> str:
        return self._by_language[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_language)

    def __len__(self) -> int:
        return len(self._by_language)

    def __hash__(self) -> int:
        return hash(tuple(self._by_language.items()))

    @property
    def en(self) -> str:
        return self._by_language["en"]

    def to_dict(self) -> dict[str, str]:
        return dict(self._by_language)


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    text: str
    source: str
    confidence: str
    text_verified: bool
    not_encoded: str | None
    where: Location


@dataclass(frozen=True)
class OpenQuestion:
    id: str
    instrument: str
    question: Text
    answers: tuple[str, ...]
    answer_labels: dict[str, Text]
    research: str
    where: Location

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "question": self.question.to_dict(), "answers": list(self.answers)}


@dataclass(frozen=True)
class Exception_:
    """An exception to a rule: when it holds, the rule gives ``outcome`` instead of its own."""

    id: str
    when: Node
    outcome: str
    label: Text
    plain: Text
    permission: str | None = None  # for a ``permitted`` outcome: ``grant`` or ``floor``


@dataclass(frozen=True)
class Reading:
    """A settled reading of a disputed term, with the reason, written on the rule."""

    about: str
    reading: str


@dataclass(frozen=True)
class Presumption:
    """A fact the law presumes on one (actor, action) until the situation says otherwise:
    every rule on that pair reads the unknown fact as ``value`` (CONTRACT.md, Presumptions)."""

    fact: str
    value: object
    label: Text  # what would rebut it: "unless the force is lawful"


@dataclass(frozen=True)
class Rule:
    id: str  # "<instrument>/<rule>"
    instrument: str
    actor: str
    action: str
    outcome: str
    when: Node
    unless: tuple[Exception_, ...]
    cites: tuple[str, ...]
    in_force_from: date
    in_force_until: date
    violation: Node | None
    plain: Text
    changes_if: Text | None
    readings: tuple[Reading, ...]
    where: Location
    subject: tuple[str, ...] = ()  # the facts that raise the duty's subject (``engaged``)
    permission: str | None = None  # for a ``permitted`` outcome: ``grant`` or ``floor``
    presumes: Presumption | None = None
    source: dict[str, Any] = field(default_factory=dict, compare=False)  # the conditions as written

    @property
    def pair(self) -> str:
        return f"{self.actor}/{self.action}"


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    short: str
    level: str
    enacted: date
    in_force_from: date
    in_force_until: date
    note: str
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = ()
    questions: tuple[OpenQuestion, ...] = ()
    tests_file: Path | None = None

    @property
    def open_questions(self) -> tuple[OpenQuestion, ...]:
        return self.questions

    @property
    def version(self) -> str:
        return self.enacted.isoformat()

    @property
    def rank(self) -> tuple[int, date]:
        """Precedence: a higher level first, then the later enactment."""
        return (len(LEVELS) - LEVELS.index(self.level), self.enacted)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def cite(self, section_id: str) -> str:
        return f"{self.short} {section_id}".strip()

    def section_of(self, cite: str, policy: Policy) -> tuple[Instrument, str]:
        """The instrument and section a cite names: its own, or ``other-instrument:section``."""
        if ":" in cite:
            other, _, section = cite.partition(":")
            found = policy.instrument(other)
            assert found is not None
            return found, section
        return self, cite


@dataclass
class Policy:
    root: Path
    instruments: list[Instrument] = field(default_factory=list)

    @property
    def questions(self) -> dict[str, OpenQuestion]:
        return {q.id: q for i in self.instruments for q in i.questions}

    def instrument(self, instrument_id: str) -> Instrument | None:
        return next((i for i in self.instruments if i.id == instrument_id), None)

    @property
    def rules(self) -> list[Rule]:
        return [r for i in self.instruments for r in i.rules]


# -- Loading ----------------------------------------------------------------------------------
#
# Each file is read once and checked against its schema; the functions that build the objects
# above (``_section``, ``_rule``, ...) read only mappings that passed, so every required key is
# there and of its kind. Conditions are parsed during the check (``_condition_problem``) and
# again when a rule is built.


class _Reader:
    """Reads the policy's files against their schemas, collecting every problem."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[tuple[Location, str]] = []

    def read(self, path: Path, schema: _schema.Kind, **asks: _schema.Ask) -> _schema.Checked | None:
        """The file checked against its schema; None if it is absent or not YAML."""
        if not path.exists():
            return None
        inside = self.root.parent in path.parents
        name = str(path.relative_to(self.root.parent)) if inside else str(path)
        try:
            data = _yaml.load(path, name)
        except PolicyError as error:
            self.problems.extend(error.problems)
            return None
        checked = _schema.check(data, schema, name, asks)
        self.problems.extend(checked.problems)
        return checked


def load_policy(root: Path = DEFAULT_POLICY_DIR) -> Policy:
    """Load and check every instrument under ``root``; raise PolicyError listing every problem."""
    reader = _Reader(root)
    shared = _load_definitions(reader, root / "definitions.yaml")
    headers = _load_instruments(reader, root)
    questions = {f: _load_questions(reader, f, h.id) for f, h in headers.items()}
    answers = _answers(reader, [q for found in questions.values() for q in found])
    instruments = {h.id: h for h in headers.values()}
    policy = Policy(root)
    for folder, header in headers.items():
        parser = _parser(reader, folder, shared, answers)
        policy.instruments.append(
            replace(
                header,
                rules=_load_rules(reader, folder, header, parser, instruments),
                questions=questions[folder],
                tests_file=_tests_file(folder),
            )
        )
    if reader.problems:
        raise PolicyError(list(dict.fromkeys(reader.problems)))  # a shared term's problem once
    policy.instruments.sort(key=lambda i: i.rank, reverse=True)
    return policy


def _load_instruments(reader: _Reader, root: Path) -> dict[Path, Instrument]:
    """Each folder's instrument (header and sections), if its instrument.yaml passed."""
    folders = sorted(p for p in root.iterdir() if (p / "instrument.yaml").exists())
    return {f: header for f in folders if (header := _load_instrument(reader, f)) is not None}


def _tests_file(folder: Path) -> Path | None:
    tests = folder / "tests.yaml"
    return tests if tests.exists() else None


def _load_instrument(reader: _Reader, folder: Path) -> Instrument | None:
    """The instrument's header and sections; None if its instrument.yaml has a problem."""
    folder_id = partial(_folder_problem, folder.name)
    checked = reader.read(folder / "instrument.yaml", _schema.INSTRUMENT, folder=folder_id)
    if checked is None or not checked.ok(checked.data):
        return None
    data = checked.data
    start, end = _in_force(data, data["enacted"])
    return Instrument(
        id=data["id"],
        title=data["title"],
        short=data["short"],
        level=data["level"],
        enacted=data["enacted"],
        in_force_from=start,
        in_force_until=end,
        note=data.get("note", "").strip(),
        sections=tuple(_section(checked, s) for s in data["sections"]),
    )


def _folder_problem(folder: str, instrument_id: Any, _key: str) -> str | None:
    if instrument_id != folder:
        return f"id '{instrument_id}' must match its folder '{folder}'"
    return None


def _in_force(data: dict[str, Any], default: date) -> tuple[date, date]:
    """When ``data`` is in force: its ``in_force``, or from ``default`` on."""
    window = data.get("in_force", {"from": default})
    return window["from"], window.get("until", FAR_FUTURE)


def _section(checked: _schema.Checked, data: dict[str, Any]) -> Section:
    return Section(
        id=data["id"],
        heading=data.get("heading", ""),
        text=data["text"].strip(),
        source=data["source"],
        confidence=data["confidence"],
        text_verified=data.get("text_verified", False),
        not_encoded=data.get("not_encoded"),
        where=checked.where(data),
    )


def _load_questions(reader: _Reader, folder: Path, instrument: str) -> tuple[OpenQuestion, ...]:
    checked = reader.read(folder / "questions.yaml", _schema.QUESTIONS)
    if checked is None:
        return ()
    return tuple(_question(checked, item, instrument) for item in checked.items())


def _question(checked: _schema.Checked, data: dict[str, Any], instrument: str) -> OpenQuestion:
    answers = data["answers"]
    return OpenQuestion(
        id=data["id"],
        instrument=instrument,
        question=_text(data["question"]),
        answers=tuple(answers),
        answer_labels={answer: _text(label) for answer, label in answers.items()},
        research=data.get("research", ""),
        where=checked.where(data),
    )


def _answers(reader: _Reader, questions: list[OpenQuestion]) -> dict[str, tuple[str, ...]]:
    """Each open question's answers, for the condition parser; a question is named once."""
    answers: dict[str, tuple[str, ...]] = {}
    for q in questions:
        if q.id in answers:
            reader.problems.append(
                (q.where, f"open question '{q.id}' is named twice; name it once")
            )
        answers[q.id] = q.answers
    return answers


def _load_definitions(reader: _Reader, path: Path) -> dict[str, Any]:
    """The defined terms of one definitions.yaml: term: (where it is written, condition)."""
    checked = reader.read(path, _schema.DEFINITIONS)
    if checked is None or not isinstance(checked.data, dict):
        return {}
    return {name: (checked.where(checked.data, name), term) for name, term in checked.data.items()}


def _parser(
    reader: _Reader, folder: Path, shared: dict[str, Any], answers: dict[str, tuple[str, ...]]
) -> Parser:
    """The condition parser of one instrument: the shared terms, its own, every question."""
    terms = shared | _load_definitions(reader, folder / "definitions.yaml")
    parser = Parser(terms, answers)
    _check_terms(reader, parser, terms)
    return parser


def _check_terms(reader: _Reader, parser: Parser, terms: dict[str, Any]) -> None:
    """Parse every defined term once, so a bad term is reported at its own line."""
    for name, (where, source) in terms.items():
        try:
            parser.parse(source)
        except ConditionError as error:
            if isinstance(error, TermError) and error.term in parser.broken_terms:
                continue  # it uses a term already reported
            if name not in parser.broken_terms:
                parser.broken_terms.add(name)
                reader.problems.append((where, f"{name}: {error}"))


def _load_rules(
    reader: _Reader,
    folder: Path,
    instrument: Instrument,
    parser: Parser,
    instruments: dict[str, Instrument],
) -> tuple[Rule, ...]:
    checked = reader.read(
        folder / "rules.yaml",
        _schema.RULES,
        condition=partial(_condition_problem, parser),
        cite=partial(_cite_problem, instrument, instruments),
    )
    if checked is None:
        return ()
    return tuple(_rule(checked, item, instrument, parser) for item in checked.items())


def _condition_problem(parser: Parser, source: Any, key: str) -> str | None:
    """What is wrong with a condition; "" if it uses a defined term reported at the term."""
    try:
        parser.parse(source)
    except TermError as error:
        return "" if error.term in parser.broken_terms else f"{key}: {error}"
    except ConditionError as error:
        return f"{key}: {error}"
    return None


def _cite_problem(
    instrument: Instrument, instruments: dict[str, Instrument], cite: Any, _key: str
) -> str | None:
    """What is wrong with a citation: a section of this instrument, or ``other:section``."""
    other, colon, section = str(cite).partition(":")
    if not colon:
        if instrument.section(other) is None:
            return f"cites section '{cite}', which {instrument.id} does not have"
        return None
    owner = instruments.get(other)
    if owner is None or owner.section(section) is None:
        return f"cites '{cite}': no section {section!r} in instrument {other!r}"
    return None


def _rule(
    checked: _schema.Checked, data: dict[str, Any], instrument: Instrument, parser: Parser
) -> Rule:
    start, end = _in_force(data, instrument.in_force_from)
    return Rule(
        id=f"{instrument.id}/{data['id']}",
        instrument=instrument.id,
        actor=data["actor"],
        action=data["action"],
        outcome=data["outcome"],
        when=parser.parse(data["when"]),
        unless=tuple(_exception(item, parser) for item in data.get("unless", ())),
        cites=tuple(str(cite) for cite in data["cites"]),
        in_force_from=max(start, instrument.in_force_from),
        in_force_until=min(end, instrument.in_force_until),
        violation=_given(data, "violation", parser.parse),
        plain=_text(data["plain"]),
        changes_if=_given(data, "changes_if", _text),
        readings=tuple(Reading(r["about"], r["reading"].strip()) for r in data.get("readings", ())),
        where=checked.where(data),
        subject=tuple(data["subject"]),
        permission=data.get("permission"),
        presumes=_given(data, "presumes", _presumption),
        source={k: _yaml.plain(data[k]) for k in ("when", "unless", "violation") if k in data},
    )


def _exception(data: dict[str, Any], parser: Parser) -> Exception_:
    return Exception_(
        id=data["id"],
        when=parser.parse(data["when"]),
        outcome=data["outcome"],
        label=_text(data["label"]),
        plain=_text(data["plain"]),
        permission=data.get("permission"),
    )


def _presumption(data: dict[str, Any]) -> Presumption:
    return Presumption(data["fact"], data["value"], _text(data["label"]))


def _text(data: dict[str, str]) -> Text:
    return Text({lang: data[lang].strip() for lang in LANGUAGES})


_T = TypeVar("_T")


def _given(data: dict[str, Any], key: str, build: Callable[[Any], _T]) -> _T | None:
    """``build`` of the value of an optional key, or None without it."""
    return build(data[key]) if key in data else None
