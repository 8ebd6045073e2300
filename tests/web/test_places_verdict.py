"""The places verdict on the page, in the API and from the CLI: the same two answers for the
same place, whichever asked, and the page's words for each in both languages."""

from __future__ import annotations

import json
from html import escape

import pytest
from django.test import Client
from typer.testing import CliRunner

from eo152.cli import app
from eo152.config import Settings
from eo152.web.texts import TEXTS

WORDS = {
    "yes": "places_verdict_yes",
    "no": "places_verdict_no",
    "unknown": "places_verdict_unknown",
}


@pytest.fixture
def client(denver_data: Settings) -> Client:
    return Client()


def _verdict_box(page: str) -> str:
    start = page.index('id="verdict"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize(
    ("query", "city_property", "protected_space"),
    [
        ("Denver Health", "no", "yes"),
        ("39.7390, -104.9877", "yes", "no"),  # Civic Center Park
        ("Denver Public Library", "yes", "yes"),
        ("39.7475, -104.9180", "unknown", "unknown"),  # a Park Hill backyard
        ("E Colfax Ave / N Lincoln St", "unknown", "unknown"),  # a street: no layer says
    ],
)
def test_page_api_and_cli_give_the_same_verdict(
    client: Client, denver_data: Settings, query: str, city_property: str, protected_space: str
) -> None:
    expected = {"city_property": city_property, "protected_space": protected_space}
    api = client.get("/api/v1/places/lookup", {"q": query}).json()
    assert api["verdict"] == expected
    run = CliRunner(env={"EO152_DATA_DIR": str(denver_data.data_dir)})
    shown = run.invoke(app, ["places", "lookup", "--search", query, "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["verdict"] == expected
    text = run.invoke(app, ["places", "lookup", "--search", query])
    assert f"City property: {city_property}   protected space: {protected_space}" in text.stdout
    for lang in ("en", "es"):
        page = client.get("/places", {"lang": lang, "q": query}).content.decode()
        box = _verdict_box(page)
        assert f"place-verdict__answer--{city_property}" in box.split("</div>")[0]
        words = [TEXTS[lang][WORDS[city_property]], TEXTS[lang][WORDS[protected_space]]]
        assert [escape(w) for w in words] == _answers(box)


def _answers(box: str) -> list[str]:
    return [part.split("</dd>")[0] for part in box.split("<dd>")[1:]]


def test_the_verdict_comes_before_anything_else_on_the_page(client: Client) -> None:
    page = client.get("/places", {"lang": "en", "q": "Denver Health"}).content.decode()
    main = page[page.index("<h1") :]
    assert main.index('id="verdict"') < main.index('id="places-search"') < main.index('id="answer"')
    assert "Denver Health Medical Center" in _verdict_box(page)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_denver_health_says_the_staging_ban_does_not_apply_and_why(
    client: Client, lang: str
) -> None:
    box = _verdict_box(client.get("/places", {"lang": lang, "q": "denver health"}).content.decode())
    sentence = TEXTS[lang]["places_verdict_p1_not_applicable"].split("{reasons}")[0]
    assert escape(sentence) in box
    assert (
        escape(
            "Denver Health (una autoridad independiente)"
            if lang == "es"
            else "Denver Health (a separate authority)"
        )
        in box
    )


def test_city_park_land_says_what_the_engine_says_of_staging(client: Client) -> None:
    box = _verdict_box(
        client.get("/places", {"lang": "es", "q": "Parque La Raza"}).content.decode()
    )
    assert "La Raza Park" in box
    assert escape(TEXTS["es"]["places_verdict_if_staging"]) in box
    assert "Una orden administrativa de ICE (I-200, I-205) no basta" in box


def test_an_ambiguous_name_lists_the_places_it_could_be(client: Client) -> None:
    page = client.get("/places", {"lang": "en", "q": "recreation center"}).content.decode()
    box = _verdict_box(page)
    assert escape(TEXTS["en"]["places_name_choose"]) in box
    assert box.count("<li>") >= 2
    assert 'id="answer"' not in page  # nothing is answered for a place not chosen


@pytest.mark.parametrize("lang", ["en", "es"])
def test_what_cannot_be_placed_is_said_plainly(client: Client, lang: str) -> None:
    texts = TEXTS[lang]
    page = client.get("/places", {"lang": lang, "q": "E 11th Ave / N Lincoln St"}).content.decode()
    box = _verdict_box(page)
    assert escape(texts["places_verdict_not_placed"]) in box
    assert escape(texts["places_crossing_street_not_found"].format(streets="E 11th Ave")) in box
    assert escape(texts["places_verdict_unknown"]) in box
    page = client.get("/places", {"lang": lang, "q": "Coors Field"}).content.decode()
    assert escape(texts["places_name_none"]) in _verdict_box(page)
    page = client.get("/places", {"lang": lang, "q": "4321 Nowhere Court"}).content.decode()
    assert escape(texts["places_address_none"]) in _verdict_box(page)


def test_an_intersection_is_answered_where_the_streets_meet(client: Client) -> None:
    response = client.get("/places", {"lang": "en", "q": "Colfax and Lincoln"})
    page = response.content.decode()
    assert escape(TEXTS["en"]["places_crossing_placed"].format(
        streets="East Colfax Avenue and Lincoln Street")) in page  # fmt: skip
    lat, lon = response.context["map_config"]["point"]
    assert abs(lat - 39.74007) < 0.0002 and abs(lon - (-104.98613)) < 0.0002


def test_the_shipped_layers_are_named_in_spanish(client: Client) -> None:
    page = client.get("/places", {"lang": "es"}).content.decode()
    assert escape(TEXTS["es"]["places_layer_name_downtown-streets"]) in page
    assert escape(TEXTS["es"]["places_layer_name_parkland"]) in page
    assert "Denver park land (City-owned)" not in page


def test_the_api_refuses_an_empty_query_and_two_kinds_at_once(client: Client) -> None:
    empty = client.get("/api/v1/places/lookup", {"q": " "})
    assert empty.status_code == 400
    both = client.get("/api/v1/places/lookup", {"q": "Denver Health", "address": "777 Bannock St"})
    assert both.status_code == 400
