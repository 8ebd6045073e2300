"""The public report in Chromium on a phone-sized screen: a resident files an anonymous
report with a photo (in Spanish, and in English), then checks its status with the number and
code; axe-core on every page, error pages included; the whole form from the keyboard alone;
and without JavaScript. ``EO152_SCREENSHOTS=DIR`` keeps screenshots of the Spanish pages."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright

from eo152.web.texts import TEXTS
from tests.web import conftest as web
from tests.web.browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    PHONE,
    assert_accessible,
    assert_fits_the_screen,
    running_server,
    shoot,
)

pytestmark = [pytest.mark.browser]


# The web tests' fixtures, under names of this file (their conftest is not this folder's).
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, collected_static: None) -> Iterator[str]:
    """``eo152 serve`` on a fresh data folder, with the limits on as deployed."""
    with running_server(tmp_path_factory.mktemp("data")) as (address, _):
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
    """A phone's page that fails the test on a CSP violation, a script error, a missing file
    or a request that leaves the site (as tests/web/conftest.py's)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: web._note_violation(message.text, problems))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: web._note_missing_file(response, problems))
    # The proof-of-work's workers load from blob: URLs this site's own script made.
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(f"blob:{site}/")
            else web._note_elsewhere(request, site, problems)
        ),
    )
    yield page
    context.close()
    assert problems == [], problems


LANGS = ["en", "es"]


def _jpeg(folder: Path) -> Path:
    image = Image.new("RGB", (64, 48), (30, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path = folder / "agentes.jpg"
    path.write_bytes(buffer.getvalue())
    return path


def _checked(page: Page, label: str) -> None:
    """Tap a choice's label, as a thumb does (USWDS draws the box; the input is hidden)."""
    page.locator("label").filter(has_text=re.compile(f"^{re.escape(label)}$")).click()


def _pick(page: Page, selector: str) -> None:
    page.locator(f'label[for="{selector.removeprefix("#")}"]').click()


def _next(page: Page, lang: str) -> None:
    page.get_by_role("button", name=TEXTS[lang]["resident_report_continue"]).click()


def _looked_at(page: Page, lang: str, name: str) -> None:
    assert_accessible(page)
    assert_fits_the_screen(page)
    if lang == "es":
        shoot(page, f"report-{name}-es")


@pytest.mark.parametrize("lang", LANGS)
def test_a_resident_files_an_anonymous_report_with_a_photo_and_checks_its_status(
    page: Page, site: str, lang: str, tmp_path: Path
) -> None:
    t = TEXTS[lang]
    page.goto(f"{site}/report?lang={lang}")
    expect(page.locator("h1")).to_have_text(t["resident_report_start_title"])
    expect(page.get_by_text(t["resident_report_never_ask"])).to_be_visible()
    _looked_at(page, lang, "start")
    page.get_by_role("link", name=t["resident_report_start_button"]).click()

    expect(page.locator("h1")).to_have_text(t["resident_report_where_title"])
    _next(page, lang)  # nothing filled in: the error summary, focused
    expect(page.locator("#error-summary")).to_be_focused()
    _looked_at(page, lang, "where-error")
    page.locator("#error-summary a").first.click()
    expect(page.locator("#address")).to_be_focused()
    page.locator("#address").fill("Rec center, 1555 Elati St")
    _checked(page, t["resident_report_a_place_kind_recreation_center"])
    _looked_at(page, lang, "where")
    _next(page, lang)

    expect(page.locator("h1")).to_have_text(t["resident_report_when_title"])
    page.locator("#day").fill("2026-03-14")
    _checked(page, t["resident_report_a_time_of_day_afternoon"])
    _looked_at(page, lang, "when")
    _next(page, lang)

    _checked(page, t["resident_report_a_agencies_ice"])
    _looked_at(page, lang, "agents")
    _next(page, lang)

    _pick(page, "#masked-yes")
    _pick(page, "#showed_id-no")
    _looked_at(page, lang, "looks")
    _next(page, lang)

    _checked(page, t["resident_report_a_did_pepper_spray"])
    _checked(page, t["resident_report_a_did_filmed"])
    _looked_at(page, lang, "did")
    _next(page, lang)

    _checked(page, t["resident_report_a_hurt_minor"])
    _looked_at(page, lang, "hurt")
    _next(page, lang)
    _pick(page, "#aid_blocked-dont_know")
    _looked_at(page, lang, "aid")
    _next(page, lang)
    _pick(page, "#protest-yes")
    _looked_at(page, lang, "protest")
    _next(page, lang)

    page.locator("#narrative").fill("Los agentes rociaron gas a la gente que grababa.")
    _looked_at(page, lang, "story")
    _next(page, lang)

    page.locator("#file").set_input_files(str(_jpeg(tmp_path)))
    _looked_at(page, lang, "files")
    _next(page, lang)

    _checked(page, t["resident_report_a_reporting_anonymous"])
    _looked_at(page, lang, "contact")
    _next(page, lang)

    expect(page.locator("h1")).to_have_text(t["resident_report_check_title"])
    expect(page.get_by_text("agentes.jpg")).to_be_visible()
    _looked_at(page, lang, "check")
    page.get_by_role("button", name=t["resident_report_send"]).click()

    expect(page.locator("h1")).to_have_text(t["resident_done_title"])
    reference = page.locator("#reference").inner_text()
    code = page.locator("#code").inner_text()
    assert re.fullmatch(r"EO-[0-9A-Z]{4}-[0-9A-Z]{4}", reference)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    _looked_at(page, lang, "done")
    with page.expect_download() as download:
        page.get_by_role("link", name=t["resident_done_receipt_download"]).click()
    assert download.value.suggested_filename == "receipt.json"

    page.get_by_role("link", name=t["resident_report_status_link"]).click()
    expect(page.locator("h1")).to_have_text(t["resident_status_title"])
    _looked_at(page, lang, "status-form")
    page.locator("#reference").fill(reference.lower())
    page.locator("#code").fill(code)
    page.get_by_role("button", name=t["resident_status_button"]).click()
    expect(page.get_by_text(t["resident_status_received"])).to_be_visible()
    _looked_at(page, lang, "status")

    page.locator("#reference").fill(reference)
    page.locator("#code").fill("AAAA-AAAA-AAAA")
    page.get_by_role("button", name=t["resident_status_button"]).click()
    expect(page.get_by_text(t["resident_status_not_found"])).to_be_visible()
    _looked_at(page, lang, "status-not-found")


def _tab_to(page: Page, selector: str) -> None:
    """Press Tab until the focus is on ``selector`` (as a person would, never a click)."""
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _radio(page: Page, name: str, value: str) -> None:
    """Into the radio group with Tab, then the arrow keys to the answer (Space picks it)."""
    _tab_to(page, f'input[name="{name}"]')
    page.keyboard.press("Space")
    for _ in range(20):
        if page.locator(f'input[name="{name}"][value="{value}"]').is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached {name}={value}")


def _submit(page: Page) -> None:
    _tab_to(page, 'button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_whole_form_can_be_completed_from_the_keyboard(page: Page, site: str) -> None:
    page.goto(f"{site}/report?lang=en")
    _tab_to(page, 'a[href^="/report/new"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(TEXTS["en"]["resident_report_where_title"])
    _tab_to(page, "#address")
    page.keyboard.type("Civic Center Park")
    _radio(page, "where-place_kind", "park")
    _submit(page)
    _tab_to(page, "#day")
    _radio(page, "when-time_of_day", "dont_know")
    _submit(page)
    _tab_to(page, "#agencies-dont_know")
    page.keyboard.press("Space")
    _submit(page)
    _radio(page, "looks-masked", "yes")
    _radio(page, "looks-showed_id", "dont_know")
    _submit(page)
    _tab_to(page, "#did-arrest")
    page.keyboard.press("Space")
    _submit(page)
    for name, value in (("hurt-hurt", "nobody"), ("aid-aid_blocked", "no")):
        _radio(page, name, value)
        _submit(page)
    _radio(page, "protest-protest", "yes")
    _submit(page)
    _tab_to(page, "#narrative")
    page.keyboard.type("They took a man away in a van.")
    _submit(page)
    _submit(page)  # no file
    _radio(page, "contact-reporting", "anonymous")
    _submit(page)
    expect(page.locator("h1")).to_have_text(TEXTS["en"]["resident_report_check_title"])
    _submit(page)
    expect(page.locator("h1")).to_have_text(TEXTS["en"]["resident_done_title"])


def test_without_javascript_a_report_is_filed_on_a_phone(browser: Browser, site: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    t = TEXTS["es"]
    page.goto(f"{site}/report/new?lang=es")
    page.locator("#address").fill("Biblioteca Central")
    answers = [
        ["#place_kind-library"],
        ["#time_of_day-dont_know"],
        ["#agencies-cbp"],
        ["#masked-no", "#showed_id-yes"],
        ["#did-questions"],
        ["#hurt-dont_know"],
        ["#aid_blocked-no"],
        ["#protest-no"],
    ]
    for ids in answers:
        for selector in ids:
            _pick(page, selector)
        _next(page, "es")
    page.locator("#narrative").fill("Pararon a gente en la puerta.")
    _next(page, "es")
    _next(page, "es")
    _pick(page, "#reporting-anonymous")
    _next(page, "es")
    page.get_by_role("button", name=t["resident_report_send"]).click()
    expect(page.locator("h1")).to_have_text(t["resident_done_title"])
    context.close()


def test_past_the_limit_the_proof_of_work_runs_in_the_page_under_the_sites_policy(
    page: Page, site: str
) -> None:
    t = TEXTS["es"]
    page.goto(f"{site}/report/status?lang=es")
    for _ in range(40):
        page.locator("#reference").fill("EO-0000-0000")
        page.locator("#code").fill("AAAA-AAAA-AAAA")
        page.get_by_role("button", name=t["resident_status_button"]).click()
        if page.locator("altcha-widget").count():
            break
    expect(page.get_by_text(t["resident_proof_title"])).to_be_visible()
    _looked_at(page, "es", "status-proof")
    page.locator("#reference").fill("EO-0000-0000")
    page.locator("#code").fill("AAAA-AAAA-AAAA")
    page.locator("altcha-widget input[type=checkbox]").click()
    verified = page.locator(".altcha[data-state=verified]")
    expect(verified).to_have_count(1, timeout=30_000)
    page.get_by_role("button", name=t["resident_status_button"]).click()
    expect(page.get_by_text(t["resident_status_not_found"])).to_be_visible()
