"""The public report end to end with Django's test client: every page in English and
Spanish, "don't know" left out, the situation decided, one incident per draft, CSRF, and
nothing about the sender kept."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from eo152.incidents import services
from eo152.incidents.models import Incident
from eo152.web.texts import TEXTS

pytestmark = [pytest.mark.db]

P = "report_wizard-current_step"

ANSWERS: dict[str, dict[str, Any]] = {
    "where": {"where-address": "1555 Elati St", "where-place_kind": "recreation_center"},
    "when": {"when-day": "2026-03-14", "when-time_of_day": "afternoon"},
    "agents": {"agents-agencies": ["ice", "cbp"]},
    "looks": {"looks-masked": "yes", "looks-showed_id": "no"},
    "did": {"did-did": ["pepper_spray", "pushed_down", "arrest", "filmed"]},
    "hurt": {"hurt-hurt": "serious"},
    "aid": {"aid-aid_blocked": "yes"},
    "protest": {"protest-protest": "no"},
    "story": {"story-narrative": "Agents sprayed people filming outside the rec center."},
    "files": {},
    "contact": {"contact-reporting": "anonymous"},
}

DONT_KNOW: dict[str, dict[str, Any]] = {
    "where": {"where-address": "Near the library", "where-place_kind": "dont_know"},
    "when": {"when-day": "", "when-time_of_day": "dont_know"},
    "agents": {"agents-agencies": ["dont_know"]},
    "looks": {"looks-masked": "dont_know", "looks-showed_id": "dont_know"},
    "did": {"did-did": ["dont_know"]},
    "hurt": {"hurt-hurt": "dont_know"},
    "aid": {"aid-aid_blocked": "dont_know"},
    "protest": {"protest-protest": "dont_know"},
    "story": {"story-narrative": "I only heard shouting."},
    "files": {},
    "contact": {"contact-reporting": "anonymous"},
}


@pytest.fixture(autouse=True)
def _static(collected_static: None) -> None:
    """Pages link the hashed names of the collected static files."""


@pytest.fixture
def client(db: None, ledger_ready: Path, settings: Any) -> Iterator[Client]:
    settings.RATELIMIT_ENABLE = True
    from django.core.cache import cache

    cache.clear()
    yield Client(enforce_csrf_checks=True)
    cache.clear()


def csrf(client: Client, lang: str = "en") -> str:
    page = client.get(f"/report/where?lang={lang}")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match, page.content.decode()[:500]
    return match.group(1)


def post(client: Client, step: str, data: dict[str, Any], lang: str = "en", **extra: Any) -> Any:
    body = {"csrfmiddlewaretoken": _form_token(client, step, lang), P: step, "lang": lang, **data}
    return client.post(f"/report/{step}?lang={lang}", body, **extra)


def _form_token(client: Client, step: str, lang: str) -> str:
    page = client.get(f"/report/{step}?lang={lang}")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match, (step, page.status_code, page.get("Location"))
    return match.group(1)


def start(client: Client, lang: str = "en") -> None:
    response = client.get(f"/report/new?lang={lang}")
    assert response.status_code == 302
    assert response["Location"] == f"/report/where?lang={lang}"


def fill(client: Client, answers: dict[str, dict[str, Any]], lang: str = "en") -> None:
    start(client, lang)
    for step, data in answers.items():
        response = post(client, step, data, lang)
        assert response.status_code == 302, (step, response.content.decode()[:3000])


def check_page(client: Client, lang: str = "en") -> str:
    page = client.get(f"/report/check?lang={lang}")
    assert page.status_code == 200
    return page.content.decode()


def send(client: Client, lang: str = "en", **extra: Any) -> Any:
    html = check_page(client, lang)
    token = re.search(r'name="report_token" value="([^"]+)"', html)
    csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token and csrf_token
    data = {
        "csrfmiddlewaretoken": csrf_token.group(1),
        P: "check",
        "lang": lang,
        "report_token": token.group(1),
        **extra,
    }
    return client.post(f"/report/check?lang={lang}", data)


def codes(html: str) -> tuple[str, str]:
    reference = re.search(r'id="reference">([^<]+)<', html)
    code = re.search(r'id="code">([^<]+)<', html)
    assert reference and code, html
    return reference.group(1), code.group(1)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_resident_files_a_report_and_gets_number_code_and_receipt(
    client: Client, lang: str
) -> None:
    fill(client, ANSWERS, lang)
    html = check_page(client, lang)
    texts = TEXTS[lang]
    assert texts["resident_report_a_agencies_ice"] in html
    assert html.count(texts["flow_change"]) == 14
    response = send(client, lang)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert texts["resident_done_write_down"] in html
    reference, code = codes(html)
    incident = Incident.objects.get()
    assert incident.reference == reference and incident.language == lang
    assert services.public_status(reference, code) is not None
    receipt = client.get("/report/receipt.json")
    assert receipt["Content-Disposition"] == 'attachment; filename="receipt.json"'
    assert json.loads(receipt.content) == incident.receipt
