"""The incidents API: filing with a bearer token, reading by role, and every refusal."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from eo152.accounts import tokens
from eo152.accounts.models import User
from eo152.api.limits import MAX_BODY_BYTES
from eo152.incidents import services
from eo152.incidents.models import Incident

pytestmark = [pytest.mark.db]

URL = "/api/v1/incidents"

SHOOTING = {
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "force": {"kind": "firearm", "target": "observer", "ongoing": False},
    "injuries": [{"person": "observer", "severity": "serious"}],
    "location": {"ownership": "city_owned", "kind": "recreation_center", "area": "public"},
}


def filing(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "situation": SHOOTING,
        "source": "hotline",
        "narrative": "Volunteers saw an agent fire at a man filming outside the rec center.",
        "occurred_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
    }
    body.update(changes)
    return body


@pytest.fixture
def token_for(make_user: Callable[[str], User]) -> Callable[[str], tuple[User, str]]:
    """A new account of ``role`` and a token for it."""

    def make(role: str) -> tuple[User, str]:
        user = make_user(role)
        return user, tokens.create(user).token

    return make


def post(body: Any, token: str | None, **headers: str) -> Any:
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return Client(raise_request_exception=False).post(
        URL, data, content_type="application/json", **headers
    )


def get(reference: str, token: str | None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(raise_request_exception=False).get(f"{URL}/{reference}", **headers)


def errors_of(response: Any) -> dict[str, str]:
    assert response["Content-Type"] == "application/problem+json"
    return {e["path"]: e["message"] for e in response.json()["errors"]}


def test_a_filing_answers_201_with_the_reference_findings_and_receipt(token_for) -> None:
    _, token = token_for("intake")
    response = post(filing(personnel=[{"agency": "ICE_ERO", "plate": "ABC123"}]), token)
    assert response.status_code == 201, response.content
    answer = response.json()
    incident = Incident.objects.get()
    assert answer["reference"] == incident.reference
    assert response["Location"] == f"{URL}/{incident.reference}"
    assert answer["state"] == "received"
    assert answer["findings"] == services.current_finding(incident).decision
    assert answer["receipt"] == incident.receipt
    assert json.loads(answer["receipt"]["entry"])["kind"] == "record.created"
    assert answer["personnel"][0]["plate"] == "ABC123"
    assert answer["findings"]["duties"], "decided at intake"


def test_the_same_external_id_from_the_same_account_files_once(token_for) -> None:
    _, token = token_for("intake")
    first = post(filing(external_id="CRRN-1"), token)
    again = post(filing(external_id="CRRN-1"), token)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert again["Location"] == first["Location"]
    _, other = token_for("intake")
    assert post(filing(external_id="CRRN-1"), other).status_code == 201
    assert Incident.objects.count() == 2


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (None, "needs an API token"),
        ("Basic dXNlcjpwYXNz", "must be 'Bearer <token>'"),
        ("Bearer nonsense", "not an eo152 token"),
        ("Bearer eo152_000000000000_" + "x" * 43, "not known"),
    ],
    ids=["missing", "not bearer", "malformed", "unknown"],
)
def test_without_a_usable_token_the_answer_is_401_saying_which(
    token_for, header: str | None, words: str
) -> None:
    token_for("intake")
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    for response in (
        post(filing(), None, **extra),
        Client().get(f"{URL}/EO-AAAA-AAAA", **extra),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert words in response.json()["detail"]
    assert Incident.objects.count() == 0


def test_a_revoked_token_or_a_disabled_account_gets_401(token_for) -> None:
    user, token = token_for("intake")
    tokens.revoke(token.split("_")[1])
    response = post(filing(), token)
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
    user, token = token_for("officer")
    user.is_active = False
    user.save()
    response = post(filing(source="officer"), token)
    assert response.status_code == 401 and "disabled" in response.json()["detail"]
    assert Incident.objects.count() == 0


def test_an_expired_token_gets_401_saying_when_it_expired(token_for) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from eo152.accounts.models import ApiToken

    _, token = token_for("intake")
    row = ApiToken.objects.get(token_id=token.split("_")[1])
    row.expires_at = timezone.now() - timedelta(seconds=1)
    row.save()
    response = post(filing(), token)
    assert response.status_code == 401 and "expired on" in response.json()["detail"]
    assert Incident.objects.count() == 0


@pytest.mark.parametrize("role", ["records_clerk", "monitor", "city_attorney", "administrator"])
def test_a_role_that_may_not_file_gets_403(token_for, role: str) -> None:
    _, token = token_for(role)
    response = post(filing(), token)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert Incident.objects.count() == 0


def test_a_body_over_1_mb_gets_413(token_for) -> None:
    _, token = token_for("intake")
    body = json.dumps(filing(narrative="x" * MAX_BODY_BYTES))
    response = post(body, token)
    assert response.status_code == 413
    assert "1 MB" in response.json()["detail"]
    assert Incident.objects.count() == 0


def test_a_bad_situation_gets_the_contracts_field_errors_as_the_decisions_api_does(
    token_for,
) -> None:
    _, token = token_for("intake")
    bad = {"force": {"kind": "chemical_agent"}, "colour": "red"}
    response = post(filing(situation=bad), token)
    decisions = Client().post("/api/v1/decisions", bad, content_type="application/json")
    assert (response.status_code, decisions.status_code) == (422, 422)
    assert response.json()["errors"] == decisions.json()["errors"]
    assert response.json()["title"] == decisions.json()["title"] == "Invalid situation"
    assert Incident.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"colour": "red"}, "colour"),
        ({"source": "twitter"}, "source"),
        ({"situation": None}, "situation"),
        ({"situation": [SHOOTING]}, "situation"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-11-30T14:05:00"}, "occurred_at"),
        ({"occurred_at": "2999-01-01T00:00:00+00:00"}, "occurred_at"),
        ({"narrative": 7}, "narrative"),
        ({"external_id": ""}, "external_id"),
        ({"personnel": [{"badge": "12"}]}, "personnel[0].agency"),
        ({"personnel": [{"agency": "CBP", "name": "J. Doe"}]}, "personnel[0].name"),
        ({"body_camera": "maybe"}, "body_camera"),
        ({"body_camera_clips": "AXON-1"}, "body_camera_clips"),
        ({"narrative": "a\x00b"}, "narrative"),
    ],
)
def test_a_bad_filing_gets_422_naming_the_field(token_for, changes, path: str) -> None:
    _, token = token_for("officer")
    response = post(filing(**changes), token)
    assert response.status_code == 422, response.content
    assert path in errors_of(response)
    assert Incident.objects.count() == 0


def test_a_body_that_is_not_json_or_not_an_object_is_refused(token_for) -> None:
    _, token = token_for("officer")
    assert post("{not json", token).status_code == 400
    response = post([filing()], token)
    assert response.status_code == 422 and "(body)" in errors_of(response)


def test_only_post_files_and_only_get_reads(token_for) -> None:
    response = Client().get(URL)
    assert response.status_code == 405 and response["Allow"] == "POST"
    response = Client().delete(f"{URL}/EO-AAAA-AAAA")
    assert response.status_code == 405 and response["Allow"] == "GET"


def test_reading_by_role(token_for) -> None:
    _, officer_token = token_for("officer")
    _, other_officer_token = token_for("officer")
    reference = post(filing(source="officer"), officer_token).json()["reference"]
    readers = {role: token_for(role)[1] for role in ("monitor", "investigator", "supervisor")}
    for token in (officer_token, *readers.values()):
        response = get(reference, token)
        assert response.status_code == 200, response.content
        assert response.json()["reference"] == reference
    unknown = get("EO-AAAA-AAAA", readers["monitor"])
    for role in ("records_clerk", "administrator", "intake"):
        refused = get(reference, token_for(role)[1])
        assert refused.status_code == 404
        assert refused.json() == unknown.json(), "a reference's existence is not revealed"
    assert get(reference, other_officer_token).status_code == 404
    # Typed as a person reads it aloud.
    assert get(reference.lower().replace("-", " "), readers["monitor"]).status_code == 200


def test_each_reading_is_a_ledger_entry_naming_the_account(token_for) -> None:
    from eo152.services.records import site_ledger

    _, token = token_for("intake")
    reference = post(filing(), token).json()["reference"]
    monitor, monitor_token = token_for("monitor")
    ledger = site_ledger()
    before = ledger.log.tree_size
    assert get(reference, monitor_token).status_code == 200
    entry = json.loads(ledger.log.prove(before).entry)
    assert entry["kind"] == "record.read"
    assert entry["actor"] == monitor.actor
    assert entry["record_id"] == reference
    assert "narrative" not in json.dumps(entry) and "rec center" not in json.dumps(entry)


def test_a_confidential_reporters_contact_never_appears_in_the_json(token_for) -> None:
    contact = services.ContactDetails(name="Rosa Quintana", phone="720-555-0143")
    filed = services.file_incident(
        services.Intake(
            source="public",
            situation=SHOOTING,
            narrative="Lo vi desde la parada del autobús.",
            reporting="confidential",
            contact=contact,
            language="es",
        ),
        by=None,
    )
    investigator, token = token_for("investigator")
    services.assign(token_for("supervisor")[0], filed.incident, investigator)
    for reader in (token, token_for("monitor")[1]):
        response = get(filed.incident.reference, reader)
        assert response.status_code == 200
        text = response.content.decode()
        assert "Rosa" not in text and "555-0143" not in text and "contact" not in text


def test_both_endpoints_are_in_the_openapi_document_and_its_page(collected_static: None) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    filing_operation = document["paths"]["/api/v1/incidents"]["post"]
    reading = document["paths"]["/api/v1/incidents/{reference}"]["get"]
    assert filing_operation["security"] == reading["security"] == [{"bearer": []}]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert {"200", "201", "401", "403", "413", "422"} <= set(filing_operation["responses"])
    assert {"200", "401", "404"} <= set(reading["responses"])
    schemas = document["components"]["schemas"]
    assert set(schemas["IncidentFiling"]["properties"]) == {
        "situation",
        "source",
        "narrative",
        "occurred_at",
        "external_id",
        "personnel",
        "body_camera",
        "body_camera_clips",
    }
    page = Client().get("/api/v1/docs").content.decode()
    assert "POST /api/v1/incidents" in page and "GET /api/v1/incidents/{reference}" in page
