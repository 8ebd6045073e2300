"""The vectorized lookup behind ``Registry.lookup_many``.

Each layer turns the batch into (point, place) pairs with its grid; the pairs are sorted by
point and specificity once, and the first known ownership and kind of each point are picked
with array operations. Nothing here makes a Python object per point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..contract.locations import UNKNOWN
from ._answer import LookupColumns
from ._precision import FOOTPRINT

if TYPE_CHECKING:
    from ._registry import Registry

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_CHUNK = 1 << 17  # 1 MB per float array; measured best between 2**15 and 2**20
_NEAR_AFTER_FOOTPRINTS = 1e15  # m²: larger than any polygon, so point places sort after


def lookup_columns(registry: Registry, lat: FloatArray, lon: FloatArray) -> LookupColumns:
    points, places, distance, precision = _sorted_pairs(registry, lon, lat)
    ownership_codes = registry.places.ownership[places]
    kind_codes = registry.places.kind[places]
    size = lat.size
    # The place of a point: the source of its ownership, else of its kind, else its first
    # match; each later _choose overwrites the earlier, so the calls go in rising priority.
    chosen = np.full(size, -1, dtype=np.int64)  # a position in the pairs, per point
    _choose(chosen, points, np.ones(points.size, dtype=bool))
    _choose(chosen, points, kind_codes != UNKNOWN)
    _choose(chosen, points, ownership_codes != UNKNOWN)
    has = chosen >= 0
    picked = chosen[has]
    place = np.full(size, -1, dtype=np.int32)
    place[has] = places[picked]
    place_distance = np.full(size, np.nan, dtype=np.float32)
    place_distance[has] = distance[picked]
    place_precision = np.full(size, -1, dtype=np.int8)
    place_precision[has] = precision[picked]
    return LookupColumns(
        inside_city=_inside(registry, lon, lat),
        ownership=_first_known(size, points, ownership_codes),
        kind=_first_known(size, points, kind_codes),
        place=place,
        distance_m=place_distance,
        precision=place_precision,
        match_point=points,
        match_place=places.astype(np.int32),
        match_distance_m=distance.astype(np.float32),
        match_precision=precision,
    )


def _sorted_pairs(
    registry: Registry, x: FloatArray, y: FloatArray
) -> tuple[IntArray, IntArray, FloatArray, npt.NDArray[np.int8]]:
    """Every (point, place) match, by point, then most specific first."""
    points, places, distance, precision = _pairs(registry, x, y)
    area = registry.places.area_m2[places]
    key = np.where(precision == FOOTPRINT, area, _NEAR_AFTER_FOOTPRINTS + distance)
    order = np.lexsort((key, points))
    return points[order], places[order], distance[order], precision[order]


def _pairs(
    registry: Registry, x: FloatArray, y: FloatArray
) -> tuple[IntArray, IntArray, FloatArray, npt.NDArray[np.int8]]:
    found: list[tuple[IntArray, IntArray, FloatArray, npt.NDArray[np.int8]]] = []
    for chunk in _chunks(x.size):
        start = 0
        for layer in registry.place_layers:
            matches = layer.match_many(x[chunk], y[chunk])
            found.append((matches.points + chunk.start, matches.features + start,
                          matches.distance_m, matches.precision))  # fmt: skip
            start += len(layer)
    if not found:
        return (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int8))
    return (
        np.concatenate([f[0] for f in found]),
        np.concatenate([f[1] for f in found]),
        np.concatenate([f[2] for f in found]),
        np.concatenate([f[3] for f in found]),
    )


def _chunks(size: int) -> list[slice]:
    """Slices small enough that a chunk's arrays stay in the CPU cache between numpy passes."""
    return [slice(start, min(start + _CHUNK, size)) for start in range(0, size, _CHUNK)]


def _first_positions(points: IntArray, mask: npt.NDArray[np.bool_]) -> IntArray:
    """Positions of the first pair of each point among those where ``mask`` holds."""
    candidates = np.flatnonzero(mask)
    owners = points[candidates]
    first = np.ones(candidates.size, dtype=bool)
    first[1:] = owners[1:] != owners[:-1]
    return candidates[first]


def _choose(chosen: IntArray, points: IntArray, mask: npt.NDArray[np.bool_]) -> None:
    """Later calls win: the place is the source of ownership, else of kind, else the first."""
    positions = _first_positions(points, mask)
    chosen[points[positions]] = positions


def _first_known(
    size: int, points: IntArray, codes: npt.NDArray[np.uint8]
) -> npt.NDArray[np.uint8]:
    result = np.zeros(size, dtype=np.uint8)
    positions = _first_positions(points, codes != UNKNOWN)
    result[points[positions]] = codes[positions]
    return result


def _inside(registry: Registry, x: FloatArray, y: FloatArray) -> npt.NDArray[np.int8]:
    if registry.boundary is None:
        return np.full(x.size, -1, dtype=np.int8)
    inside = np.zeros(x.size, dtype=np.int8)
    for chunk in _chunks(x.size):
        inside[registry.boundary.match_many(x[chunk], y[chunk]).points + chunk.start] = 1
    return inside
