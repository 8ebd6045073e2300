"""The places page on the server: what it answers with no script at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.utils.html import escape

from eo152.config import Settings
from eo152.web.texts import TEXTS


@pytest.fixture
def client(denver_data: Settings) -> Client:
    return Client()


def _page(client: Client, **query: str) -> tuple[int, str]:
    response = client.get("/places", query)
    return response.status_code, response.content.decode()


def test_the_page_lists_every_layer_its_credits_and_what_no_layer_covers(client: Client) -> None:
    status, page = _page(client, lang="en")
    assert status == 200
    for name in ("Denver park land (City-owned)", "Hospitals (HIFLD)", "City and County of Denver"):
        assert name in page
    assert "© OpenStreetMap contributors (ODbL)" in page
    assert escape(TEXTS["en"]["places_not_covered"]) in page
    assert 'id="answer"' not in page, "no search, no answer"


def test_coordinates_in_civic_center_park_answer_city_owned_park_land(client: Client) -> None:
    status, page = _page(client, lang="en", q="39.7390 -104.9877")
    assert status == 200
    assert "Civic Center Park" in page
    assert "<strong>Owned by the City</strong>" in page
    assert "<strong>A park</strong>" in page
    assert escape(TEXTS["en"]["places_inside_yes"]) in page


def test_a_park_hill_backyard_is_in_denver_with_nothing_known_and_says_what_that_means(
    client: Client,
) -> None:
    status, page = _page(client, lang="es", q="39.7475, -104.9180")
    assert status == 200
    assert escape(TEXTS["es"]["places_inside_yes"]) in page
    assert '<dd lang="en">South Park Hill</dd>' in page
    assert escape(TEXTS["es"]["places_no_matches"]) in page
    assert escape(TEXTS["es"]["places_unknown_means"]) in page
    assert escape(TEXTS["es"]["places_check_here"]) in page, (
        "inside Denver is already a fact to check"
    )


def test_aurora_is_outside_denver(client: Client) -> None:
    _, page = _page(client, lang="en", q="39.7105, -104.8126")
    assert escape(TEXTS["en"]["places_inside_no"]) in page


def test_an_address_no_layer_carries_says_so_and_suggests_coordinates(client: Client) -> None:
    status, page = _page(client, lang="en", q="4321 Nowhere Court")
    assert status == 200
    assert escape(TEXTS["en"]["places_address_none"]) in page


def test_coordinates_off_earth_are_an_error_on_the_field(client: Client) -> None:
    status, page = _page(client, lang="es", q="100, 200")
    assert status == 422
    assert escape(TEXTS["es"]["places_error_coordinates"]) in page
    assert 'aria-invalid="true"' in page
    assert 'id="answer"' not in page
    assert 'id="verdict"' not in page


def test_check_a_situation_here_carries_the_places_facts_into_the_form(client: Client) -> None:
    response = client.get("/places", {"lang": "en", "q": "777 Bannock Street"})
    link = response.context["result"]["check_url"]
    form = client.get(link, follow=True).content.decode()
    assert 'name="location.ownership" value="health_authority" checked' in form
    assert 'name="location.within_city_limits" value="true" checked' in form
    assert '<option value="hospital" selected>' in form


def test_with_no_layers_loaded_the_page_says_every_answer_is_dont_know(data_dir: Path) -> None:
    status, page = _page(Client(), lang="en", q="39.7390, -104.9877")
    assert status == 200
    assert escape(TEXTS["en"]["places_no_layers"]) in page
    assert escape(TEXTS["en"]["places_inside_unknown"]) in page


def test_a_damaged_layer_store_is_a_503_page(data_dir: Path) -> None:
    store = data_dir / "places"
    store.mkdir(parents=True)
    (store / "parkland.npz").write_bytes(b"damaged")
    status, page = _page(Client(), lang="en")
    assert status == 503
    assert escape(TEXTS["en"]["places_unavailable_title"]) in page
    assert str(store) not in page


def test_a_long_query_is_cut_not_refused(client: Client) -> None:
    response = client.get("/places", {"q": "777 Bannock Street" + " " * 500 + "x" * 5000})
    assert response.status_code == 200
    assert response.context["query"] == "777 Bannock Street"
    assert "Denver Health Medical Center" in response.content.decode()


def test_a_decision_at_an_address_names_the_place_with_the_layers_credits(client: Client) -> None:
    from eo152.web.permalink import pack

    situation = {"activities": ["staging"], "location": {"address": "777 Bannock Street"}}
    page = client.get("/decision", {"lang": "en", "s": pack(situation)}).content.decode()
    assert "Denver Health Medical Center" in page
    assert "HIFLD Open data (U.S. DHS)" in page


def test_the_check_form_points_to_the_places_page_beside_the_scene_questions() -> None:
    page = Client().get("/all", {"lang": "es"}).content.decode()
    assert f'href="/places?lang=es">{escape(TEXTS["es"]["check_places_link"])}</a>' in page


def test_a_decision_at_coordinates_links_to_the_place_on_the_map(client: Client) -> None:
    from eo152.web.permalink import pack

    situation = {"location": {"lat": 39.739, "lon": -104.9877}}
    decision = client.get("/decision", {"lang": "es", "s": pack(situation)})
    link = '<a class="usa-link" href="/places?lang=es&amp;q=39.739%2C+-104.9877">'
    assert link in decision.content.decode()
    places_page = client.get("/places", {"lang": "es", "q": "39.739, -104.9877"})
    assert "Civic Center Park" in places_page.content.decode()
    nowhere = client.get("/decision", {"lang": "es", "s": pack({"activities": ["staging"]})})
    assert "/places?" not in nowhere.content.decode().split("<main")[1].split("</main>")[0]
