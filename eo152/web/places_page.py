"""The places page: "Is this City property? A protected space?", with a map of the layers.

The search (an address or coordinates) is a plain GET form answered on the server, so the
answer, the matching places and the layers are text on the page with or without
JavaScript. The map (Leaflet, from its npm package) draws the layers from the API's
GeoJSON; clicking it, or asking for the point at its centre, runs the same search.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import places
from ..contract.vocabulary import label
from ..services.places import PlaceQueryError, look_up_text
from .errors import error_page
from .language import language_of, url_with
from .permalink import pack
from .texts import TEXTS

_log = logging.getLogger("eo152.places")
MAX_QUERY_LENGTH = 200
# Colours of the layers on the map and in its key (.layer-colour--N in site.css): the city
# limits dark blue, parks green, hospitals red, recreation centres blue, the rest in turn.
BOUNDARY_COLOUR = 0
AREA_COLOUR = 6
KIND_COLOURS = {"park": 1, "recreation_center": 2, "hospital": 3}
OTHER_COLOURS = (4, 5)
_DRAWN = ("id", "url", "role", "colour")  # what the map's script needs of a layer


@dataclass(frozen=True)
class Search:
    """What was asked and what the registry answered (``answer`` None: nothing found)."""

    query: str
    answer: places.Answer | None
    address: places.AddressAnswer | None
    error: str


@require_safe
def places_page(request: HttpRequest) -> HttpResponse:
    lang = language_of(request)
    texts = TEXTS[lang]
    try:
        registry = places.Registry.current()
    except places.StoreError as error:
        _log.error("%s", error)
        return error_page(request, 503, texts["places_unavailable_title"],
                          texts["places_unavailable_text"])  # fmt: skip
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    search = _search(registry, query, texts) if query else None
    colours = _colours(registry.layers)
    layers = [
        _layer(info, colour, lang) for info, colour in zip(registry.layers, colours, strict=True)
    ]
    context: dict[str, Any] = {
        "nav": "places",
        "query": query,
        "search": search,
        "result": _result(search.answer, lang) if search and search.answer else None,
        "layers": layers,
        "credits": places.credits(registry.layers),
        "not_covered": [_kind(kind, lang) for kind in places.not_covered(registry.layers)],
        "map_config": {
            "layers": [{key: layer[key] for key in _DRAWN} for layer in layers],
            "point": _point(search),
        },
    }
    status = 422 if search and search.error else 200
    return render(request, "eo152/places.html", context, status=status)


#: The sentence shown for each way a query is refused (``PlaceQueryError.kind``).
_REFUSALS = {
    "out_of_range": "places_error_coordinates",
    "unreadable_address": "places_error_unreadable",
}


def _search(registry: places.Registry, query: str, texts: dict[str, str]) -> Search:
    try:
        found = look_up_text(registry, query)
    except PlaceQueryError as refused:
        return Search(query, None, None, texts[_REFUSALS[refused.kind]])
    if isinstance(found, places.AddressAnswer):
        return Search(query, found.answer, found, "")
    return Search(query, found, None, "")


def _result(answer: places.Answer, lang: str) -> dict[str, Any]:
    texts = TEXTS[lang]
    inside = {True: "places_inside_yes", False: "places_inside_no", None: "places_inside_unknown"}
    known = {
        name: value
        for name, value in answer.location_facts().items()
        if value is not None and value != "unknown"
    }
    return {
        "lat": f"{answer.lat:.5f}",
        "lon": f"{answer.lon:.5f}",
        "inside": texts[inside[answer.inside_city]],
        "areas": [area.name for area in answer.areas],
        "ownership": label(f"location.ownership={answer.ownership}", lang),
        "ownership_known": answer.ownership != "unknown",
        "kind": _kind(answer.kind, lang),
        "kind_known": answer.kind != "unknown",
        "places": [
            {
                "name": place.name,
                "kind": _kind(place.kind, lang),
                "ownership": label(f"location.ownership={place.ownership}", lang),
                "layer": place.layer,
                "how": texts["places_match_inside"]
                if place.precision == "footprint"
                else texts["places_match_near"].format(metres=round(place.distance_m)),
            }
            for place in answer.places
        ],
        "check_url": url_with("/", lang, s=pack({"location": known})) if known else "",
    }


def _kind(kind: str, lang: str) -> str:
    return label(f"location.kind={kind}", lang)


def _colours(layers: tuple[places.LayerInfo, ...]) -> list[int]:
    """One colour per layer, each different while the palette lasts.

    The city limits and named areas have their own. A layer whose first kind has a colour
    takes it unless a more uniform layer (fewer kinds) took it first: the park land is green,
    a mixed layer is not.
    """
    chosen: dict[str, int] = {}
    for info in sorted(layers, key=lambda layer: len(layer.kinds)):
        if info.role != "places":
            chosen[info.id] = BOUNDARY_COLOUR if info.role == "boundary" else AREA_COLOUR
            continue
        wanted = KIND_COLOURS.get(info.kinds[0] if info.kinds else "", -1)
        taken = set(chosen.values())
        free = [c for c in (*OTHER_COLOURS, *KIND_COLOURS.values()) if c not in taken]
        if wanted in taken or wanted < 0:
            wanted = free[0] if free else OTHER_COLOURS[len(chosen) % len(OTHER_COLOURS)]
        chosen[info.id] = wanted
    return [chosen[info.id] for info in layers]


def _layer(info: places.LayerInfo, colour: int, lang: str) -> dict[str, Any]:
    version = info.published()["version"]
    return {
        "id": info.id,
        "name": info.name,
        "role": info.role,
        "count": TEXTS[lang]["places_layer_count"].format(count=info.features),
        "covers": info.covers,
        "kinds": [_kind(kind, lang) for kind in info.kinds if kind != "unknown"],
        "credit": info.credit,
        "colour": colour,
        "url": f"/api/v1/places/layers/{info.id}.geojson?v={version}",
    }


def _point(search: Search | None) -> list[float] | None:
    if search is None or search.answer is None:
        return None
    return [search.answer.lat, search.answer.lon]
