"""Loading the policy: one folder per legal instrument, read and checked once at start-up.

A policy folder holds ``definitions.yaml`` (terms shared by all instruments) and one folder
per instrument with ``instrument.yaml`` (its sections: the words we have, with source and
confidence), and optionally ``definitions.yaml``, ``questions.yaml`` (open legal questions),
``rules.yaml`` and ``tests.yaml``. Every problem is reported as ``file:line: reason`` and
stops the load: a malformed policy never runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from . import _yaml, contract
from .conditions import ConditionError, Node, Parser, TermError
from .errors import Location, PolicyError
from .vocab import ACTIONS, CONFIDENCE, LEVELS, OUTCOMES

DEFAULT_POLICY_DIR = Path(__file__).resolve().parent.parent / "policies"
FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class Text:
    """A sentence in English and Spanish."""

    en: str
    es: str

    def as_dict(self) -> dict[str, str]:
        return {"en": self.en, "es": self.es}


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

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "question": self.question.as_dict(), "answers": list(self.answers)}


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


class _Reader:
    """Reads one file's mappings, collecting problems with their lines."""

    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self.name = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
        self.problems: list[tuple[Location, str]] = []
        self.pending_cites: list[tuple[str, int]] = []  # "instrument:section", checked at the end

    def at(self, line: int) -> Location:
        return Location(self.name, line)

    def problem(self, line: int, message: str) -> None:
        self.problems.append((self.at(line), message))

    def require(self, data: Any, key: str, kind: type | tuple[type, ...] = str) -> Any:
        if not isinstance(data, dict) or key not in data:
            self.problem(_yaml.line_of(data), f"missing '{key}'")
            return None
        value = data[key]
        if not isinstance(value, kind):
            self.problem(
                _yaml.line_of(data, key), f"'{key}' has the wrong type ({type(value).__name__})"
            )
            return None
        return value

    def text(self, data: Any, key: str) -> Text | None:
        value = self.require(data, key, dict)
        if value is None:
            return None
        en, es = value.get("en"), value.get("es")
        if not (isinstance(en, str) and en.strip() and isinstance(es, str) and es.strip()):
            self.problem(_yaml.line_of(data, key), f"'{key}' needs a sentence in 'en' and in 'es'")
            return None
        return Text(en.strip(), es.strip())

    def unknown_keys(self, data: Any, allowed: set[str]) -> None:
        if isinstance(data, dict):
            for key in set(data) - allowed:
                self.problem(
                    _yaml.line_of(data, key),
                    f"unknown key '{key}'; allowed: {', '.join(sorted(allowed))}",
                )


def _open(
    path: Path, root: Path, problems: list[tuple[Location, str]]
) -> tuple[_Reader | None, Any]:
    """A reader for one file and its parsed data; None (with the problem recorded) if unreadable."""
    reader = _Reader(path, root)
    try:
        return reader, _yaml.load(path, reader.name)
    except PolicyError as error:
        problems.extend(error.problems)
        return None, None


def load_policy(root: Path = DEFAULT_POLICY_DIR) -> Policy:
    """Load and check every instrument under ``root``; raise PolicyError listing every problem."""
    problems: list[tuple[Location, str]] = []
    shared = _load_definitions(root / "definitions.yaml", root, problems)
    folders = sorted(p for p in root.iterdir() if (p / "instrument.yaml").exists())
    headers = [_load_instrument(folder, root, problems) for folder in folders]
    questions: dict[str, tuple[str, ...]] = {}
    loaded_questions: dict[str, list[OpenQuestion]] = {}
    for folder, header in zip(folders, headers, strict=True):
        if header is None:
            continue
        found = _load_questions(folder / "questions.yaml", root, header.id, problems)
        for q in found:
            if q.id in questions:
                problems.append((q.where, f"open question '{q.id}' is named twice; name it once"))
            questions[q.id] = q.answers
        loaded_questions[header.id] = found
    policy = Policy(root)
    cross_cites: list[tuple[Location, str]] = []
    for folder, header in zip(folders, headers, strict=True):
        if header is None:
            continue
        terms = dict(shared)
        terms.update(_load_definitions(folder / "definitions.yaml", root, problems))
        parser = Parser(terms, questions)
        _check_terms(parser, terms, problems)
        rules = _load_rules(folder / "rules.yaml", root, header, parser, problems, cross_cites)
        tests = folder / "tests.yaml"
        policy.instruments.append(
            replace(
                header,
                rules=tuple(rules),
                questions=tuple(loaded_questions[header.id]),
                tests_file=tests if tests.exists() else None,
            )
        )
    for where, cite in cross_cites:
        other, _, section = cite.partition(":")
        owner = policy.instrument(other)
        if owner is None or owner.section(section) is None:
            problems.append(
                (where, f"cites '{cite}': no section {section!r} in instrument {other!r}")
            )
    if problems:
        raise PolicyError(list(dict.fromkeys(problems)))  # a shared term's problem once
    policy.instruments.sort(key=lambda i: i.rank, reverse=True)
    return policy


def _load_definitions(
    path: Path, root: Path, problems: list[tuple[Location, str]]
) -> dict[str, Any]:
    if not path.exists():
        return {}
    reader, data = _open(path, root, problems)
    if reader is None:
        return {}
    if not isinstance(data, dict):
        reader.problem(1, "definitions are a mapping of term: condition")
        data = {}
    problems.extend(reader.problems)
    return {name: (reader.at(_yaml.line_of(data, name)), value) for name, value in data.items()}


def _check_terms(
    parser: Parser, terms: dict[str, Any], problems: list[tuple[Location, str]]
) -> None:
    """Parse every defined term once, so a bad term is reported at its own line."""
    for name, (where, source) in terms.items():
        try:
            parser.parse(source)
        except ConditionError as error:
            if isinstance(error, TermError) and error.term in parser.broken_terms:
                continue  # it uses a term already reported
            if name not in parser.broken_terms:
                parser.broken_terms.add(name)
                problems.append((where, f"{name}: {error}"))


def _load_instrument(
    folder: Path, root: Path, problems: list[tuple[Location, str]]
) -> Instrument | None:
    path = folder / "instrument.yaml"
    reader, data = _open(path, root, problems)
    if reader is None:
        return None
    reader.unknown_keys(
        data, {"id", "title", "short", "level", "enacted", "in_force", "note", "sections"}
    )
    iid = reader.require(data, "id")
    if iid is not None and iid != folder.name:
        reader.problem(
            _yaml.line_of(data, "id"), f"id '{iid}' must match its folder '{folder.name}'"
        )
    level = reader.require(data, "level")
    if level is not None and level not in LEVELS:
        reader.problem(_yaml.line_of(data, "level"), f"level must be one of {', '.join(LEVELS)}")
    enacted = reader.require(data, "enacted", date)
    start, end = _in_force(reader, data, enacted)
    sections = [_section(reader, s, line) for s, line in _items(reader, data, "sections")]
    seen: set[str] = set()
    for s in sections:
        if s is not None and s.id in seen:
            problems.append((s.where, f"section '{s.id}' appears twice"))
        if s is not None:
            seen.add(s.id)
    title, short = reader.require(data, "title"), reader.require(data, "short")
    problems.extend(reader.problems)
    if reader.problems or None in (iid, level, enacted, title, short):
        return None
    return Instrument(
        id=iid,
        title=title,
        short=short,
        level=level,
        enacted=enacted,
        in_force_from=start,
        in_force_until=end,
        note=str(data.get("note", "")).strip(),
        sections=tuple(s for s in sections if s is not None),
    )


def _items(reader: _Reader, data: Any, key: str) -> list[tuple[Any, int]]:
    items = reader.require(data, key, list)
    if items is None:
        return []
    lines = getattr(items, "item_lines", [1] * len(items))
    return list(zip(items, lines, strict=True))


def _in_force(reader: _Reader, data: Any, default: date | None) -> tuple[date, date]:
    window = data.get("in_force") if isinstance(data, dict) else None
    if window is None:
        return default or date.min, FAR_FUTURE
    start, end = window.get("from", default), window.get("until", FAR_FUTURE)
    if not isinstance(start, date) or not isinstance(end, date) or end < start:
        reader.problem(
            _yaml.line_of(data, "in_force"), "in_force needs dates 'from' (and 'until' after it)"
        )
        return date.min, FAR_FUTURE
    return start, end


def _section(reader: _Reader, data: Any, line: int) -> Section | None:
    reader.unknown_keys(
        data, {"id", "heading", "text", "source", "confidence", "text_verified", "not_encoded"}
    )
    sid, text, source = (
        reader.require(data, "id"),
        reader.require(data, "text"),
        reader.require(data, "source"),
    )
    confidence = reader.require(data, "confidence")
    if confidence is not None and confidence not in CONFIDENCE:
        reader.problem(
            _yaml.line_of(data, "confidence"), f"confidence must be one of {', '.join(CONFIDENCE)}"
        )
        return None
    if None in (sid, text, source, confidence):
        return None
    return Section(
        id=str(sid),
        heading=str(data.get("heading", "")),
        text=text.strip(),
        source=source,
        confidence=confidence,
        text_verified=bool(data.get("text_verified", False)),
        not_encoded=data.get("not_encoded"),
        where=reader.at(line),
    )


def _load_questions(
    path: Path, root: Path, instrument: str, problems: list[tuple[Location, str]]
) -> list[OpenQuestion]:
    if not path.exists():
        return []
    reader, data = _open(path, root, problems)
    if reader is None:
        return []
    found: list[OpenQuestion] = []
    for item, line in _items(
        reader, {"questions": data} if isinstance(data, list) else data, "questions"
    ):
        reader.unknown_keys(item, {"id", "question", "answers", "research"})
        qid, question = reader.require(item, "id"), reader.text(item, "question")
        answers = reader.require(item, "answers", dict)
        labels: dict[str, Text] = {}
        for answer in answers or {}:
            label = reader.text(answers, answer)
            if label is not None:
                labels[answer] = label
        if answers is not None and len(answers) < 2:
            reader.problem(line, "an open question needs at least two answers")
        if None not in (qid, question, answers):
            assert question is not None
            found.append(
                OpenQuestion(
                    qid,
                    instrument,
                    question,
                    tuple(answers),
                    labels,
                    str(item.get("research", "")),
                    reader.at(line),
                )
            )
    problems.extend(reader.problems)
    return found


_RULE_KEYS = {
    "id",
    "actor",
    "action",
    "outcome",
    "when",
    "unless",
    "cites",
    "in_force",
    "violation",
    "plain",
    "changes_if",
    "readings",
    "note",
    "subject",
    "permission",
    "presumes",
}

#: A permission is a ``grant`` (the law gives it against lower law: express preemption) or a
#: ``floor`` (this law does not forbid it); only a grant overrides a lower prohibition.
PERMISSIONS = ("grant", "floor")


def _load_rules(
    path: Path,
    root: Path,
    instrument: Instrument,
    parser: Parser,
    problems: list[tuple[Location, str]],
    cross_cites: list[tuple[Location, str]],
) -> list[Rule]:
    if not path.exists():
        return []
    reader, data = _open(path, root, problems)
    if reader is None:
        return []
    rules: list[Rule] = []
    seen: set[str] = set()
    for item, line in _items(reader, {"rules": data} if isinstance(data, list) else data, "rules"):
        rule = _rule(reader, item, line, instrument, parser)
        if rule is not None:
            if rule.id in seen:
                reader.problem(line, f"rule id '{rule.id}' appears twice")
            seen.add(rule.id)
            rules.append(rule)
    problems.extend(reader.problems)
    cross_cites.extend((reader.at(line), cite) for cite, line in reader.pending_cites)
    return rules


def _condition(reader: _Reader, parser: Parser, data: Any, key: str) -> Node | None:
    try:
        return parser.parse(data[key])
    except TermError as error:
        if error.term not in parser.broken_terms:  # a term's problem is reported once, at the term
            reader.problem(_yaml.line_of(data, key), f"{key}: {error}")
        return None
    except ConditionError as error:
        reader.problem(_yaml.line_of(data, key), f"{key}: {error}")
        return None


def _rule(
    reader: _Reader, data: Any, line: int, instrument: Instrument, parser: Parser
) -> Rule | None:
    reader.unknown_keys(data, _RULE_KEYS)
    before = len(reader.problems)
    rid, actor, action = (
        reader.require(data, "id"),
        reader.require(data, "actor"),
        reader.require(data, "action"),
    )
    outcome = reader.require(data, "outcome")
    if actor is not None and actor not in ACTIONS:
        reader.problem(_yaml.line_of(data, "actor"), f"actor must be one of {', '.join(ACTIONS)}")
    elif action is not None and actor is not None and action not in ACTIONS[actor]:
        reader.problem(
            _yaml.line_of(data, "action"), f"{actor} has the actions {', '.join(ACTIONS[actor])}"
        )
    if outcome is not None and outcome not in OUTCOMES:
        reader.problem(
            _yaml.line_of(data, "outcome"), f"outcome must be one of {', '.join(OUTCOMES)}"
        )
    when = (
        _condition(reader, parser, data, "when")
        if isinstance(data, dict) and "when" in data
        else None
    )
    if when is None and isinstance(data, dict) and "when" not in data:
        reader.problem(line, "missing 'when'")
    violation = (
        _condition(reader, parser, data, "violation")
        if isinstance(data, dict) and "violation" in data
        else None
    )
    cites = reader.require(data, "cites", list) or []
    for cite, cite_line in zip(cites, getattr(cites, "item_lines", []), strict=False):
        if ":" in str(cite):
            reader.pending_cites.append((str(cite), cite_line))
        elif instrument.section(str(cite)) is None:
            reader.problem(
                cite_line, f"cites section '{cite}', which {instrument.id} does not have"
            )
    if isinstance(data, dict) and not cites:
        reader.problem(line, "a rule cites at least one section")
    plain = reader.text(data, "plain")
    changes_if = (
        reader.text(data, "changes_if") if isinstance(data, dict) and "changes_if" in data else None
    )
    unless = [
        _exception(reader, parser, e, e_line)
        for e, e_line in (
            _items(reader, data, "unless") if isinstance(data, dict) and "unless" in data else []
        )
    ]
    readings = [
        Reading(str(r.get("about", "")), str(r.get("reading", "")).strip())
        for r in (data.get("readings") or [] if isinstance(data, dict) else [])
        if isinstance(r, dict)
    ]
    start, end = _in_force(reader, data, instrument.in_force_from)
    permission = _permission(reader, data, outcome)
    subject = _subject(reader, data, line)
    presumes = _presumption(reader, data) if isinstance(data, dict) and "presumes" in data else None
    if len(reader.problems) > before or when is None or plain is None:
        return None
    return Rule(
        id=f"{instrument.id}/{rid}",
        instrument=instrument.id,
        actor=actor,
        action=action,
        outcome=outcome,
        when=when,
        unless=tuple(e for e in unless if e is not None),
        cites=tuple(str(c) for c in cites),
        in_force_from=max(start, instrument.in_force_from),
        in_force_until=min(end, instrument.in_force_until),
        violation=violation,
        plain=plain,
        changes_if=changes_if,
        readings=tuple(readings),
        where=reader.at(line),
        subject=subject,
        permission=permission,
        presumes=presumes,
        source={k: _yaml.plain(data[k]) for k in ("when", "unless", "violation") if k in data},
    )


def _exception(reader: _Reader, parser: Parser, data: Any, line: int) -> Exception_ | None:
    reader.unknown_keys(data, {"id", "when", "outcome", "label", "plain", "permission"})
    eid, outcome = reader.require(data, "id"), reader.require(data, "outcome")
    permission = _permission(reader, data, outcome)
    if outcome is not None and outcome not in OUTCOMES:
        reader.problem(
            _yaml.line_of(data, "outcome"), f"outcome must be one of {', '.join(OUTCOMES)}"
        )
        return None
    when = (
        _condition(reader, parser, data, "when")
        if isinstance(data, dict) and "when" in data
        else None
    )
    label, plain = reader.text(data, "label"), reader.text(data, "plain")
    if None in (eid, outcome, when, label, plain):
        return None
    assert when is not None and label is not None and plain is not None
    return Exception_(eid, when, outcome, label, plain, permission)


def _permission(reader: _Reader, data: Any, outcome: str | None) -> str | None:
    """``grant`` or ``floor``, which every ``permitted`` outcome must say, and no other has."""
    found = data.get("permission") if isinstance(data, dict) else None
    line = _yaml.line_of(data, "permission") if found is not None else _yaml.line_of(data)
    if outcome == "permitted" and found not in PERMISSIONS:
        reader.problem(
            line,
            "a permitted outcome says 'permission: grant' (the law gives it against lower law)"
            " or 'permission: floor' (this law only does not forbid it)",
        )
    elif outcome != "permitted" and found is not None:
        reader.problem(line, "only a permitted outcome has a 'permission'")
    return found if found in PERMISSIONS else None


def _subject(reader: _Reader, data: Any, line: int) -> tuple[str, ...]:
    """The facts that raise the rule's subject: contract paths, an object or list naming all
    its fields (``force``, ``injuries``)."""
    found = data.get("subject") if isinstance(data, dict) else None
    if not isinstance(found, list) or not found:
        reader.problem(line, "missing 'subject': the facts that raise this duty (force, requests)")
        return ()
    paths: list[str] = []
    for path in found:
        if contract.field_at(str(path)) is None:
            reader.problem(
                _yaml.line_of(data, "subject"), f"subject {path!r} is not a contract fact"
            )
        else:
            paths.append(str(path))
    return tuple(paths)


def _presumption(reader: _Reader, data: dict[str, Any]) -> Presumption | None:
    found = data["presumes"]
    reader.unknown_keys(found, {"fact", "value", "label"})
    fact = reader.require(found, "fact")
    label = reader.text(found, "label")
    field = contract.field_at(fact) if fact is not None else None
    if fact is not None and (field is None or field.kind != "bool"):
        reader.problem(
            _yaml.line_of(found, "fact"), f"a presumption is on a true/false fact, not {fact!r}"
        )
        return None
    value = found.get("value") if isinstance(found, dict) else None
    if not isinstance(value, bool):
        reader.problem(_yaml.line_of(found), "a presumption's 'value' is true or false")
        return None
    if fact is None or label is None:
        return None
    return Presumption(fact, value, label)
