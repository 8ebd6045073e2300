"""Finding places by name: "Denver Health", "civic cent", "Parque La Raza".

Names and queries are folded the same way: accents removed, case ignored, punctuation made a
space, a few generic place words read the same in Spanish and English ("parque" is "park"), and
words such as "the" or "de" dropped. Every word of the query must begin a word of the name, in
any order, so partial words match. The index is built once per registry: a sorted list of the
names' words (a query word's matches are one range of it, found by bisection) and, for each
word, the names that hold it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

# The same generic word in Spanish (or British spelling) and in the layers' English names.
_SAME_WORD = {
    "parque": "park", "centro": "center", "centre": "center", "biblioteca": "library",
    "escuela": "school", "iglesia": "church", "hospitalario": "hospital", "calle": "street",
    "avenida": "avenue", "edificio": "building", "ciudad": "city", "tribunal": "court",
    "carcel": "jail", "recreacion": "recreation",
}  # fmt: skip
_DROPPED = frozenset({"the", "of", "de", "del"})
_NOT_A_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> tuple[str, ...]:
    """The words of a name or a query as they are compared."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    words = _NOT_A_WORD.sub(" ", plain.replace("'", "")).split()
    return tuple(_SAME_WORD.get(word, word) for word in words if word not in _DROPPED)


@dataclass(frozen=True, order=True)
class Rank:
    """Smaller is better: the whole name asked, then a name that begins with the words asked,
    then the fewest words of the name left unasked."""

    not_whole: bool
    not_leading: bool
    extra_words: int


class NameIndex:
    """The names of the loaded places (one entry per place), searchable by words."""

    def __init__(self, names: Sequence[str]) -> None:
        self._words = [fold(name) for name in names]
        holders: dict[str, set[int]] = defaultdict(set)
        for entry, words in enumerate(self._words):
            for word in words:
                holders[word].add(entry)
        self._vocabulary = sorted(holders)
        self._holders = [frozenset(holders[word]) for word in self._vocabulary]

    def find(self, text: str) -> list[tuple[Rank, int]]:
        """Every place whose name holds each word of ``text`` (as the start of a word), best
        first; empty when the text has no word to look for."""
        asked = fold(text)
        if not asked:
            return []
        found: set[int] | None = None
        for word in dict.fromkeys(asked):
            having = self._starting_with(word)
            found = having if found is None else found & having
            if not found:
                return []
        assert found is not None
        ranked = [(self._rank(asked, self._words[entry]), entry) for entry in found]
        return sorted(ranked)

    def _starting_with(self, prefix: str) -> set[int]:
        first = bisect.bisect_left(self._vocabulary, prefix)
        last = bisect.bisect_left(self._vocabulary, prefix + "\uffff")
        entries: set[int] = set()
        for holders in self._holders[first:last]:
            entries |= holders
        return entries

    @staticmethod
    def _rank(asked: tuple[str, ...], words: tuple[str, ...]) -> Rank:
        leading = len(words) >= len(asked) and all(
            word == ask if i < len(asked) - 1 else word.startswith(ask)
            for i, (word, ask) in enumerate(zip(words, asked, strict=False))
        )
        return Rank(words != asked, not leading, max(0, len(words) - len(asked)))
