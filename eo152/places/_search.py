"""Answers to a place asked by name or as an intersection, in the shape of an address answer:
what was asked, what matched, and the lookup at the spot (None where it cannot be placed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._answer import Answer, Place
from ._layer import LayerInfo

#: At most this many names are offered when a name is ambiguous.
MAX_OFFERED = 8


@dataclass(frozen=True)
class NameSearch:
    """A place asked by name. ``matches`` holds one place per distinct name, best first;
    ``settled`` says the first is clearly the one meant (its name is the whole query, or it
    ranks above every other), and then ``answer`` is the lookup there."""

    query: str
    matches: tuple[Place, ...]
    settled: bool
    answer: Answer | None
    layers: tuple[LayerInfo, ...]

    def to_dict(self) -> dict[str, Any]:
        found = self.answer.to_dict() if self.answer else nothing(self.layers)
        found["name"] = {
            "query": self.query,
            "settled": self.settled,
            "matched": [
                {"id": p.id, "name": p.name, "kind": p.kind, "layer": p.layer} for p in self.matches
            ],
        }
        return found


@dataclass(frozen=True)
class Intersection:
    """Two streets asked as an intersection. ``found`` holds the loaded layers' names for each
    street (empty: no street layer has it); ``crossings`` where they meet (lat, lon), the
    answer being at the first; ``problem`` says why it cannot be placed: ``no_street_layer``,
    ``street_not_found`` or ``streets_do_not_meet`` (None when placed)."""

    query: str
    streets: tuple[str, str]
    found: tuple[tuple[str, ...], tuple[str, ...]]
    crossings: tuple[tuple[float, float], ...]
    problem: str | None
    answer: Answer | None
    layers: tuple[LayerInfo, ...]

    def to_dict(self) -> dict[str, Any]:
        found = self.answer.to_dict() if self.answer else nothing(self.layers)
        found["intersection"] = {
            "query": self.query,
            "streets": [
                {"asked": asked, "matched": list(names)}
                for asked, names in zip(self.streets, self.found, strict=True)
            ],
            "crossings": [{"lat": lat, "lon": lon} for lat, lon in self.crossings],
            "problem": self.problem,
        }
        return found


def nothing(layers: tuple[LayerInfo, ...]) -> dict[str, Any]:
    """An answer where nothing was found: every fact unknown, and the layers consulted."""
    empty = Answer(float("nan"), float("nan"), None, "unknown", "unknown", None, (), layers)
    return empty.to_dict() | {"lat": None, "lon": None}
