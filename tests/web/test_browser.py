"""Check a situation in Chromium, as an officer on a phone would use it.

Each flow runs in English and in Spanish and finds the controls by the vocabulary's own
words, so the tests read the page as a person does. axe-core checks every page in both
languages for WCAG 2.2 A and AA; one flow is done with the keyboard alone and one with
JavaScript switched off.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from eo152.contract.vocabulary import label, phrase
from eo152.web.permalink import pack
from eo152.web.texts import TEXTS

from .browser import PHONE, assert_accessible, assert_fits_the_screen, shoot

pytestmark = pytest.mark.browser
# The machine may be busy (CI runs on two cores): wait for a page longer than the default.
expect.set_options(timeout=20_000)

LANGS = ["en", "es"]


def _words(key: str, lang: str) -> str:
    words = label(key, lang)
    return words[:1].upper() + words[1:]


def _choose(page: Page, key: str, lang: str) -> None:
    """Tick a radio button or a checkbox by the words on its label, as a person does."""
    fact = key.split("=")[0]
    group = page.locator("fieldset").filter(has=page.locator(f'input[name="{fact}"]')).first
    group.get_by_text(_words(key, lang), exact=True).click()


def _yes(page: Page, fact: str) -> None:
    page.locator(f'label[for="{_id(fact)}-yes"]').click()


def _id(fact: str) -> str:
    return "f-" + fact.replace("[]", "").replace(".", "-").replace("_", "-")


def _submit(page: Page, lang: str) -> None:
    page.get_by_role("button", name=TEXTS[lang]["check_submit"]).click()
    _expect_the_answer(page, lang)


def _expect_the_answer(page: Page, lang: str) -> None:
    """The answer page: its heading is the verdict, its title names the page."""
    expect(page).to_have_title(re.compile(re.escape(TEXTS[lang]["decision_title"])))


def _duty(page: Page, actor: str, action: str, lang: str) -> str:
    title = page.locator(".duty__title").filter(has_text=_words(f"{actor}/{action}", lang))
    return title.first.inner_text()


@pytest.mark.parametrize("lang", LANGS)
def test_lethal_force_puts_intervene_first(page: Page, site: str, lang: str) -> None:
    page.goto(f"{site}/all?lang={lang}")
    shoot(page, f"check-{lang}")
    _choose(page, "agents.agencies=ICE_ERO", lang)
    _choose(page, "force.kind=neck_restraint", lang)
    _yes(page, "force.could_cause_death_or_serious_bodily_injury")
    _yes(page, "force.ongoing")
    _yes(page, "city_personnel")
    _choose(page, "city_personnel[].role=dpd_officer", lang)
    _yes(page, "city_personnel[].on_duty")
    _yes(page, "city_personnel[].present")
    _submit(page, lang)
    first = page.locator(".duty__title").first.inner_text()
    assert first == phrase(
        "title_required", lang, actor=label("police", lang), action=label("police/intervene", lang)
    )
    expect(page.locator(".why").first).to_contain_text("EO 152 P7")
    shoot(page, f"decision-lethal-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_staging_with_an_i205_is_prohibited(page: Page, site: str, lang: str) -> None:
    page.goto(f"{site}/all?lang={lang}")
    _choose(page, "agents.agencies=ICE_ERO", lang)
    _choose(page, "agents.purpose=civil_immigration", lang)
    _choose(page, "activities=staging", lang)
    _choose(page, "authority.kind=administrative_warrant", lang)
    page.get_by_label(_words("authority.form", lang)).fill("I-205")
    _choose(page, "location.ownership=city_owned", lang)
    page.get_by_label(_words("location.kind", lang)).select_option("library")
    _submit(page, lang)
    duty = _duty(page, "federal_agents", "use_city_property", lang)
    assert duty.startswith(
        phrase(
            "title_prohibited", lang, actor=label("federal_agents", lang), action=""
        ).removesuffix(" .")
    )
    shoot(page, f"decision-staging-{lang}")


def test_switching_language_keeps_what_was_typed(page: Page, site: str) -> None:
    page.goto(f"{site}/all?lang=en")
    _choose(page, "force.kind=taser", "en")
    page.get_by_label(_words("authority.form", "en")).fill("I-247A")
    page.get_by_role("button", name=TEXTS["en"]["language_switch"]).click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_label(_words("authority.form", "es"))).to_have_value("I-247A")
    expect(page.locator(f"#{_id('force.kind')}-taser")).to_be_checked()


def test_pressing_enter_in_a_field_checks_the_situation(page: Page, site: str) -> None:
    page.goto(f"{site}/all?lang=es")
    field = page.get_by_label(_words("authority.form", "es"))
    field.fill("I-205")
    field.press("Enter")
    _expect_the_answer(page, "es")


def test_the_whole_check_works_with_the_keyboard_alone(page: Page, site: str) -> None:
    page.goto(f"{site}/all?lang=en")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=TEXTS["en"]["skip_to_content"])).to_be_focused()
    page.keyboard.press("Enter")
    _tab_to(page, _id("authority.form"))
    page.keyboard.type("I-205")
    _assert_focus_is_visible(page)
    # Tab reaches a radio group at its checked choice, "Don't know", the last; the arrow
    # keys then go round to the first choices.
    _tab_to(page, f"{_id('force.kind')}-dont-know")
    for _ in ["none", "control_hold", "takedown", "chemical"]:
        page.keyboard.press("ArrowDown")
    expect(page.locator(f"#{_id('force.kind')}-chemical")).to_be_checked()
    _tab_to(page, None, name=TEXTS["en"]["check_submit"])
    _assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    _expect_the_answer(page, "en")
    _tab_to(page, None, name=TEXTS["en"]["decision_change_answers"])
    page.keyboard.press("Enter")
    expect(page.locator(f"#{_id('force.kind')}-chemical")).to_be_checked()


def _tab_to(page: Page, element_id: str | None, name: str = "") -> None:
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.id, document.activeElement.textContent]")
        if (element_id and focused[0] == element_id) or (name and name in focused[1]):
            return
    raise AssertionError(f"Tab never reached {element_id or name}")


def _assert_focus_is_visible(page: Page) -> None:
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused field shows where the focus is"


def test_the_check_works_without_javascript(browser: Browser, site: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/all?lang=es")
    _choose(page, "activities=staging", "es")
    _choose(page, "location.ownership=city_owned", "es")
    _submit(page, "es")
    expect(page.locator(".duty").first).to_be_visible()
    context.close()


def _pages(site: str, lang: str) -> dict[str, str]:
    lethal = {"force": {"kind": "firearm", "ongoing": True}, "injuries": [{"severity": "fatal"}]}
    return {
        "check": f"{site}/all?lang={lang}",
        "decision": f"{site}/decision?lang={lang}&s={pack(lethal)}",
        "api-docs": f"{site}/api/v1/docs?lang={lang}",
        "not-found": f"{site}/nowhere?lang={lang}",
        "damaged-link": f"{site}/decision?lang={lang}&s=damaged",
    }


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["check", "decision", "api-docs", "not-found", "damaged-link"])
def test_every_page_passes_axe_and_fits_a_phone(
    page: Page, site: str, lang: str, name: str
) -> None:
    page.goto(_pages(site, lang)[name])
    assert_accessible(page)
    assert_fits_the_screen(page)
    shoot(page, f"{name}-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_the_form_with_an_error_passes_axe(page: Page, site: str, lang: str) -> None:
    page.goto(f"{site}/all?lang={lang}")
    # The browser offers only valid answers; a tampered one is how the server's errors show.
    kind = page.get_by_label(_words("location.kind", lang))
    kind.locator("option").last.evaluate("option => { option.value = 'moon_base' }")
    kind.select_option("moon_base")
    page.get_by_role("button", name=TEXTS[lang]["check_submit"]).click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(TEXTS[lang]["error_summary_title"])
    summary.get_by_role("link").first.click()
    expect(kind).to_be_focused()
    assert_accessible(page)
    shoot(page, f"check-error-{lang}")
