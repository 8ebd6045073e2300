"""The reviewed glossary: Spanish words the policy and the pages must not use, and what to use.

``check_glossary(root)`` reads every ``es`` text of the policy under ``root`` (the rules'
sentences, what would change them, their exceptions' labels and sentences, the open questions
and their answers), of ``eo152/contract/vocabulary.yaml`` and of ``eo152/web/texts.yaml``, and
returns each use of an avoided word with its file and line::

    policies/us-federal-limits/rules.yaml:58: Spanish text uses 'multar' (to fine); use 'citar'
    (glossary: cite)

The entries are ``glossary.yaml`` beside this module; docs/glossary.md gives their reasons.
Files are read with ``_yaml`` so that every problem names its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import _yaml
from .errors import Location, PolicyError
from .policy import DEFAULT_POLICY_DIR

Problem = tuple[Location, str]

GLOSSARY = Path(__file__).resolve().parent / "glossary.yaml"
VOCABULARY = Path(__file__).resolve().parent.parent / "contract" / "vocabulary.yaml"
TEXTS = Path(__file__).resolve().parent.parent / "web" / "texts.yaml"
CLI_TEXTS = Path(__file__).resolve().parent.parent / "cli" / "texts.yaml"
_PACKAGE_PARENT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Avoid:
    """A Spanish word not to use: the word, what it means instead, and how to find it."""

    term: str
    means: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Entry:
    """One glossary entry: the English term, the Spanish to use, the Spanish to avoid."""

    en: str
    es: str
    avoid: tuple[Avoid, ...]


def load_glossary(path: Path = GLOSSARY) -> tuple[Entry, ...]:
    """The glossary's entries; a malformed entry or pattern raises PolicyError with its line."""
    name = _display(path)
    data = _yaml.load(path, name)
    problems: list[Problem] = []
    entries: list[Entry] = []
    items = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(items, _yaml.Seq):
        raise PolicyError([(Location(name, _yaml.line_of(data)), "needs a list 'entries'")])
    for item, line in zip(items, items.item_lines, strict=True):
        where = Location(name, line)
        if not isinstance(item, dict) or not all(
            isinstance(item.get(key), str) and item[key].strip() for key in ("en", "es")
        ):
            problems.append((where, "an entry needs the terms 'en' and 'es'"))
            continue
        avoid: list[Avoid] = []
        for word in item.get("avoid") or []:
            at = Location(name, _yaml.line_of(word, default=line))
            if not isinstance(word, dict) or not all(
                isinstance(word.get(key), str) for key in ("term", "means")
            ):
                problems.append((at, f"{item['en']}: an avoided word needs 'term' and 'means'"))
                continue
            source = word.get("pattern") or rf"\b{re.escape(word['term'])}\b"
            try:
                pattern = re.compile(source, re.IGNORECASE)
            except (re.error, TypeError) as error:
                problems.append((at, f"{item['en']}: pattern for {word['term']!r}: {error}"))
                continue
            avoid.append(Avoid(word["term"], word["means"], pattern))
        entries.append(Entry(item["en"], item["es"], tuple(avoid)))
    if problems:
        raise PolicyError(problems)
    return tuple(entries)


def spanish_texts(path: Path, name: str | None = None) -> Iterator[tuple[Location, str]]:
    """Every ``es`` text of one YAML file, with the line of its ``es`` key."""
    name = name or _display(path)
    yield from _walk(_yaml.load(path, name), name)


def uses(text: str, entries: Sequence[Entry]) -> list[str]:
    """What is wrong with one Spanish text: one sentence per avoided word it uses."""
    return [
        f"Spanish text uses {avoid.term!r} ({avoid.means}); use {entry.es!r} (glossary: {entry.en})"
        for entry in entries
        for avoid in entry.avoid
        if avoid.pattern.search(text)
    ]


def check_glossary(
    root: Path = DEFAULT_POLICY_DIR,
    files: Sequence[Path] = (VOCABULARY, TEXTS, CLI_TEXTS),
    glossary: Path = GLOSSARY,
) -> list[Problem]:
    """Every use of an avoided Spanish word in the policy under ``root`` and in ``files``."""
    try:
        entries = load_glossary(glossary)
    except PolicyError as error:
        return list(error.problems)
    sources = [(p, _policy_name(p, root)) for p in sorted(root.rglob("*.yaml"))]
    sources += [(p, _display(p)) for p in files]
    problems: list[Problem] = []
    for path, name in sources:
        try:
            for where, text in spanish_texts(path, name):
                problems += [(where, problem) for problem in uses(text, entries)]
        except PolicyError as error:
            problems += error.problems
    return problems


def _walk(value: Any, name: str) -> Iterator[tuple[Location, str]]:
    if isinstance(value, dict):
        text = value.get("es")
        if isinstance(text, str):
            yield Location(name, _yaml.line_of(value, "es")), text
        for item in value.values():
            yield from _walk(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, name)


def _policy_name(path: Path, root: Path) -> str:
    """The name the policy loader gives a file: ``policies/denver-eo-152/rules.yaml``."""
    root = root.resolve()
    path = path.resolve()
    return str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)


def _display(path: Path) -> str:
    """``eo152/web/texts.yaml`` for the package's own files; the path as given otherwise."""
    resolved = path.resolve()
    if _PACKAGE_PARENT in resolved.parents:
        return str(resolved.relative_to(_PACKAGE_PARENT))
    return str(path)
