"""Shareable links carry structured answers only: nothing a person typed reaches an address
(links are pasted into chats and kept in browser histories and server logs)."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client

from eo152.config import Settings
from eo152.contract.people import PERSON
from eo152.web.flow import SCENARIOS
from eo152.web.flow_answers import QUESTIONS
from eo152.web.permalink import pack, structured, unpack
from eo152.web.texts import TEXTS

TYPED = {
    "id": ["case of Maria Lopez"],
    "authority.form": ["I-205 for Jose Garcia"],
    "alleged_crimes": ["true"],
    "alleged_crimes[].by": ["federal_agent"],
    "alleged_crimes[].description": ["agent punched Ana Ruiz at 12 Elm St"],
    "location.address": ["1437 Bannock Street"],
    "location.kind": ["park"],
}


def _packed_of(url: str) -> str:
    return dict(parse_qsl(urlsplit(url).query))["s"]


def _decoded(packed: str) -> str:
    return base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)).decode()


def test_the_all_questions_form_puts_none_of_the_typed_words_in_its_link() -> None:
    response = Client().post("/all", {**TYPED, "lang": "en"})
    assert response.status_code == 303
    link = response["Location"]
    situation = unpack(_packed_of(link))
    text = _decoded(_packed_of(link))
    for typed in ("Maria", "Jose", "Ana Ruiz", "Elm", "Bannock", "I-205"):
        assert typed not in text and typed not in link
    assert situation["alleged_crimes"] == [{"by": "federal_agent"}], "the structured part stays"
    assert situation["location"]["kind"] == "park"
    assert "id" not in situation and "form" not in situation.get("authority", {})


def test_an_address_gives_way_to_its_point_and_the_answer_still_names_the_place(
    denver_data: Settings,
) -> None:
    packed = pack({"activities": ["staging"], "location": {"address": "777 Bannock Street"}})
    assert "Bannock" not in _decoded(packed)
    location = unpack(packed)["location"]
    assert set(location) == {"lat", "lon"}
    page = Client().get("/decision", {"lang": "en", "s": packed}).content.decode()
    assert "Denver Health Medical Center" in page


def test_an_address_no_layer_knows_is_dropped_not_kept() -> None:
    packed = pack({"location": {"address": "1 Nowhere Lane", "kind": "park"}})
    assert unpack(packed) == {"location": {"kind": "park"}}


def _links(page: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"]*)"', page)]


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_every_address_of_the_guide_holds_only_known_names_and_choices(scenario: str) -> None:
    """Walk the scenario answering the first choice everywhere; every link and redirect
    holds only the guide's own parameters, each with one of its own values."""
    allowed = {
        "lang": {"en", "es"},
        "who": set(PERSON),
        "role": set(PERSON),
        "step": set(QUESTIONS),
        **{step: set(question.choices) for step, question in QUESTIONS.items()},
    }
    client = Client()
    seen: list[str] = []
    response = client.get("/", {"lang": "en", "who": "dispatcher", "what": scenario})
    while response.status_code == 302:
        url = response["Location"]
        seen.append(url)
        page = client.get(url)
        seen += _links(page.content.decode())
        path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
        if path.endswith("/check"):
            break
        step = path.rsplit("/", 1)[1]
        first = QUESTIONS[step].choices[0]
        response = client.get(path, {**query, "step": step, step: first})
    for url in seen:
        for name, value in parse_qsl(urlsplit(url).query):
            if name == "s":
                situation = unpack(value)
                assert structured(situation) == situation, "no free-text field in it"
                continue
            if name == "q":  # the places page's own search box, not the guide's
                continue
            assert name in allowed and value in allowed[name], (url, name, value)


def test_an_address_that_cannot_be_placed_is_said_on_the_answer_page() -> None:
    # Issue 12: "Where an address cannot be placed, say so on the answer page, never
    # silently." The link carries only that it was not placed, never the address.
    for lang in ("en", "es"):
        posted = {"location.address": ["1 Nowhere Lane"], "activities": ["staging"], "lang": lang}
        response = Client().post("/all", posted)
        link = response["Location"]
        assert "Nowhere" not in link and "unplaced=1" in link
        page = Client().get(link).content.decode()
        assert TEXTS[lang]["decision_address_unplaced"] in page
        assert "unplaced=1" in page  # the page's own permalink keeps saying it


def test_a_placed_address_or_none_says_nothing_of_the_kind(denver_data: Settings) -> None:
    for posted in ({"location.address": ["777 Bannock Street"]}, {"activities": ["staging"]}):
        link = Client().post("/all", {**posted, "lang": "en"})["Location"]
        assert "unplaced" not in link
        page = Client().get(link).content.decode()
        assert TEXTS["en"]["decision_address_unplaced"] not in page
