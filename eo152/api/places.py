"""The places registry over HTTP: a lookup, the loaded layers, and each layer for a map.

- ``GET /api/v1/places/lookup?lat=&lon=`` or ``?address=``: the registry's answer.
- ``GET /api/v1/places/layers``: the loaded layers, their credit lines, and the kinds no
  layer covers (where "not found" says nothing).
- ``GET /api/v1/places/layers/<id>.geojson``: one layer, simplified for drawing.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse

from .. import places
from .problems import problem, read_only

GEOJSON_CONTENT_TYPE = "application/geo+json"
_log = logging.getLogger("eo152.places")


@read_only
def lookup(request: HttpRequest) -> HttpResponse:
    query = request.GET
    asked = {name for name in ("lat", "lon", "address") if name in query}
    if "address" in asked and asked & {"lat", "lon"}:
        return problem(400, "Ambiguous lookup", "Give lat and lon, or address, not both.")
    if "address" in asked:
        return _address(query["address"])
    missing = [name for name in ("lat", "lon") if name not in asked]
    if missing:
        errors = [(name, "is required (or give address)") for name in missing]
        return problem(400, "Incomplete lookup", "Give lat and lon, or address.", errors)
    try:
        lat, lon = _coordinate(query["lat"], "lat"), _coordinate(query["lon"], "lon")
        registry = places.Registry.current()
        return _json(registry.lookup(lat, lon).to_dict())
    except _BadParameter as error:
        return problem(400, "Not a number", str(error), [(error.name, str(error))])
    except places.InvalidCoordinates as error:
        name = "lon" if str(error).startswith("lon") else "lat"
        return problem(422, "Coordinates out of range", str(error), [(name, str(error))])
    except places.StoreError as error:
        return _unreadable(error)


@read_only
def layers(request: HttpRequest) -> HttpResponse:
    try:
        registry = places.Registry.current()
    except places.StoreError as error:
        return _unreadable(error)
    return _json(
        {
            "layers": [layer.published() for layer in registry.layers],
            "not_covered": places.not_covered(registry.layers),
            "credits": places.credits(registry.layers),
        }
    )


@read_only
def layer_geojson(request: HttpRequest, layer_id: str) -> HttpResponse:
    try:
        registry = places.Registry.current()
    except places.StoreError as error:
        return _unreadable(error)
    info = next((layer for layer in registry.layers if layer.id == layer_id), None)
    drawn = registry.geojson(layer_id)
    if info is None or drawn is None:
        return problem(404, "No such layer", f"No layer {layer_id!r} is loaded.")
    etag = f'"{info.published()["version"]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(drawn, content_type=GEOJSON_CONTENT_TYPE)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"  # kept by the browser, asked again with the ETag
    return response


class _BadParameter(ValueError):
    def __init__(self, name: str, value: str) -> None:
        super().__init__(f"{name} {value!r} is not a number")
        self.name = name


def _coordinate(value: str, name: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise _BadParameter(name, value) from None


def _address(text: str) -> HttpResponse:
    if not text.strip():
        return problem(400, "Empty address", "The address is empty.", [("address", "is empty")])
    try:
        found = places.Registry.current().lookup_address(text)
    except places.StoreError as error:
        return _unreadable(error)
    if found.normalized is None:
        message = f"cannot read a house number and a street in {text!r}"
        return problem(422, "Unreadable address", message, [("address", message)])
    return _json(found.to_dict())


def _unreadable(error: places.StoreError) -> HttpResponse:
    # The path in the message is the server's own: it goes to the operator's log, not the caller.
    _log.error("%s", error)
    detail = "The places layers cannot be read; import them again."
    return problem(503, "Places unavailable", detail)


def _json(body: object) -> JsonResponse:
    return JsonResponse(body, safe=False, json_dumps_params={"ensure_ascii": False})
