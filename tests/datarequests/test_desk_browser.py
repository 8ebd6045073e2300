"""From an ICE subpoena at the library's desk to the public count, in Chromium behind nginx
(``eo152 serve``): a records clerk logs an administrative subpoena for a patron's address
with the paper as a PDF; the request's page answers first that Colorado law bars it
(C.R.S. 24-74-102); a supervisor refuses it with the basis the law points to; the letter
downloads as a PDF; the public tally counts it. axe-core on each desk page, on a phone, in
English and in Spanish; the request's page also on a desktop. Screenshots go to
``EO152_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from eo152.contract.vocabulary import value_words
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

from .conftest import PDF_BYTES, SUBPOENA

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)

PASSWORD = "a long passphrase for the desk test"
ACCOUNTS = {"clerk": "records_clerk", "supervisor": "supervisor"}
DESKTOP = {"width": 1280, "height": 900}
_SET_UP = """
import sys, django
django.setup()
from eo152.accounts.models import User
for pair in sys.argv[2:]:
    name, role = pair.split("=")
    User.objects.create_user(name, password=sys.argv[1], role=role)
"""


@pytest.fixture
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``eo152 serve`` behind nginx on a fresh data folder (so the tally counts this run's
    request only), with the desk's two accounts."""
    data = tmp_path_factory.mktemp("desk-data")
    with running_server(data, 1) as (address, _):
        environment = {
            **os.environ,
            "EO152_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "eo152.site.settings",
        }
        environment.pop("DATABASE_URL", None)
        pairs = [f"{name}={role}" for name, role in ACCOUNTS.items()]
        subprocess.run(
            [sys.executable, "-c", _SET_UP, PASSWORD, *pairs],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
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
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True
    )
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


def _sign_in(page: Page, site: str, username: str, lang: str, then: str, title: str) -> None:
    texts = TEXTS[lang]
    page.goto(f"{site}/sign-in?lang={lang}&next={quote(then)}")
    page.get_by_label(texts["sign_in_username"]).fill(username)
    page.get_by_label(texts["sign_in_password"]).fill(PASSWORD)
    page.get_by_role("button", name=texts["sign_in_submit"]).click()
    expect(page).to_have_title(re.compile(re.escape(title)))


def _sign_out(page: Page, lang: str) -> None:
    page.get_by_role("button", name=TEXTS[lang]["nav_sign_out"]).click()
    expect(page.get_by_text(TEXTS[lang]["sign_in_signed_out"])).to_be_visible()


def _tick(page: Page, name: str, value: str) -> None:
    """Tick a USWDS checkbox or radio the way a person does: on its label."""
    box = page.locator(f'input[name="{name}"][value="{value}"]')
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    expect(box).to_be_checked()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_clerk_logs_an_ice_subpoena_and_a_supervisor_refuses_it(
    page: Page, site: str, lang: str, tmp_path: Path
) -> None:
    texts = TEXTS[lang]
    paper = tmp_path / "subpoena.pdf"
    paper.write_bytes(PDF_BYTES)

    # The records clerk logs the subpoena with its paper.
    new = f"/data-requests/new?lang={lang}"
    _sign_in(page, site, "clerk", lang, new, texts["dr_new_title"])
    _check(page, f"desk-new-{lang}")
    _tick(page, "agencies", "ICE_ERO")
    page.locator("#component").fill("ERO Denver Field Office")
    page.locator("#purpose").select_option(SUBPOENA["purpose"])
    _tick(page, "channel", SUBPOENA["channel"])
    page.locator("#received-date").fill("2026-11-20")
    page.locator("#received-time").fill("09:30")
    _tick(page, "data_categories", "address")
    page.locator("#concerning").fill(SUBPOENA["concerning"])
    _tick(page, "authority_kind", "administrative_subpoena")
    page.locator("#form-number").fill("I-138")
    page.locator("#process-issuer").fill(SUBPOENA["process"]["issuer"])
    page.locator("#process-date").fill(SUBPOENA["process"]["date"])
    page.locator("#process-document").set_input_files(str(paper))
    page.locator("#external-id").fill(SUBPOENA["external_id"])
    page.get_by_role("button", name=texts["dr_log_submit"]).click()

    # The answer first: Colorado law bars it, on C.R.S. 24-74-102.
    headline = texts["dr_headline_refuse_prohibited"].format(law=texts["law_level_state"])
    expect(page.locator("h1")).to_have_text(headline)
    expect(page.get_by_text("C.R.S. 24-74-102").first).to_be_visible()
    court = value_words("authority.kind", "court_issued_subpoena", lang)
    change = texts["dr_change_permitted"].format(process=court)
    expect(page.get_by_text(change[:1].upper() + change[1:])).to_be_visible()
    reference = page.url.split("?")[0].rsplit("/", 1)[1]
    request_url = f"/data-requests/{reference}?lang={lang}"
    _check(page, f"desk-request-clerk-{lang}")
    page.set_viewport_size(DESKTOP)
    shoot(page, f"desk-request-clerk-desktop-{lang}")
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name=texts["dr_list_title"]).first.click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    _check(page, f"desk-list-{lang}")
    _sign_out(page, lang)

    # A supervisor refuses it, on the basis the law points to (already ticked).
    _sign_in(page, site, "supervisor", lang, request_url, reference)
    expect(page.locator('input[name="bases"][value="no-court-process"]').first).to_be_checked()
    submit = f"{texts['dr_determine_submit']}: {texts['dr_kind_refuse']}"
    page.get_by_role("button", name=submit).click()
    expect(page.get_by_text(texts["dr_state_closed"]).first).to_be_visible()
    _check(page, f"desk-request-refused-{lang}")

    # The letter is a PDF.
    with page.expect_download() as download:
        page.get_by_role("link", name=texts["dr_letter"]).click()
    letter = tmp_path / "letter.pdf"
    download.value.save_as(letter)
    assert letter.read_bytes().startswith(b"%PDF")
    _sign_out(page, lang)

    # The public count has it.
    page.goto(f"{site}/data-requests/tally?lang={lang}")
    expect(page.locator("#tally-requests")).to_have_text("1")
    shoot(page, f"desk-tally-{lang}")
