"""``/api/v1/places/…``: the lookup, the layers and their GeoJSON, over HTTP."""

from __future__ import annotations

import json

import pytest
import shapely
from django.test import Client

from eo152.config import Settings

CIVIC_CENTER_PARK = {"lat": "39.7390", "lon": "-104.9877"}
AURORA = {"lat": "39.7105", "lon": "-104.8126"}
PARK_HILL_BACKYARD = {"lat": "39.7475", "lon": "-104.9180"}
LOOKUP = "/api/v1/places/lookup"


@pytest.fixture
def client(denver_data: Settings) -> Client:
    return Client()


def test_a_point_in_civic_center_park_is_city_owned_park_land(client: Client) -> None:
    answer = client.get(LOOKUP, CIVIC_CENTER_PARK).json()
    assert (answer["inside_city"], answer["ownership"], answer["kind"]) == (
        True, "city_owned", "park",
    )  # fmt: skip
    assert answer["place"]["name"] == "Civic Center Park"
    footprint = next(p for p in answer["places"] if p["layer"] == "parkland")
    assert footprint["precision"] == "footprint"
    assert footprint["distance_m"] == 0
    assert {layer["id"] for layer in answer["layers"]} >= {"boundary", "parkland", "hospitals"}
    assert any("City and County of Denver" in line for line in answer["credits"])


def test_outside_denver_and_unknown_ownership_are_said_as_such(client: Client) -> None:
    aurora = client.get(LOOKUP, AURORA).json()
    assert (aurora["inside_city"], aurora["ownership"], aurora["places"]) == (False, "unknown", [])
    backyard = client.get(LOOKUP, PARK_HILL_BACKYARD).json()
    assert (backyard["inside_city"], backyard["ownership"], backyard["kind"]) == (
        True, "unknown", "unknown",
    )  # fmt: skip
    assert "school" in backyard["not_covered"], "no schools layer: unknown, not 'no school'"


def test_an_address_finds_denver_health_which_is_not_city_property(client: Client) -> None:
    answer = client.get(LOOKUP, {"address": "777 Bannock Street"}).json()
    assert answer["address"]["normalized"] is not None
    assert answer["address"]["matched"][0]["name"] == "Denver Health Medical Center"
    assert (answer["ownership"], answer["kind"]) == ("health_authority", "hospital")
    assert answer["places"][0]["precision"] == "near_point"


def test_an_address_no_layer_carries_matches_nothing_and_says_so(client: Client) -> None:
    answer = client.get(LOOKUP, {"address": "4321 Nowhere Ct"}).json()
    assert answer["address"]["matched"] == []
    assert (answer["lat"], answer["ownership"], answer["kind"]) == (None, "unknown", "unknown")


@pytest.mark.parametrize(
    ("query", "status", "path"),
    [
        ({}, 400, "lat"),
        ({"lat": "39.7"}, 400, "lon"),
        ({"lat": "north", "lon": "-104.9"}, 400, "lat"),
        ({"lat": "39.7", "lon": "-104.9", "address": "777 Bannock St"}, 400, None),
        ({"lat": "91", "lon": "-104.9"}, 422, "lat"),
        ({"lat": "39.7", "lon": "-181"}, 422, "lon"),
        ({"lat": "nan", "lon": "-104.9"}, 422, "lat"),
        ({"address": "   "}, 400, "address"),
        ({"address": "Bannock"}, 422, "address"),
    ],
)
def test_a_bad_lookup_is_a_problem_naming_the_parameter(
    client: Client, query: dict[str, str], status: int, path: str | None
) -> None:
    response = client.get(LOOKUP, query)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert [e["path"] for e in problem["errors"]][:1] == ([path] if path else [])


def test_the_places_endpoints_are_read_only(client: Client) -> None:
    for url in (LOOKUP, "/api/v1/places/layers", "/api/v1/places/layers/parkland.geojson"):
        response = client.post(url, {})
        assert response.status_code == 405
        assert response["Allow"] == "GET"


def test_the_layers_are_listed_without_the_servers_file_paths(client: Client) -> None:
    listed = client.get("/api/v1/places/layers").json()
    layers = {layer["id"]: layer for layer in listed["layers"]}
    assert layers["parkland"]["features"] == 370
    assert layers["boundary"]["role"] == "boundary"
    assert all("source" not in layer and layer["version"] for layer in layers.values())
    assert "© OpenStreetMap contributors (ODbL)" in listed["credits"]


def test_a_layer_is_served_as_geojson_simplified_but_every_feature_there(client: Client) -> None:
    response = client.get("/api/v1/places/layers/parkland.geojson")
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    features = collection["features"]
    assert len(features) == 370
    assert len(response.content) < 600_000, "drawn, not the 3.6 MB source"
    park = next(f for f in features if f["properties"]["name"] == "Civic Center Park")
    assert park["properties"]["ownership"] == "city_owned"
    shape = shapely.geometry.shape(park["geometry"])
    assert shape.is_valid
    assert shape.contains(shapely.Point(-104.9877, 39.7390))


def test_a_layer_the_browser_has_is_not_sent_again(client: Client) -> None:
    first = client.get("/api/v1/places/layers/hospitals.geojson")
    again = client.get("/api/v1/places/layers/hospitals.geojson", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    assert client.get("/api/v1/places/layers/schools.geojson").status_code == 404


def test_with_no_layers_loaded_every_answer_is_unknown(data_dir: object) -> None:
    answer = Client().get(LOOKUP, CIVIC_CENTER_PARK).json()
    assert (answer["inside_city"], answer["ownership"], answer["kind"]) == (
        None, "unknown", "unknown",
    )  # fmt: skip
    assert answer["layers"] == []


def test_a_damaged_layer_file_is_a_503_that_does_not_leak_the_path(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch, data_dir: object
) -> None:
    from pathlib import Path

    store = Path(str(data_dir)) / "places"
    store.mkdir(parents=True)
    (store / "parkland.npz").write_bytes(b"not a layer")
    response = Client().get(LOOKUP, CIVIC_CENTER_PARK)
    assert response.status_code == 503
    assert str(store) not in response.content.decode()


def test_an_address_under_the_api_that_does_not_exist_is_a_problem_document() -> None:
    response = Client().get("/api/v1/places/nowhere")
    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")
    assert response.json()["status"] == 404
