""" "What the law says" (/law) in both languages, and the answer page's citations linked to it.

The page must say plainly that the order's text is not public, show every section of every
instrument the engine decides with under an anchor, say how close each section's words are
in the reader's language, and mark the reported (English) words as English on the Spanish
page. Every citation of every public scenario's answer must land on one of those anchors.
"""

from __future__ import annotations

import json
import re
from functools import cache
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape
from playwright.sync_api import Page, expect

from eo152.rules.levels import CONFIDENCE, LEVELS
from eo152.services.decisions import engine_for
from eo152.web.law import anchor
from eo152.web.permalink import pack
from eo152.web.texts import TEXTS

from ..conftest import SHARED
from .browser import assert_accessible, assert_fits_the_screen, shoot

SCENARIOS: list[dict[str, Any]] = json.loads(
    (SHARED / "scenarios" / "denver-eo-152.json").read_text("utf-8")
)
POLICY = engine_for(None).policy
SECTIONS = [(i, s) for i in POLICY.instruments for s in i.sections]
#: The order's text is not public: the page says so in these words.
NOT_PUBLIC = {"en": "Its text is not public.", "es": "Su texto no es público."}


class _Page(HTMLParser):
    """The ids on a page, the language of each section block's quoted words, and each
    citation with the link around it (None for a plain one)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.quote_langs: list[str | None] = []
        self.cites: list[tuple[str, str | None]] = []
        self._href: str | None = None
        self._in_cite = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "blockquote":
            self.quote_langs.append(found.get("lang"))
        if tag == "a":
            self._href = found.get("href")
        if tag == "cite":
            self._in_cite = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None
        if tag == "cite":
            self._in_cite = False

    def handle_data(self, data: str) -> None:
        if self._in_cite and data.strip():
            self.cites.append((data.strip(), self._href))


@cache
def _read(address: str) -> tuple[str, _Page]:
    response = Client().get(address)
    assert response.status_code == 200, address
    html = response.content.decode()
    parsed = _Page()
    parsed.feed(html)
    return html, parsed


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_page_answers_first_that_the_orders_text_is_not_public(lang: str) -> None:
    html, _ = _read(f"/law?lang={lang}")
    assert f'<html lang="{lang}">' in html
    lead = re.search(r'<p class="lead">([^<]*)</p>', html)
    assert lead is not None, "the page opens with its answer"
    assert escape(NOT_PUBLIC[lang]) in lead.group(1)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_section_of_every_instrument_has_its_anchor_once(lang: str) -> None:
    html, page = _read(f"/law?lang={lang}")
    assert len(page.ids) == len(set(page.ids)), "no id is used twice"
    missing = [anchor(i.id, s.id) for i, s in SECTIONS if anchor(i.id, s.id) not in page.ids]
    assert missing == []
    # The instruments come highest precedence first, as the policy orders them.
    positions = [html.index(f'id="{i.id}"') for i in POLICY.instruments]
    assert positions == sorted(positions)


def test_an_anchor_is_the_instrument_and_the_section_without_spaces_or_brackets() -> None:
    assert anchor("denver-eo-152", "P1") == "denver-eo-152-P1"
    assert anchor("denver-eo-152", "P6 (aid blocked)") == "denver-eo-152-P6-aid-blocked"
    assert anchor("denver-drmc-28-250", "§28-250(a)(4)") == "denver-drmc-28-250-28-250-a-4"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_reported_words_are_marked_english(lang: str) -> None:
    html, page = _read(f"/law?lang={lang}")
    assert page.quote_langs == ["en"] * len(SECTIONS)
    if lang == "es":
        assert f"{TEXTS['es']['law_words']} {TEXTS['es']['law_in_english']}" in html


def test_every_confidence_and_level_has_words_in_both_languages() -> None:
    for key in [f"law_confidence_{c}" for c in CONFIDENCE] + [f"law_level_{v}" for v in LEVELS]:
        assert TEXTS["en"][key] and TEXTS["es"][key], key
        assert TEXTS["en"][key] != TEXTS["es"][key], f"{key} is translated"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_each_section_shows_how_close_its_words_are_and_why_it_gives_no_rule(
    lang: str,
) -> None:
    html, _ = _read(f"/law?lang={lang}")
    for instrument, section in SECTIONS:
        start = html.index(f'id="{anchor(instrument.id, section.id)}"')
        block = html[start : html.index("</article>", start)]
        assert escape(TEXTS[lang][f"law_confidence_{section.confidence}"]) in block, section.id
        assert (escape(TEXTS[lang]["law_not_encoded"]) in block) == bool(section.not_encoded)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_open_questions_are_in_the_pages_language(lang: str) -> None:
    html, _ = _read(f"/law?lang={lang}")
    questions = [str(q.question[lang]) for i in POLICY.instruments for q in i.open_questions]
    assert questions, "the policy has open questions"
    assert [q for q in questions if escape(q) not in html] == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_page_links_to_the_law_from_its_navigation_and_the_orders_sentence(lang: str) -> None:
    html, _ = _read(f"/?lang={lang}")
    assert f'<a href="/law?lang={lang}">{TEXTS[lang]["law_nav"]}</a>' in html
    banner = f'<a class="law__banner-link" href="/law?lang={lang}">{TEXTS[lang]["law_eo_link"]}</a>'
    assert banner in html, "the order's sentence links to what it says"
    law_html, _ = _read(f"/law?lang={lang}")
    assert f'<a href="/law?lang={lang}" aria-current="page">' in law_html
    assert "law__banner-link" not in law_html, "the page does not link to itself"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("index", range(len(SCENARIOS)))
def test_every_citation_of_an_answer_links_to_its_section_on_the_law_page(
    index: int, lang: str
) -> None:
    _, law = _read(f"/law?lang={lang}")
    _, answer = _read(f"/decision?lang={lang}&s={pack(SCENARIOS[index]['situation'])}")
    assert answer.cites, SCENARIOS[index]["name"]
    for cite, href in answer.cites:
        assert href is not None, f"{cite} is not linked"
        page, _, target = href.partition("#")
        assert page == f"/law?lang={lang}"
        assert target in law.ids, f"{cite} links to #{target}, which /law does not have"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_law_page_is_accessible_on_a_phone(page: Page, site: str, lang: str) -> None:
    page.goto(f"{site}/law?lang={lang}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXTS[lang]["law_title"])
    assert_accessible(page)
    assert_fits_the_screen(page)
    shoot(page, f"law-{lang}")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_citation_opens_its_section(page: Page, site: str, lang: str) -> None:
    shooting = next(s for s in SCENARIOS if s["name"].startswith("An agent shoots"))
    page.goto(f"{site}/decision?lang={lang}&s={pack(shooting['situation'])}")
    why = page.locator(".why", has=page.locator("cite", has_text="EO 152 P7")).first
    why.locator("summary").click()
    why.get_by_role("link", name="EO 152 P7").first.click()
    expect(page).to_have_url(re.compile(rf"/law\?lang={lang}#denver-eo-152-P7$"))
    expect(page.locator("#denver-eo-152-P7")).to_be_in_viewport()
    assert_accessible(page)
    shoot(page, f"law-from-answer-{lang}")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_residents_page_links_each_source_to_its_section_of_the_law(lang: str) -> None:
    from eo152.web.flow_views import RESIDENT_SOURCES

    page = Client().get("/resident", {"lang": lang}).content.decode()
    law = Client().get("/law", {"lang": lang}).content.decode()
    for cites in RESIDENT_SOURCES.values():
        for cite in cites:
            anchor = re.search(rf'href="[^"]*#([^"]+)">{re.escape(cite)}</a>', page)
            assert anchor, cite
            assert f'id="{anchor[1]}"' in law, cite


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_question_the_deployments_readings_answer_shows_the_answer_in_words(lang: str) -> None:
    from pathlib import Path

    from django.test import override_settings

    from eo152.services.decisions import engine_for

    readings = Path(__file__).parents[2] / "examples" / "readings-research-recommended.yaml"
    with override_settings(EO152_READINGS=str(readings)):
        page = Client().get("/law", {"lang": lang}).content.decode()
    asked = next(
        q
        for i in engine_for(str(readings)).policy.instruments
        for q in i.open_questions
        if q.id == "p4-administrative-subpoena"
    )
    words = escape(asked.answer_labels["does_not_satisfy"][lang])
    assert f"{escape(TEXTS[lang]['law_answered'])}: {words}." in page
    # Without readings every question stays open, and no answer is shown.
    assert (
        escape(TEXTS[lang]["law_answered"])
        not in Client().get("/law", {"lang": lang}).content.decode()
    )
