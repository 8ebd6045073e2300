"""One imported layer in memory: its features, their geometry and its compiled grid."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from ._grid import Grid
from ._precision import FOOTPRINT, NEAR_POINT

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_PREPARING = threading.Lock()


@dataclass(frozen=True)
class LayerInfo:
    """What a layer is, for the answer's ``layers`` list and ``eo152 places layers``."""

    id: str
    name: str
    role: str
    kinds: tuple[str, ...]
    features: int
    near_m: float
    credit: str = ""
    covers: str = ""
    source: str = ""
    imported_at: str = ""
    fingerprint: str = ""

    def summary(self) -> dict[str, Any]:
        """What an answer says about a layer it consulted."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "kinds": list(self.kinds),
            "near_m": self.near_m,
            "covers": self.covers,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, for ``eo152 places layers`` on this machine."""
        return self.published() | {"source": self.source}

    def published(self) -> dict[str, Any]:
        """What the API and the map say of a layer: all but the source file's local path.

        ``version`` changes whenever the layer's config or source file does.
        """
        return self.summary() | {
            "features": self.features,
            "credit": self.credit,
            "imported_at": self.imported_at,
            "version": self.fingerprint[:16],
        }


@dataclass(frozen=True)
class Matches:
    """Columnar (point, feature) pairs found in one layer."""

    points: IntArray
    features: IntArray
    distance_m: FloatArray
    precision: npt.NDArray[np.int8]


@dataclass
class Layer:
    info: LayerInfo
    place_ids: list[str]
    names: list[str]
    addresses: list[str | None]
    kind: npt.NDArray[np.uint8]
    ownership: npt.NDArray[np.uint8]
    is_point: npt.NDArray[np.bool_]
    area_m2: FloatArray
    x: FloatArray  # a point on each feature (its own point, or a point on the polygon)
    y: FloatArray
    per_lon: FloatArray  # metres per degree at each feature, for near-distances
    per_lat: FloatArray
    geometries: npt.NDArray[np.object_]
    grid: Grid
    _prepared: bool = field(default=False, repr=False)

    def __len__(self) -> int:
        return len(self.place_ids)

    def prepare(self) -> None:
        """Prepare the polygons for fast tests; done once, on the first lookup.

        Under a lock: a web server's threads may all make their first lookup at once.
        """
        if self._prepared:
            return
        with _PREPARING:
            if not self._prepared:
                shapely.prepare(self.geometries)
                self._prepared = True

    def match_many(self, x: FloatArray, y: FloatArray) -> Matches:
        self.prepare()
        points, positions = self.grid.candidates(x, y)
        features = self.grid.entries[positions].astype(np.int64)
        settled = self.grid.interior[positions]
        distance = np.zeros(points.size, dtype=np.float64)
        keep = settled.copy()
        polygon = ~settled & ~self.is_point[features]
        keep[polygon] = shapely.contains_xy(
            self.geometries[features[polygon]], x[points[polygon]], y[points[polygon]]
        )
        near = ~settled & self.is_point[features]
        f, p = features[near], points[near]
        metres = np.hypot(
            (x[p] - self.x[f]) * self.per_lon[f], (y[p] - self.y[f]) * self.per_lat[f]
        )
        distance[near] = metres
        keep[near] = metres <= self.info.near_m
        precision = np.where(near, NEAR_POINT, FOOTPRINT).astype(np.int8)
        return Matches(points[keep], features[keep], distance[keep], precision[keep])

    def match_one(self, x: float, y: float) -> list[tuple[int, float, int]]:
        """(feature, distance in metres, precision) for one point; the single-lookup path."""
        self.prepare()
        found = []
        for position in self.grid.cell_range(x, y):
            feature = int(self.grid.entries[position])
            if self.is_point[feature]:
                metres = math.hypot(
                    (x - self.x[feature]) * self.per_lon[feature],
                    (y - self.y[feature]) * self.per_lat[feature],
                )
                if metres <= self.info.near_m:
                    found.append((feature, float(metres), NEAR_POINT))
            elif self.grid.interior[position] or shapely.contains_xy(
                self.geometries[feature], x, y
            ):
                found.append((feature, 0.0, FOOTPRINT))
        return found
