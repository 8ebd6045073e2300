"""Every public scenario's answer page, for every reader, in English and in Spanish, read
as a person reads it: no card title that is a bare verb, no English left on a Spanish page,
no contract path.

- A **card title** (a duty's heading, a line naming a duty) must be one of the vocabulary's
  ``title_*`` sentences: an actor, "must", "must not" or "may" (or "it is not settled
  whether ..."), the action, a full stop.
- **English on a Spanish page**: a piece of text of three words or more found word for word
  on the English page of the same answer, or one with more English than Spanish function
  words. Citations (``<cite>``), the link and the engine's name are not sentences.
- **A contract path**: any dotted fact path of ``contract/fields.py`` (``authority.kind``)
  or any value code with an underscore (``administrative_warrant``), anywhere in the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from eo152.contract import SITUATION, Field
from eo152.contract.actions import ACTIONS
from eo152.contract.people import PEOPLE
from eo152.contract.vocabulary import PHRASES, label
from eo152.web.permalink import pack
from eo152.web.texts import TEXTS

from ..conftest import SHARED

SCENARIOS: list[dict[str, Any]] = json.loads(
    (SHARED / "scenarios" / "denver-eo-152.json").read_text("utf-8")
)
ROLES = ["", *(person.id for person in PEOPLE)]
#: The elements whose text names a duty.
TITLES = {"duty__title", "why__title--duty", "broken__list", "others", "folded__list"}
#: Text that is not a sentence of the page's language: citations, the link, the engine.
NOT_WORDS = {"cite", "permalink", "engine"}
_ENGLISH = {
    "the",
    "and",
    "of",
    "to",
    "is",
    "not",
    "must",
    "may",
    "with",
    "for",
    "this",
    "that",
    "what",
    "who",
    "whether",
    "be",
    "it",
    "are",
    "if",
    "or",
    "on",
    "in",
    "by",
    "from",
}
_SPANISH = {
    "el",
    "la",
    "los",
    "las",
    "de",
    "del",
    "y",
    "que",
    "no",
    "en",
    "por",
    "con",
    "para",
    "si",
    "es",
    "un",
    "una",
    "se",
    "deben",
    "pueden",
    "al",
    "lo",
    "su",
    "o",
}
#: Words written the same in both languages (names, abbreviations, forms): never English.
_SAME_IN_BOTH = re.compile(r"^[\dA-Z\s().,:;§/-]*(ICE|EO|DEA|FBI|ATF|CBP|USCIS|ERO|HSI|I-\d+)")


def _fact_paths(node: Field) -> Iterator[str]:
    for child in node.fields:
        yield child.path
        yield from _fact_paths(child)


def _values(node: Field) -> Iterator[str]:
    for child in node.fields:
        yield from child.values
        yield from _values(child)


_DOTTED = sorted((p for p in _fact_paths(SITUATION) if "." in p), key=len, reverse=True)
_CODES = sorted(
    {v for v in _values(SITUATION) if "_" in v}
    | {a for x in ACTIONS.values() for a in x if "_" in a}
)
RAW_PATH = re.compile(r"\b(" + "|".join(re.escape(p) for p in (*_DOTTED, *_CODES)) + r")\b")


class _Text(HTMLParser):
    """The text of ``<main>``, piece by piece, each with the classes and tags around it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[set[str]] = []
        self.pieces: list[tuple[str, frozenset[str]]] = []
        self.in_main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.in_main = True
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.stack.append({tag, *classes})

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.in_main = False
        if self.stack and tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if self.in_main and text:
            self.pieces.append((text, frozenset().union(*self.stack)))


@cache
def _page(index: int, role: str, lang: str) -> tuple[tuple[str, frozenset[str]], ...]:
    situation = SCENARIOS[index]["situation"]
    response = Client().get(f"/decision?lang={lang}&role={role}&s={pack(situation)}")
    assert response.status_code == 200, SCENARIOS[index]["name"]
    parser = _Text()
    parser.feed(response.content.decode())
    assert parser.pieces, "the page has a main part"
    return tuple(parser.pieces)


def _title_pattern(lang: str) -> re.Pattern[str]:
    actors = [label(actor, lang) for actor in ACTIONS]
    actors += [a[:1].lower() + a[1:] for a in actors]
    sentences = []
    for key in (
        "title_required",
        "title_prohibited",
        "title_permitted",
        "title_undecided_must",
        "title_undecided_may",
    ):
        template = re.escape(PHRASES[key][lang])
        template = template.replace(
            re.escape("{actor}"), "(?:" + "|".join(map(re.escape, actors)) + ")"
        )
        sentences.append(template.replace(re.escape("{action}"), r"\w[^.]*\w\)?"))
    return re.compile("^(?:" + "|".join(sentences) + ")$")


CASES = [(index, role) for index in range(len(SCENARIOS)) for role in ROLES]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("index", "role"), CASES)
def test_every_card_title_is_a_sentence_with_its_actor_and_polarity(
    index: int, role: str, lang: str
):
    page = _page(index, role, lang)
    titles = [text for text, around in page if around & TITLES]
    assert titles, "the page names its duties"
    # The heading's first sentence and each rule that fell away name a duty too.
    verdict = next(text for text, around in page if "verdict__sentence" in around)
    fell = [text for text, around in page if "not-applicable" in around]
    for text in (verdict, *fell):
        if text != TEXTS[lang]["decision_no_duties"]:
            titles.append(_named_rule(text, lang) or text)
    sentence = _title_pattern(lang)
    assert [t for t in titles if not sentence.match(t)] == []


def _named_rule(text: str, lang: str) -> str:
    """The title inside "The rule that <title> does not apply here. ...", as a title."""
    head, _, tail = PHRASES["does_not_apply_here"][lang].partition("{rule}")
    found = re.match(re.escape(head) + "(.+?)" + re.escape(tail), text)
    return f"{found[1][:1].upper()}{found[1][1:]}." if found else ""


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("index", "role"), CASES)
def test_no_contract_path_shows(index: int, role: str, lang: str):
    texts = [text for text, around in _page(index, role, lang) if not around & {"permalink"}]
    assert [t for t in texts if RAW_PATH.search(t)] == []


@pytest.mark.parametrize(("index", "role"), CASES)
def test_a_spanish_page_has_no_english_sentence(index: int, role: str):
    english = {text for text, _ in _page(index, role, "en")}
    spanish = [text for text, around in _page(index, role, "es") if not around & NOT_WORDS]
    assert [text for text in spanish if _is_english(text, english)] == []


def _is_english(text: str, english_page: set[str]) -> bool:
    if _SAME_IN_BOTH.match(text):
        return False
    words = re.findall(r"[a-záéíóúñü]+", text.lower())
    if len(words) >= 3 and text in english_page:
        return True
    english = sum(word in _ENGLISH for word in words)
    return english >= 2 and english > sum(word in _SPANISH for word in words)


def test_the_checks_catch_what_they_look_for():
    """Each check fails on the defect it names (so the tests above can fail)."""
    assert not _title_pattern("en").match("Detain a federal agent")
    assert not _title_pattern("es").match("Detener a un agente federal")
    assert _title_pattern("en").match("Federal agents must not use City vehicles or equipment.")
    assert _title_pattern("es").match(
        "No está claro si la policía y los ayudantes del sheriff pueden detener a un agente federal."
    )
    assert _named_rule(
        "The rule that police must de-escalate does not apply here. X: y.", "en"
    ) == ("Police must de-escalate.")
    assert RAW_PATH.search("authority.kind = administrative_warrant")
    assert RAW_PATH.search("Because city_owned")
    assert not RAW_PATH.search("Who owns or controls the place: owned by the City")
    assert _is_english("It depends on the place.", set())
    assert _is_english("Lugar del hecho: Civic Center", {"Lugar del hecho: Civic Center"})
    assert not _is_english("Depende del lugar y de la hora.", {"It depends on the place."})
    assert not _is_english("EO 152 P7", {"EO 152 P7"})
