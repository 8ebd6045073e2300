"""The answer page's address: who it is for (``role``), what it keeps, what it refuses."""

from __future__ import annotations

import re
from html import escape

import pytest
from django.test import Client

from eo152.contract.vocabulary import label, phrase
from eo152.web.permalink import pack

STAGING = {
    "agents": {"agencies": ["ICE_HSI"], "purpose": "civil_immigration"},
    "activities": ["operations_base"],
    "authority": {"kind": "administrative_subpoena"},
    "location": {"ownership": "city_controlled", "kind": "community_center"},
}


def _says(outcome: str, pair: str, lang: str = "en") -> str:
    """A duty's title as the page writes it (HTML-escaped), in the vocabulary's words."""
    actor = pair.split("/")[0]
    title = phrase(f"title_{outcome}", lang, actor=label(actor, lang), action=label(pair, lang))
    return escape(title)


def _page(query: str) -> str:
    response = Client().get(f"/decision?{query}&s={pack(STAGING)}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_role_that_is_no_one_gets_the_400_page_naming_it(lang: str) -> None:
    response = Client().get(f"/decision?lang={lang}&role=captain&s={pack(STAGING)}")
    assert response.status_code == 400
    assert "&#x27;captain&#x27; is not one of" in response.content.decode()


def test_the_permalink_keeps_the_role_and_change_goes_to_all_questions() -> None:
    page = _page("lang=en&role=sergeant")
    assert "For: Sergeant or supervisor" in page
    assert re.search(
        r'class="permalink"><a href="/decision\?lang=en&amp;s=[^"]*&amp;role=sergeant"', page
    )
    assert 'href="/all?lang=en&amp;s=' in page


def test_a_sergeant_is_shown_the_polices_duties_and_the_others_apart() -> None:
    page = _page("lang=en&role=sergeant")
    must_not = page.split('id="must-not-title"')[1].split("</section>")[0]
    assert _says("prohibited", "police/obstruct_lawful_enforcement") in must_not
    assert label("city_agencies") not in must_not
    others = page.split('id="others-title"')[1].split("</section>")[0]
    assert _says("prohibited", "city_agencies/permit_property_use") in others


def test_without_a_role_every_actor_is_the_readers() -> None:
    page = _page("lang=es")
    assert "Para: todos en el lugar" in page
    assert 'id="others-title"' not in page
    must_not = page.split('id="must-not-title"')[1].split("</section>")[0]
    assert _says("prohibited", "city_agencies/permit_property_use", "es") in must_not


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_find_out_and_change_link_lands_on_its_question(lang: str) -> None:
    page = _page(f"lang={lang}&role=city_employee")
    links = re.findall(r'href="(/all\?[^"#]*)#([\w-]+)"', page)
    assert len(links) > len(STAGING), "Find out and a Change link for each answer"
    for address, anchor in links:
        form = Client().get(address.replace("&amp;", "&")).content.decode()
        assert f'id="{anchor}"' in form, anchor


def test_a_resident_is_shown_everyones_duties() -> None:
    page = _page("lang=en&role=resident")
    assert "For: everyone at the scene" in page
    assert 'id="others-title"' not in page
