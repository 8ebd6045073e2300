"""The field guide in Chromium on a phone, in English and Spanish: the sergeant's staging
task and the shooting task reach their answer in at most five taps (counted), the residents'
page, the follow-up revealed in place with JavaScript and on its own page without, and
axe-core on every page of the guide. ``EO152_SCREENSHOTS=DIR`` keeps a screenshot of each."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from eo152.rules import decide
from eo152.web.permalink import unpack
from eo152.web.texts import TEXTS

from .browser import PHONE, assert_accessible, assert_fits_the_screen, shoot

LANGS = ["en", "es"]
MOST_TAPS = 5


class Taps:
    """Taps on the page, counted: the test's budget is the person's."""

    def __init__(self, page: Page, lang: str) -> None:
        self.page, self.lang, self.count = page, lang, 0

    def tap(self, name: str, role: str = "button") -> None:
        self.page.get_by_role(role, name=name, exact=True).tap()  # type: ignore[arg-type]
        self.count += 1

    def person(self, person: str) -> None:
        self.page.locator(f'label[for="who-{person}"]').tap()
        self.count += 1

    def tile(self, tile: str) -> None:
        self.tap(
            TEXTS[self.lang][f"flow_tile_{tile}"] + " " + TEXTS[self.lang][f"flow_tile_{tile}_hint"]
        )

    def answer(self, step: str, choice: str) -> None:
        self.tap(TEXTS[self.lang][f"flow_a_{step}_{choice}"])


def _screens_down(page: Page, name: str) -> float:
    """How many phone screens down the page the bottom of the button ``name`` lies."""
    button = page.get_by_role("button", name=name, exact=True)
    bottom = button.evaluate("b => b.getBoundingClientRect().bottom + window.scrollY")
    return float(bottom) / PHONE["height"]


def _situation(page: Page) -> tuple[dict, str]:
    query = parse_qs(urlsplit(page.url).query)
    return unpack(query["s"][0]), query["role"][0]


@pytest.mark.parametrize("lang", LANGS)
def test_the_sergeants_staging_task_reaches_its_answer_in_five_taps(
    page: Page, site: str, lang: str
) -> None:
    page.goto(f"{site}/?lang={lang}")
    taps = Taps(page, lang)
    taps.person("sergeant")
    tile = TEXTS[lang]["flow_tile_staging"] + " " + TEXTS[lang]["flow_tile_staging_hint"]
    assert _screens_down(page, tile) <= 2
    taps.tile("staging")
    assert _screens_down(page, TEXTS[lang]["flow_a_place_city_lot"]) <= 1
    expect(page.locator("h1")).to_have_text(TEXTS[lang]["flow_q_place"])
    taps.answer("place", "city_lot")
    taps.answer("paper", "ice_form")
    expect(page.locator("h1")).to_have_text(TEXTS[lang]["flow_check_title"])
    taps.tap(TEXTS[lang]["flow_see_law"], role="link")
    page.wait_for_url("**/decision?**")
    assert taps.count <= MOST_TAPS
    situation, role = _situation(page)
    assert role == "sergeant"
    duty = decide(situation).duty("federal_agents", "use_city_property")
    assert duty is not None and duty.outcome == "prohibited"


@pytest.mark.parametrize("lang", LANGS)
def test_the_shooting_task_reaches_its_answer_in_five_taps(
    page: Page, site: str, lang: str
) -> None:
    page.goto(f"{site}/?lang={lang}")
    taps = Taps(page, lang)
    taps.person("officer")
    taps.tile("force")
    taps.answer("force", "gun")
    taps.answer("hurt", "badly")
    expect(page.locator("h1")).to_have_text(TEXTS[lang]["flow_q_ongoing"])
    taps.tap(TEXTS[lang]["flow_see_law"], role="link")  # the law, at every step
    page.wait_for_url("**/decision?**")
    assert taps.count <= MOST_TAPS
    situation, role = _situation(page)
    assert role == "officer"
    decision = decide(situation)
    for actor in ("police", "first_responders"):
        duty = decision.duty(actor, "render_aid")
        assert duty is not None and duty.outcome == "required"


@pytest.mark.parametrize("lang", LANGS)
def test_a_resident_reaches_their_page_and_it_passes_axe(page: Page, site: str, lang: str) -> None:
    page.goto(f"{site}/?lang={lang}")
    shoot(page, f"flow-start-{lang}")
    link = page.get_by_role("link", name=TEXTS[lang]["flow_resident_link"])
    expect(link).to_be_hidden()  # until the choice is made
    page.locator('label[for="who-resident"]').tap()
    expect(link).to_be_visible()  # revealed under the choice
    link.tap()
    expect(page.locator("h1")).to_have_text(TEXTS[lang]["resident_title"])
    expect(page.get_by_text(TEXTS[lang]["resident_call_911"])).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
    shoot(page, f"flow-resident-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_a_follow_up_is_revealed_in_place_and_sent_with_its_parent(
    page: Page, site: str, lang: str
) -> None:
    page.goto(f"{site}/guide/force/force?lang={lang}&who=sergeant")
    follow_up = page.get_by_text(TEXTS[lang]["flow_q_restrained"])
    expect(follow_up).to_be_hidden()
    page.get_by_role("button", name=TEXTS[lang]["flow_a_force_strikes"], exact=True).tap()
    expect(follow_up).to_be_visible()
    assert_accessible(page)
    shoot(page, f"flow-follow-up-{lang}")
    page.get_by_role("button", name=TEXTS[lang]["flow_a_restrained_yes"], exact=True).tap()
    expect(page.locator("h1")).to_have_text(TEXTS[lang]["flow_q_hurt"])
    assert "force=strikes" in page.url and "restrained=yes" in page.url


def test_without_javascript_the_follow_up_is_a_page_of_its_own(browser: Browser, site: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/guide/force/force?lang=es&who=officer")
    page.get_by_role("button", name=TEXTS["es"]["flow_a_force_hold"], exact=True).click()
    expect(page.locator("h1")).to_have_text(TEXTS["es"]["flow_q_restrained"])
    page.get_by_role("link", name=TEXTS["es"]["flow_back"]).click()
    expect(page.locator("h1")).to_have_text(TEXTS["es"]["flow_q_force"])
    context.close()


def _guide_pages(site: str, lang: str) -> dict[str, str]:
    answers = f"lang={lang}&who=sergeant"
    return {
        "start": f"{site}/?{answers}",
        "start-error": f"{site}/?{answers.replace('&who=sergeant', '')}&what=staging",
        "question": f"{site}/guide/staging/place?{answers}",
        "question-error": f"{site}/guide/staging/place?{answers}&step=place",
        "check": f"{site}/guide/staging/check?{answers}&place=city_lot&paper=ice_form",
        "resident": f"{site}/resident?lang={lang}",
        "all": f"{site}/all?lang={lang}",
    }


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "name", ["start", "start-error", "question", "question-error", "check", "resident", "all"]
)
def test_every_page_of_the_guide_passes_axe_and_fits_a_phone(
    page: Page, site: str, lang: str, name: str
) -> None:
    page.goto(_guide_pages(site, lang)[name])
    assert_accessible(page)
    assert_fits_the_screen(page)
    expect(page.get_by_text(TEXTS[lang]["eo_sentence"])).to_be_visible()
    shoot(page, f"flow-{name}-{lang}")


def test_without_javascript_a_resident_still_finds_their_page(browser: Browser, site: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/?lang=es")
    page.get_by_role("link", name=TEXTS["es"]["flow_resident_link"]).click()
    expect(page.locator("h1")).to_have_text(TEXTS["es"]["resident_title"])
    context.close()
