"""The places endpoints in the OpenAPI document: their operations and answer schemas."""

from __future__ import annotations

from typing import Any

from ..contract.locations import LOCATION_KINDS, LOCATION_OWNERSHIPS
from .openapi_refs import problem_response, ref


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": schema}


def _degrees(limit: int) -> dict[str, Any]:
    return {"type": "number", "minimum": -limit, "maximum": limit}


_KIND = {"type": "string", "enum": list(LOCATION_KINDS)}
_OWNERSHIP = {"type": "string", "enum": list(LOCATION_OWNERSHIPS)}

_LAYER_SUMMARY: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "role", "kinds", "near_m", "covers"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "role": {"type": "string", "enum": ["boundary", "places", "area", "street"]},
        "kinds": {"type": "array", "items": _KIND},
        "near_m": {"type": "number", "description": "How far from a point place counts as at it."},
        "covers": {"type": "string", "description": "What the layer covers, in words."},
    },
}

_YES_NO_UNKNOWN = {"type": "string", "enum": ["yes", "no", "unknown"]}

SCHEMAS: dict[str, Any] = {
    "PlaceVerdict": {
        "type": "object",
        "required": ["city_property", "protected_space"],
        "description": "The place's answer in two words each. `unknown` means no loaded layer "
        "says, never 'no'. What the order then says of agents staging there is the decision "
        "engine's (POST /api/v1/decisions with this location).",
        "properties": {
            "city_property": _YES_NO_UNKNOWN
            | {
                "description": "yes: the loaded layers say city_owned or city_controlled; no: "
                "they name another owner; unknown: no layer knows. Open questions such as City "
                "streets are the engine's to explain."
            },
            "protected_space": _YES_NO_UNKNOWN
            | {
                "description": "yes: the place's kind is one the order (P3's protected spaces) "
                "or state law (C.R.S. 13-1-403's courthouses) protects, as the policy defines "
                "them; unknown: no layer says what kind of place it is."
            },
        },
    },
    "PlaceMatch": {
        "type": "object",
        "required": ["id", "name", "kind", "ownership", "layer", "distance_m", "precision"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "kind": _KIND,
            "ownership": _OWNERSHIP,
            "layer": {"type": "string"},
            "distance_m": {"type": "number"},
            "precision": {
                "type": "string",
                "enum": ["footprint", "near_point"],
                "description": "footprint: inside a polygon; near_point: within a point "
                "place's near-distance (a point is not a footprint: less precise).",
            },
            "address": {"type": ["string", "null"]},
        },
    },
    "PlaceLookup": {
        "type": "object",
        "required": ["inside_city", "ownership", "kind", "place", "places", "layers", "verdict"],
        "properties": {
            "verdict": ref("PlaceVerdict"),
            "lat": {"type": ["number", "null"]},
            "lon": {"type": ["number", "null"]},
            "inside_city": {
                "type": ["boolean", "null"],
                "description": "Inside the City and County of Denver; null: no boundary layer.",
            },
            "ownership": _OWNERSHIP | {"description": "unknown: no loaded layer says."},
            "kind": _KIND | {"description": "unknown: no loaded layer says (not 'unprotected')."},
            "place": {
                "description": "The place that settled ownership (else kind), as the "
                "decision's `place`.",
                "oneOf": [{"type": "null"}, {"type": "object"}],
            },
            "places": {"type": "array", "items": ref("PlaceMatch")},
            "layers": {"type": "array", "items": _LAYER_SUMMARY},
            "not_covered": {
                "type": "array",
                "items": _KIND,
                "description": "Kinds no loaded layer has any place of.",
            },
            "credits": {"type": "array", "items": {"type": "string"}},
            "address": {
                "type": "object",
                "description": "For an address lookup: how it was read and what matched.",
                "properties": {
                    "query": {"type": "string"},
                    "normalized": {"type": ["string", "null"]},
                    "exact": {"type": "boolean"},
                    "matched": {"type": "array", "items": {"type": "object"}},
                },
            },
            "name": {
                "type": "object",
                "description": "For `q` read as a place's name: the places whose names hold "
                "every word (accents and case ignored, words may be cut short), one per name, "
                "best first. `settled` false: ambiguous, and nothing is answered.",
                "properties": {
                    "query": {"type": "string"},
                    "settled": {"type": "boolean"},
                    "matched": {"type": "array", "items": {"type": "object"}},
                },
            },
            "intersection": {
                "type": "object",
                "description": "For `q` read as two streets (`E 11th Ave / N Lincoln St`, also "
                "`&`, `and`, `at`): the loaded streets matched and where they cross; `problem` "
                "says why it cannot be placed.",
                "properties": {
                    "query": {"type": "string"},
                    "streets": {"type": "array", "items": {"type": "object"}},
                    "crossings": {"type": "array", "items": {"type": "object"}},
                    "problem": {
                        "type": ["string", "null"],
                        "enum": [
                            "no_street_layer",
                            "street_not_found",
                            "streets_do_not_meet",
                            None,
                        ],
                    },
                },
            },
        },
    },
    "PlaceLayers": {
        "type": "object",
        "required": ["layers", "not_covered", "credits"],
        "properties": {
            "layers": {
                "type": "array",
                "items": {
                    "allOf": [_LAYER_SUMMARY],
                    "properties": {
                        "features": {"type": "integer"},
                        "credit": {"type": "string"},
                        "imported_at": {"type": "string"},
                        "version": {"type": "string"},
                    },
                },
            },
            "not_covered": {"type": "array", "items": _KIND},
            "credits": {"type": "array", "items": {"type": "string"}},
        },
    },
}

LOOKUP_OPERATION: dict[str, Any] = {
    "operationId": "lookupPlace",
    "summary": "Whether a point or address is in Denver, on City property, in a protected space",
    "description": "Give `lat` and `lon` (WGS 84), or `address` (matched against the "
    "addresses the loaded layers carry; there is no online geocoder), or `q`: one line read "
    "as the places page reads it (a point, two streets of an intersection, an address, or a "
    "place's name). `unknown` means no loaded layer says, never 'not protected'.",
    "parameters": [
        _query("lat", "Latitude, degrees (WGS 84).", _degrees(90)),
        _query("lon", "Longitude, degrees (WGS 84).", _degrees(180)),
        _query("address", "A street address, e.g. 777 Bannock Street.", {"type": "string"}),
        _query(
            "q",
            "One line: `39.739, -104.988`, `E Colfax Ave / N Lincoln St`, `777 Bannock "
            "Street` or `Denver Health`.",
            {"type": "string"},
        ),
    ],
    "responses": {
        "200": {
            "description": "The answer; for an address nothing matched, `address.matched` is "
            "empty and everything is unknown.",
            "content": {"application/json": {"schema": ref("PlaceLookup")}},
        },
        "400": problem_response(
            "A parameter is missing, empty or not a number, or more than one kind was given."
        ),
        "422": problem_response(
            "A coordinate is out of range, or the address has no house number."
        ),
        "503": problem_response("The layers in the data folder cannot be read."),
    },
}

LAYERS_OPERATION: dict[str, Any] = {
    "operationId": "placeLayers",
    "summary": "The loaded places layers, their credit lines, and the kinds none covers",
    "responses": {
        "200": {
            "description": "The layers.",
            "content": {"application/json": {"schema": ref("PlaceLayers")}},
        },
        "503": problem_response("The layers in the data folder cannot be read."),
    },
}

LAYER_GEOJSON_OPERATION: dict[str, Any] = {
    "operationId": "placeLayerGeoJSON",
    "summary": "One layer as GeoJSON, simplified for drawing (about 2 m)",
    "parameters": [
        {"name": "layer_id", "in": "path", "required": True, "schema": {"type": "string"}}
    ],
    "responses": {
        "200": {
            "description": "A FeatureCollection (RFC 7946); each feature's properties are id, "
            "name, kind, ownership, address and layer. Revalidate with the ETag.",
            "content": {"application/geo+json": {"schema": {"type": "object"}}},
        },
        "304": {"description": "Not modified since the ETag given."},
        "404": problem_response("No such layer is loaded."),
    },
}

PATHS: dict[str, Any] = {
    "/api/v1/places/lookup": {"get": LOOKUP_OPERATION},
    "/api/v1/places/layers": {"get": LAYERS_OPERATION},
    "/api/v1/places/layers/{layer_id}.geojson": {"get": LAYER_GEOJSON_OPERATION},
}
