"""A tabletop exercise from start to report, in Chromium behind nginx (``eo152 serve``): a
trainer opens the staging scenario; two players join on phones (one in Spanish) with the
code and no account; the parts reach their phones without a refresh (the page's script);
they answer three parts; the console shows the answers arrive; the hot wash shows their
scores; the after-action PDF downloads. axe-core on every page of the exercise. Screenshots
go to ``EO152_SCREENSHOTS`` when it is set.
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
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from eo152.exercises.scenario import library
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

PASSWORD = "a long passphrase for the exercise test"
DESKTOP = {"width": 1280, "height": 900}
STAGING = library()["staging-rec-center"]
_SET_UP = """
import sys, django
django.setup()
from eo152.accounts.models import User
User.objects.create_user("trainer", password=sys.argv[1], role="supervisor")
"""

#: What each player answers at each part: Ana (patrol) names every duty, the facts and
#: the open questions; Beto (sergeant) only the body camera.
ANA = {
    "vans-in-the-lot": {
        "police/record_body_camera": "required",
        "police/de_escalate": "required",
        "police/obstruct_lawful_enforcement": "prohibited",
    },
    "no-paper": {
        "police/record_body_camera": "required",
        "police/de_escalate": "required",
        "police/protect_peaceful_protest": "required",
        "police/obstruct_lawful_enforcement": "prohibited",
    },
    "force-used": {
        "police/intervene": "required",
        "police/render_aid": "required",
        "police/record_body_camera": "required",
        "police/de_escalate": "required",
        "police/protect_peaceful_protest": "required",
        "police/obstruct_lawful_enforcement": "prohibited",
    },
}
ANA_UNKNOWN = {"fact": ["force.excessive"], "question": ["federal-immunity-aid-blocked"]}
BETO = {"police/record_body_camera": "required"}


@pytest.fixture
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("exercise-data")
    with running_server(data, 1) as (address, _):
        environment = {
            **os.environ,
            "EO152_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "eo152.site.settings",
        }
        environment.pop("DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "-c", _SET_UP, PASSWORD],
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


def _context(browser: Browser, site: str, problems: list[str], phone: bool) -> BrowserContext:
    """A browser of its own (its own cookies), failing the test on a CSP violation, a script
    error or a request that leaves the site."""
    if phone:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    else:
        context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    context.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    context.on("weberror", lambda error: problems.append(str(error.error)))
    context.on(
        "request",
        lambda r: None if r.url.startswith((site + "/", "data:")) else problems.append(r.url),
    )
    return context


def _check(page: Page, name: str, phone: bool = True) -> None:
    assert_accessible(page)
    if phone:
        assert_fits_the_screen(page)
    shoot(page, name)


def _tick(page: Page, name: str, value: str) -> None:
    """Tick a USWDS checkbox or radio the way a person does: on its label."""
    box = page.locator(f'input[name="{name}"][value="{value}"]')
    page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    expect(box).to_be_checked()


def _join(page: Page, site: str, code: str, name: str, role: str, lang: str) -> None:
    texts = TEXTS[lang]
    page.goto(f"{site}/play?lang={lang}")
    _check(page, f"play-join-{lang}")
    page.get_by_label(texts["ex_join_code"]).fill(code.lower())
    page.get_by_label(texts["ex_join_name"]).fill(name)
    _tick(page, "role", role)
    _tick(page, "player_lang", lang)
    page.get_by_role("button", name=texts["ex_join_submit"]).click()
    expect(page.locator("h1")).to_have_text(texts["ex_play_lobby"])
    _check(page, f"play-lobby-{lang}")


def _answer(page: Page, lang: str, number: int, picks: dict[str, str], **ticks: list[str]) -> None:
    texts = TEXTS[lang]
    # The part arrives without a refresh: the page's script puts it in place.
    expect(page.locator("h1")).to_have_text(texts["ex_play_answer"].format(number=number))
    for key, outcome in picks.items():
        _tick(page, f"pick:{key}", outcome)
    for name, values in ticks.items():
        for value in values:
            _tick(page, name, value)
    page.get_by_role("button", name=texts["ex_play_send"]).click()
    expect(page.locator("h1")).to_have_text(texts["ex_play_answered"])


def test_a_trainer_runs_the_staging_scenario_with_two_players_on_phones(
    browser: Browser, site: str, tmp_path: Path
) -> None:
    en = TEXTS["en"]
    problems: list[str] = []
    trainer = _context(browser, site, problems, phone=False).new_page()
    ana = _context(browser, site, problems, phone=True).new_page()
    beto = _context(browser, site, problems, phone=True).new_page()

    # The trainer opens the staging scenario.
    trainer.goto(f"{site}/sign-in?lang=en&next={quote('/exercises?lang=en')}")
    trainer.get_by_label(en["sign_in_username"]).fill("trainer")
    trainer.get_by_label(en["sign_in_password"]).fill(PASSWORD)
    trainer.get_by_role("button", name=en["sign_in_submit"]).click()
    expect(trainer.locator("h1")).to_have_text(en["ex_list_none_running"])
    _check(trainer, "exercises-list", phone=False)
    _tick(trainer, "scenario", STAGING.id)
    trainer.get_by_role("button", name=en["ex_open_submit"]).click()
    expect(trainer.locator("h1")).to_have_text(en["ex_console_lobby"].format(count=0))
    code = trainer.locator(".ex-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{6}", code)
    _check(trainer, "console-lobby", phone=False)

    # Two players join on their phones, one in Spanish; the console lists them by itself.
    _join(ana, site, code, "Ana", "patrol", "en")
    _join(beto, site, code, "Beto", "sergeant", "es")
    expect(trainer.locator("h1")).to_have_text(en["ex_console_lobby"].format(count=2))
    expect(trainer.get_by_text("Beto: Sergeant (Spanish)")).to_be_visible()

    # Three parts: released, answered on the phones, the answers arriving on the console.
    for number, inject in enumerate(STAGING.injects, start=1):
        release = en["ex_release_first"] if number == 1 else en["ex_release_next"]
        trainer.get_by_role("button", name=release).click()
        ticks = ANA_UNKNOWN if inject.id == "force-used" else {}
        _answer(ana, "en", number, ANA[inject.id], **ticks)
        expect(beto.get_by_text(inject.narrative["es"])).to_be_visible()
        if number == 1:
            _check(beto, "play-part-es")
        _answer(beto, "es", number, BETO)
        if number == 1:
            _check(beto, "play-answered-es")
        running = en["ex_console_running"].format(number=number, answered=2, expected=2)
        expect(trainer.locator("h1")).to_have_text(running)
        possible = len(ANA[inject.id]) + (3 if inject.id == "force-used" else 0)
        expect(trainer.get_by_role("row", name=re.compile(r"^Ana "))).to_contain_text(
            en["ex_points"].format(points=possible, possible=possible)
        )
        _check(trainer, f"console-part-{number}", phone=False)
    trainer.set_viewport_size(PHONE)
    _check(trainer, "console-phone")
    trainer.set_viewport_size(DESKTOP)

    # Finish: the players are told; the hot wash has their scores by role.
    trainer.get_by_role("button", name=en["ex_finish"]).click()
    expect(trainer.locator("h1")).to_have_text(en["ex_console_finished"])
    expect(beto.locator("h1")).to_have_text(TEXTS["es"]["ex_play_finished"])
    _check(beto, "play-finished-es")
    trainer.get_by_role("link", name=en["ex_link_hot_wash"]).click()
    patrol = en["hotwash_role_all"].format(role="Patrol officer", possible=16)
    expect(trainer.get_by_text(patrol)).to_be_visible()
    sergeant = en["hotwash_role_named"].split("{missed}")[0]
    expect(
        trainer.get_by_text(sergeant.format(role="Sergeant", points=3, possible=16))
    ).to_be_visible()
    _check(trainer, "hot-wash", phone=False)

    # The after-action report downloads as a PDF.
    trainer.go_back()
    with trainer.expect_download() as download:
        trainer.get_by_role("link", name=en["ex_link_pdf"]).click()
    report = tmp_path / "report.pdf"
    download.value.save_as(report)
    assert report.read_bytes().startswith(b"%PDF")
    assert problems == []
