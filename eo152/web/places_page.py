"""The places page: "Is this City property? A protected space?", with a map of the layers.

The search (coordinates, an address, two streets or a place's name) is a plain GET form
answered on the server, so the answer, the matching places and the layers are text on the
page with or without JavaScript. The verdict comes first: City property and protected space
as yes, no or don't know, and what the decision engine says of agents staging there (the
service layer's ``place_verdict``, as the API and the CLI say it). The map (Leaflet, from its
npm package) draws the layers from the API's GeoJSON; clicking it, or asking for the point at
its centre or where the phone is, runs the same search.
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
from ..services.places import PlaceQueryError, PlaceVerdict, look_up_text, place_verdict
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
STREET_COLOUR = 7
KIND_COLOURS = {"park": 1, "recreation_center": 2, "hospital": 3}
OTHER_COLOURS = (4, 5)
_DRAWN = ("id", "name", "url", "role", "colour")  # what the map's script needs of a layer


@dataclass(frozen=True)
class Search:
    """What was asked and what the registry answered (``answer`` None: nothing placed).

    ``found`` is the registry's answer as it came (a point's, an address's, a name's or an
    intersection's); ``error`` a refusal of the query itself, shown on the field.
    """

    query: str
    answer: places.Answer | None
    found: places.Answer | places.AddressAnswer | places.NameSearch | places.Intersection | None
    error: str

    @property
    def address(self) -> places.AddressAnswer | None:
        return self.found if isinstance(self.found, places.AddressAnswer) else None


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
    found = search.found if search else None
    colours = _colours(registry.layers)
    layers = [
        _layer(info, colour, lang) for info, colour in zip(registry.layers, colours, strict=True)
    ]
    context: dict[str, Any] = {
        "nav": "places",
        "query": query,
        "search": search,
        "result": _result(search.answer, lang) if search and search.answer else None,
        "verdict": _verdict(found, place_verdict(found), lang) if found else None,
        "not_placed": _not_placed(found, lang) if found else "",
        "choices": _choices(found, lang),
        "crossing": _crossing(found, lang),
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


#: The sentence shown for each way a query is refused (``PlaceQueryError.kind``): a line of
#: text is refused only for coordinates off Earth; anything else is searched for.
_REFUSALS = {"out_of_range": "places_error_coordinates"}


def _search(registry: places.Registry, query: str, texts: dict[str, str]) -> Search:
    try:
        found = look_up_text(registry, query)
    except PlaceQueryError as refused:
        return Search(query, None, None, texts[_REFUSALS[refused.kind]])
    answer = found if isinstance(found, places.Answer) else found.answer
    return Search(query, answer, found, "")


#: Yes, no and don't know, for each of the verdict's answers.
_ANSWER_WORDS = {"yes": "places_verdict_yes", "no": "places_verdict_no",
                 "unknown": "places_verdict_unknown"}  # fmt: skip


def _verdict(
    found: places.Answer | places.AddressAnswer | places.NameSearch | places.Intersection,
    verdict: PlaceVerdict,
    lang: str,
) -> dict[str, Any]:
    """The verdict box: the two answers, then the engine's words on agents staging here."""
    texts = TEXTS[lang]
    answer = found if isinstance(found, places.Answer) else found.answer
    if answer is None:
        title = texts["places_verdict_not_placed"]
    elif answer.place is not None:
        title = answer.place.name
    elif isinstance(found, places.Intersection):
        title = texts["places_and"].join(names[0] for names in found.found)
    else:
        title = texts["places_verdict_point"].format(
            lat=f"{answer.lat:.5f}", lon=f"{answer.lon:.5f}"
        )
    if verdict.outcome == "not_applicable":
        reasons = [_reason(because, lang) for because in verdict.because]
        meaning = texts["places_verdict_p1_not_applicable"].format(reasons="; ".join(reasons))
    else:
        meaning = f"{texts['places_verdict_if_staging']} {verdict.plain[lang]}"
    return {
        "title": title,
        "city_property": verdict.city_property,
        "city_property_words": texts[_ANSWER_WORDS[verdict.city_property]],
        "protected_space": verdict.protected_space,
        "protected_space_words": texts[_ANSWER_WORDS[verdict.protected_space]],
        "meaning": meaning,
    }


def _reason(because: str, lang: str) -> str:
    """The engine's "location.ownership = health_authority" in the contract's own words:
    "who owns or controls the place: Denver Health (a separate authority)"."""
    path, _, value = because.partition(" = ")
    return f"{label(path, lang)}: {label(f'{path}={value}', lang)}"


def _not_placed(
    found: places.Answer | places.AddressAnswer | places.NameSearch | places.Intersection,
    lang: str,
) -> str:
    """Why a query could not be placed, in a sentence; empty when it was placed."""
    texts = TEXTS[lang]
    if isinstance(found, places.Intersection) and found.problem is not None:
        missing = [a for a, names in zip(found.streets, found.found, strict=True) if not names]
        return texts[f"places_crossing_{found.problem}"].format(
            streets=texts["places_and"].join(missing or found.streets)
        )
    if isinstance(found, places.NameSearch) and not found.matches:
        return texts["places_name_none"]
    if isinstance(found, places.AddressAnswer) and not found.matched:
        return texts["places_address_none"]
    return ""


def _crossing(found: object, lang: str) -> str:
    """Where two streets asked as an intersection meet, in a sentence (empty otherwise)."""
    if not isinstance(found, places.Intersection) or found.answer is None:
        return ""
    texts = TEXTS[lang]
    streets = texts["places_and"].join(names[0] for names in found.found)
    said = texts["places_crossing_placed"].format(streets=streets)
    if len(found.crossings) > 1:
        said += " " + texts["places_crossing_several"].format(count=len(found.crossings))
    return said


def _choices(found: object, lang: str) -> list[dict[str, str]]:
    """For a name several places answer: each of them, as a link to its own search."""
    if not isinstance(found, places.NameSearch) or found.settled:
        return []
    return [
        {
            "name": place.name,
            "kind": _kind(place.kind, lang),
            "url": url_with("/places", lang, q=place.name),
        }
        for place in found.matches
    ]


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
        "check_url": url_with("/all", lang, s=pack({"location": known})) if known else "",
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
            chosen[info.id] = _ROLE_COLOURS[info.role]
            continue
        wanted = KIND_COLOURS.get(info.kinds[0] if info.kinds else "", -1)
        taken = set(chosen.values())
        free = [c for c in (*OTHER_COLOURS, *KIND_COLOURS.values()) if c not in taken]
        if wanted in taken or wanted < 0:
            wanted = free[0] if free else OTHER_COLOURS[len(chosen) % len(OTHER_COLOURS)]
        chosen[info.id] = wanted
    return [chosen[info.id] for info in layers]


_ROLE_COLOURS = {"boundary": BOUNDARY_COLOUR, "area": AREA_COLOUR, "street": STREET_COLOUR}


def _layer(info: places.LayerInfo, colour: int, lang: str) -> dict[str, Any]:
    version = info.published()["version"]
    texts = TEXTS[lang]
    # The shipped layers' names and coverage have their words in each language; a layer an
    # operator loads shows its config's own words (marked as English on the page).
    name = texts.get(f"places_layer_name_{info.id}")
    covers = texts.get(f"places_layer_covers_{info.id}")
    return {
        "id": info.id,
        "name": name or info.name,
        "name_lang": lang if name else "en",
        "role": info.role,
        "count": texts["places_layer_count"].format(count=info.features),
        "covers": covers or info.covers,
        "covers_lang": lang if covers else "en",
        "kinds": [_kind(kind, lang) for kind in info.kinds if kind != "unknown"],
        "credit": info.credit,
        "colour": colour,
        "url": f"/api/v1/places/layers/{info.id}.geojson?v={version}",
    }


def _point(search: Search | None) -> list[float] | None:
    if search is None or search.answer is None:
        return None
    return [search.answer.lat, search.answer.lon]
