"""Address matching against the addresses the loaded layers carry (no online geocoder)."""

from __future__ import annotations

import pytest

from eo152 import places
from eo152.places._address import normalize


@pytest.mark.parametrize(
    ("typed", "carried"),
    [
        ("777 Bannock Street", "777 Bannock St"),
        ("777 BANNOCK ST., Denver, CO 80204", "777 Bannock St"),
        ("1719 East 19th Avenue", "1719 E 19Th Ave 5B"),
        ("2525 S. Downing Road", "2525 S Downing Rd, 3Rd Floor"),
        ("101 West 14th Ave Pkwy", "101 W 14th Avenue Pkwy"),
        ("1055 Clemont St", "1055 Clemont Street`"),
    ],
)
def test_spellings_of_one_address_normalize_alike(typed: str, carried: str) -> None:
    assert normalize(typed) == normalize(carried)


def test_different_addresses_stay_different() -> None:
    assert normalize("777 Bannock St") != normalize("777 Cherokee St")
    assert normalize("777 Bannock St") != normalize("778 Bannock St")
    assert normalize("Bannock Street") is None


def test_an_address_finds_the_place_and_looks_up_its_spot(denver: places.Registry) -> None:
    found = denver.lookup_address("777 Bannock Street")
    assert found.exact and found.normalized == "777 bannock st"
    assert [p.name for p in found.matched] == ["Denver Health Medical Center"]
    assert found.answer is not None and found.answer.ownership == "health_authority"


def test_a_looser_match_says_it_is_not_exact(denver: places.Registry) -> None:
    found = denver.lookup_address("1501 Broadway")  # the layer says 1501 N Broadway
    assert {p.name for p in found.matched} == {"Pioneer Monument Park"}  # parkland and OSM
    assert not found.exact


def test_an_address_no_layer_carries_says_so(denver: places.Registry) -> None:
    found = denver.lookup_address("4100 Krameria St")
    assert (found.matched, found.answer) == ((), None)
    shown = found.to_dict()
    assert shown["address"]["matched"] == []
    assert shown["address"]["normalized"] == "4100 krameria st"
    assert (shown["inside_city"], shown["ownership"], shown["kind"]) == (None, "unknown", "unknown")
    assert shown["layers"]
