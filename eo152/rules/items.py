"""Lists of objects (``requests``, ``city_personnel``...): each item's atoms evaluated once.

Several ``some`` atoms look into the same list (seven into ``requests``), and a duty's
missing facts look into it again for the fields left unknown. So ``Compiled.reader`` reads such
a list as the truths of every atom its items are tested on, one tuple per item, and both the
``some`` atoms and their missing fields are worked out from those truths. They must agree
with ``evaluate_atom`` and ``missing_paths`` (tests/rules/test_speedups_equivalence.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from .conditions import Atom, Node, Truth, atoms_of, compile_atom, compile_condition, compile_read

#: A list as ``Compiled.reader`` gives it: each item's truths, in ``item_atoms`` order.
Items = tuple[tuple[Truth, ...], ...] | None


def item_atoms(atoms: Sequence[Atom]) -> tuple[Atom, ...]:
    """Every atom that the ``some`` atoms on one list test items on, without repeats."""
    return tuple(dict.fromkeys(a for atom in atoms for a in atoms_of(_where(atom))))


def reader(path: str, tested: Sequence[Atom], answers: dict[str, str]) -> Callable[[Any], Items]:
    """The list at ``path`` of a situation as its items' truths."""
    read = compile_read(path)
    tests = tuple(compile_atom(a, answers) for a in tested)

    def items(situation: Any) -> Items:
        found = read(situation)
        if found is None:
            return None
        return tuple([tuple([test(item) for test in tests]) for item in found])

    return items


def some_test(atom: Atom, tested: Sequence[Atom]) -> Callable[[Items], Truth]:
    """The truth of a ``some`` atom given its list's ``Items``."""
    position = {a: i for i, a in enumerate(tested)}
    where = compile_condition(_where(atom), lambda a: itemgetter(position[a]))

    def test_some(items: Items) -> Truth:
        if items is None:
            return None
        result: Truth = False
        for item in items:
            truth = where(item)
            if truth:
                return True
            if truth is None:
                result = None
        return result

    return test_some


def missing(atom: Atom, tested: Sequence[Atom]) -> Callable[[Items], tuple[str, ...]]:
    """``missing_paths`` of a ``some`` atom given its list's ``Items``."""
    position = {a: i for i, a in enumerate(tested)}
    # Each atom of the condition in tree order, repeats included. ``missing_paths`` tests items
    # without the deployment's answers, so an open question there is always unknown (-1).
    order = [(-1 if a.kind == "question" else position[a], a.path) for a in _tree(_where(atom))]
    whole = (atom.path,)

    def unknown(items: Items) -> tuple[str, ...]:
        if items is None:
            return whole
        found: list[str] = []
        for item in items:
            for index, path in order:
                if (index < 0 or item[index] is None) and path not in found:
                    found.append(path)
        return tuple(found) or whole

    return unknown


def _where(atom: Atom) -> Node:
    assert atom.kind == "some" and atom.where is not None
    return atom.where


def _tree(node: Node) -> list[Atom]:
    """Every atom of a tree in the order ``missing_paths`` visits them, repeats included."""
    if node.atom is not None:
        return [node.atom]
    return [a for child in node.children for a in _tree(child)]
