"""The layers as GeoJSON for a map: simplified for drawing, never for answering.

Lookups always use the full geometry. What a map draws is simplified to about 2 m at
Denver's latitude (finer than a city map shows) with coordinates to six decimals (0.1 m),
which takes the park land from 3.3 MB to about 220 kB.
"""

from __future__ import annotations

import json

import numpy as np
import shapely

from ..contract.locations import KINDS, OWNERSHIPS
from ._layer import Layer

DISPLAY_TOLERANCE_DEG = 0.00002


def feature_collection(layer: Layer) -> bytes:
    """The layer as a GeoJSON FeatureCollection (RFC 7946, WGS 84), as UTF-8 bytes."""
    drawn = shapely.simplify(layer.geometries, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    drawn = shapely.transform(drawn, lambda coordinates: np.round(coordinates, 6))
    features = []
    for index, geometry in enumerate(drawn):
        properties = {
            "id": layer.place_ids[index],
            "name": layer.names[index],
            "kind": KINDS[int(layer.kind[index])],
            "ownership": OWNERSHIPS[int(layer.ownership[index])],
            "address": layer.addresses[index],
            "layer": layer.info.id,
        }
        shape = shapely.to_geojson(geometry)
        attributes = json.dumps(properties, ensure_ascii=False)
        features.append(f'{{"type":"Feature","geometry":{shape},"properties":{attributes}}}')
    return f'{{"type":"FeatureCollection","features":[{",".join(features)}]}}'.encode()
