"""Reading a layer's file into raw features, still in the file's own CRS.

Three formats: GeoJSON, ESRI Shapefile (``.shp`` with ``.dbf``, ``.prj`` and ``.cpg``, read
with pyshp, so no GDAL is needed) and CSV with coordinate columns. A file that cannot be read
as a whole raises LayerDataError; a single bad feature or row comes back with a ``problem`` so
that the importer can reject it and go on.
"""

from __future__ import annotations

import csv
import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapefile
import shapely.geometry
from shapely import Geometry

from ._config import LayerConfig
from ._errors import LayerDataError


@dataclass
class RawFeature:
    label: str
    properties: dict[str, Any]
    geometry: Geometry | None = None
    problem: str | None = None


@dataclass
class Source:
    """What a reader found: the field names, the CRS the file declares, and its features."""

    fields: set[str]
    crs: str | None
    features: list[RawFeature] = field(default_factory=list)


def read_source(layer: LayerConfig) -> Source:
    if not layer.path.exists():
        raise LayerDataError(f"layer {layer.id}: file not found: {layer.path}")
    if layer.path.stat().st_size == 0:
        raise LayerDataError(f"layer {layer.id}: {layer.path.name} is empty")
    readers = {"geojson": _read_geojson, "shapefile": _read_shapefile, "csv": _read_csv}
    return readers[layer.format](layer)


def _read_geojson(layer: LayerConfig) -> Source:
    try:
        document = json.loads(layer.path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LayerDataError(
            f"layer {layer.id}: {layer.path.name} is truncated or not GeoJSON: {error}"
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise LayerDataError(f"layer {layer.id}: {layer.path.name} is not a FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list):
        raise LayerDataError(f"layer {layer.id}: {layer.path.name} has no `features` list")
    source = Source(fields=set(), crs=_geojson_crs(document))
    for index, feature in enumerate(features):
        raw = _geojson_feature(feature, f"feature {index}")
        source.fields.update(raw.properties)
        source.features.append(raw)
    return source


def _geojson_crs(document: dict[str, Any]) -> str | None:
    """The legacy ``crs`` member (GeoJSON 2008); RFC 7946 files have none and are WGS 84."""
    crs = document.get("crs")
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        name = crs["properties"].get("name")
        return str(name) if name else None
    return None


def _geojson_feature(feature: Any, label: str) -> RawFeature:
    if not isinstance(feature, dict):
        return RawFeature(label, {}, problem="not a GeoJSON Feature")
    properties = feature.get("properties") or {}
    raw = RawFeature(label, dict(properties) if isinstance(properties, dict) else {})
    geometry = feature.get("geometry")
    if not geometry:
        raw.problem = "no geometry"
        return raw
    try:
        raw.geometry = shapely.geometry.shape(geometry)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raw.problem = f"unreadable geometry: {error or type(error).__name__}"
    return raw


def _read_shapefile(layer: LayerConfig) -> Source:
    prj = layer.path.with_suffix(".prj")
    crs = prj.read_text(encoding="utf-8", errors="replace") if prj.exists() else None
    encoding = _shapefile_encoding(layer.path)
    try:
        with warnings.catch_warnings():
            # pyshp only warns when the header's size disagrees with the file: truncated.
            warnings.simplefilter("error", shapefile.PossiblyCorruptFileHeader)
            return _shapefile_source(layer.path, crs, encoding)
    except shapefile.PossiblyCorruptFileHeader as error:
        raise LayerDataError(f"layer {layer.id}: {layer.path.name} is truncated: {error}") from None
    except (shapefile.ShapefileException, OSError, ValueError, EOFError) as error:
        raise LayerDataError(
            f"layer {layer.id}: {layer.path.name} is truncated or not a Shapefile: {error}"
        ) from None
    except Exception as error:  # pyshp raises struct.error and others on damaged files
        raise LayerDataError(
            f"layer {layer.id}: {layer.path.name} is damaged ({type(error).__name__}: {error})"
        ) from None


def _shapefile_source(path: Path, crs: str | None, encoding: str) -> Source:
    with shapefile.Reader(str(path), encoding=encoding) as reader:
        names = [f[0] for f in reader.fields[1:]]
        source = Source(fields=set(names), crs=crs)
        for index, item in enumerate(reader.iterShapeRecords()):
            source.features.append(_shapefile_feature(item, names, f"record {index}"))
    return source


def _shapefile_encoding(path: Path) -> str:
    cpg = path.with_suffix(".cpg")
    if cpg.exists():
        declared = cpg.read_text(encoding="ascii", errors="replace").strip()
        return declared or "utf-8"
    return "utf-8"


def _shapefile_feature(item: Any, names: list[str], label: str) -> RawFeature:
    raw = RawFeature(label, dict(zip(names, list(item.record), strict=False)))
    if item.shape.shapeType == shapefile.NULL:
        raw.problem = "no geometry (null shape)"
        return raw
    try:
        raw.geometry = shapely.geometry.shape(item.shape.__geo_interface__)
    except (ValueError, TypeError, IndexError, shapefile.ShapefileException) as error:
        raw.problem = f"unreadable geometry: {error}"
    return raw


def _read_csv(layer: LayerConfig) -> Source:
    if layer.coordinates is None:
        raise LayerDataError(f"layer {layer.id}: a CSV layer needs `coordinates: {{x:, y:}}`")
    try:
        with layer.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            names = list(reader.fieldnames or [])
            if not names:
                raise LayerDataError(f"layer {layer.id}: {layer.path.name} has no header row")
            source = Source(fields=set(names), crs=None)
            source.features.extend(_csv_rows(reader, layer.coordinates, len(names)))
    except (UnicodeDecodeError, csv.Error) as error:
        raise LayerDataError(f"layer {layer.id}: {layer.path.name}: {error}") from None
    return source


def _csv_rows(
    reader: csv.DictReader[str], coordinates: tuple[str, str], width: int
) -> Iterator[RawFeature]:
    x_field, y_field = coordinates
    for row in reader:
        label = f"row {reader.line_num}"
        extra = row.pop(None, None)  # type: ignore[call-overload,unused-ignore]
        if extra is not None or any(value is None for value in row.values()):
            have = width + len(extra or ()) - sum(value is None for value in row.values())
            yield RawFeature(label, {}, problem=f"has {have} fields, the header has {width}")
            continue
        yield _csv_point(label, dict(row), x_field, y_field)


def _csv_point(label: str, row: dict[str, Any], x_field: str, y_field: str) -> RawFeature:
    raw = RawFeature(label, row)
    try:
        x = float(row.get(x_field) or "nan")
        y = float(row.get(y_field) or "nan")
    except ValueError:
        raw.problem = (
            f"{x_field}/{y_field} ({row.get(x_field)!r}, {row.get(y_field)!r}) not numbers"
        )
        return raw
    if x != x or y != y:
        raw.problem = f"{x_field}/{y_field} missing"
        return raw
    raw.geometry = shapely.geometry.Point(x, y)
    return raw
