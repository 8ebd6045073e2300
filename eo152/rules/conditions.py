"""Conditions of rules: a small language a lawyer can read, evaluated in three-valued logic.

A condition is a YAML list (all must hold), ``{any: [...]}``, ``{all: [...]}``, ``{not: ...}``,
a quantifier ``{some: city_personnel, where: [...]}`` / ``{none: ..., where: [...]}``, the name
of a defined term, or one sentence::

    location.ownership is city_owned
    location.ownership in [city_owned, city_controlled]
    authority.kind not in [judicial_warrant, court_order]
    force.ongoing is true
    activities has any of [staging, processing, operations_base]
    question p1-scope is all_enforcement

Facts are named by contract paths and checked against the contract when the policy loads. An
unknown fact is unknown (``None``), never false: ``and``, ``or`` and ``not`` follow Kleene's
strong three-valued logic. Each sentence compiles to an *atom*; atoms are shared by all rules,
evaluated once per situation, and are what the engine splits on when facts are unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Any, TypeVar

from .. import contract

Truth = bool | None
Kleene = Callable[[Sequence[Truth]], Truth]
Test = Callable[[Any], Truth]
T = TypeVar("T")

# Enum values that mean "not known" in the contract: they are read as unknown.
UNKNOWN_VALUES = frozenset({"unknown", "UNKNOWN"})

# Facts whose absence is not unknown because another known fact settles them: a situation is in
# Denver unless it says otherwise (``jurisdiction`` defaults to ``denver``), so a location is
# within the city limits unless ``location.within_city_limits`` says false.
# The body-camera carve-outs (C.R.S. 24-31-902) are this project's facts, not the contract's: an
# officer claims one, so a place is not a courtroom or a fixed-camera jail area unless it says so.
DEFAULTS: dict[str, object] = {
    "location.within_city_limits": True,
    "location.fixed_cameras": False,
    "location.courtroom": False,
}

# Facts that another fact settles when they are not given: ``force.kind: none`` means no force,
# so none beyond the law and none that could kill or seriously injure (CONTRACT.md, Federal
# officers). A given value always wins.
IMPLIED: dict[str, tuple[str, object, object]] = {
    "force.excessive": ("kind", "none", False),
    "force.could_cause_death_or_serious_bodily_injury": ("kind", "none", False),
}


def _implied(path: str, parent: Any) -> Any:
    """The value ``IMPLIED`` gives an absent fact whose parent object is ``parent``."""
    rule = IMPLIED.get(path)
    if rule is None or not isinstance(parent, dict):
        return DEFAULTS.get(path)
    sibling, when, value = rule
    return value if parent.get(sibling) == when else None


_SENTENCE = re.compile(
    r"^(?P<subject>question\s+[a-z0-9-]+|[a-z_\[\].]+)\s+"
    r"(?P<op>is not|is|not in|in|has any of)\s+(?P<object>.+)$"
)


class ConditionError(ValueError):
    """A condition that cannot be read; the loader adds file and line."""


class TermError(ConditionError):
    """A problem inside a defined term: reported once, at the term, not at each use."""

    def __init__(self, term: str, error: ConditionError) -> None:
        self.term = term
        super().__init__(f"defined term {term!r}: {error}")


@dataclass(frozen=True)
class Atom:
    """One test on the facts: the unit the engine evaluates and splits on.

    ``kind`` is ``value`` (a scalar fact is one of ``values``), ``any`` (an enumerated list
    has one of ``values``), ``some`` (a list of objects has an item meeting ``where``) or
    ``question`` (an open question's answer is one of ``values``).
    """

    kind: str
    path: str
    values: frozenset[Any]
    where: Node | None = None
    text: str = ""

    @property
    def key(self) -> tuple[Any, ...]:
        return (
            self.kind,
            self.path,
            tuple(sorted(map(str, self.values))),
            self.text if self.where else "",
        )


@dataclass(frozen=True)
class Node:
    """A condition tree: ``op`` is ``and``, ``or``, ``not`` or ``atom``."""

    op: str
    children: tuple[Node, ...] = ()
    atom: Atom | None = None


class Parser:
    """Turns condition YAML into trees of atoms, checking every fact and value on the way."""

    def __init__(
        self, definitions: dict[str, tuple[object, Any]], questions: dict[str, tuple[str, ...]]
    ) -> None:
        self.definitions = {name: source for name, (_where, source) in definitions.items()}
        self.questions = questions
        self.broken_terms: set[str] = set()
        self._expanding: list[str] = []

    def parse(self, source: Any, item: contract.Field | None = None) -> Node:
        if isinstance(source, list):
            return self._all([self.parse(part, item) for part in source])
        if isinstance(source, dict):
            return self._mapping(source, item)
        if isinstance(source, str):
            return self._sentence(source.strip(), item)
        raise ConditionError(f"a condition is a sentence, a list or a mapping, not {source!r}")

    def _all(self, parts: list[Node]) -> Node:
        # An empty list holds (it asks nothing): ``{some: injuries}`` means "anyone is injured",
        # and a rule with ``when: []`` is a standing rule, in force in every situation.
        return parts[0] if len(parts) == 1 else Node("and", tuple(parts))

    def _mapping(self, source: dict[str, Any], item: contract.Field | None) -> Node:
        keys = set(source)
        if keys == {"any"} or keys == {"all"}:
            (key,) = keys
            parts = source[key]
            if not isinstance(parts, list) or not parts:
                raise ConditionError(f"'{key}' takes a non-empty list of conditions")
            nodes = tuple(self.parse(p, item) for p in parts)
            return Node("or" if key == "any" else "and", nodes) if len(nodes) > 1 else nodes[0]
        if keys == {"not"}:
            return Node("not", (self.parse(source["not"], item),))
        for quantifier in ("some", "none"):
            if keys in ({quantifier, "where"}, {quantifier}):
                where = source.get("where", [])
                some = Node("atom", atom=self._quantifier(source[quantifier], where, item))
                return some if quantifier == "some" else Node("not", (some,))
        raise ConditionError(
            f"unknown condition keys {sorted(keys)}; use any, all, not, or some/none with where"
        )

    def _quantifier(self, list_path: Any, where: Any, item: contract.Field | None) -> Atom:
        if item is not None:
            raise ConditionError("a quantifier cannot be nested inside another")
        field = contract.field_at(str(list_path))
        if field is None or field.kind != "object_list":
            lists = ", ".join(f.path for f in contract.walk() if f.kind == "object_list")
            raise ConditionError(f"'{list_path}' is not a list of objects; lists: {lists}")
        condition = self.parse(where, field)
        return Atom("some", field.path, frozenset(), condition, _describe_where(where))

    def _sentence(self, text: str, item: contract.Field | None) -> Node:
        if text in self.definitions:
            return self._definition(text, item)
        match = _SENTENCE.match(text)
        if not match:
            raise ConditionError(
                f"cannot read {text!r}: expected '<fact> is|is not|in|not in|has any of <value(s)>'"
                " or the name of a defined term"
            )
        subject, op, obj = match["subject"], match["op"], match["object"].strip()
        negate = op in ("is not", "not in")
        if subject.startswith("question "):
            atom = self._question(subject.split()[1], op, obj)
        else:
            atom = self._fact(subject, op, obj, item)
        node = Node("atom", atom=atom)
        return Node("not", (node,)) if negate else node

    def _definition(self, name: str, item: contract.Field | None) -> Node:
        if name in self._expanding:
            raise ConditionError(f"defined term {name!r} refers to itself")
        self._expanding.append(name)
        try:
            return self.parse(self.definitions[name], item)
        except TermError:
            raise
        except ConditionError as error:
            raise TermError(name, error) from None
        finally:
            self._expanding.pop()

    def _question(self, qid: str, op: str, obj: str) -> Atom:
        if qid not in self.questions:
            raise ConditionError(
                f"no open question {qid!r}; known: {', '.join(sorted(self.questions))}"
            )
        values = _values(obj) if op in ("in", "not in") else [obj]
        bad = [v for v in values if v not in self.questions[qid]]
        if bad or op == "has any of":
            answers = ", ".join(self.questions[qid])
            raise ConditionError(f"question {qid} has the answers {answers}, not {', '.join(bad)}")
        return Atom("question", qid, frozenset(values))

    def _fact(self, subject: str, op: str, obj: str, item: contract.Field | None) -> Atom:
        field = item.child(subject) if item is not None else contract.field_at(subject)
        if field is None:
            where = f"an item of {item.path}" if item else "the contract"
            raise ConditionError(f"{subject!r} is not a fact of {where}")
        if op == "has any of":
            if field.kind != "enum_list":
                raise ConditionError(
                    f"'has any of' needs a list of values; {field.path} is {field.kind}"
                )
            return Atom("any", field.path, frozenset(self._checked(field, _values(obj))))
        if field.kind not in ("enum", "bool"):
            raise ConditionError(f"{field.path} is {field.kind}; conditions test values and lists")
        values = _values(obj) if op in ("in", "not in") else [obj]
        return Atom("value", field.path, frozenset(self._checked(field, values)))

    @staticmethod
    def _checked(field: contract.Field, values: list[str]) -> list[Any]:
        if field.kind == "bool":
            truth = {"true": True, "false": False}
            if any(v not in truth for v in values):
                raise ConditionError(f"{field.path} is true or false, not {', '.join(values)}")
            return [truth[v] for v in values]
        bad = [v for v in values if v not in field.values or v in UNKNOWN_VALUES]
        if bad:
            allowed = ", ".join(v for v in field.values if v not in UNKNOWN_VALUES)
            raise ConditionError(
                f"{', '.join(bad)} not a value of {field.path}; allowed: {allowed}"
            )
        return values


def _values(text: str) -> list[str]:
    text = text.strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise ConditionError(f"expected a list like [a, b], got {text!r}")
    values = [v.strip() for v in text[1:-1].split(",") if v.strip()]
    if not values:
        raise ConditionError("an empty list of values never matches")
    return values


def _describe_where(where: Any) -> str:
    if isinstance(where, list):
        return " and ".join(_describe_where(w) for w in where)
    if isinstance(where, dict):
        return "; ".join(f"{k}: {_describe_where(v)}" for k, v in where.items())
    return str(where)


# -- reading facts -------------------------------------------------------------------------


def read(facts: dict[str, Any] | None, path: str) -> Any:
    """The value at a contract path of a situation (or of a list item), None when unknown."""
    value: Any = facts
    parent: Any = None
    for part in path.split("."):
        if not isinstance(value, dict):
            return DEFAULTS.get(path)
        parent, value = value, value.get(part)
    if value is None:
        return _implied(path, parent)
    if isinstance(value, str) and value in UNKNOWN_VALUES:
        return None
    return value


def evaluate_atom(atom: Atom, facts: dict[str, Any], answers: dict[str, str]) -> Truth:
    """The atom's truth for a situation (or a list item), in three values."""
    if atom.kind == "question":
        answer = answers.get(atom.path)
        return None if answer is None else answer in atom.values
    if atom.kind == "some":
        return _some(atom, facts, answers)
    value = read(facts, atom.path.rsplit("[].", 1)[-1])
    if value is None:
        return None
    if atom.kind == "value":
        return value in atom.values
    unknown = False
    for element in value:
        if element in UNKNOWN_VALUES:
            unknown = True
        elif element in atom.values:
            return True
    return None if unknown else False


def _some(atom: Atom, facts: dict[str, Any], answers: dict[str, str]) -> Truth:
    items = read(facts, atom.path)
    if items is None:
        return None
    assert atom.where is not None
    result: Truth = False
    for item in items:
        truth = kleene(atom.where, partial(_item_atom, item=item, answers=answers))
        if truth:
            return True
        if truth is None:
            result = None
    return result


def _item_atom(atom: Atom, item: dict[str, Any], answers: dict[str, str]) -> Truth:
    return evaluate_atom(atom, item, answers)


def kleene(node: Node, value_of: Callable[[Atom], Truth]) -> Truth:
    """Kleene's strong three-valued logic over a condition tree."""
    if node.op == "atom":
        assert node.atom is not None
        return value_of(node.atom)
    if node.op == "not":
        truth = kleene(node.children[0], value_of)
        return None if truth is None else not truth
    stop = node.op == "or"  # the value that decides an 'or' (True) or an 'and' (False)
    result: Truth = not stop
    for child in node.children:
        truth = kleene(child, value_of)
        if truth is stop:
            return stop
        if truth is None:
            result = None
    return result


# -- compiled tests ------------------------------------------------------------------------
# ``evaluate_atom`` and ``kleene`` interpret a condition; the engine runs every atom once per
# situation, so it compiles each into a closure that splits its path and dispatches on its kind
# once, at load. Both must give the same truths (tests/rules/test_speedups_equivalence.py).


def compile_condition(
    node: Node, leaf: Callable[[Atom], Callable[[T], Truth]]
) -> Callable[[T], Truth]:
    """``kleene`` over ``node`` as one closure; ``leaf`` gives the test of each atom."""
    if node.op == "atom":
        assert node.atom is not None
        return leaf(node.atom)
    children = tuple(compile_condition(c, leaf) for c in node.children)
    if node.op == "not":
        (inner,) = children
        return lambda facts: None if (truth := inner(facts)) is None else not truth
    decisive = node.op == "or"

    def combine(facts: T) -> Truth:
        result: Truth = not decisive
        for child in children:
            truth = child(facts)
            if truth is decisive:
                return decisive
            if truth is None:
                result = None
        return result

    return combine


@cache
def compile_read(path: str) -> Callable[[Any], Any]:
    """``read`` of one path, split once (most paths have one or two parts)."""
    parts = path.split(".")
    default = DEFAULTS.get(path)
    implied = path in IMPLIED

    def known(value: Any) -> Any:
        if value is None:
            return default
        return None if isinstance(value, str) and value in UNKNOWN_VALUES else value

    if len(parts) == 1:
        (key,) = parts
        return lambda facts: known(facts.get(key)) if isinstance(facts, dict) else default
    if len(parts) == 2:
        outer, inner = parts

        def read_two(facts: Any) -> Any:
            found = facts.get(outer) if isinstance(facts, dict) else None
            if not isinstance(found, dict):
                return default
            value = found.get(inner)
            if value is None:
                return _implied(path, found) if implied else default
            return None if isinstance(value, str) and value in UNKNOWN_VALUES else value

        return read_two

    def read_path(facts: Any) -> Any:
        value = facts
        for part in parts:
            if not isinstance(value, dict):
                return default
            value = value.get(part)
        return known(value)

    return read_path


def value_test(atom: Atom) -> Callable[[Any], Truth]:
    """The truth of a ``value`` or ``any`` atom given the value ``read`` found for its path."""
    values = atom.values
    if atom.kind == "value":
        return lambda value: None if value is None else value in values

    def test_any(found: Any) -> Truth:
        if found is None:
            return None
        unknown = False
        for element in found:
            if element in UNKNOWN_VALUES:
                unknown = True
            elif element in values:
                return True
        return None if unknown else False

    return test_any


def compile_atom(atom: Atom, answers: dict[str, str]) -> Test:
    """``evaluate_atom`` of one atom as a closure over a situation (or a list item); lists of
    objects (``some``) are read by ``items``."""
    if atom.kind == "question":
        answer = answers.get(atom.path)
        truth = None if answer is None else answer in atom.values
        return lambda _facts: truth
    assert atom.kind != "some"
    read_value = compile_read(atom.path.rsplit("[].", 1)[-1])
    test = value_test(atom)
    return lambda facts: test(read_value(facts))


def missing_paths(atom: Atom, facts: dict[str, Any]) -> list[str]:
    """The contract paths whose unknown value makes this atom unknown."""
    if atom.kind == "question":
        return []
    if atom.kind != "some":
        return [atom.path]
    if read(facts, atom.path) is None:
        return [atom.path]
    assert atom.where is not None
    found: list[str] = []
    for item in read(facts, atom.path):
        _unknown_item_paths(atom.where, item, found)
    return found or [atom.path]


def _unknown_item_paths(node: Node, item: dict[str, Any], found: list[str]) -> None:
    if node.atom is not None:
        if evaluate_atom(node.atom, item, {}) is None and node.atom.path not in found:
            found.append(node.atom.path)
        return
    for child in node.children:
        _unknown_item_paths(child, item, found)


def atoms_of(node: Node) -> list[Atom]:
    """The top-level atoms of a condition, in order, without repeats."""
    found: list[Atom] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.atom is not None:
            if current.atom not in found:
                found.append(current.atom)
        else:
            stack.extend(reversed(current.children))
    return found
