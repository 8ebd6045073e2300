"""The verdict: City property and protected space as yes, no or unknown, and what the engine
says of immigration agents staging at the place (the order's P1), on the real Denver layers."""

from __future__ import annotations

import pytest

from eo152 import places
from eo152.services.places import place_verdict, protected_kinds

DENVER_HEALTH = (39.728201, -104.990975)
CIVIC_CENTER_PARK = (39.7390, -104.9877)
PARK_HILL_BACKYARD = (39.7475, -104.9180)


def test_denver_health_is_a_protected_space_that_is_not_city_property(
    denver: places.Registry,
) -> None:
    verdict = place_verdict(denver.lookup(*DENVER_HEALTH))
    assert verdict.to_dict() == {"city_property": "no", "protected_space": "yes"}
    assert verdict.outcome == "not_applicable"
    assert verdict.because == ("location.ownership = health_authority",)


def test_city_park_land_is_city_property_where_agents_may_not_stage(
    denver: places.Registry,
) -> None:
    verdict = place_verdict(denver.lookup(*CIVIC_CENTER_PARK))
    assert verdict.to_dict() == {"city_property": "yes", "protected_space": "no"}
    assert verdict.outcome == "prohibited"
    assert "administrative warrant" in verdict.plain["en"]
    assert "orden administrativa" in verdict.plain["es"]


def test_where_no_layer_knows_the_verdict_is_unknown_and_the_engine_says_what_it_turns_on(
    denver: places.Registry,
) -> None:
    verdict = place_verdict(denver.lookup(*PARK_HILL_BACKYARD))
    assert verdict.to_dict() == {"city_property": "unknown", "protected_space": "unknown"}
    assert verdict.outcome == "indeterminate"
    assert "p1-streets" in {question["id"] for question in verdict.open_questions}


def test_nothing_found_is_unknown_never_no(denver: places.Registry) -> None:
    verdict = place_verdict(denver.find_name("Coors Field"))
    assert verdict.to_dict() == {"city_property": "unknown", "protected_space": "unknown"}


@pytest.mark.parametrize(
    ("ownership", "expected"),
    [("city_owned", "yes"), ("city_controlled", "yes"), ("health_authority", "no"),
     ("private", "no"), ("unknown", "unknown")],
)  # fmt: skip
def test_city_property_follows_the_ownership_the_layers_give(ownership: str, expected: str) -> None:
    answer = places.Answer(39.7, -104.9, True, ownership, "other", None, (), ())
    assert place_verdict(answer).city_property == expected


def test_the_protected_kinds_are_the_policys_own() -> None:
    """Read from the terms the rules use: the order's protected spaces and Colorado's
    courthouses; a park or a street is not one."""
    kinds = protected_kinds()
    assert {"school", "library", "hospital", "place_of_worship", "courthouse"} <= kinds
    assert not {"park", "street", "parking_lot", "residence", "unknown"} & kinds
