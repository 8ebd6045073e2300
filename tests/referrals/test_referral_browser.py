"""From a reported shooting to a referral the DA can check, in Chromium on a phone, behind
nginx (``eo152 serve``): an investigator triages it, two people verify it, a supervisor
opens the investigation, the investigator establishes a missing fact and makes the referral
to the DA, a supervisor signs it off, the investigator sends it and downloads the packet,
which ``eo152 packet verify`` passes; the DA's prosecutor sees only that referral, the AG's
none. axe-core on every page, in English and in Spanish. Screenshots go to
``EO152_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

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

PASSWORD = "a long passphrase for the referral test"
ACCOUNTS = {
    "officer": ("officer", ""),
    "investigator": ("investigator", ""),
    "supervisor": ("supervisor", ""),
    "da": ("prosecutor", "denver_da"),
    "ag": ("prosecutor", "colorado_ag"),
}
#: Accounts, then a shooting filed by the officer with a witness statement attached; prints
#: the incident's reference.
_SET_UP = """
import sys, tempfile, pathlib, django
django.setup()
from eo152.accounts.models import User
from eo152.incidents import evidence, services
users = {}
for pair in sys.argv[2:]:
    name, role, office = pair.split("=")
    users[name] = User.objects.create_user(name, password=sys.argv[1], role=role, office=office)
shooting = {
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "force": {"kind": "firearm", "target": "observer", "ongoing": False},
    "injuries": [{"person": "observer", "severity": "serious"}],
    "location": {"ownership": "city_owned", "kind": "recreation_center", "area": "public"},
}
intake = services.Intake(
    source="officer",
    situation=shooting,
    narrative="An agent fired at a person filming from the recreation center lot.",
    personnel=[services.PersonSeen("ICE_ERO", unit="ERO Denver", badge="4411", plate="ABC123")],
)
incident = services.file_incident(intake, by=users["officer"]).incident
with tempfile.TemporaryDirectory() as folder:
    path = pathlib.Path(folder) / "statement.txt"
    path.write_text("I saw the agent fire twice at the man filming.")
    evidence.attach(incident, path, by=users["officer"], claimed_type="text/plain",
                    label="Witness statement")
print(incident.reference)
"""


@pytest.fixture
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """``eo152 serve`` behind nginx on a fresh data folder (one per language, so that the
    prosecutor's list holds only this run's referral), and the shooting's reference."""
    data = tmp_path_factory.mktemp("referral-data")
    with running_server(data, 1) as (address, _):
        environment = {
            **os.environ,
            "EO152_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "eo152.site.settings",
        }
        environment.pop("DATABASE_URL", None)
        pairs = [f"{name}={role}={office}" for name, (role, office) in ACCOUNTS.items()]
        made = subprocess.run(
            [sys.executable, "-c", _SET_UP, PASSWORD, *pairs],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        )
        yield address, made.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, site: tuple[str, str]) -> Iterator[Page]:
    """A phone's page failing the test on a CSP violation, a script error or a request that
    leaves the site."""
    address = site[0]
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
        lambda r: None if r.url.startswith((address + "/", "data:")) else problems.append(r.url),
    )
    yield page
    context.close()
    assert problems == []


def _check(page: Page, name: str) -> None:
    assert_accessible(page)
    assert_fits_the_screen(page)
    shoot(page, name)


def _sign_in(page: Page, site: str, username: str, lang: str, title: str, then: str = "") -> None:
    texts = TEXTS[lang]
    page.goto(f"{site}/sign-in?lang={lang}" + (f"&next={quote(then)}" if then else ""))
    page.get_by_label(texts["sign_in_username"]).fill(username)
    page.get_by_label(texts["sign_in_password"]).fill(PASSWORD)
    page.get_by_role("button", name=texts["sign_in_submit"]).click()
    expect(page).to_have_title(re.compile(re.escape(title)))


def _sign_out(page: Page, lang: str) -> None:
    page.get_by_role("button", name=TEXTS[lang]["nav_sign_out"]).click()
    expect(page.get_by_text(TEXTS[lang]["sign_in_signed_out"])).to_be_visible()


def _words(key: str, lang: str) -> str:
    words = label(key, lang)
    return words[:1].upper() + words[1:]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_shooting_becomes_a_referral_the_da_can_check(
    page: Page, site: tuple[str, str], lang: str, tmp_path: Path
) -> None:
    address, reference = site
    texts = TEXTS[lang]
    incident_url = f"{address}/incidents/{reference}?lang={lang}"
    case_url = f"{address}/incidents/{reference}/case?lang={lang}"
    staff_list = texts["staff_list_title"]

    # An investigator triages it and gives the first confirmation.
    _sign_in(page, address, "investigator", lang, staff_list)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("button", name=texts["case_triage_submit"])).to_be_visible()
    _check(page, f"referral-flow-received-{lang}")
    page.locator("#why").fill("Shots fired at an observer at a City recreation center")
    page.get_by_role("button", name=texts["case_triage_submit"]).click()
    expect(page.get_by_text(texts["staff_state_triaged"]).first).to_be_visible()
    page.locator("#how").fill("Spoke with the officer who filed it")
    page.get_by_role("button", name=texts["case_verify_submit"]).click()
    expect(page.get_by_text(texts["case_verify_yours"])).to_be_visible()
    _check(page, f"referral-flow-triaged-{lang}")
    _sign_out(page, lang)

    # A supervisor confirms it too and opens the investigation.
    _sign_in(page, address, "supervisor", lang, staff_list)
    page.goto(incident_url)
    page.locator("#how").fill("Watched the body-camera clip")
    page.get_by_role("button", name=texts["case_verify_submit"]).click()
    expect(page.get_by_role("button", name=texts["case_open_submit"])).to_be_visible()
    _check(page, f"referral-flow-verified-{lang}")
    page.locator("#assignee").select_option(label="investigator")
    page.locator("#due-on").fill((date.today() + timedelta(days=14)).isoformat())
    page.locator("#open-why").fill("A possible felony assault")
    page.get_by_role("button", name=texts["case_open_submit"]).click()
    expect(page).to_have_title(re.compile(re.escape(texts["case_title"])))
    _check(page, f"referral-flow-case-opened-{lang}")
    _sign_out(page, lang)

    # The investigator establishes a missing fact, works the case and makes the referral.
    _sign_in(page, address, "investigator", lang, staff_list)
    page.goto(case_url)
    expect(page.get_by_role("heading", name=texts["case_undecided_title"])).to_be_visible()
    missing = page.get_by_role("link", name=_words("activities", lang), exact=True)
    expect(missing.first).to_be_visible()
    missing.first.click()
    expect(page).to_have_title(re.compile(re.escape(texts["staff_facts_title"])))
    group = page.locator("fieldset").filter(has=page.locator('input[name="activities"]')).first
    group.get_by_text(_words("activities=staging", lang), exact=True).click()
    page.get_by_role("button", name=texts["staff_facts_submit"], exact=True).click()
    expect(page.locator("h1.verdict")).to_be_visible()
    page.goto(case_url)
    expect(page.get_by_role("link", name=_words("activities", lang), exact=True)).to_have_count(0)
    page.locator("textarea[name=note]").first.fill("Two witnesses interviewed")
    page.get_by_role("button", name=texts["case_task_finish"]).first.click()
    expect(page.get_by_text("Two witnesses interviewed")).to_be_visible()
    page.locator("#event-when").fill("2026-11-20T14:31")
    page.locator("#event-what").fill("First shot fired")
    page.get_by_role("button", name=texts["case_event_add"]).click()
    expect(page.get_by_text("First shot fired")).to_be_visible()
    _check(page, f"referral-flow-case-{lang}")
    page.get_by_role("link", name=texts["case_make_referral"]).click()
    expect(page).to_have_title(re.compile(re.escape(texts["referral_new_title"])))
    _check(page, f"referral-flow-new-{lang}")
    page.locator("#offense").select_option("assault_first_degree")
    page.locator("label[for^=include-]").first.click()
    page.get_by_role("button", name=texts["referral_create"]).click()
    expect(page.get_by_text(texts["referral_refused_maker"])).to_be_visible()
    referral = page.url.split("?")[0].rsplit("/", 1)[1]
    _check(page, f"referral-flow-draft-{lang}")
    _sign_out(page, lang)

    # A supervisor signs it off.
    _sign_in(page, address, "supervisor", lang, staff_list)
    page.get_by_role("link", name=texts["referral_nav"]).click()
    expect(page).to_have_title(re.compile(re.escape(texts["referral_list_title"])))
    _check(page, f"referral-flow-list-{lang}")
    page.get_by_role("link", name=referral).click()
    page.get_by_role("button", name=texts["referral_sign_off"]).click()
    expect(page.get_by_text(texts["referral_state_signed_off"]).first).to_be_visible()
    _check(page, f"referral-flow-signed-off-{lang}")
    _sign_out(page, lang)

    # The investigator sends it and downloads the packet, which verifies offline.
    _sign_in(page, address, "investigator", lang, staff_list)
    page.goto(f"{address}/referrals/{referral}?lang={lang}")
    page.get_by_role("button", name=texts["referral_send"]).click()
    expect(page.get_by_text(texts["referral_state_sent"]).first).to_be_visible()
    _check(page, f"referral-flow-sent-{lang}")
    with page.expect_download() as download:
        page.get_by_role("link", name=texts["referral_download"]).click()
    archive = tmp_path / "packet.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(tmp_path / "packet")
    checked = subprocess.run(
        [sys.executable, "-m", "eo152", "packet", "verify", str(tmp_path / "packet" / referral)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    _sign_out(page, lang)

    # The DA's prosecutor sees that referral and says it arrived; the AG's sees none.
    _sign_in(page, address, "da", lang, texts["referral_list_title"], f"/referrals?lang={lang}")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(referral)
    _check(page, f"referral-flow-prosecutor-list-{lang}")
    page.get_by_role("link", name=referral).click()
    page.get_by_role("button", name=texts["referral_acknowledge"]).click()
    expect(page.get_by_text(texts["referral_state_acknowledged"]).first).to_be_visible()
    expect(page.get_by_role("link", name=reference)).to_have_count(0)
    _check(page, f"referral-flow-prosecutor-{lang}")
    _sign_out(page, lang)
    _sign_in(page, address, "ag", lang, texts["referral_list_title"], f"/referrals?lang={lang}")
    expect(page.get_by_text(texts["referral_list_empty"])).to_be_visible()
    _check(page, f"referral-flow-other-office-{lang}")
    answer = page.goto(f"{address}/referrals/{referral}?lang={lang}")
    assert answer is not None and answer.status == 404
