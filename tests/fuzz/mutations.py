"""Breaking good input: JSON trees changed in one place, and files with bytes flipped or cut.

The fuzz tests start from real documents (the public scenarios, the examples, a policy
folder, the Denver layers, a ledger's receipts and bundles) because random text seldom gets
past a parser's first check; a good document broken in one place reaches the checks behind.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

#: JSON values of any shape, small enough to be decided quickly.
SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
TREES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON tree, the root (``()``) first."""
    found = [prefix]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found += paths(value, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, documents: list[Any]) -> Any:
    """One of ``documents`` with one place replaced by any value, removed, or given a new key."""
    document = copy.deepcopy(draw(st.sampled_from(documents)))
    where = draw(st.sampled_from(paths(document)))
    if not where:
        return draw(TREES)
    parent = document
    for key in where[:-1]:
        parent = parent[key]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "remove":
        del parent[where[-1]]
    elif action == "add" and isinstance(parent, dict):
        parent[draw(st.text(max_size=12))] = draw(TREES)
    else:
        parent[where[-1]] = draw(TREES)
    return document


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes flipped, a run cut out, or cut short."""
    action = draw(st.sampled_from(["flip", "cut", "truncate"]))
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if action == "truncate":
        return data[:at]
    if action == "cut":
        return data[:at] + data[at + draw(st.integers(1, 64)) :]
    changed = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(changed) - 1))
        changed[index] ^= draw(st.integers(1, 255))
    return bytes(changed)
