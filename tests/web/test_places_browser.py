"""The places page in Chromium, on a phone: the verdict first, the map of the Denver layers
(drawn from this site alone, with its key and the names of streets and places), searched by
name, by address, by tapping the map, from the keyboard and by the phone's own position; and
the same answers with JavaScript off."""

from __future__ import annotations

import json
import math
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from eo152.contract.vocabulary import label
from eo152.web.texts import TEXTS

from .browser import PHONE, assert_accessible, assert_fits_the_screen, shoot

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)

LANGS = ["en", "es"]
CIVIC_CENTER_PARK = "39.7390, -104.9877"
DENVER_HEALTH = {"latitude": 39.728201, "longitude": -104.990975}


def _layers(site: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{site}/api/v1/places/layers") as response:
        layers: list[dict[str, Any]] = json.load(response)["layers"]
    return layers


def _wait_for_the_map(page: Page, site: str) -> None:
    count = len(_layers(site))
    assert count >= 5, "the site started with the Denver layers imported"
    expect(page.locator("#map-section")).to_have_attribute("data-drawn", str(count))


def _answer(page: Page) -> Any:
    return page.locator("#answer")


@pytest.mark.parametrize("lang", LANGS)
def test_the_map_draws_every_layer_from_this_site_and_passes_axe(
    page: Page, site: str, lang: str
) -> None:
    page.goto(f"{site}/places?lang={lang}")
    _wait_for_the_map(page, site)
    layers = _layers(site)
    shapes = sum(layer["features"] for layer in layers if layer["role"] in ("places", "area"))
    assert page.locator("#map path.leaflet-interactive").count() == shapes
    for layer in layers:
        name = TEXTS[lang][f"places_layer_name_{layer['id']}"]
        expect(page.locator(".places-layers")).to_contain_text(name)
        expect(page.locator(".map-key")).to_contain_text(name)
    expect(page.locator(".map-key")).to_contain_text(TEXTS[lang]["places_map_key"])
    expect(page.locator(".places-credits")).to_contain_text("© OpenStreetMap contributors")
    streets = next(layer for layer in layers if layer["role"] == "street")
    drawn = page.locator("#map .leaflet-streets-pane path").count()
    assert drawn == streets["features"], "every street is drawn, under the places"
    expect(page.locator(".street-label", has_text="East Colfax Avenue").first).to_be_attached()
    assert_accessible(page)
    assert_fits_the_screen(page)
    shoot(page, f"places-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_an_address_finds_denver_health_a_hospital_that_is_not_city_property(
    page: Page, site: str, lang: str
) -> None:
    page.goto(f"{site}/places?lang={lang}")
    page.get_by_label(TEXTS[lang]["places_search_label"]).fill("777 Bannock Street")
    page.keyboard.press("Enter")
    answer = _answer(page)
    expect(answer).to_contain_text("Denver Health Medical Center")
    expect(answer).to_contain_text(_capital(label("location.kind=hospital", lang)))
    expect(answer).to_contain_text(_capital(label("location.ownership=health_authority", lang)))
    _wait_for_the_map(page, site)
    assert_accessible(page)
    shoot(page, f"places-answer-{lang}")


def test_the_map_opens_on_the_urban_core(page: Page, site: str) -> None:
    """Civic Center Park is on the first screen of the map, near its centre."""
    page.goto(f"{site}/places?lang=en")
    _wait_for_the_map(page, site)
    page.locator("#map").scroll_into_view_if_needed()
    park = page.evaluate(
        """() => {
            const titles = [...document.querySelectorAll('#map path title')];
            const park = titles.find(t => t.textContent.startsWith('Civic Center Park'));
            const box = park.parentElement.getBoundingClientRect();
            return [box.x + box.width / 2, box.y + box.height / 2];
        }"""
    )
    box = page.locator("#map").bounding_box()
    assert box is not None
    assert box["x"] <= park[0] <= box["x"] + box["width"]
    assert box["y"] <= park[1] <= box["y"] + box["height"]


@pytest.mark.parametrize("lang", LANGS)
def test_denver_health_by_name_shows_the_verdict_first_on_a_phone(
    page: Page, site: str, lang: str
) -> None:
    texts = TEXTS[lang]
    page.goto(f"{site}/places?lang={lang}")
    page.get_by_label(texts["places_search_label"]).fill("Denver Health")
    page.keyboard.press("Enter")
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("Denver Health Medical Center")
    answers = verdict.locator("dd")
    expect(answers).to_have_text([texts["places_verdict_no"], texts["places_verdict_yes"]])
    expect(verdict.locator("dt")).to_have_text(
        [texts["places_verdict_city_property"], texts["places_verdict_protected_space"]]
    )
    first = page.evaluate("document.querySelector('main h1').nextElementSibling.id")
    assert first == "verdict", "the verdict comes right after the page's title"
    box = verdict.locator(".place-verdict__answers").bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], "on the first screen"
    _wait_for_the_map(page, site)
    assert_accessible(page)
    assert_fits_the_screen(page)
    shoot(page, f"places-verdict-denver-health-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_position_is_said_in_the_pages_language(
    browser: Browser, site: str, lang: str
) -> None:
    context = browser.new_context(viewport=PHONE)  # no geolocation permission granted
    page = context.new_page()
    page.goto(f"{site}/places?lang={lang}")
    page.get_by_role("button", name=TEXTS[lang]["places_map_here"]).click()
    expect(page.locator("#here-status")).to_have_text(TEXTS[lang]["places_here_refused"])
    context.close()


def test_tapping_the_map_looks_up_the_point_tapped(page: Page, site: str) -> None:
    page.goto(f"{site}/places?lang=en&q=1437 Bannock Street")  # the map centres on the answer
    _wait_for_the_map(page, site)
    expect(_answer(page)).not_to_contain_text("Civic Center Park")
    # The park's lawn is some 270 m east of the City and County Building: tap there.
    map_box = page.locator("#map")
    map_box.scroll_into_view_if_needed()
    box = map_box.bounding_box()
    assert box is not None
    metres_per_pixel = 156_543.03 * math.cos(math.radians(39.739)) / 2**16  # zoom 16
    east = 270 / metres_per_pixel
    page.mouse.click(box["x"] + box["width"] / 2 + east, box["y"] + box["height"] / 2)
    expect(_answer(page)).to_contain_text("Civic Center Park")
    expect(_answer(page)).to_contain_text("Owned by the City")
    lat, lon = (float(part) for part in page.locator("#q").input_value().split(","))
    assert abs(lat - 39.7392) < 0.0005 and abs(lon - (-104.9879)) < 0.001


def test_the_map_works_from_the_keyboard(page: Page, site: str) -> None:
    page.goto(f"{site}/places?lang=en&q={CIVIC_CENTER_PARK}")
    _wait_for_the_map(page, site)
    _tab_to(page, "map")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused map shows that it has the focus"
    for _ in range(3):
        page.keyboard.press("ArrowUp")  # the map moves north: the centre is no longer the park
    page.wait_for_timeout(500)  # the pan is animated
    _tab_to(page, "map-centre")
    page.keyboard.press("Enter")
    expect(page.locator("#q")).not_to_have_value("39.73900, -104.98770")
    latitude = float(page.locator("#q").input_value().split(",")[0])
    assert latitude > 39.7390, "the point at the centre is north of where the map started"
    expect(_answer(page)).to_be_visible()


def test_look_up_where_i_am_uses_the_phones_position(browser: Browser, site: str) -> None:
    context = browser.new_context(
        viewport=PHONE, geolocation=DENVER_HEALTH, permissions=["geolocation"]
    )
    page = context.new_page()
    page.goto(f"{site}/places?lang=es")
    page.get_by_role("button", name=TEXTS["es"]["places_map_here"]).click()
    expect(_answer(page)).to_contain_text("Denver Health Medical Center")
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_coordinates_off_earth_are_an_error_on_the_field(page: Page, site: str, lang: str) -> None:
    page.goto(f"{site}/places?lang={lang}&q=100,200")
    field = page.get_by_label(TEXTS[lang]["places_search_label"])
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#q-error")).to_have_text(TEXTS[lang]["places_error_coordinates"])
    _wait_for_the_map(page, site)
    assert_accessible(page)


def test_without_javascript_the_search_and_the_lists_still_answer(
    browser: Browser, site: str
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/places?lang=en")
    expect(page.locator("#map-section")).to_be_hidden()
    expect(page.locator("#map-here")).to_be_hidden()  # absent without a script, not broken
    page.get_by_label(TEXTS["en"]["places_search_label"]).fill("39.7475 -104.9180")
    page.get_by_role("button", name=TEXTS["en"]["places_search_submit"]).click()
    answer = _answer(page)
    expect(answer).to_contain_text(TEXTS["en"]["places_inside_yes"])
    expect(answer).to_contain_text(TEXTS["en"]["places_no_matches"])
    expect(answer).to_contain_text(TEXTS["en"]["places_unknown_means"])
    context.close()


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _tab_to(page: Page, element_id: str) -> None:
    for _ in range(100):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")
