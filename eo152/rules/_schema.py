"""What each policy file may hold, written as data, and the one checker of a file against it.

A schema is built from a few kinds of value:

- ``TEXT``, ``DATE``, ``BOOL``: a string; a date (``2026-02-26``); ``true`` or ``false``.
- ``BILINGUAL``: a sentence in English and in Spanish, ``{en: ..., es: ...}``.
- ``Choice(words)``: one of a fixed list of words.
- ``String(holds, message)``: a string that passes a test (being a contract fact).
- ``Asked(name)``: a value only the loader can judge (a condition, a cited section), handed
  to the loader's function of that name.
- ``List(kind)``: a list of values of one kind; optionally at least so many, and a key that
  no two of its mappings share.
- ``Table(kind)``: a mapping whose keys the author chooses (the answers of a question,
  defined terms), each value of one kind.
- ``Mapping(keys)``: fixed keys, each a ``Key`` (its kind, whether it is required), and
  rules across keys: ``OnlyWhen``, ``ChoiceBy``, ``InOrder``.

The files' schemas are at the end: ``INSTRUMENT``, ``QUESTIONS``, ``RULES``, ``DEFINITIONS``.
``check(data, schema, file)`` reports every problem as ``(file:line, message)`` in the
order of the file, never stopping at the first, and says which mappings passed: the loader
builds those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any, Protocol

from .. import contract
from ..contract.actions import ACTIONS, OUTCOMES
from ..contract.vocabulary import LANGUAGES
from . import _yaml
from .errors import Location
from .levels import CONFIDENCE, LEVELS

#: The loader's judgement of a value the file alone cannot settle, given the value and its key:
#: the problem, "" when it is reported elsewhere (a broken defined term), or None.
Ask = Callable[[Any, str], str | None]


@dataclass
class _Walk:
    """One check under way: the problems found so far, and the mappings they were found in."""

    file: str
    asks: dict[str, Ask]
    problems: list[tuple[Location, str]] = field(default_factory=list)
    failures: int = 0  # problems, counting those reported elsewhere
    broken: set[int] = field(default_factory=set)  # id() of each mapping with a problem inside

    def problem(self, line: int, message: str) -> None:
        self.failures += 1
        if message:
            self.problems.append((Location(self.file, line), message))

    def wrong_type(self, line: int, key: str, value: Any, expected: str) -> None:
        self.problem(line, f"'{key}' has the wrong type ({_found(value)}); expected {expected}")


class Kind(Protocol):
    """A kind of value: it reports each problem of a value found under ``key`` at ``line``."""

    def walk(self, value: Any, key: str, line: int, walk: _Walk) -> None: ...


class Constraint(Protocol):
    """A rule across the keys of one mapping."""

    def walk(self, data: dict[str, Any], walk: _Walk) -> None: ...


# -- Kinds of value -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scalar:
    """A value of one Python type, as YAML reads it."""

    type: type
    expected: str

    def walk(self, value: Any, key: str, line: int, walk: _Walk) -> None:
        if not isinstance(value, self.type):
            walk.wrong_type(line, key, value, self.expected)


TEXT = Scalar(str, "text")
DATE = Scalar(date, "a date (2026-02-26)")
BOOL = Scalar(bool, "true or false")


@dataclass(frozen=True)
class String:
    """A string that passes a test; ``message`` says why one fails, with ``{value!r}``."""

    holds: Callable[[str], bool]
    message: str

    def walk(self, value: Any, key: str, line: int, walk: _Walk) -> None:
        if not isinstance(value, str):
            walk.wrong_type(line, key, value, "text")
        elif not self.holds(value):
            walk.problem(line, self.message.format(value=value))


@dataclass(frozen=True)
class Bilingual:
    """A sentence in English and in Spanish, ``{en: ..., es: ...}``, neither empty."""

    def walk(self, value: Any, key: str, line: int, walk: _Walk) -> None:
        if not isinstance(value, dict):
            walk.wrong_type(line, key, value, "{en: ..., es: ...}")
            return
        _refuse_unknown(value, LANGUAGES, walk)
        if not all(_sentence(value.get(language)) for language in LANGUAGES):
            walk.problem(line, f"'{key}' needs a sentence in 'en' and in 'es'")


BILINGUAL = Bilingual()


@dataclass(frozen=True)
class Choice:
    words: tuple[str, ...]

    def walk(self, value: Any, key: str, line: int, walk: _Walk) -> None:
        if value not in self.words:
            walk.problem(line, f"{key} must be one of {', '.join(self.words)}")


@dataclass(frozen=True)
class Asked:
    """A value the loader judges with its function ``ask`` (accepted where it gives none)."""

    ask: str

    def walk(self, value: Any, key: str, line: int, walk: _Walk) -> None:
        judge = walk.asks.get(self.ask)
        problem = judge(value, key) if judge else None
        if problem is not None:
            walk.problem(line, problem)


@dataclass(frozen=True)
class List:
    """A list of one kind of value; each item is named ``key[index]`` in messages."""

    of: Kind
    at_least: int = 0
    too_few: str = ""  # said at the key when the list is shorter
    unique: str = ""  # a key no two items share ...
    twice: str = ""  # ... and what is said at the second, with ``{}`` for its value

    def walk(self, value: Any, key: str, line: int, walk: _Walk) -> None:
        if not isinstance(value, list):
            walk.wrong_type(line, key, value, "a list")
            return
        lines = getattr(value, "item_lines", [line] * len(value))
        for index, (item, item_line) in enumerate(zip(value, lines, strict=True)):
            self.of.walk(item, f"{key}[{index}]", item_line, walk)
        if len(value) < self.at_least:
            walk.problem(line, self.too_few)
        if self.unique:
            self._twice(value, lines, walk)

    def _twice(self, items: list[Any], lines: list[int], walk: _Walk) -> None:
        seen: set[str] = set()
        for item, line in zip(items, lines, strict=True):
            name = item.get(self.unique) if isinstance(item, dict) else None
            if isinstance(name, str) and name in seen:
                walk.problem(line, self.twice.format(name))
            elif isinstance(name, str):
                seen.add(name)


@dataclass(frozen=True)
class Table:
    """A mapping whose keys the author chooses, each value of one kind."""

    of: Kind
    expected: str = "a mapping"
    at_least: int = 0
    too_few: str = ""  # said at the key when it has fewer entries

    def walk(self, value: Any, key: str, line: int, walk: _Walk) -> None:
        if not isinstance(value, dict):
            walk.wrong_type(line, key, value, self.expected)
            return
        for name, item in value.items():
            self.of.walk(item, name, _yaml.line_of(value, name), walk)
        if len(value) < self.at_least:
            walk.problem(line, self.too_few)


@dataclass(frozen=True)
class Key:
    kind: Kind
    required: bool = False
    hint: str = ""  # what the key holds, said when it is missing


@dataclass(frozen=True)
class Mapping:
    """Fixed keys (any other is refused, naming those allowed) and rules across them."""

    keys: dict[str, Key]
    constraints: tuple[Constraint, ...] = ()

    def walk(self, value: Any, key: str, line: int, walk: _Walk) -> None:
        before = walk.failures
        if isinstance(value, dict):
            self._walk_keys(value, walk)
        else:
            walk.wrong_type(line, key, value, "a mapping")
        if walk.failures > before:
            walk.broken.add(id(value))

    def _walk_keys(self, data: dict[str, Any], walk: _Walk) -> None:
        _refuse_unknown(data, tuple(self.keys), walk)
        for name, spec in self.keys.items():
            if name in data:
                spec.kind.walk(data[name], name, _yaml.line_of(data, name), walk)
            elif spec.required:
                hint = f": {spec.hint}" if spec.hint else ""
                walk.problem(_yaml.line_of(data), f"missing '{name}'{hint}")
        for constraint in self.constraints:
            constraint.walk(data, walk)


# -- Rules across keys --------------------------------------------------------------------------


@dataclass(frozen=True)
class OnlyWhen:
    """``key`` is given exactly when ``other`` is ``value``."""

    key: str
    other: str
    value: str
    missing: str  # said at the mapping when the key is needed and absent
    extra: str  # said at the key when it is given and not needed

    def walk(self, data: dict[str, Any], walk: _Walk) -> None:
        needed = data.get(self.other) == self.value
        if needed and self.key not in data:
            walk.problem(_yaml.line_of(data), self.missing)
        elif self.key in data and not needed:
            walk.problem(_yaml.line_of(data, self.key), self.extra)


@dataclass(frozen=True)
class ChoiceBy:
    """``key`` is one of the words ``choices`` gives for the value of ``by``."""

    key: str
    by: str
    choices: dict[str, tuple[str, ...]]
    message: str  # with ``{by}`` and ``{words}``

    def walk(self, data: dict[str, Any], walk: _Walk) -> None:
        by, value = data.get(self.by), data.get(self.key)
        words = self.choices.get(by) if isinstance(by, str) else None
        if words is not None and isinstance(value, str) and value not in words:
            message = self.message.format(by=by, words=", ".join(words))
            walk.problem(_yaml.line_of(data, self.key), message)


@dataclass(frozen=True)
class InOrder:
    """The date under ``then`` is not before the one under ``first``."""

    first: str
    then: str
    message: str

    def walk(self, data: dict[str, Any], walk: _Walk) -> None:
        first, then = data.get(self.first), data.get(self.then)
        if isinstance(first, date) and isinstance(then, date) and then < first:
            walk.problem(_yaml.line_of(data, self.then), self.message)


# -- Checking a file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """A file's data and what its check found."""

    file: str
    data: Any
    problems: list[tuple[Location, str]]
    broken: frozenset[int]

    def ok(self, value: Any) -> bool:
        """Whether a mapping of this file passed, with everything inside it."""
        return id(value) not in self.broken

    def items(self) -> list[Any]:
        """The items of a file that is a list, those that passed."""
        return [item for item in self.data if self.ok(item)] if isinstance(self.data, list) else []

    def where(self, value: Any, key: str | None = None) -> Location:
        return Location(self.file, _yaml.line_of(value, key))


def check(data: Any, schema: Kind, file: str, asks: dict[str, Ask] | None = None) -> Checked:
    """Check a file's ``data`` (from ``_yaml.load``) against its schema; ``asks`` are the
    loader's functions for ``Asked`` values."""
    walk = _Walk(file, asks or {})
    schema.walk(data, PurePath(file).name, _yaml.line_of(data), walk)
    in_order = sorted(walk.problems, key=lambda problem: problem[0].line)
    return Checked(file, data, in_order, frozenset(walk.broken))


def _refuse_unknown(data: dict[str, Any], allowed: tuple[str, ...], walk: _Walk) -> None:
    for name in data:
        if name not in allowed:
            listed = ", ".join(sorted(allowed))
            walk.problem(_yaml.line_of(data, name), f"unknown key '{name}'; allowed: {listed}")


def _sentence(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


_FOUND = (
    (bool, "true or false"),  # before int: a bool is an int
    (str, "text"),
    (date, "a date"),
    (int, "a number"),
    (float, "a number"),
    (list, "a list"),
    (dict, "a mapping"),
    (type(None), "nothing"),
)


def _found(value: Any) -> str:
    return next((name for kind, name in _FOUND if isinstance(value, kind)), type(value).__name__)


# -- The policy files ---------------------------------------------------------------------------

#: A permission is a ``grant`` (the law gives it against lower law: express preemption) or a
#: ``floor`` (this law does not forbid it); only a grant overrides a lower prohibition.
PERMISSIONS = ("grant", "floor")

#: A condition (docs/policy.md, Conditions), read by the loader's condition parser.
CONDITION = Asked("condition")

IN_FORCE = Mapping(
    {"from": Key(DATE, required=True), "until": Key(DATE)},
    (InOrder("from", "until", "in_force needs 'until' after 'from'"),),
)

SECTION = Mapping(
    {
        "id": Key(TEXT, required=True),
        "heading": Key(TEXT),
        "text": Key(TEXT, required=True),
        "source": Key(TEXT, required=True),
        "confidence": Key(Choice(CONFIDENCE), required=True),
        "text_verified": Key(BOOL),  # false by default
        "not_encoded": Key(TEXT),  # why a section gives no rule
    }
)

#: instrument.yaml
INSTRUMENT = Mapping(
    {
        "id": Key(Asked("folder"), required=True),  # the folder's name
        "title": Key(TEXT, required=True),
        "short": Key(TEXT, required=True),  # how citations begin: "EO 152"
        "level": Key(Choice(LEVELS), required=True),
        "enacted": Key(DATE, required=True),
        "in_force": Key(IN_FORCE),  # from the enactment by default
        "note": Key(TEXT),
        "sections": Key(
            List(SECTION, unique="id", twice="section '{}' appears twice"), required=True
        ),
    }
)

#: questions.yaml (an open question is named once across the policy: the loader checks that)
QUESTIONS = List(
    Mapping(
        {
            "id": Key(TEXT, required=True),
            "question": Key(BILINGUAL, required=True),
            "answers": Key(
                Table(BILINGUAL, at_least=2, too_few="an open question needs at least two answers"),
                required=True,
            ),
            "research": Key(TEXT),  # where the research discusses it
        }
    )
)

_PERMISSION = OnlyWhen(
    "permission",
    "outcome",
    "permitted",
    missing="a permitted outcome says 'permission: grant' (the law gives it against lower law)"
    " or 'permission: floor' (this law only does not forbid it)",
    extra="only a permitted outcome has a 'permission'",
)

EXCEPTION = Mapping(
    {
        "id": Key(TEXT, required=True),
        "when": Key(CONDITION, required=True),
        "outcome": Key(Choice(OUTCOMES), required=True),
        "permission": Key(Choice(PERMISSIONS)),
        "label": Key(BILINGUAL, required=True),
        "plain": Key(BILINGUAL, required=True),
    },
    (_PERMISSION,),
)


def _is_fact(path: str) -> bool:
    """A contract path, or an object or list naming all its fields (``force``, ``injuries``)."""
    return contract.field_at(path) is not None


def _is_true_false_fact(path: str) -> bool:
    found = contract.field_at(path)
    return found is not None and found.kind == "bool"


PRESUMPTION = Mapping(
    {
        "fact": Key(
            String(_is_true_false_fact, "a presumption is on a true/false fact, not {value!r}"),
            required=True,
        ),
        "value": Key(BOOL, required=True, hint="true or false"),
        "label": Key(BILINGUAL, required=True),  # what would rebut it: "unless the force is lawful"
    }
)

READING = Mapping({"about": Key(TEXT, required=True), "reading": Key(TEXT, required=True)})

RULE = Mapping(
    {
        "id": Key(TEXT, required=True),
        "actor": Key(Choice(tuple(ACTIONS)), required=True),
        "action": Key(TEXT, required=True),  # one of the actor's actions (below)
        "outcome": Key(Choice(OUTCOMES), required=True),
        "permission": Key(Choice(PERMISSIONS)),  # exactly when the outcome is permitted
        "subject": Key(
            List(
                String(_is_fact, "subject {value!r} is not a contract fact"),
                at_least=1,
                too_few="'subject' names at least one fact that raises this duty",
            ),
            required=True,
            hint="the facts that raise this duty (force, requests)",
        ),
        "when": Key(CONDITION, required=True),
        "unless": Key(List(EXCEPTION)),
        "violation": Key(CONDITION),
        "presumes": Key(PRESUMPTION),
        "cites": Key(
            List(Asked("cite"), at_least=1, too_few="a rule cites at least one section"),
            required=True,
        ),
        "in_force": Key(IN_FORCE),  # the instrument's by default
        "plain": Key(BILINGUAL, required=True),
        "changes_if": Key(BILINGUAL),
        "readings": Key(List(READING)),
        "note": Key(TEXT),
    },
    (ChoiceBy("action", "actor", ACTIONS, "{by} has the actions {words}"), _PERMISSION),
)

#: rules.yaml
RULES = List(RULE, unique="id", twice="rule id '{}' appears twice")

#: definitions.yaml. Its conditions are read once the policy's terms and questions are known,
#: for each instrument that uses them (the loader asks nothing of them here).
DEFINITIONS = Table(CONDITION, expected="a mapping of term: condition")
