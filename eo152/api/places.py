"""The places registry over HTTP: a lookup, the loaded layers, and each layer for a map.

- ``GET /api/v1/places/lookup?lat=&lon=``, ``?address=`` or ``?q=`` (a line as the places page
  reads it: a point, an intersection, an address or a place's name): the registry's answer
  with its ``verdict`` (City property, protected space: yes, no or unknown).
- ``GET /api/v1/places/layers``: the loaded layers, their credit lines, and the kinds no
  layer covers (where "not found" says nothing).
- ``GET /api/v1/places/layers/<id>.geojson``: one layer, simplified for drawing.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse

from .. import places
from ..services.places import PlaceQueryError, answer_dict, look_up, place_query
from .problems import problem, read_only

GEOJSON_CONTENT_TYPE = "application/geo+json"
_log = logging.getLogger("eo152.places")


@read_only
def lookup(request: HttpRequest) -> HttpResponse:
    asked = request.GET
    try:
        query = place_query(
            asked.get("lat"), asked.get("lon"), asked.get("address"), asked.get("q")
        )
        found = look_up(places.Registry.current(), query)
    except PlaceQueryError as error:
        return problem(error.status, error.title, error.message, error.errors)
    except places.StoreError as error:
        return _unreadable(error)
    return _json(answer_dict(found))


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


def _unreadable(error: places.StoreError) -> HttpResponse:
    # The path in the message is the server's own: it goes to the operator's log, not the caller.
    _log.error("%s", error)
    detail = "The places layers cannot be read; import them again."
    return problem(503, "Places unavailable", detail)


def _json(body: object) -> JsonResponse:
    return JsonResponse(body, safe=False, json_dumps_params={"ensure_ascii": False})
