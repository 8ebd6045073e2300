"""The answer page on a phone (390 by 844 pixels), in Chromium, in both languages.

A sergeant gives the page seconds: the verdict and the first thing they must do are on the
first screen, with nothing scrolled. axe-core finds nothing to fix. With EO152_SCREENSHOTS
set, each page is saved there for a person to look at.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eo152.contract.vocabulary import label
from eo152.web.flow import SCENARIOS, Progress
from eo152.web.permalink import pack
from eo152.web.texts import TEXTS

from .browser import PHONE, assert_accessible, assert_fits_the_screen, shoot

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)

#: ICE officers with an I-205 set up in a City library's lot at night.
STAGING: dict[str, Any] = {
    "at": "2026-12-02T02:11:00-07:00",
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "activities": ["staging"],
    "authority": {"kind": "administrative_warrant", "form": "I-205"},
    "location": {"ownership": "city_owned", "kind": "parking_lot"},
}
#: An agent fires at a car on a street and the driver is hit; a Denver officer is there.
SHOOTING: dict[str, Any] = {
    "at": "2026-12-02T02:11:00-07:00",
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "activities": ["arrest"],
    "location": {"ownership": "city_owned", "kind": "street"},
    "force": {
        "kind": "firearm",
        "could_cause_death_or_serious_bodily_injury": True,
        "ongoing": True,
        "target": "subject",
    },
    "injuries": [{"person": "subject", "severity": "serious"}],
    "city_personnel": [
        {"role": "dpd_officer", "on_duty": True, "present": True, "body_camera": "recording"}
    ],
}


def _on_first_screen(page: Page, selector: str) -> None:
    element = page.locator(selector).first
    expect(element).to_be_visible()
    box = element.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (
        f"{selector} ends {box['y'] + box['height']:.0f} px down; the screen is "
        f"{PHONE['height']} px"
    )


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(
    ("name", "situation", "first_duty"),
    [
        ("staging", STAGING, "police/de_escalate"),
        ("shooting", SHOOTING, "police/intervene"),
    ],
)
def test_the_verdict_and_the_first_must_do_are_on_the_first_phone_screen(
    page: Page, site: str, lang: str, name: str, situation: dict[str, Any], first_duty: str
) -> None:
    page.goto(f"{site}/decision?lang={lang}&role=sergeant&s={pack(situation)}")
    heading = page.get_by_role("heading", level=1)
    expect(heading).not_to_have_text(TEXTS[lang]["decision_title"])
    _on_first_screen(page, "h1")
    must = page.get_by_role("heading", level=2, name=TEXTS[lang]["decision_must"])
    expect(must).to_be_visible()
    first = "#must-title + .duties .duty__title"
    expect(page.locator(first).first).to_contain_text(label(first_duty, lang))
    _on_first_screen(page, first)
    assert page.evaluate("window.scrollY") == 0
    assert_accessible(page)
    assert_fits_the_screen(page)
    shoot(page, f"answer-{name}-sergeant-{lang}")


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(
    ("scenario", "answers"),
    [
        ("staging", {"place": "city_lot", "paper": "ice_form"}),
        ("force", {"force": "gun", "hurt": "badly"}),  # "Is it still going on?" not answered
    ],
)
def test_the_guides_own_answers_put_the_verdict_and_a_must_do_on_the_first_screen(
    page: Page, site: str, lang: str, scenario: str, answers: dict[str, str]
) -> None:
    """The answer the field guide's "See what the law says" opens, for a sergeant."""
    progress = Progress(lang, "sergeant", SCENARIOS[scenario], answers)
    page.goto(f"{site}{progress.decision_url()}")
    _on_first_screen(page, "h1")
    _on_first_screen(page, "#must-title + .duties .duty__title")
    assert_accessible(page)
    shoot(page, f"answer-guide-{scenario}-sergeant-{lang}")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_why_and_the_law_opens_without_a_script(page: Page, site: str, lang: str) -> None:
    page.goto(f"{site}/decision?lang={lang}&role=sergeant&s={pack(SHOOTING)}")
    first = page.locator(".why").first
    expect(first.locator(".why__body")).to_be_hidden()
    first.locator("summary").click()
    expect(first.locator(".why__body")).to_contain_text("EO 152 P7")
    assert_accessible(page)
