from __future__ import annotations

import pytest
from django.test import RequestFactory

from eo152.web.language import language_of, url_in


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        ("", "en"),
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("en-US,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR,es;q=0.5", "es"),
        ("de", "en"),
        ("es;q=0.2,en;q=0.7", "en"),
        ("es;q=bad,en", "en"),
    ],
)
def test_without_a_choice_the_browser_language_decides(accept, lang):
    request = RequestFactory().get("/", headers={"Accept-Language": accept})
    assert language_of(request) == lang


def test_a_chosen_language_beats_the_browser():
    request = RequestFactory().get("/?lang=en", headers={"Accept-Language": "es"})
    assert language_of(request) == "en"


def test_a_switch_on_the_form_beats_the_language_it_was_shown_in():
    request = RequestFactory().post("/", {"lang": "en", "switch_lang": "es"})
    assert language_of(request) == "es"


def test_the_other_language_keeps_the_rest_of_the_address():
    request = RequestFactory().get("/decision?s=abc&lang=en")
    assert url_in(request, "es") == "/decision?s=abc&lang=es"
