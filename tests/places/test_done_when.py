"""The issue's "Done when" lookups, on the real Denver layers."""

from __future__ import annotations

import json

from eo152 import places

CIVIC_CENTER_PARK = (39.7390, -104.9877)  # the lawn between the Greek Theater and Broadway
DENVER_HEALTH = (39.728201, -104.990975)  # 777 Bannock St
AURORA = (39.7105, -104.8126)  # Aurora Municipal Center
PARK_HILL_BACKYARD = (39.7475, -104.9180)  # a house lot off E 20th Ave near Krameria St


def test_civic_center_park_is_city_owned_park_land(denver: places.Registry) -> None:
    answer = denver.lookup(*CIVIC_CENTER_PARK)
    assert (answer.inside_city, answer.ownership, answer.kind) == (True, "city_owned", "park")
    parkland = [p for p in answer.places if p.layer == "parkland"]
    assert [p.name for p in parkland] == ["Civic Center Park"]
    assert parkland[0].precision == "footprint"


def test_denver_health_is_a_hospital_that_is_not_city_property(denver: places.Registry) -> None:
    answer = denver.lookup(*DENVER_HEALTH)
    assert (answer.inside_city, answer.ownership, answer.kind) == (
        True,
        "health_authority",
        "hospital",
    )
    assert answer.decision_place() == {
        "id": "hospitals/0002780204",
        "name": "Denver Health Medical Center",
        "kind": "hospital",
        "ownership": "health_authority",
    }
    assert answer.places[0].precision == "near_point"


def test_a_point_in_aurora_is_outside_denver(denver: places.Registry) -> None:
    answer = denver.lookup(*AURORA)
    assert answer.inside_city is False
    assert (answer.ownership, answer.kind, answer.places) == ("unknown", "unknown", ())


def test_a_park_hill_backyard_is_inside_denver_with_ownership_unknown(
    denver: places.Registry,
) -> None:
    answer = denver.lookup(*PARK_HILL_BACKYARD)
    assert answer.inside_city is True
    assert [area.name for area in answer.areas] == ["South Park Hill"]
    assert answer.places == ()
    assert (answer.ownership, answer.kind) == ("unknown", "unknown")
    assert answer.decision_place() is None


def test_the_answer_names_the_layers_consulted_and_their_credits(denver: places.Registry) -> None:
    shown = denver.lookup(*PARK_HILL_BACKYARD).to_dict()
    assert {layer["id"] for layer in shown["layers"]} == {
        "boundary", "neighborhoods", "parkland", "recreation-centers", "hospitals",
        "osm-civic-center", "downtown-streets",
    }  # fmt: skip
    assert "© OpenStreetMap contributors (ODbL)" in shown["credits"]
    assert "HIFLD Open data (U.S. DHS)" in shown["credits"]
    assert {"school", "shelter", "clinic"} <= set(shown["not_covered"])
    assert not {"park", "hospital", "library"} & set(shown["not_covered"])
    json.dumps(shown)  # the answer is plain JSON


def test_a_denver_mountain_park_is_city_owned_and_outside_the_city(
    denver: places.Registry,
) -> None:
    found = denver.lookup_address("16351 County Road 93, Morrison")  # Red Rocks Park
    assert [p.name for p in found.matched] == ["Red Rocks Park"]
    answer = found.answer
    assert answer is not None
    assert (answer.inside_city, answer.ownership, answer.kind) == (False, "city_owned", "park")


def test_the_central_library_and_the_detention_center_come_from_openstreetmap(
    denver: places.Registry,
) -> None:
    library = denver.lookup(39.7372, -104.9880)
    assert (library.kind, library.ownership) == ("library", "city_owned")
    detention = denver.lookup(39.7377356, -104.9926494)
    assert (detention.kind, detention.ownership) == ("jail", "city_owned")
    capitol = denver.lookup_address("200 East Colfax Avenue").answer
    assert capitol is not None and (capitol.kind, capitol.ownership) == ("other", "state")


def test_a_batch_names_the_same_areas_as_single_lookups(denver: places.Registry) -> None:
    points = [PARK_HILL_BACKYARD, CIVIC_CENTER_PARK, AURORA]
    batch = denver.answers([p[0] for p in points], [p[1] for p in points])
    assert [a.areas for a in batch] == [denver.lookup(*p).areas for p in points]
    assert batch[1].areas and batch[2].areas == ()
