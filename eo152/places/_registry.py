"""The registry: every imported layer of a data folder, answering lookups.

``Registry.lookup`` answers one point (the path a dispatcher's question takes);
``Registry.lookup_many`` answers a batch as numpy columns with no Python object per point;
``Registry.lookup_address`` finds an address the layers carry, then looks up that spot;
``Registry.find_name`` finds a place by (part of) its name, ``Registry.intersection`` where two
loaded streets meet, and each looks up that spot too;
``Registry.fill`` turns a situation's ``location`` into the facts the rules engine reads.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ..config import Settings
from ..contract.locations import KINDS, OWNERSHIPS
from ._address import AddressIndex, normalize
from ._answer import Answer, Area, LookupColumns, Place
from ._batch import lookup_columns
from ._coordinates import check_arrays, check_coordinates
from ._display import feature_collection
from ._layer import Layer, LayerInfo
from ._names import NameIndex
from ._precision import PRECISIONS
from ._search import MAX_OFFERED, Intersection, NameSearch, nothing
from ._store import layer_paths, load_layer, store_dir
from ._streets import StreetIndex


@dataclass(frozen=True)
class AddressAnswer:
    """An address lookup: what was asked, how it was read, what matched, and the answer there.

    ``answer`` is the lookup at the first matching place; when nothing matched, it is None.
    """

    query: str
    normalized: str | None
    matched: tuple[Place, ...]
    exact: bool
    answer: Answer | None
    layers: tuple[LayerInfo, ...]

    def to_dict(self) -> dict[str, Any]:
        found = self.answer.to_dict() if self.answer else _nothing(self.layers)
        found["address"] = {
            "query": self.query,
            "normalized": self.normalized,
            "exact": self.exact,
            "matched": [
                {"id": p.id, "name": p.name, "address": p.address, "layer": p.layer}
                for p in self.matched
            ],
        }
        return found


def _nothing(layers: Sequence[LayerInfo]) -> dict[str, Any]:
    return nothing(tuple(layers))


@dataclass(frozen=True)
class LocationFill:
    """``Registry.fill``'s result: the location with the facts filled in, and the place."""

    location: dict[str, Any]
    place: dict[str, str] | None
    answer: Answer | None


class Registry:
    """The loaded layers of one data folder. Cheap to query, so build it once and keep it."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        self.boundary: Layer | None = next((x for x in layers if x.info.role == "boundary"), None)
        self.place_layers: tuple[Layer, ...] = tuple(x for x in layers if x.info.role == "places")
        self.area_layers: tuple[Layer, ...] = tuple(x for x in layers if x.info.role == "area")
        self.street_layers: tuple[Layer, ...] = tuple(x for x in layers if x.info.role == "street")
        self.layers: tuple[LayerInfo, ...] = tuple(layer.info for layer in layers)
        starts = np.cumsum([0] + [len(layer) for layer in self.place_layers])
        self._starts: list[int] = starts.tolist()
        self._by_id = {layer.info.id: layer for layer in layers}
        self._drawn: dict[str, bytes] = {}

    @classmethod
    def open(cls, directory: Path) -> Registry:
        """The registry of a store folder (``<data folder>/places``); empty if there is none."""
        return cls([load_layer(path) for path in layer_paths(directory)])

    @classmethod
    def default(cls, settings: Settings | None = None) -> Registry:
        """The registry of the current data folder (``EO152_DATA_DIR``), freshly loaded."""
        return cls.open(store_dir((settings or Settings.from_env()).data_dir))

    @classmethod
    def current(cls, settings: Settings | None = None) -> Registry:
        """Like ``default``, but kept between calls until a layer file changes.

        For long-running callers (the web app, a batch of decisions): each call costs a
        ``stat`` of the layer files, and an import or removal is picked up on the next call.
        """
        directory = store_dir((settings or Settings.from_env()).data_dir)
        signature = _signature(directory)
        with _CACHE_LOCK:
            cached = _CACHE.get(directory)
            if cached is None or cached[0] != signature:
                cached = (signature, cls.open(directory))
                _CACHE[directory] = cached
            return cached[1]

    def geojson(self, layer_id: str) -> bytes | None:
        """A layer as GeoJSON for a map (simplified for drawing); None if there is no such layer.

        Made once per registry: ``Registry.current`` keeps both until the layer changes.
        """
        layer = self._by_id.get(layer_id)
        if layer is None:
            return None
        if layer_id not in self._drawn:
            self._drawn[layer_id] = feature_collection(layer)
        return self._drawn[layer_id]

    @cached_property
    def places(self) -> PlaceTable:
        return PlaceTable(self.place_layers)

    def lookup(self, lat: float | str, lon: float | str) -> Answer:
        """Answer one point; raise InvalidCoordinates for a latitude or longitude off Earth
        (or not a number). Text is read as a number and quoted as given in the message."""
        lat, lon = check_coordinates(lat, lon)
        found: list[tuple[float, Place]] = []
        for index, layer in enumerate(self.place_layers):
            for feature, distance, precision in layer.match_one(lon, lat):
                place = self._place(index, feature, distance, precision)
                found.append((_specificity(layer, feature, distance, precision), place))
        found.sort(key=lambda item: item[0])
        places = tuple(place for _, place in found)
        areas = tuple(
            Area(layer.names[feature], layer.info.id)
            for layer in self.area_layers
            for feature, _, _ in layer.match_one(lon, lat)
        )
        return self._answer(lat, lon, places, self._inside(lat, lon), areas)

    def lookup_many(self, lats: Any, lons: Any) -> LookupColumns:
        """Answer a batch (sequences or numpy arrays) as columns; see LookupColumns."""
        lat, lon = check_arrays(lats, lons)
        return lookup_columns(self, lat, lon)

    def answers(self, lats: Any, lons: Any) -> list[Answer]:
        """One Answer per point, in input order, computed in one vectorized pass."""
        lat, lon = check_arrays(lats, lons)
        columns = lookup_columns(self, lat, lon)
        per_point: list[list[Place]] = [[] for _ in range(lat.size)]
        for point, place, distance, precision in zip(
            columns.match_point.tolist(),
            columns.match_place.tolist(),
            columns.match_distance_m.tolist(),
            columns.match_precision.tolist(),
            strict=True,
        ):
            per_point[point].append(self.places.place(place, distance, precision))
        inside = [None if code < 0 else bool(code) for code in columns.inside_city.tolist()]
        areas: list[list[Area]] = [[] for _ in range(lat.size)]
        for layer in self.area_layers:
            matches = layer.match_many(lon, lat)
            for point, feature in zip(
                matches.points.tolist(), matches.features.tolist(), strict=True
            ):
                areas[point].append(Area(layer.names[feature], layer.info.id))
        return [
            self._answer(
                float(lat[i]), float(lon[i]), tuple(per_point[i]), inside[i], tuple(areas[i])
            )
            for i in range(lat.size)
        ]

    def lookup_address(self, text: str) -> AddressAnswer:
        key = normalize(text)
        if key is None:
            return AddressAnswer(text, None, (), False, None, self.layers)
        indexes, exact = self._addresses.find(key)
        matched = tuple(self.places.place(i, 0.0, 0) for i in indexes)
        if not matched:
            return AddressAnswer(text, key.full, (), False, None, self.layers)
        return AddressAnswer(text, key.full, matched, exact, self._at(indexes[0]), self.layers)

    def find_name(self, text: str) -> NameSearch:
        """The places whose names hold every word of ``text`` (accents and case ignored,
        words may be cut short), one per distinct name, best first; the answer is at the
        first when it is clearly the one meant."""
        ranked = self._names.find(text)
        best: dict[str, tuple[Any, int]] = {}
        for rank, index in ranked:
            best.setdefault(self.places.names[index].casefold(), (rank, index))
        groups = list(best.values())
        matches = tuple(self.places.place(i, 0.0, 0) for _, i in groups[:MAX_OFFERED])
        settled = len(groups) == 1 or (
            bool(groups) and (not groups[0][0].not_whole or groups[0][0] < groups[1][0])
        )
        answer = self._at(groups[0][1]) if settled else None
        return NameSearch(text, matches, settled, answer, self.layers)

    def intersection(self, first: str, second: str) -> Intersection:
        """Where the streets ``first`` and ``second`` of the loaded street layers meet."""
        asked = (first, second)
        streets = self._streets
        if not streets:
            return Intersection(
                f"{first} / {second}", asked, ((), ()), (), "no_street_layer", None, self.layers
            )
        (one, one_names), (other, other_names) = streets.find(first), streets.find(second)
        found = (tuple(one_names), tuple(other_names))
        crossings: list[tuple[float, float]] = []
        problem: str | None = "street_not_found"
        if one and other:
            crossings = [(lat, lon) for lon, lat in streets.meet(one, other)]
            problem = None if crossings else "streets_do_not_meet"
        answer = self.lookup(*crossings[0]) if crossings else None
        query = f"{first} / {second}"
        return Intersection(query, asked, found, tuple(crossings), problem, answer, self.layers)

    def fill(self, location: Mapping[str, Any]) -> LocationFill:
        """Fill a situation's ``location`` from its coordinates, else its address.

        Facts the caller gave win over the lookup; ``ownership`` and ``kind`` are filled
        only where absent or null, and ``within_city_limits`` likewise.
        """
        answer = self._locate(location)
        filled = dict(location)
        if answer is not None:
            for name, value in answer.location_facts().items():
                if filled.get(name) is None:
                    filled[name] = value
        return LocationFill(filled, answer.decision_place() if answer else None, answer)

    def _locate(self, location: Mapping[str, Any]) -> Answer | None:
        if location.get("lat") is not None and location.get("lon") is not None:
            return self.lookup(location["lat"], location["lon"])
        if location.get("address"):
            return self.lookup_address(str(location["address"])).answer
        return None

    @cached_property
    def _addresses(self) -> AddressIndex:
        return AddressIndex(enumerate(self.places.addresses))

    @cached_property
    def _names(self) -> NameIndex:
        return NameIndex(self.places.names)

    @cached_property
    def _streets(self) -> StreetIndex:
        layers = self.street_layers
        names = [name for layer in layers for name in layer.names]
        lines = [layer.geometries for layer in layers]
        return StreetIndex(names, np.concatenate(lines) if lines else np.zeros(0, object))

    def _at(self, index: int) -> Answer:
        """The lookup at a place: at its own point, or a point inside its polygon."""
        x, y = self.places.anchor(index)
        return self.lookup(y, x)

    def _place(self, layer_index: int, feature: int, distance: float, precision: int) -> Place:
        return self.places.place(self._starts[layer_index] + feature, distance, precision)

    def _answer(
        self,
        lat: float,
        lon: float,
        places: tuple[Place, ...],
        inside: bool | None,
        areas: tuple[Area, ...] = (),
    ) -> Answer:
        ownership = next((p for p in places if p.ownership != "unknown"), None)
        kind = next((p for p in places if p.kind != "unknown"), None)
        return Answer(
            lat=lat,
            lon=lon,
            inside_city=inside,
            ownership=ownership.ownership if ownership else "unknown",
            kind=kind.kind if kind else "unknown",
            place=ownership or kind or (places[0] if places else None),
            places=places,
            layers=self.layers,
            areas=areas,
        )

    def _inside(self, lat: float, lon: float) -> bool | None:
        if self.boundary is None:
            return None
        return bool(self.boundary.match_one(lon, lat))


_CACHE: dict[Path, tuple[tuple[tuple[str, int, int, int], ...], Registry]] = {}
_CACHE_LOCK = threading.Lock()


def _signature(directory: Path) -> tuple[tuple[str, int, int, int], ...]:
    """What changes on every import: a layer file is replaced by a new file (a new inode)."""
    found = []
    for path in layer_paths(directory):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed since the listing: the next call sees it gone
            continue
        found.append((path.name, stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _specificity(layer: Layer, feature: int, distance: float, precision: int) -> float:
    """Smaller is more specific: polygons by area, then point places by distance."""
    return float(layer.area_m2[feature]) if precision == 0 else 1e15 + distance


class PlaceTable:
    """Every place of the place layers, under one index (the ``place`` column of a batch)."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        self._layers = tuple(layers)
        self.layer_of = np.concatenate(
            [np.full(len(layer), i, dtype=np.int32) for i, layer in enumerate(layers)]
            or [np.zeros(0, np.int32)]
        )
        self._starts = np.cumsum([0] + [len(layer) for layer in layers]).tolist()
        self.kind = _joined([layer.kind for layer in layers], np.uint8)
        self.ownership = _joined([layer.ownership for layer in layers], np.uint8)
        self.area_m2 = _joined([layer.area_m2 for layer in layers], np.float64)
        self.ids = [place_id for layer in layers for place_id in layer.place_ids]
        self.addresses = [address for layer in layers for address in layer.addresses]
        self.names = [name for layer in layers for name in layer.names]

    def __len__(self) -> int:
        return len(self.ids)

    def place(self, index: int, distance: float, precision: int) -> Place:
        layer = self._layers[int(self.layer_of[index])]
        feature = index - self._starts[int(self.layer_of[index])]
        return Place(
            id=layer.place_ids[feature],
            name=layer.names[feature],
            kind=KINDS[int(layer.kind[feature])],
            ownership=OWNERSHIPS[int(layer.ownership[feature])],
            layer=layer.info.id,
            distance_m=float(distance),
            precision=PRECISIONS[precision],
            address=layer.addresses[feature],
        )

    def anchor(self, index: int) -> tuple[float, float]:
        """A point on the place (lon, lat): its own point, or a point inside its polygon."""
        layer = self._layers[int(self.layer_of[index])]
        feature = index - self._starts[int(self.layer_of[index])]
        return float(layer.x[feature]), float(layer.y[feature])


def _joined(arrays: list[npt.NDArray[Any]], dtype: type) -> npt.NDArray[Any]:
    return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype=dtype)
