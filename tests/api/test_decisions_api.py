"""POST /api/v1/decisions: the contract's decisions over HTTP, the same as the CLI's."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from eo152.api.limits import MAX_BODY_BYTES


def _comparable(decision: dict[str, Any]) -> dict[str, Any]:
    """A decision without the moment it was made, when that moment was "now"."""
    if decision["as_of"]["source"] == "now":
        return {key: value for key, value in decision.items() if key != "as_of"}
    return decision


def test_every_public_scenario_gets_the_same_decision_as_from_the_cli(post_json, scenarios):
    situations = [case["situation"] for case in scenarios]
    cli = subprocess.run(
        [sys.executable, "-m", "eo152", "decide", "--json", "-"],
        input=json.dumps(situations).encode(),
        capture_output=True,
        check=True,
    )
    response = post_json(situations)
    assert response.status_code == 200
    from_api = [_comparable(d) for d in response.json()]
    assert from_api == [_comparable(d) for d in json.loads(cli.stdout)]


def test_one_situation_gets_one_decision(post_json, scenarios):
    staging = next(case for case in scenarios if "I-200" in case["name"])
    response = post_json(staging["situation"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    duties = {(d["actor"], d["action"]): d["outcome"] for d in response.json()["duties"]}
    assert duties[("federal_agents", "use_city_property")] == "prohibited"


def test_a_batch_keeps_its_order(post_json):
    response = post_json([{"id": "first"}, {"surge": True}, {}])
    assert response.status_code == 200
    assert len(response.json()) == 3


def test_an_empty_situation_is_decided_with_every_fact_unknown(post_json):
    response = post_json({})
    assert response.status_code == 200
    assert response.json()["as_of"]["source"] == "now"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"force": {"kind": "laser"}}, "force.kind"),
        ({"agents": {"agencies": "ICE_ERO"}}, "agents.agencies"),
        ({"agents": {"agencies": ["NASA"]}}, "agents.agencies[0]"),
        ({"injuries": [{"severity": "bad"}]}, "injuries[0].severity"),
        ({"injuries": {"person": "subject"}}, "injuries"),
        ({"location": {"lat": 200}}, "location.lat"),
        ({"location": {"lat": True}}, "location.lat"),
        ({"at": "yesterday"}, "at"),
        ({"surge": "yes"}, "surge"),
        ({"id": 5}, "id"),
        ({"jurisdiction": "boulder"}, "jurisdiction"),
        ({"unknown_field": 1}, "unknown_field"),
        ({"force": "firearm"}, "force"),
        ({"alleged_crimes": [{"description": "x" * 3000}]}, "alleged_crimes[0].description"),
        (42, "(situation)"),
        ("text", "(situation)"),
        (None, "(situation)"),
        ([{}, {"force": {"kind": "laser"}}], "[1].force.kind"),
        ([1], "[0]"),
        (b'{"id": "\\ud800"}', "id"),  # a lone surrogate: valid JSON, not Unicode text
        (b'{"location": {"address": "777 Bannock \\udfff St"}}', "location.address"),
    ],
)
def test_a_bad_situation_gets_422_naming_the_field(post_json, body, path):
    response = post_json(body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert path in [error["path"] for error in problem["errors"]]
    assert problem["status"] == 422
    assert path in problem["detail"]


def test_a_batch_with_bad_items_names_every_one_and_decides_none(post_json):
    response = post_json([{"surge": 1}, {}, {"force": {"kind": "laser"}}])
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["[0].surge", "[2].force.kind"]


@pytest.mark.parametrize(
    "body", [b'{"force":', b"\xff\xfe", b"NaN", b'{"location": {"lat": Infinity}}', b""]
)
def test_a_body_that_is_not_json_gets_400(post_json, body):
    response = post_json(body)
    assert response.status_code == 400
    assert response.json()["title"] == "Not JSON"


def test_a_body_over_one_megabyte_gets_413(post_json):
    padding = "x" * MAX_BODY_BYTES
    response = post_json({"id": padding})
    assert response.status_code == 413


def test_a_body_of_exactly_one_megabyte_is_read(post_json):
    body = b'{"id": ""}'
    response = post_json(body + b" " * (MAX_BODY_BYTES - len(body)))
    assert response.status_code == 200


def test_only_post_is_allowed(client):
    response = client.get("/api/v1/decisions")
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_no_csrf_token_is_needed_by_other_city_systems():
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/decisions", "{}", content_type="application/json"
    )
    assert response.status_code == 200
