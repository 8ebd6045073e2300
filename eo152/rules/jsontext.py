"""JSON text exactly as ``json.dumps(value, ensure_ascii=False, indent=indent)`` writes it, in
UTF-8, put together from texts written before.

A decision is mostly its duties (about 19, 2.5 kB each), and the engine hands the same duties
to many decisions; writing each duty's text once and joining texts turns most of a decision's
JSON into copying bytes. Joining gives what ``json.dumps`` of the whole would because it
separates members and items as ``json.dumps`` does (``, `` and ``: ``; with ``indent``, ``,``
and ``: `` and each on a line of its own, ``indent`` spaces deeper per level), and because
no text ``json.dumps`` writes holds a raw line break or NUL (inside strings it escapes both):
a text written at level 0 goes a level deeper by indenting its line breaks, and NUL can mark
a hole in a text.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any

#: Where a value's text goes in a text cut by ``holed``.
HOLE = b"\x00"
#: Texts kept by ``intern``; past this many it starts again (a bound, as the engine's memos).
_INTERN_LIMIT = 100_000
_interned: dict[bytes, bytes] = {}


def dumps(value: Any, indent: int | None) -> bytes:
    return _encoder(indent).encode(value).encode("utf-8")


@cache
def _encoder(indent: int | None) -> json.JSONEncoder:
    # Built once: json.dumps builds a new encoder on each call with any option set.
    return json.JSONEncoder(ensure_ascii=False, indent=indent)


def deeper(pieces: Sequence[bytes], indent: int | None) -> Sequence[bytes]:
    """A text (in pieces, written at level 0) as written one level deeper."""
    if indent is None:
        return pieces
    line = b"\n" + b" " * indent
    return [piece.replace(b"\n", line) for piece in pieces]


def array(items: Sequence[Sequence[bytes]], indent: int | None) -> list[bytes]:
    """A JSON array of items given as their texts in pieces (written at level 0)."""
    return _enclosed(b"[", [deeper(item, indent) for item in items], b"]", indent)


def array_stream(items: Iterable[Sequence[bytes]], indent: int | None) -> Iterator[bytes]:
    """``array`` written as it goes: the pieces of one item at a time, so that a long array
    never needs all its items at once (a batch answer of 1,000 decisions is 60 MB)."""
    if indent is None:
        first, between, last = b"[", b", ", b"]"
    else:
        line = b"\n" + b" " * indent
        first, between, last = b"[" + line, b"," + line, b"\n]"
    started = False
    for item in items:
        yield between if started else first
        started = True
        yield from deeper(item, indent)
    yield last if started else b"[]"


def members(
    value: Mapping[str, Any], texts: Mapping[str, Sequence[bytes]], indent: int | None
) -> list[bytes]:
    """The JSON object ``value``, except that the values of the keys of ``texts`` are given as
    their texts in pieces (written at level 0). The members between them are written
    together, one ``json.dumps`` for each run."""
    found: list[Sequence[bytes]] = []
    run: dict[str, Any] = {}
    for key, item in value.items():
        text = texts.get(key)
        if text is None:
            run[key] = item
            continue
        if run:
            found.append([_inside(dumps(run, indent), indent)])
            run = {}
        found.append([_key(key), *deeper(text, indent)])
    if run:
        found.append([_inside(dumps(run, indent), indent)])
    return _enclosed(b"{", found, b"}", indent)


@cache
def _key(key: str) -> bytes:
    return dumps(key, None) + b": "


def _inside(text: bytes, indent: int | None) -> bytes:
    """The members (or items) of a non-empty object's (or array's) text, as ``_enclosed``
    takes them."""
    if indent is None:
        return text[1:-1]
    return text[2 + indent : -2]


def _enclosed(
    start: bytes, items: Sequence[Sequence[bytes]], end: bytes, indent: int | None
) -> list[bytes]:
    """``items`` (in pieces, written one level deeper) between ``start`` and ``end``, in
    pieces: joined once at the end, a decision's 49 kB are copied once."""
    if not items:
        return [start + end]
    if indent is None:
        first, between, last = start, b", ", end
    else:
        line = b"\n" + b" " * indent
        first, between, last = start + line, b"," + line, b"\n" + end
    found = [first]
    for item in items:
        found += item
        found.append(between)
    found[-1] = last
    return found


def holed(value: Mapping[str, Any], holes: Collection[str], indent: int | None) -> list[bytes]:
    """The text of ``value`` cut where the values of the keys ``holes`` go, in key order: a
    hole takes its value's text made ``deeper``."""
    return b"".join(members(value, dict.fromkeys(holes, (HOLE,)), indent)).split(HOLE)


def intern(text: bytes) -> bytes:
    """One copy of equal texts: a template's text is repeated by each of its duties."""
    found = _interned.get(text)
    if found is None:
        if len(_interned) >= _INTERN_LIMIT:
            _interned.clear()
        found = _interned[text] = text
    return found
