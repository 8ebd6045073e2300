"""Check a situation, through Django's test client: the form, its answer, its errors."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from eo152.contract import field_at
from eo152.contract.vocabulary import FACT_GROUPS, label
from eo152.web.permalink import pack, unpack

LETHAL_FORCE = {
    "agents.agencies": ["ICE_ERO"],
    "force.kind": ["firearm"],
    "force.could_cause_death_or_serious_bodily_injury": ["true"],
    "force.ongoing": ["true"],
    "city_personnel": ["true"],
    "city_personnel[].role": ["dpd_officer"],
    "city_personnel[].on_duty": ["true"],
    "city_personnel[].present": ["true"],
}


def _duty_titles(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", t).strip()
        for t in re.findall(r'class="duty__title">(.*?)</h3>', page, re.S)
    ]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_form_asks_every_group_in_the_page_language(lang):
    page = Client().get(f"/all?lang={lang}").content.decode()
    assert f'<html lang="{lang}">' in page
    for group in FACT_GROUPS:
        assert group.title[lang] in page


def _asked_with_choices() -> list[str]:
    paths = [path for group in FACT_GROUPS for path in group.facts]
    paths += [child.path for path in paths for child in field_at(path).fields]  # type: ignore[union-attr]
    return [p for p in paths if field_at(p).kind in ("bool", "enum", "object_list")]  # type: ignore[union-attr]


def test_every_question_starts_as_dont_know():
    page = Client().get("/all?lang=en").content.decode()
    checked = re.findall(
        r'<input class="usa-(?:radio|checkbox)__input"[^>]*\bchecked\b[^>]*>', page
    )
    assert checked
    assert all('value=""' in tag for tag in checked), "nothing but Don't know is checked"
    for path in _asked_with_choices():
        radio = f'name="{path}" value="" checked'
        select = re.search(rf'name="{re.escape(path)}"[^>]*>\s*<option value="" selected>', page)
        assert radio in page or select, f"{path} starts as Don't know"


def test_the_form_works_without_any_script():
    for url in ("/all?lang=en", "/all?lang=es"):
        assert "<script" not in Client().get(url).content.decode()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_answers_lead_to_a_permalink_with_the_most_urgent_duty_first(lang):
    client = Client()
    response = client.post("/all", {**LETHAL_FORCE, "lang": lang})
    assert response.status_code == 303
    address = urlsplit(response["Location"])
    assert address.path == "/decision"
    query = parse_qs(address.query)
    assert query["lang"] == [lang]
    assert unpack(query["s"][0])["force"]["kind"] == "firearm"
    page = client.get(response["Location"]).content.decode()
    first = _duty_titles(page)[0]
    assert label("police/intervene", lang).lower() in first.lower()
    assert "EO 152 P7" in page


def test_switching_language_keeps_every_answer_and_decides_nothing():
    response = Client().post("/all", {**LETHAL_FORCE, "lang": "en", "switch_lang": "es"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in page
    assert re.search(r'id="f-force-kind-firearm"[^>]*checked', page)
    assert re.search(r'id="f-agents-agencies-ice-ero"[^>]*checked', page)
    assert re.search(r'id="f-city-personnel-present-yes"[^>]*checked', page)


def test_a_time_that_is_not_one_gets_an_error_summary_linking_to_the_field():
    response = Client().post("/all", {"at": ["yesterday-ish"], "lang": "en"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in page
    assert 'href="#f-at"' in page
    assert 'value="yesterday-ish"' in page, "what was typed is kept"


def test_a_value_the_contract_does_not_know_is_an_error_on_its_field():
    response = Client().post("/all", {"force.kind": ["laser"], "lang": "en"})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'href="#f-force-kind-none"' in page
    assert "&#x27;laser&#x27; is not allowed" in page


def test_change_your_answers_refills_the_form():
    situation = {"force": {"kind": "taser"}, "surge": False}
    page = Client().get(f"/all?lang=en&s={pack(situation)}").content.decode()
    assert re.search(r'id="f-force-kind-taser"[^>]*checked', page)
    assert re.search(r'id="f-surge-no"[^>]*checked', page)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_answer_page_lists_plain_sentences_citations_and_what_would_change_them(lang):
    situation = {
        "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
        "activities": ["staging"],
        "authority": {"kind": "administrative_warrant", "form": "I-205"},
        "location": {"ownership": "city_owned", "kind": "library"},
    }
    page = Client().get(f"/decision?lang={lang}&s={pack(situation)}").content.decode()
    titles = _duty_titles(page)
    assert any(
        label("federal_agents/use_city_property", lang)[:20].lower() in t.lower() for t in titles
    )
    assert "EO 152 P1" in page
    assert ("What would change this" if lang == "en" else "Qué cambiaría esto") in page
    assert f'href="/all?lang={lang}&amp;s=' in page, "change your answers"
    assert f"/decision?lang={lang}&amp;s=" in page, "the permalink"


@pytest.mark.parametrize("packed", ["", "%%%", pack({"force": {"kind": "laser"}})])
def test_a_damaged_link_gets_a_page_not_a_traceback(packed):
    response = Client().get(f"/decision?lang=es&s={packed}")
    assert response.status_code == 400
    assert "Este enlace está dañado" in response.content.decode()


def test_a_link_nested_too_deep_leaves_the_form_empty_not_a_server_error():
    packed = base64.urlsafe_b64encode(b"[" * 1000 + b"]" * 1000).decode().rstrip("=")
    response = Client().get("/all", {"s": packed})
    assert response.status_code == 200
    assert not re.search(r'id="f-force-kind-[a-z_]+"[^>]*checked', response.content.decode())


@pytest.mark.parametrize(
    "url", ["/", "/?lang=es", f"/decision?s={pack({'surge': True})}", "/decision?s=%%%"]
)
def test_head_is_answered_like_get_without_a_body(url):
    got = Client().get(url)
    head = Client().head(url)
    assert head.status_code == got.status_code
    assert head["Content-Type"] == got["Content-Type"]
    assert head.content == b"" and got.content
