"""The staff's side in Chromium: an officer signs in and files a report with a body-camera
clip, and sees the findings; an investigator signs in, opens it and sees them too.

Both languages; axe-core on every page; the sign-in and the report reached from the
keyboard alone. Screenshots go to ``EO152_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from eo152.contract.vocabulary import label
from eo152.web.texts import TEXTS
from tests.web.browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    PHONE,
    assert_accessible,
    assert_fits_the_screen,
    running_server,
    shoot,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)

PASSWORD = "a long passphrase for the browser test"
#: A body-camera clip's first bytes as a camera writes them: bytes 4..8 are ``ftyp``.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8
ACCOUNTS = {
    "officer-en": "officer",
    "officer-es": "officer",
    "investigator-en": "investigator",
    "investigator-es": "investigator",
    "locked-en": "officer",
    "locked-es": "officer",
}
_MAKE_ACCOUNTS = """
import sys, django
django.setup()
from eo152.accounts.models import User
for pair in sys.argv[2:]:
    name, role = pair.split("=")
    User.objects.create_user(name, password=sys.argv[1], role=role)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``eo152 serve`` on a fresh data folder, with an account of each role the test uses."""
    data = tmp_path_factory.mktemp("staff-data")
    # Behind nginx, as deployed: its upload location must pass every staff page through.
    with running_server(data, 1) as (address, _):
        environment = {
            **os.environ,
            "EO152_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "eo152.site.settings",
        }
        environment.pop("DATABASE_URL", None)
        pairs = [f"{name}={role}" for name, role in ACCOUNTS.items()]
        subprocess.run(
            [sys.executable, "-c", _MAKE_ACCOUNTS, PASSWORD, *pairs], env=environment, check=True
        )
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    """A phone's page failing the test on a CSP violation, a script error or a request that
    leaves the site."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request",
        lambda r: None if r.url.startswith((site + "/", "data:")) else problems.append(r.url),
    )
    yield page
    context.close()
    assert problems == []


def _check(page: Page, name: str) -> None:
    assert_accessible(page)
    assert_fits_the_screen(page)
    shoot(page, name)


def _sign_in(page: Page, site: str, username: str, lang: str) -> None:
    page.goto(f"{site}/sign-in?lang={lang}")
    page.get_by_label(TEXTS[lang]["sign_in_username"]).fill(username)
    page.get_by_label(TEXTS[lang]["sign_in_password"]).fill(PASSWORD)
    page.get_by_role("button", name=TEXTS[lang]["sign_in_submit"]).click()
    expect(page).to_have_title(re.compile(re.escape(TEXTS[lang]["staff_list_title"])))


def _sign_out(page: Page, lang: str) -> None:
    page.get_by_role("button", name=TEXTS[lang]["nav_sign_out"]).click()
    expect(page.get_by_text(TEXTS[lang]["sign_in_signed_out"])).to_be_visible()


def _words(key: str, lang: str) -> str:
    words = label(key, lang)
    return words[:1].upper() + words[1:]


def _tick(page: Page, key: str, lang: str) -> None:
    fact = key.split("=")[0]
    group = page.locator("fieldset").filter(has=page.locator(f'input[name="{fact}"]')).first
    group.get_by_text(_words(key, lang), exact=True).click()


def _file_report(page: Page, site: str, lang: str) -> str:
    texts = TEXTS[lang]
    page.get_by_role("link", name=texts["staff_file_report"]).click()
    expect(page).to_have_title(re.compile(re.escape(texts["staff_report_title"])))
    _check(page, f"staff-report-{lang}")
    page.get_by_label(texts["staff_narrative"]).fill(
        "Agents staged in the recreation center lot and sprayed people filming."
    )
    page.locator("#f-at").fill("2026-11-20T14:30")
    page.locator("#f-location-kind").select_option("recreation_center")
    _tick(page, "location.ownership=city_owned", lang)
    _tick(page, "agents.agencies=ICE_ERO", lang)
    _tick(page, "activities=staging", lang)
    page.locator("#personnel-0-agency").select_option("ICE_ERO")
    page.locator("#personnel-0-badge").fill("4411")
    page.get_by_text(texts["staff_camera_recording"], exact=True).click()
    page.get_by_label(texts["staff_clips"]).fill("AXON-0001")
    page.locator("#files").set_input_files(
        files=[{"name": "clip.mp4", "mimeType": "video/mp4", "buffer": MP4}]
    )
    page.get_by_role("button", name=texts["staff_report_submit"], exact=True).click()
    expect(page.locator("h1.verdict")).to_be_visible()
    expect(page.get_by_role("heading", name="clip.mp4")).to_be_visible()
    expect(page.get_by_text("video/mp4", exact=True)).to_be_visible()
    reference = page.url.split("?")[0].rsplit("/", 1)[1]
    _check(page, f"staff-incident-officer-{lang}")
    return reference


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_officer_files_and_an_investigator_sees_the_findings(
    page: Page, site: str, lang: str
) -> None:
    texts = TEXTS[lang]
    page.goto(f"{site}/sign-in?lang={lang}")
    _check(page, f"staff-sign-in-{lang}")
    _sign_in(page, site, f"officer-{lang}", lang)
    _check(page, f"staff-list-officer-{lang}")
    reference = _file_report(page, site, lang)
    verdict = page.locator("h1.verdict").inner_text()
    _sign_out(page, lang)

    _sign_in(page, site, f"investigator-{lang}", lang)
    _check(page, f"staff-list-investigator-{lang}")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("h1.verdict")).to_have_text(verdict)
    expect(page.get_by_role("button", name=texts["case_triage_submit"])).to_be_visible()
    _check(page, f"staff-incident-investigator-{lang}")
    page.get_by_role("link", name=texts["staff_change_facts"]).click()
    expect(page).to_have_title(re.compile(re.escape(texts["staff_facts_title"])))
    _check(page, f"staff-facts-{lang}")
    page.get_by_role("button", name=texts["staff_facts_submit"], exact=True).click()
    expect(page.locator("h1.verdict")).to_have_text(verdict)
    page.get_by_label(texts["case_why"], exact=True).first.fill("Read; staging at a rec center")
    page.get_by_role("button", name=texts["case_triage_submit"]).click()
    expect(page.get_by_text(texts["staff_state_triaged"]).first).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_wrong_password_and_the_locked_page(page: Page, site: str, lang: str) -> None:
    texts = TEXTS[lang]
    page.goto(f"{site}/sign-in?lang={lang}")
    for attempt in range(5):
        page.get_by_label(texts["sign_in_username"]).fill(f"locked-{lang}")
        page.get_by_label(texts["sign_in_password"]).fill("not the password")
        page.get_by_role("button", name=texts["sign_in_submit"]).click()
        if attempt == 0:
            expect(page.get_by_text(texts["error_summary_title"])).to_be_visible()
            _check(page, f"staff-sign-in-error-{lang}")
    expect(page.get_by_role("heading", name=texts["locked_title"])).to_be_visible()
    _check(page, f"staff-locked-{lang}")


def _tab_to(page: Page, selector: str, most: int = 500) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reached with the Tab key")


def test_the_staff_pages_work_from_the_keyboard(page: Page, site: str) -> None:
    texts = TEXTS["en"]
    page.goto(f"{site}/sign-in?lang=en")
    _tab_to(page, "#sign-in-username")
    page.keyboard.type("officer-en")
    _tab_to(page, "#sign-in-password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile(re.escape(texts["staff_list_title"])))
    _tab_to(page, "a[href^='/incidents/new']")
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile(re.escape(texts["staff_report_title"])))
    unreachable = page.evaluate(
        """() => [...document.querySelectorAll(
              '#report input:not([type=hidden]), #report select, #report textarea')]
           .filter(e => e.tabIndex < 0 || e.disabled).map(e => e.name)"""
    )
    assert unreachable == []
    _tab_to(page, "#narrative")
    _tab_to(page, "#files")
    _tab_to(page, "#report button.usa-button--big")
