from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Request, Response, sync_playwright

from .browser import CHROMIUM, CHROMIUM_FLAGS, PHONE, running_server


@pytest.fixture(autouse=True)
def _static(collected_static: None) -> None:
    """Pages link the hashed names of the collected static files."""


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``eo152 serve`` on a fresh data folder (its start imports the Denver layers)."""
    with running_server(tmp_path_factory.mktemp("data")) as (address, _):
        yield address


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    """A phone's page that fails the test on a CSP violation, a script error, a missing
    file or any request that leaves this site (no CDN, no map tiles from elsewhere)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: _note_violation(message.text, problems))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: _note_missing_file(response, problems))
    page.on("request", lambda request: _note_elsewhere(request, site, problems))
    yield page
    context.close()
    assert problems == [], "the browser reported problems (a CSP violation, a missing file…)"


def _note_violation(text: str, problems: list[str]) -> None:
    if "Content Security Policy" in text:
        problems.append(text)


def _note_missing_file(response: Response, problems: list[str]) -> None:
    # An error page is itself a 404 or a 400; what it links to must all be there.
    if response.status >= 400 and response.request.resource_type != "document":
        problems.append(f"{response.status} {response.url}")


def _note_elsewhere(request: Request, site: str, problems: list[str]) -> None:
    if not request.url.startswith((site + "/", "data:")):
        problems.append(f"a request left the site: {request.url}")
