"""Small GeoJSON builders for the fixtures the places tests generate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

WriteConfig = Callable[[list[dict[str, Any]]], Path]


def feature_collection(features: list[dict[str, Any]], crs: str | None = None) -> str:
    document: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(document)


def polygon_feature(ring: list[tuple[float, float]], **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
    }


def point_feature(x: float, y: float, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [x, y]},
    }
