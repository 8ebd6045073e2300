"""Turning raw features into places: CRS, validity, geometry type, attributes.

Every check here names the feature and the problem, and a bad feature is rejected on its
own: the rest of the layer still loads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely
from pyproj.exceptions import CRSError
from shapely import Geometry

from ._config import LayerConfig
from ._errors import LayerConfigError, LayerDataError
from ._readers import RawFeature, Source

WGS84 = pyproj.CRS.from_epsg(4326)
AREA_MARGIN_DEG = 1.0  # a layer just past its CRS's area of use is still plausible
POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON = 0, 1, 3, 4, 5, 6
# (shapely's geometry type ids)
_TYPE_NAMES = ("Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString",
               "MultiPolygon", "GeometryCollection")  # fmt: skip


@dataclass
class Candidate:
    """A feature that may become a place, once its geometry passes the checks."""

    raw: RawFeature
    geometry: Geometry
    repaired: str | None = None


@dataclass(frozen=True)
class Attributes:
    place_id: str
    name: str
    address: str | None
    kind: str
    ownership: str


def source_crs(layer: LayerConfig, source: Source) -> pyproj.CRS:
    spec = layer.crs or source.crs or ("EPSG:4326" if layer.format == "geojson" else None)
    if spec is None:
        raise LayerDataError(
            f"layer {layer.id}: {layer.path.name} declares no coordinate reference system; "
            "set `crs` in the layer config (for example EPSG:4326 or EPSG:2232)"
        )
    try:
        return pyproj.CRS.from_user_input(spec)
    except CRSError as error:
        raise LayerConfigError(f"layer {layer.id}: unknown CRS {spec!r}: {error}") from None


def to_wgs84(candidates: list[Candidate], crs: pyproj.CRS) -> list[tuple[Candidate, str | None]]:
    """Reproject in place; pair each candidate with a problem if it cannot be in ``crs``."""
    if not candidates:
        return []
    originals = np.array([c.geometry for c in candidates], dtype=object)
    moved = originals
    if not crs.equals(WGS84, ignore_axis_order=True):
        transformer = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)
        moved = shapely.transform(originals, lambda xy: np.column_stack(transformer.transform(
            xy[:, 0], xy[:, 1], errcheck=False)))  # fmt: skip
    bounds = shapely.bounds(moved)
    area = _plausible_area(crs)
    results: list[tuple[Candidate, str | None]] = []
    for index, candidate in enumerate(candidates):
        candidate.geometry = moved[index]
        problem = _position_problem(bounds[index], area, crs, originals[index])
        results.append((candidate, problem))
    return results


def _plausible_area(crs: pyproj.CRS) -> tuple[float, float, float, float]:
    use = crs.area_of_use
    if use is None or use.west > use.east:
        return (-180.0, -90.0, 180.0, 90.0)
    m = AREA_MARGIN_DEG
    return (use.west - m, use.south - m, use.east + m, use.north + m)


def _position_problem(
    bounds: Any, area: tuple[float, float, float, float], crs: pyproj.CRS, original: Geometry
) -> str | None:
    west, south, east, north = (float(v) for v in bounds)
    finite = all(np.isfinite([west, south, east, north]))
    if finite and west >= area[0] and south >= area[1] and east <= area[2] and north <= area[3]:
        return None
    if shapely.is_empty(original):
        return None  # no position to be wrong: ``shape_problem`` rejects it as empty
    x, y = shapely.get_coordinates(original)[0]
    where = f"; they would fall at lon {west:.4f}, lat {south:.4f}" if finite else ""
    return (
        f"coordinates ({x:.6g}, {y:.6g}) cannot be in {crs.to_string()} "
        f"({crs.name}){where}, outside its area of use"
    )


def shape_problem(candidate: Candidate, role: str) -> str | None:
    """Normalize the geometry to a Point or (Multi)Polygon, repairing invalid polygons; a
    street layer takes (Multi)LineStrings only."""
    geometry: Any = shapely.force_2d(candidate.geometry)
    if shapely.is_empty(geometry):
        return "empty geometry"
    kind = int(shapely.get_type_id(geometry))
    if role == "street":
        candidate.geometry = geometry
        if kind in (LINESTRING, MULTILINESTRING):
            return None
        return f"a {_type_name(kind)}: the street layer takes lines only"
    if kind == MULTIPOINT and shapely.get_num_geometries(geometry) == 1:
        geometry = shapely.get_geometry(geometry, 0)
        kind = POINT
    if kind == POINT:
        candidate.geometry = geometry
        return None if role == "places" else f"a point: the {role} layer takes polygons only"
    if kind not in (POLYGON, MULTIPOLYGON):
        return f"a {_type_name(kind)} is not a place: polygons and points only"
    if not shapely.is_valid(geometry):
        reason = shapely.is_valid_reason(geometry)
        repaired = _polygonal(shapely.make_valid(geometry))
        if repaired is None:
            return f"invalid geometry ({reason}) with nothing left after repair"
        geometry = repaired
        candidate.repaired = f"invalid geometry ({reason}), repaired with make_valid"
    candidate.geometry = geometry
    return None


def _type_name(kind: int) -> str:
    return _TYPE_NAMES[kind] if 0 <= kind < len(_TYPE_NAMES) else "geometry"


def _polygonal(geometry: Geometry) -> Geometry | None:
    parts = shapely.get_parts(geometry)
    parts = parts[np.isin(shapely.get_type_id(parts), (POLYGON, MULTIPOLYGON))]
    if not parts.size:
        return None
    merged = shapely.union_all(parts)
    return None if shapely.is_empty(merged) else merged


def attributes(layer: LayerConfig, raw: RawFeature) -> Attributes:
    props = raw.properties
    kind, ownership = classify(layer, props)
    key = field_value(layer.id_field, props) if layer.id_field else None
    name = field_value(layer.name_field, props) if layer.name_field else None
    return Attributes(
        place_id=f"{layer.id}/{key or raw.label.split()[-1]}",
        name=name or f"{layer.name}, {raw.label}",
        address=field_value(layer.address_field, props) if layer.address_field else None,
        kind=kind,
        ownership=ownership,
    )


def classify(layer: LayerConfig, props: Mapping[str, Any]) -> tuple[str, str]:
    """The first rule that sets a value wins; the layer's ``kind``/``ownership`` otherwise."""
    kind: str | None = None
    ownership: str | None = None
    for rule in layer.rules:
        if (kind is None or ownership is None) and rule.condition.matches(props):
            kind = kind or rule.kind
            ownership = ownership or rule.ownership
    return kind or layer.kind.value_for(props), ownership or layer.ownership.value_for(props)


def field_value(spec: str, props: Mapping[str, Any]) -> str | None:
    """A field's value, or a ``{field} {field}`` template (None if a part is empty)."""
    if "{" not in spec:
        return _text(props.get(spec))
    parts: dict[str, str] = {}
    for name in re.findall(r"\{([^{}]+)\}", spec):
        text = _text(props.get(name))
        if text is None:
            return None
        parts[name] = text
    return re.sub(r"\{([^{}]+)\}", lambda m: parts[m.group(1)], spec)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
