"""The referrals API: making, reading, signing off, sending and acknowledging with a bearer
token, by role, and every refusal (a referral never leaves without a second person)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from eo152.accounts import tokens
from eo152.api.limits import MAX_BODY_BYTES
from eo152.referrals.models import Referral
from eo152.referrals.offenses import offenses
from eo152.services.records import site_ledger

pytestmark = [pytest.mark.db]

URL = "/api/v1/referrals"


def token_of(user: Any) -> str:
    return tokens.create(user).token


def call(method: str, url: str, token: str | None, body: Any = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    client = Client(raise_request_exception=False)
    if method == "GET":
        return client.get(url, **headers)
    data = body if isinstance(body, (bytes, str)) or body is None else json.dumps(body)
    return getattr(client, method.lower())(
        url, data or "", content_type="application/json", **headers
    )


def make(case: Any, token: str, **changes: Any) -> Any:
    body = {
        "incident": case.incident.reference,
        "office": "denver_da",
        "offense": "assault_first_degree",
        "evidence": [case.files[0].sha256],
        "do_not_disclose": [case.files[1].sha256],
        **changes,
    }
    return call("POST", URL, token, body)


def errors_of(response: Any) -> dict[str, str]:
    assert response["Content-Type"] == "application/problem+json"
    return {e["path"]: e["message"] for e in response.json()["errors"]}


def test_made_signed_off_by_another_and_sent(case: Any) -> None:
    investigator, supervisor = token_of(case.investigator), token_of(case.supervisor)
    made = make(case, investigator)
    assert made.status_code == 201, made.content
    answer = made.json()
    referral = Referral.objects.get()
    assert answer["reference"] == referral.reference
    assert made["Location"] == f"{URL}/{referral.reference}"
    assert answer["state"] == "draft" and answer["incident"] == case.incident.reference
    assert (answer["office"], answer["offense"]) == ("denver_da", "assault_first_degree")
    assert (answer["crs"], answer["nibrs"]) == ("C.R.S. 18-3-202", "13A")
    assert answer["findings"] == referral.snapshot["findings"]
    assert answer["receipt"] == referral.receipt
    assert json.loads(answer["receipt"]["entry"])["kind"] == "record.created"
    assert answer["evidence"] == [case.files[0].sha256] and answer["withheld"] == 1
    assert case.files[1].sha256 not in made.content.decode()

    at = f"{URL}/{referral.reference}"
    early = call("POST", f"{at}/send", investigator)
    assert early.status_code == 422
    assert "after a second person signs it off" in errors_of(early)["state"]
    own = call("POST", f"{at}/sign-off", investigator)
    assert own.status_code == 422
    assert "cannot sign it off" in errors_of(own)["signed_off_by"]
    assert Referral.objects.get().state == "draft"

    signed = call("POST", f"{at}/sign-off", supervisor)
    assert signed.status_code == 200, signed.content
    assert signed.json()["state"] == "signed_off" and signed.json()["signed_off_at"]
    assert signed.json()["receipt"] == answer["receipt"], "the making's receipt stays"
    sent = call("POST", f"{at}/send", investigator)
    assert sent.status_code == 200 and sent.json()["state"] == "sent"
    case.incident.refresh_from_db()
    assert case.incident.state == "referred"
    again = call("POST", f"{at}/send", investigator)
    assert again.status_code == 422 and "state" in errors_of(again)


def test_a_prosecutor_reads_and_acknowledges_only_what_was_sent_to_their_office(
    case: Any, make_user: Callable[..., Any]
) -> None:
    da = token_of(make_user("prosecutor", "denver_da"))
    ag = token_of(make_user("prosecutor", "colorado_ag"))
    reference = make(case, token_of(case.investigator)).json()["reference"]
    at = f"{URL}/{reference}"
    unknown = call("GET", f"{URL}/RF-AAAA-AAAA", da)
    assert unknown.status_code == 404
    draft = call("GET", at, da)
    assert draft.status_code == 404 and draft.json() == unknown.json(), "a draft is the City's"
    assert call("POST", f"{at}/acknowledge", da).status_code == 404
    supervisor = token_of(case.supervisor)
    call("POST", f"{at}/sign-off", supervisor)
    assert call("POST", f"{at}/send", supervisor).status_code == 200
    assert call("GET", at, da).status_code == 200
    assert call("GET", at, ag).json() == unknown.json()
    assert call("POST", f"{at}/acknowledge", ag).status_code == 404
    refused = call("POST", f"{at}/sign-off", da)
    assert refused.status_code == 403 and "may not sign off" in refused.json()["detail"]
    done = call("POST", f"{at}/acknowledge", da)
    assert done.status_code == 200 and done.json()["state"] == "acknowledged"
    assert done.json()["acknowledged_at"]


def test_reading_by_role_and_each_reading_logged(case: Any, make_user: Callable) -> None:
    reference = make(case, token_of(case.investigator)).json()["reference"]
    at = f"{URL}/{reference}"
    monitor = make_user("monitor")
    for reader in (case.supervisor, case.investigator, monitor, make_user("city_attorney")):
        assert call("GET", at, token_of(reader)).status_code == 200
    for role in ("officer", "records_clerk", "administrator", "intake"):
        assert call("GET", at, token_of(make_user(role))).status_code == 404
    assert call("GET", at, token_of(case.officer)).status_code == 404, "who filed reads not"
    ledger = site_ledger()
    before = ledger.log.tree_size
    spoken = f"{URL}/{reference.lower().replace('-', ' ')}"  # as a person reads it aloud
    assert call("GET", spoken, token_of(monitor)).status_code == 200
    entry = json.loads(ledger.log.prove(before).entry)
    assert (entry["kind"], entry["record_type"], entry["record_id"]) == (
        "record.read",
        "referral",
        reference,
    )
    assert entry["actor"] == monitor.actor and entry["part"] == "api"
    assert "Shots" not in json.dumps(entry)


@pytest.mark.parametrize("role", ["officer", "monitor", "city_attorney", "records_clerk"])
def test_a_role_that_may_not_make_referrals_gets_403(case: Any, make_user, role: str) -> None:
    response = make(case, token_of(make_user(role)))
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert not Referral.objects.exists()


def test_only_the_cases_investigator_or_a_supervisor_makes_and_sends(
    case: Any, make_user: Callable
) -> None:
    other = token_of(make_user("investigator"))
    response = make(case, other)
    assert response.status_code == 403 and "case's investigator" in response.json()["detail"]
    reference = make(case, token_of(case.supervisor)).json()["reference"]
    at = f"{URL}/{reference}"
    assert call("POST", f"{at}/sign-off", other).status_code == 200, "any second person checks"
    refused = call("POST", f"{at}/send", other)
    assert refused.status_code == 403 and "case's investigator" in refused.json()["detail"]
    monitor = token_of(make_user("monitor"))
    assert call("POST", f"{at}/send", monitor).status_code == 403
    assert Referral.objects.get().state == "signed_off"


@pytest.mark.parametrize(
    ("changes", "path", "words"),
    [
        ({"colour": "red"}, "colour", "unknown field"),
        ({"incident": None}, "incident", "required"),
        ({"incident": 7}, "incident", "reference"),
        ({"incident": "EO-AAAA-AAAA"}, "incident", "yours to read"),
        ({"office": "fbi"}, "office", "denver_da, colorado_ag"),
        ({"offense": "jaywalking"}, "offense", "assault_first_degree"),
        ({"offense": "Shot a man"}, "offense", "murder_first_degree"),
        ({"language": "fr"}, "language", "en, es"),
        ({"evidence": "abc"}, "evidence", "SHA-256"),
        ({"evidence": ["0" * 64]}, "evidence", "not one of this incident's files"),
        ({"do_not_disclose": ["x\x00"]}, "do_not_disclose", "SHA-256"),
    ],
)
def test_a_bad_body_gets_422_naming_the_field(case: Any, changes, path: str, words: str) -> None:
    response = make(case, token_of(case.investigator), **changes)
    assert response.status_code == 422, response.content
    assert words in errors_of(response)[path]
    assert not Referral.objects.exists()


def test_an_unknown_offense_lists_every_code(case: Any) -> None:
    response = make(case, token_of(case.investigator), offense="jaywalking")
    assert all(code in errors_of(response)["offense"] for code in offenses())


def test_a_file_both_disclosed_and_held_back_or_named_twice(case: Any) -> None:
    token = token_of(case.investigator)
    both = make(case, token, do_not_disclose=[case.files[0].sha256])
    assert both.status_code == 422 and "not both" in errors_of(both)["evidence"]
    twice = make(case, token, evidence=[case.files[0].sha256] * 2, do_not_disclose=[])
    assert twice.status_code == 201 and twice.json()["evidence"] == [case.files[0].sha256]


def test_an_incident_not_under_investigation_is_refused_at_state(case: Any, make_user) -> None:
    from eo152.incidents import services

    fresh = services.file_incident(
        services.Intake(source="officer", situation={"activities": ["staging"]}),
        by=case.officer,
    ).incident
    response = make(case, token_of(case.supervisor), incident=fresh.reference, evidence=[],
                    do_not_disclose=[])  # fmt: skip
    assert response.status_code == 422 and "investigation is open" in errors_of(response)["state"]


def test_tokens_bodies_and_methods(case: Any) -> None:
    token = token_of(case.investigator)
    for response in (
        make(case, None),  # type: ignore[arg-type]
        call("GET", f"{URL}/RF-AAAA-AAAA", None),
        call("POST", f"{URL}/RF-AAAA-AAAA/send", None),
        call("POST", URL, "nonsense", {}),
    ):
        assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert call("POST", URL, token, "{not json").status_code == 400
    big = call("POST", URL, token, json.dumps({"incident": "x" * MAX_BODY_BYTES}))
    assert big.status_code == 413 and "1 MB" in big.json()["detail"]
    listed = call("POST", URL, token, [1])
    assert listed.status_code == 422 and "(body)" in errors_of(listed)
    assert call("GET", URL, token)["Allow"] == "POST"
    assert call("DELETE", f"{URL}/RF-AAAA-AAAA", token)["Allow"] == "GET"
    assert call("GET", f"{URL}/RF-AAAA-AAAA/sign-off", token)["Allow"] == "POST"
    assert call("POST", f"{URL}/RF-AAAA-AAAA/sign-off", token).status_code == 404
    for odd in ("%00", "RF-%00", "x" * 500, "%F0%9F%98%80"):
        assert call("GET", f"{URL}/{odd}", token).status_code == 404, odd


def test_every_endpoint_is_in_the_openapi_document() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    paths = document["paths"]
    operations = [
        paths[URL]["post"],
        paths[URL + "/{reference}"]["get"],
        *(paths[f"{URL}/{{reference}}/{step}"]["post"] for step in ("sign-off", "send")),
        paths[URL + "/{reference}/acknowledge"]["post"],
    ]
    assert all(operation["security"] == [{"bearer": []}] for operation in operations)
    assert {"201", "401", "403", "413", "422"} <= set(operations[0]["responses"])
    assert {"200", "401", "404"} <= set(operations[1]["responses"])
    for operation in operations[2:]:
        assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
    schemas = document["components"]["schemas"]
    assert set(schemas["ReferralRequest"]["properties"]) == {
        "incident",
        "office",
        "offense",
        "language",
        "evidence",
        "do_not_disclose",
    }
    assert set(schemas["ReferralRequest"]["properties"]["offense"]["enum"]) == set(offenses())


def test_every_answer_keeps_the_documents_schema(case: Any, make_user: Callable) -> None:
    # The fuzz test (tests/fuzz/test_openapi.py) calls without a token, so it sees 401s
    # only: the answers a token gets are checked against the document here.
    import jsonschema_rs

    document = Client().get("/api/v1/openapi.json").json()

    def check(response: Any, name: str) -> None:
        schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
        jsonschema_rs.validate(schema, response.json())

    investigator, supervisor = token_of(case.investigator), token_of(case.supervisor)
    da = token_of(make_user("prosecutor", "denver_da"))
    made = make(case, investigator)
    check(made, "Referral")
    at = f"{URL}/{made.json()['reference']}"
    for response in (
        call("GET", at, supervisor),
        call("POST", f"{at}/sign-off", supervisor),
        call("POST", f"{at}/send", investigator),
        call("GET", at, da),
        call("POST", f"{at}/acknowledge", da),
    ):
        assert response.status_code == 200
        check(response, "Referral")
    for refused in (
        call("POST", f"{at}/send", investigator),
        call("POST", f"{at}/sign-off", da),
        call("GET", f"{URL}/RF-AAAA-AAAA", da),
        make(case, investigator, offense="jaywalking"),
    ):
        assert refused.status_code in (403, 404, 422)
        check(refused, "Problem")
