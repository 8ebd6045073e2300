"""What the decision engine will get: a situation's location filled from the registry."""

from __future__ import annotations

import pytest

from eo152 import places


def test_coordinates_fill_ownership_kind_and_city_limits(denver: places.Registry) -> None:
    fill = denver.fill({"lat": 39.7390, "lon": -104.9877, "area": "public"})
    assert fill.location == {
        "lat": 39.7390, "lon": -104.9877, "area": "public",
        "ownership": "city_owned", "kind": "park", "within_city_limits": True,
    }  # fmt: skip
    assert fill.place is not None and fill.place["name"] == "Civic Center Park"
    assert set(fill.place) == {"id", "name", "kind", "ownership"}


def test_facts_the_situation_gives_are_kept(denver: places.Registry) -> None:
    fill = denver.fill({"lat": 39.7390, "lon": -104.9877, "ownership": "leased_to_city"})
    assert fill.location["ownership"] == "leased_to_city"
    assert fill.location["kind"] == "park"


def test_an_address_is_used_when_there_are_no_coordinates(denver: places.Registry) -> None:
    fill = denver.fill({"address": "777 Bannock Street"})
    assert (fill.location["ownership"], fill.location["kind"]) == ("health_authority", "hospital")


def test_nothing_to_look_up_or_nothing_found_leaves_the_facts_unknown(
    denver: places.Registry,
) -> None:
    assert denver.fill({"area": "public"}).location == {"area": "public"}
    nowhere = denver.fill({"address": "4100 Krameria St"})
    assert (nowhere.location, nowhere.place) == ({"address": "4100 Krameria St"}, None)
    backyard = denver.fill({"lat": 39.7475, "lon": -104.9180})
    assert backyard.location["ownership"] == "unknown" and backyard.place is None
    assert backyard.location["within_city_limits"] is True


def test_coordinates_off_earth_raise(denver: places.Registry) -> None:
    with pytest.raises(places.InvalidCoordinates):
        denver.fill({"lat": 100, "lon": -104.9})


def test_the_public_api_is_sorted_and_importable() -> None:
    assert places.__all__ == sorted(places.__all__, key=lambda name: (not name.isupper(), name))
    for name in places.__all__:
        assert getattr(places, name) is not None
