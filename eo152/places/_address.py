"""Matching a typed address against the addresses the loaded layers carry.

No online geocoder: an address is found only if a layer gives it to a feature. Both sides
are parsed with ``usaddress`` and reduced to a key ("777 Bannock Street" and
"777 BANNOCK ST, Denver CO 80204" both become ``777 bannock st``); suites, floors, city,
state and ZIP are ignored. When the full key matches nothing, the house number and street
name alone are tried (so "1501 Broadway" finds "1501 N Broadway"), and the answer says the
match was not exact.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import usaddress

_DIRECTIONS = {
    "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne",
    "northwest": "nw", "southeast": "se", "southwest": "sw",
}  # fmt: skip
_WORDS = {
    "street": "st", "avenue": "ave", "av": "ave", "boulevard": "blvd", "drive": "dr",
    "place": "pl", "parkway": "pkwy", "pky": "pkwy", "court": "ct", "circle": "cir",
    "road": "rd", "lane": "ln", "way": "way", "terrace": "ter", "highway": "hwy",
    "square": "sq", "trail": "trl", "plaza": "plz", "mall": "mall", "expressway": "expy",
    "junior": "jr", "saint": "st", "mount": "mt",
}  # fmt: skip
_TYPES = set(_WORDS.values()) - {"jr", "mt"}
STREET_TYPES = frozenset(_TYPES)
DIRECTIONS = frozenset(_DIRECTIONS.values())
_JUNK = re.compile(r"[^0-9A-Za-z&#/ .,'-]+")


@dataclass(frozen=True)
class AddressKey:
    full: str
    loose: str


def normalize(text: str) -> AddressKey | None:
    """The keys of an address, or None when no house number and street can be read."""
    cleaned = _JUNK.sub(" ", text).strip()
    if not cleaned:
        return None
    parts = _parse(cleaned)
    number = parts.get("AddressNumber", "").lstrip("0")
    street = _words(parts.get("StreetName", ""))
    if not number or not street:
        return None
    direction = _direction(parts.get("StreetNamePreDirectional", ""))
    post = _direction(parts.get("StreetNamePostDirectional", ""))
    kind = _words(parts.get("StreetNamePostType", ""))
    pre_type = _words(parts.get("StreetNamePreType", ""))
    full = " ".join(p for p in (number, direction, pre_type, street, kind, post) if p)
    # usaddress splits "14th Avenue Pkwy" and "14th Ave Pkwy" differently; the loose key
    # keeps only the street's distinctive words so both meet there.
    distinctive = [word for word in street.split() if word not in _TYPES] or street.split()
    return AddressKey(full=full, loose=f"{number} {' '.join(distinctive)}")


def _parse(text: str) -> dict[str, str]:
    """usaddress's labels; the tokens of a repeated label are joined in order."""
    parts: dict[str, str] = {}
    for token, label in usaddress.parse(text):
        token = token.strip(" ,.")
        if token:
            parts[label] = f"{parts[label]} {token}" if label in parts else token
    return parts


def _words(text: str) -> str:
    words = re.sub(r"[.,']", "", text.lower()).split()
    return " ".join(_WORDS.get(word, _DIRECTIONS.get(word, word)) for word in words)


def street_words(text: str) -> str:
    """A street's name in the words addresses are compared in: "East 11th Avenue" is
    "e 11th ave"."""
    return _words(_JUNK.sub(" ", text))


def _direction(text: str) -> str:
    word = re.sub(r"[.,]", "", text.lower())
    return _DIRECTIONS.get(word, word)


class AddressIndex:
    """Addresses of the loaded places, keyed for matching; built once per registry."""

    def __init__(self, addresses: Iterable[tuple[int, str | None]]) -> None:
        self._full: dict[str, list[int]] = defaultdict(list)
        self._loose: dict[str, list[int]] = defaultdict(list)
        for place, address in addresses:
            key = normalize(address) if address else None
            if key is not None:
                self._full[key.full].append(place)
                self._loose[key.loose].append(place)

    def find(self, key: AddressKey) -> tuple[list[int], bool]:
        """The places carrying this address, and whether the match was exact."""
        if key.full in self._full:
            return list(self._full[key.full]), True
        return list(self._loose.get(key.loose, [])), False
