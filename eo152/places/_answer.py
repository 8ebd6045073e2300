"""What a lookup answers: one ``Answer`` per point, or columns for a batch.

An answer carries the facts the decision contract needs in the shape it needs them:
``Answer.location_facts()`` gives ``location.ownership``, ``location.kind`` and
``location.within_city_limits``; ``Answer.decision_place()`` gives the decision's ``place``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..contract.locations import KINDS, OWNERSHIPS
from ._layer import LayerInfo


@dataclass(frozen=True)
class Place:
    """A place that contains the point (``footprint``) or is within its near-distance."""

    id: str
    name: str
    kind: str
    ownership: str
    layer: str
    distance_m: float
    precision: str  # "footprint" or "near_point"
    address: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "ownership": self.ownership,
            "layer": self.layer,
            "distance_m": round(self.distance_m, 1),
            "precision": self.precision,
            "address": self.address,
        }

    def decision_place(self) -> dict[str, str]:
        """The decision contract's ``place``: ``{id, name, kind, ownership}``."""
        return {"id": self.id, "name": self.name, "kind": self.kind, "ownership": self.ownership}


@dataclass(frozen=True)
class Area:
    """A named area the point is in (a neighbourhood): orientation, never ownership or kind."""

    name: str
    layer: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "layer": self.layer}


@dataclass(frozen=True)
class Answer:
    """The registry's answer for one point.

    ``ownership`` and ``kind`` come from the most specific place that knows them (the smallest
    polygon containing the point, else the nearest point place within its near-distance), so
    an unnamed piece with no known owner does not hide the park around it. ``place`` is the
    place that gave ``ownership`` (else ``kind``, else the most specific match). Where no
    loaded layer covers the point, both are ``unknown``: never "not protected".
    ``inside_city`` is None when no boundary layer is loaded. ``areas`` names the areas
    (role ``area`` layers, such as neighbourhoods) the point is in.
    """

    lat: float
    lon: float
    inside_city: bool | None
    ownership: str
    kind: str
    place: Place | None
    places: tuple[Place, ...]
    layers: tuple[LayerInfo, ...]
    areas: tuple[Area, ...] = ()

    def location_facts(self) -> dict[str, Any]:
        """The situation facts this answer settles, under their contract names."""
        return {
            "ownership": self.ownership,
            "kind": self.kind,
            "within_city_limits": self.inside_city,
        }

    def decision_place(self) -> dict[str, str] | None:
        return None if self.place is None else self.place.decision_place()

    def to_dict(self) -> dict[str, Any]:
        return {
            "lat": self.lat,
            "lon": self.lon,
            "inside_city": self.inside_city,
            "ownership": self.ownership,
            "kind": self.kind,
            "place": self.decision_place(),
            "places": [place.to_dict() for place in self.places],
            "areas": [area.to_dict() for area in self.areas],
            "layers": [layer.summary() for layer in self.layers],
            "not_covered": not_covered(self.layers),
            "credits": credits(self.layers),
        }


def not_covered(layers: tuple[LayerInfo, ...]) -> list[str]:
    """Contract kinds that no loaded layer has any place of: "not found" says nothing there."""
    covered = {kind for layer in layers for kind in layer.kinds}
    return [kind for kind in KINDS if kind not in covered and kind not in ("unknown", "other")]


def credits(layers: tuple[LayerInfo, ...]) -> list[str]:
    """The data credit lines to show wherever these layers' data is displayed."""
    return list(dict.fromkeys(layer.credit for layer in layers if layer.credit))


@dataclass(frozen=True)
class LookupColumns:
    """``Registry.lookup_many``'s answer: numpy columns, one row per point, in input order.

    ``inside_city`` is 1, 0 or -1 (unknown); ``ownership`` and ``kind`` are codes into
    ``OWNERSHIPS`` and ``KINDS`` (0 is ``unknown``); ``place`` indexes ``Registry.places``
    (-1: none) with its ``distance_m`` and ``precision`` (0 footprint, 1 near_point, -1 none).
    Every match is in the ``match_*`` columns, sorted by point then most specific first.
    """

    inside_city: npt.NDArray[np.int8]
    ownership: npt.NDArray[np.uint8]
    kind: npt.NDArray[np.uint8]
    place: npt.NDArray[np.int32]
    distance_m: npt.NDArray[np.float32]
    precision: npt.NDArray[np.int8]
    match_point: npt.NDArray[np.int64]
    match_place: npt.NDArray[np.int32]
    match_distance_m: npt.NDArray[np.float32]
    match_precision: npt.NDArray[np.int8]

    def __len__(self) -> int:
        return int(self.inside_city.size)

    def ownership_names(self) -> npt.NDArray[np.str_]:
        return np.asarray(OWNERSHIPS)[self.ownership]

    def kind_names(self) -> npt.NDArray[np.str_]:
        return np.asarray(KINDS)[self.kind]
