"""Compiling a policy once: atoms numbered, conditions turned into closures, facts into variables.

Deciding a situation then evaluates each atom once and runs closures over a list of truth
values: no parsing, no I/O. A *variable* is what the engine splits on when a fact is unknown:
a scalar fact (its values grouped into classes that no rule tells apart), one list atom, or an
open question (its answers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any, TypeVar

from .. import contract
from . import items
from .conditions import (
    UNKNOWN_VALUES,
    Atom,
    Node,
    Truth,
    atoms_of,
    compile_atom,
    compile_condition,
    compile_read,
    value_test,
)
from .policy import Exception_, Policy, Presumption, Rule

T = TypeVar("T")
Closure = Callable[[Sequence[Truth]], Truth]
#: An atom's test on the facts of a situation as ``Compiled.reader`` read them.
AtomTest = Callable[[Sequence[Any]], Truth]

# Plans are looked up by day on every decision; a day's plan is kept (a few years of days).
_DAYS_KEPT = 2048


@dataclass(frozen=True, eq=False)
class Variable:
    """A fact, list atom or open question; each entry of ``domain`` sets the truth of ``atoms``.

    One object per variable of a policy: it compares (and hashes) by identity, cheaply, as the
    search keys its tables by variables.
    """

    kind: str  # "fact", "atom" or "question"
    name: str  # contract path, or question id
    atoms: tuple[int, ...]
    domain: tuple[tuple[bool, ...], ...]
    labels: tuple[str, ...]  # what each domain entry stands for (a value class or an answer)


@dataclass(frozen=True)
class Indexed:
    """A condition over atom numbers: explanations walk it to find the atoms that decided it."""

    op: str  # "and", "or", "not" or "atom"
    holds: Closure
    children: tuple[Indexed, ...] = ()
    atom: int = -1


@dataclass(frozen=True)
class CompiledException:
    exception: Exception_
    test: Closure
    atoms: tuple[int, ...]
    condition: Indexed  # ``test`` as a tree


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    when: Closure
    atoms: tuple[int, ...]
    unless: tuple[CompiledException, ...]
    violation: Closure | None
    condition: Indexed  # ``when`` as a tree, for ``because``
    # The truths of every atom of the condition and the exceptions: all the rule's state reads.
    truths: Callable[[Sequence[Truth]], tuple[Truth, ...]]


@dataclass(frozen=True, eq=False)
class Pair:
    """Everything the law in force says about one (actor, action): instruments, highest first.

    ``presumed`` holds, for each atom on a presumed fact, the truth it takes while that fact is
    unknown (CONTRACT.md, Presumptions: every rule on the pair reads the presumed value, and no
    other pair does). ``subject`` is the facts whose being given engages the duty.
    """

    actor: str
    action: str
    groups: tuple[tuple[str, tuple[CompiledRule, ...]], ...]
    atoms: tuple[int, ...]
    presumptions: tuple[Presumption, ...]
    presumed: tuple[tuple[int, bool], ...]
    subject: tuple[str, ...]
    #: The truths of every atom the pair's duty reads (conditions, exceptions and violation
    #: tests): its resolution and its template are a function of these.
    reads: Callable[[Sequence[Truth]], tuple[Truth, ...]]

    @property
    def name(self) -> str:
        return f"{self.actor}/{self.action}"

    @property
    def rules(self) -> tuple[CompiledRule, ...]:
        return tuple(rule for _, rules in self.groups for rule in rules)

    def presume(self, values: list[Truth]) -> list[Truth]:
        """The truths as the pair's rules read them: unknown presumed facts as presumed."""
        if not self.presumed or all(values[i] is not None for i, _ in self.presumed):
            return values
        found = list(values)
        for index, truth in self.presumed:
            if found[index] is None:
                found[index] = truth
        return found


@dataclass(frozen=True, eq=False)
class Plan:
    """The law in force over one period: its pairs, and its instruments with their versions."""

    pairs: tuple[Pair, ...]
    instruments: tuple[tuple[str, str], ...]


class Compiled:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.atoms: list[Atom] = []
        self._index: dict[Atom, int] = {}
        self.rules: list[CompiledRule] = [self._rule(r) for r in policy.rules]
        self.variables = self._variables()
        self.variable_of: list[Variable] = [self.variables[0]] * len(self.atoms)
        for variable in self.variables:
            for i in variable.atoms:
                self.variable_of[i] = variable
        # The search names variables by number and sets of atoms by bit masks: its tables then
        # hold only ints and tuples, which the garbage collector stops walking.
        number = {variable: n for n, variable in enumerate(self.variables)}
        self.variable_number = tuple(number[v] for v in self.variable_of)
        self.variable_mask = tuple(sum(1 << i for i in v.atoms) for v in self.variables)
        # The facts that atoms test (values, lists of values, lists of objects), read once per
        # situation and shared by those atoms and by the explanations that name them.
        self.facts = tuple(dict.fromkeys(a.path for a in self.atoms if a.kind != "question"))
        self.fact_index = {path: i for i, path in enumerate(self.facts)}
        # Lists of objects are read as their items' truths on every atom they are tested on.
        some = [a for a in self.atoms if a.kind == "some"]
        self._tested = {
            path: items.item_atoms([a for a in some if a.path == path])
            for path in dict.fromkeys(a.path for a in some)
        }
        # For each ``some`` atom, the unknown fields of its list's items that would decide it.
        self.items_missing = {
            i: _on_fact(self.fact_index[a.path], items.missing(a, self._tested[a.path]))
            for i, a in enumerate(self.atoms)
            if a.kind == "some"
        }
        self.boundaries = sorted(
            {r.in_force_from for r in policy.rules} | {r.in_force_until for r in policy.rules}
        )
        self._plans: dict[frozenset[str], Plan] = {}
        self._plan_of_day: dict[date, Plan] = {}

    # -- atoms and closures -------------------------------------------------------------

    def atom_index(self, atom: Atom) -> int:
        if atom not in self._index:
            self._index[atom] = len(self.atoms)
            self.atoms.append(atom)
        return self._index[atom]

    def closure(self, node: Node) -> Closure:
        """The condition over the truth values of its atoms, numbering new atoms on the way."""
        return compile_condition(node, lambda atom: itemgetter(self.atom_index(atom)))

    def reader(self, answers: dict[str, str]) -> Callable[[dict[str, Any]], list[Any]]:
        """The value of each of ``facts`` in a situation, with a deployment's answers to open
        questions: lists of values as tuples (for keys), lists of objects as ``items.Items``."""
        readers = tuple(self._fact_reader(path, answers) for path in self.facts)
        return lambda situation: [read(situation) for read in readers]

    def _fact_reader(self, path: str, answers: dict[str, str]) -> Callable[[Any], Any]:
        if path in self._tested:
            return items.reader(path, self._tested[path], answers)
        read = compile_read(path)
        field = contract.field_at(path)
        if field is None or field.kind != "enum_list":
            return read
        return lambda situation: (
            tuple(found) if isinstance(found := read(situation), list) else found
        )

    def tests(self, answers: dict[str, str]) -> tuple[AtomTest, ...]:
        """Each atom's test, in atom order, with a deployment's answers to open questions."""
        return tuple(self._test(atom, answers) for atom in self.atoms)

    def _test(self, atom: Atom, answers: dict[str, str]) -> AtomTest:
        if atom.kind == "question":
            return compile_atom(atom, answers)  # the same truth whatever the facts
        index, values = self.fact_index[atom.path], atom.values
        if atom.kind == "some":
            on_items = items.some_test(atom, self._tested[atom.path])
            return lambda facts: on_items(facts[index])
        if atom.kind == "value":
            return lambda facts: None if (value := facts[index]) is None else value in values
        on_value = value_test(atom)
        return lambda facts: on_value(facts[index])

    def indexed(self, node: Node) -> Indexed:
        children = tuple(self.indexed(c) for c in node.children)
        atom = self.atom_index(node.atom) if node.atom is not None else -1
        return Indexed(node.op, self.closure(node), children, atom)

    def atoms_in(self, node: Node) -> tuple[int, ...]:
        """The numbers of a condition's top-level atoms, in order."""
        return tuple(self.atom_index(a) for a in atoms_of(node))

    def _rule(self, rule: Rule) -> CompiledRule:
        unless = tuple(
            CompiledException(e, self.closure(e.when), self.atoms_in(e.when), self.indexed(e.when))
            for e in rule.unless
        )
        atoms = self.atoms_in(rule.when)
        return CompiledRule(
            rule=rule,
            when=self.closure(rule.when),
            atoms=atoms,
            unless=unless,
            violation=self.closure(rule.violation) if rule.violation is not None else None,
            condition=self.indexed(rule.when),
            truths=tuple_getter(sorted({*atoms, *(i for e in unless for i in e.atoms)})),
        )

    # -- variables ----------------------------------------------------------------------

    def _variables(self) -> list[Variable]:
        by_fact: dict[str, list[int]] = {}
        by_question: dict[str, list[int]] = {}
        variables: list[Variable] = []
        for i, atom in enumerate(self.atoms):
            if atom.kind == "value":
                by_fact.setdefault(atom.path, []).append(i)
            elif atom.kind == "question":
                by_question.setdefault(atom.path, []).append(i)
            else:
                variables.append(
                    Variable("atom", atom.path, (i,), ((True,), (False,)), ("true", "false"))
                )
        for path, indices in by_fact.items():
            field = contract.field_at(path)
            assert field is not None
            values: list[object] = (
                [True, False]
                if field.kind == "bool"
                else [v for v in field.values if v not in UNKNOWN_VALUES]
            )
            variables.append(self._partition("fact", path, indices, values))
        questions = self.policy.questions
        for qid, indices in by_question.items():
            answers: list[object] = list(questions[qid].answers)
            variables.append(self._partition("question", qid, indices, answers, keep_all=True))
        return variables

    def _partition(
        self, kind: str, name: str, indices: list[int], values: list[object], keep_all: bool = False
    ) -> Variable:
        """Group values that every atom on this fact treats alike; questions keep each answer."""
        classes: dict[tuple[bool, ...], list[str]] = {}
        for value in values:
            signature = tuple(value in self.atoms[i].values for i in indices)
            label = str(value).lower() if isinstance(value, bool) else str(value)
            if keep_all:
                classes[(*signature, *(v == value for v in values))] = [label]
            else:
                classes.setdefault(signature, []).append(label)
        domain = tuple(key[: len(indices)] for key in classes)
        labels = tuple(" | ".join(vs) for vs in classes.values())
        return Variable(kind, name, tuple(indices), domain, labels)

    # -- plans per period in force -------------------------------------------------------

    def plan(self, day: date) -> Plan:
        """The pairs of the law in force on ``day`` (one plan per distinct set of rules)."""
        plan = self._plan_of_day.get(day)
        if plan is None:
            if len(self._plan_of_day) >= _DAYS_KEPT:
                self._plan_of_day.clear()
            plan = self._plan_of_day[day] = self._plan_in_force(day)
        return plan

    def _plan_in_force(self, day: date) -> Plan:
        active = frozenset(
            r.rule.id for r in self.rules if r.rule.in_force_from <= day <= r.rule.in_force_until
        )
        plan = self._plans.get(active)
        if plan is None:
            plan = self._plans[active] = self._build(active)
        return plan

    def _build(self, active: frozenset[str]) -> Plan:
        pairs: dict[str, dict[str, list[CompiledRule]]] = {}
        for compiled in self.rules:
            if compiled.rule.id in active:
                by_instrument = pairs.setdefault(compiled.rule.pair, {})
                by_instrument.setdefault(compiled.rule.instrument, []).append(compiled)
        order = [i.id for i in self.policy.instruments]  # highest precedence first
        built = []
        for name, by_instrument in pairs.items():
            actor, action = name.split("/")
            groups = tuple(
                (iid, tuple(by_instrument[iid])) for iid in order if iid in by_instrument
            )
            atoms = sorted(
                {i for _, rules in groups for r in rules for i in (*r.atoms, *_exception_atoms(r))}
            )
            rules = [r.rule for _, group in groups for r in group]
            presumptions = tuple(dict.fromkeys(r.presumes for r in rules if r.presumes))
            presumed = tuple(
                (i, p.value in atom.values)
                for p in presumptions
                for i, atom in enumerate(self.atoms)
                if atom.kind == "value" and atom.path == p.fact
            )
            subject = tuple(dict.fromkeys(path for r in rules for path in r.subject))
            violations = [r.violation for r in rules if r.violation is not None]
            reads = sorted({*atoms, *(i for node in violations for i in self.atoms_in(node))})
            built.append(
                Pair(
                    actor,
                    action,
                    groups,
                    tuple(atoms),
                    presumptions,
                    presumed,
                    subject,
                    tuple_getter(reads),
                )
            )
        ids = sorted({r.rule.instrument for r in self.rules if r.rule.id in active})
        versions = {i.id: i.version for i in self.policy.instruments}
        return Plan(tuple(built), tuple((i, versions[i]) for i in ids))


def tuple_getter(indices: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """``itemgetter`` that always gives a tuple (for memo keys), whatever the count."""
    if not indices:
        return lambda _values: ()
    if len(indices) == 1:
        (index,) = indices
        return lambda values: (values[index],)
    return itemgetter(*indices)


def _on_fact(index: int, on_items: Callable[[items.Items], T]) -> Callable[[Sequence[Any]], T]:
    return lambda facts: on_items(facts[index])


def _exception_atoms(rule: CompiledRule) -> tuple[int, ...]:
    return tuple(i for e in rule.unless for i in e.atoms)
