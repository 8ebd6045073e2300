"""Placing an intersection ("E 11th Ave / N Lincoln St") on the loaded street layers.

Street names are compared by their words, the way addresses are (``_address``): "East 11th
Avenue" and "E 11TH AVE" are one street. A direction or a street type the query gives must
agree with the layer's when the layer gives one too; OpenStreetMap writes "Lincoln Street"
where the City writes "N LINCOLN ST", so a direction only one side gives is no obstacle. The
two streets' lines are intersected; where they cross at several points (a street that meets
another twice), the first is the answer and the others are counted.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely

from ._address import DIRECTIONS, STREET_TYPES, street_words
from ._geo import metres_per_degree

# How the two streets of an intersection are written apart: "/", "&", "@", " and ", " at ",
# and Spanish " y ".
_BETWEEN = re.compile(r"\s*(?:/|&|@|\band\b|\bat\b|\by\b)\s*", re.IGNORECASE)
# Where two streets' lines pass this close without touching, they meet (a divided road).
MEET_WITHIN_M = 20.0
# Crossings this close together are one intersection (the two carriageways of a road).
SAME_CROSSING_M = 60.0
# A layer's name field may hold several names as a list: "['31st Street', 'Curtis Street']".
_LISTED = re.compile(r"'([^']+)'|\"([^\"]+)\"")


def split_intersection(text: str) -> tuple[str, str] | None:
    """The two streets of an intersection as asked, or None if the text is not two parts."""
    parts = [part.strip(" ,.") for part in _BETWEEN.split(text.strip(), maxsplit=1)]
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]


@dataclass(frozen=True)
class StreetKey:
    direction: str  # "e", "n"... or ""
    name: str  # the distinctive words: "11th", "lincoln", "martin luther king jr"
    kind: str  # "ave", "st"... or ""


def street_key(text: str) -> StreetKey | None:
    words = street_words(text).split()
    direction = ""
    if len(words) > 1 and words[0] in DIRECTIONS:
        direction = words.pop(0)
    if len(words) > 1 and words[-1] in DIRECTIONS:
        direction = direction or words[-1]
        words.pop()
    kind = words.pop() if len(words) > 1 and words[-1] in STREET_TYPES else ""
    return StreetKey(direction, " ".join(words), kind) if words else None


def street_names(value: str) -> list[str]:
    """The names a feature's name field holds (one, or a written list of several)."""
    listed = [a or b for a, b in _LISTED.findall(value)] if value.startswith("[") else []
    return listed or [value]


class StreetIndex:
    """The street lines of the street layers, by name."""

    def __init__(self, names: Sequence[str], geometries: npt.NDArray[np.object_]) -> None:
        self._geometries = geometries
        self._by_name: dict[str, list[tuple[StreetKey, int, str]]] = defaultdict(list)
        for feature, value in enumerate(names):
            for name in street_names(value):
                key = street_key(name)
                if key is not None:
                    self._by_name[key.name].append((key, feature, name))

    def __bool__(self) -> bool:
        return bool(self._by_name)

    def find(self, text: str) -> tuple[list[int], list[str]]:
        """The lines of the street ``text`` names, and the layer's names for it."""
        asked = street_key(text)
        if asked is None:
            return [], []
        lines, names = [], []
        for key, feature, name in self._by_name.get(asked.name, []):
            if _agrees(asked.direction, key.direction) and _agrees(asked.kind, key.kind):
                lines.append(feature)
                names.append(name)
        return lines, list(dict.fromkeys(names))

    def meet(self, first: list[int], second: list[int]) -> list[tuple[float, float]]:
        """Where two streets meet (lon, lat), one point per crossing, in order along the
        first street; empty if they do not meet."""
        one = shapely.union_all(self._geometries[first])
        other = shapely.union_all(self._geometries[second])
        points = shapely.get_coordinates(shapely.intersection(one, other))
        if not len(points):
            near = shapely.shortest_line(one, other)
            ends = shapely.get_coordinates(near)
            if _metres(ends[0], ends[1]) > MEET_WITHIN_M:
                return []
            points = ends.mean(axis=0, keepdims=True)
        return _crossings([(float(x), float(y)) for x, y in points])


def _agrees(asked: str, given: str) -> bool:
    return not asked or not given or asked == given


def _metres(a: Sequence[float], b: Sequence[float]) -> float:
    per_lon, per_lat = metres_per_degree(np.array([(a[1] + b[1]) / 2]))
    return math.hypot((a[0] - b[0]) * float(per_lon[0]), (a[1] - b[1]) * float(per_lat[0]))


def _crossings(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points closer than SAME_CROSSING_M merged into their mean, in order."""
    groups: list[list[tuple[float, float]]] = []
    for point in points:
        group = next((g for g in groups if _metres(g[0], point) <= SAME_CROSSING_M), None)
        if group is None:
            groups.append([point])
        else:
            group.append(point)
    return [
        (sum(x for x, _ in group) / len(group), sum(y for _, y in group) / len(group))
        for group in groups
    ]
