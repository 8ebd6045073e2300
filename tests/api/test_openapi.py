"""The OpenAPI document, the policy endpoint and the browsable documentation."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from eo152.rules import default_engine


def test_the_openapi_document_describes_the_contract():
    document = Client().get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/api/v1/decisions",
        "/api/v1/incidents",
        "/api/v1/incidents/{reference}",
        "/api/v1/referrals",
        "/api/v1/referrals/{reference}",
        "/api/v1/referrals/{reference}/sign-off",
        "/api/v1/referrals/{reference}/send",
        "/api/v1/referrals/{reference}/acknowledge",
        "/api/v1/data-requests",
        "/api/v1/data-requests/{reference}",
        "/api/v1/data-requests/{reference}/files",
        "/api/v1/data-requests/{reference}/determinations",
        "/api/v1/data-requests/{reference}/check",
        "/api/v1/data-requests/{reference}/send-back",
        "/api/v1/policy",
        "/api/v1/places/lookup",
        "/api/v1/places/layers",
        "/api/v1/places/layers/{layer_id}.geojson",
    }
    schemas = document["components"]["schemas"]
    assert {"Situation", "Decision", "Problem", "Policy"} <= set(schemas)
    assert "#/$defs/" not in json.dumps(document), "every reference resolves inside the document"


def test_the_policy_lists_every_instrument_with_its_open_questions():
    policy = Client().get("/api/v1/policy").json()
    engine = default_engine()
    assert [i["id"] for i in policy["instruments"]] == [i.id for i in engine.instruments]
    questions = [q for i in policy["instruments"] for q in i["open_questions"]]
    assert questions, "the policy ships open legal questions"
    assert all(q["question"]["en"] and q["question"]["es"] for q in questions)
    assert all(q["answer"] is None for q in questions), "no readings: every question is open"


def test_the_policy_is_read_only():
    response = Client().post("/api/v1/policy")
    assert response.status_code == 405


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_documentation_page_is_served_by_the_app(lang):
    response = Client().get(f"/api/v1/docs?lang={lang}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in page
    assert "POST /api/v1/decisions" in page
    assert 'href="/api/v1/openapi.json"' in page
    assert "<script" not in page


def test_the_docs_page_shows_a_filing_body_and_a_token_for_the_incidents_api():
    page = Client().get("/api/v1/docs").content.decode()
    section = page.split('id="op-fileIncident"')[1].split("<h2")[0]
    assert "Authorization: Bearer $EO152_TOKEN" in section
    assert "&quot;source&quot;: &quot;hotline&quot;" in section
    decisions = page.split('id="op-decide"')[1].split("<h2")[0]
    assert "curl -X POST" in decisions and "Authorization" not in decisions
