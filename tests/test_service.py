"""The service every front end calls: places fill the location before the engine decides."""

from __future__ import annotations

import hashlib

import pytest
import rfc8785

from eo152.config import Settings
from eo152.services.datadir import init
from eo152.services.decisions import decide_payload
from tests.conftest import SHARED

STAGING_AT_A_POINT = {
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "activities": ["staging"],
    "authority": {"kind": "administrative_warrant"},
    "location": {"lat": 39.7390, "lon": -104.9877},
}


@pytest.mark.skipif(
    not (SHARED / "data" / "denver").exists(), reason="../shared/data/denver is not here"
)
def test_coordinates_in_civic_center_park_are_city_owned_park_land_and_the_place_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EO152_SHARED_DATA", str(SHARED / "data" / "denver"))
    init(Settings.from_env())
    decision = decide_payload(STAGING_AT_A_POINT)
    assert isinstance(decision, dict)
    assert decision["place"]["name"] == "Civic Center Park"
    assert decision["place"]["ownership"] == "city_owned"
    use = next(d for d in decision["duties"] if d["action"] == "use_city_property")
    assert use["outcome"] == "prohibited"
    assert "location.ownership = city_owned" in use["because"]
    assert (
        decision["situation_sha256"]
        == hashlib.sha256(rfc8785.dumps(STAGING_AT_A_POINT)).hexdigest()
    )


def test_with_no_layers_loaded_ownership_stays_unknown_and_nothing_matches() -> None:
    decision = decide_payload(STAGING_AT_A_POINT)
    assert isinstance(decision, dict)
    assert decision["place"] is None
    use = next(d for d in decision["duties"] if d["action"] == "use_city_property")
    assert use["outcome"] == "indeterminate"
    assert "location.ownership" in use["missing_facts"]


def test_facts_the_caller_gives_are_never_replaced_by_the_lookup() -> None:
    given = {
        **STAGING_AT_A_POINT,
        "location": {**STAGING_AT_A_POINT["location"], "ownership": "private", "kind": "business"},
    }
    decision = decide_payload(given)
    assert isinstance(decision, dict)
    assert decision["place"] is None
    assert not any(d["action"] == "use_city_property" for d in decision["duties"])
