"""The data-request API: logging, reading, listing, files, determinations and the second
person's check with a bearer token, by role, and every refusal named by its field with
nothing stored (a release never leaves with one approver)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from .conftest import PDF_BYTES, SUBPOENA

pytestmark = [pytest.mark.db]

URL = "/api/v1/data-requests"
#: A court's subpoena for an address: state law lets it go, so a release is the engine's too.
COURT = {**SUBPOENA, "authority": {"kind": "court_issued_subpoena"}}
ANSWER_PDF = b"%PDF-1.4\n% the records released\n%%EOF\n"


def token_of(user: Any) -> str:
    from eo152.accounts import tokens

    return tokens.create(user).token


def call(method: str, url: str, token: str | None, body: Any = None, **extra: Any) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    client = Client(raise_request_exception=False)
    if method == "GET":
        return client.get(url, **headers)
    data = body if isinstance(body, (bytes, str)) or body is None else json.dumps(body)
    return getattr(client, method.lower())(
        url, data or "", content_type=extra.get("content_type", "application/json"), **headers
    )


def errors_of(response: Any) -> dict[str, str]:
    assert response["Content-Type"] == "application/problem+json", response.content
    return {e["path"]: e["message"] for e in response.json()["errors"]}


def ledger_size() -> int:
    from eo152.services.records import site_ledger

    return site_ledger().log.tree_size


def entries_since(start: int) -> list[dict[str, Any]]:
    """The desk's entries since ``start`` (not the reads of the answers, also logged)."""
    from eo152.services.records import site_ledger

    store = site_ledger().log.store
    found = [json.loads(text) for _, text in store.entry_page(start, 100000)]
    return [entry for entry in found if entry["kind"].startswith("data_request.")]


def log(token: str, body: dict[str, Any] | None = None) -> str:
    made = call("POST", URL, token, body or SUBPOENA)
    assert made.status_code == 201, made.content
    return str(made.json()["reference"])


def upload(token: str, reference: str, role: str, data: bytes, media_type: str) -> Any:
    return call(
        "POST", f"{URL}/{reference}/files?role={role}&label=paper", token, data,
        content_type=media_type,
    )  # fmt: skip


def test_logged_read_and_listed_with_the_engines_findings(make_user: Callable[..., Any]) -> None:
    from eo152.datarequests.models import DataRequest

    clerk = token_of(make_user("records_clerk"))
    made = call("POST", URL, clerk, SUBPOENA)
    assert made.status_code == 201, made.content
    answer = made.json()
    stored = DataRequest.objects.get()
    assert answer["reference"] == stored.reference and answer["state"] == "open"
    assert made["Location"] == f"{URL}/{stored.reference}"
    assert answer["findings"] == stored.findings and answer["engine_answer"] == "refuse"
    assert answer["receipt"] == stored.receipt
    assert json.loads(answer["receipt"]["entry"])["kind"] == "data_request.logged"
    assert answer["concerning"] == SUBPOENA["concerning"]
    assert answer["process"] == SUBPOENA["process"]

    read = call("GET", f"{URL}/{stored.reference.lower()}", clerk)
    assert read.status_code == 200 and read.json()["reference"] == stored.reference
    listed = call("GET", URL, clerk).json()["data_requests"]
    assert [row["reference"] for row in listed] == [stored.reference]
    assert "concerning" not in listed[0]
    monitor = token_of(make_user("monitor"))
    seen = call("GET", f"{URL}/{stored.reference}", monitor)
    assert seen.status_code == 200 and "concerning" not in seen.json()
    assert "Library card" not in seen.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"agencies": []}, "agencies"),
        ({"received_at": "2099-01-01T00:00:00-07:00"}, "received_at"),
        ({"deadline": "2026-11-19"}, "deadline"),
        ({"data_categories": ["shoe_size"]}, "data_categories"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"colour": "red"}, "colour"),
        ({"concerning": "a\x00b"}, "concerning"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_is_stored(
    make_user: Callable[..., Any], changes: dict[str, Any], field: str
) -> None:
    from eo152.datarequests.models import DataRequest

    clerk = token_of(make_user("records_clerk"))
    before = ledger_size()
    refused = call("POST", URL, clerk, {**SUBPOENA, **changes})
    assert refused.status_code == 422, refused.content
    assert any(path.startswith(field) for path in errors_of(refused)), refused.json()
    assert DataRequest.objects.count() == 0 and ledger_size() == before


def test_a_process_document_must_be_a_pdf_or_an_image(make_user: Callable[..., Any]) -> None:
    from eo152.datarequests.models import RequestFile

    clerk = token_of(make_user("records_clerk"))
    reference = log(clerk)
    before = ledger_size()
    text = upload(clerk, reference, "process", b"not a PDF at all", "application/pdf")
    assert text.status_code == 422 and "file" in errors_of(text)
    role = upload(clerk, reference, "evidence", PDF_BYTES, "application/pdf")
    assert role.status_code == 422 and "role" in errors_of(role)
    assert RequestFile.objects.count() == 0 and ledger_size() == before
    kept = upload(clerk, reference, "process", PDF_BYTES, "application/pdf")
    assert kept.status_code == 201, kept.content
    (stored,) = RequestFile.objects.all()
    assert kept.json() == {
        "sha256": stored.sha256,
        "size": len(PDF_BYTES),
        "media_type": "application/pdf",
    }
    assert stored.role == "process" and stored.label == "paper"


def test_a_refusal_takes_one_person(make_user: Callable[..., Any]) -> None:
    clerk = token_of(make_user("records_clerk"))
    reference = log(clerk)
    start = ledger_size()
    body = {"determination": "refuse", "bases": ["no-court-process"]}
    done = call("POST", f"{URL}/{reference}/determinations", clerk, body)
    assert done.status_code == 201, done.content
    assert done.json()["state"] == "closed" and done.json()["answer"] == "refuse"
    (entry,) = entries_since(start)
    assert entry["kind"] == "data_request.determined" and entry["determination"] == "refuse"


def test_a_release_takes_two_people_and_the_files_hash(make_user: Callable[..., Any]) -> None:
    from eo152.datarequests.models import DataRequest

    logger = token_of(make_user("supervisor"))
    maker = token_of(make_user("records_clerk"))
    checker = token_of(make_user("supervisor"))
    reference = log(logger, COURT)
    at = f"{URL}/{reference}"
    sha256 = upload(maker, reference, "released", ANSWER_PDF, "application/pdf").json()["sha256"]
    release = {"determination": "release", "bases": ["court-process"]}

    no_hash = call("POST", f"{at}/determinations", maker, release)
    assert no_hash.status_code == 422 and "released_file" in errors_of(no_hash)
    unknown = call("POST", f"{at}/determinations", maker, {**release, "released_sha256": "0" * 64})
    assert unknown.status_code == 422 and "released_file" in errors_of(unknown)
    with_hash = {**release, "released_sha256": sha256}
    by_logger = call("POST", f"{at}/determinations", logger, with_hash)
    assert by_logger.status_code == 403  # a supervisor checks releases, never makes them
    assert DataRequest.objects.get().state == "open"

    proposed = call("POST", f"{at}/determinations", maker, with_hash)
    assert proposed.status_code == 202, proposed.content
    assert proposed.json()["state"] == "awaiting_check"
    assert proposed.json()["determinations"][0]["status"] == "proposed"
    own = call("POST", f"{at}/check", maker)
    assert own.status_code == 403  # a records clerk never checks, their own least of all
    logged_it = call("POST", f"{at}/check", logger)
    assert logged_it.status_code == 422 and "checked_by" in errors_of(logged_it)
    assert DataRequest.objects.get().state == "awaiting_check"

    start = ledger_size()
    checked = call("POST", f"{at}/check", checker)
    assert checked.status_code == 200, checked.content
    assert checked.json()["state"] == "closed" and checked.json()["answer"] == "release"
    (entry,) = entries_since(start)
    assert entry["kind"] == "data_request.released" and entry["sha256"] == sha256
    assert len(set(entry["approvers"])) == 2
    again = call("POST", f"{at}/check", checker)
    assert again.status_code == 422 and "state" in errors_of(again)


def test_the_logger_cannot_make_the_release_nor_the_maker_check_it(
    make_user: Callable[..., Any],
) -> None:
    """Two City Attorneys: each may make and check, so only the service's rule stops one."""
    first, second = make_user("city_attorney"), make_user("city_attorney")
    one, two = token_of(first), token_of(second)
    reference = log(one, COURT)
    at = f"{URL}/{reference}"
    sha256 = upload(one, reference, "released", ANSWER_PDF, "application/pdf").json()["sha256"]
    release = {"determination": "release", "bases": ["court-process"], "released_sha256": sha256}
    by_logger = call("POST", f"{at}/determinations", one, release)
    assert by_logger.status_code == 422 and "made_by" in errors_of(by_logger)
    assert call("POST", f"{at}/determinations", two, release).status_code == 202
    own = call("POST", f"{at}/check", two)
    assert own.status_code == 422 and "checked_by" in errors_of(own)


def test_a_release_sent_back_opens_the_request_again(make_user: Callable[..., Any]) -> None:
    logger, maker = token_of(make_user("records_clerk")), token_of(make_user("records_clerk"))
    checker = token_of(make_user("supervisor"))
    reference = log(logger, COURT)
    at = f"{URL}/{reference}"
    sha256 = upload(maker, reference, "released", ANSWER_PDF, "application/pdf").json()["sha256"]
    release = {"determination": "release", "bases": ["court-process"], "released_sha256": sha256}
    assert call("POST", f"{at}/determinations", maker, release).status_code == 202
    silent = call("POST", f"{at}/send-back", checker, {})
    assert silent.status_code == 422 and "reason" in errors_of(silent)
    back = call("POST", f"{at}/send-back", checker, {"reason": "A second patron's address."})
    assert back.status_code == 200, back.content
    assert back.json()["state"] == "open"
    assert back.json()["determinations"][0]["status"] == "returned"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"determination": "shrug", "bases": ["no-court-process"]}, "determination"),
        ({"determination": "refuse", "bases": []}, "bases"),
        ({"determination": "refuse", "bases": ["court-process"]}, "bases"),
        ({"determination": "refuse", "bases": "no-court-process"}, "bases"),
        (
            {"determination": "extend", "bases": ["more-time"], "new_deadline": "soon"},
            "new_deadline",
        ),
        ({"determination": "refuse", "bases": ["no-court-process"], "by": "me"}, "by"),
        ([1, 2], "(body)"),
    ],
)
def test_a_bad_determination_is_422_naming_the_field(
    make_user: Callable[..., Any], body: Any, field: str
) -> None:
    clerk = token_of(make_user("records_clerk"))
    reference = log(clerk)
    before = ledger_size()
    refused = call("POST", f"{URL}/{reference}/determinations", clerk, body)
    assert refused.status_code == 422, refused.content
    assert field in errors_of(refused)
    assert ledger_size() == before


def test_tokens_limits_and_unknown_references(make_user: Callable[..., Any]) -> None:
    from eo152.api.limits import MAX_BODY_BYTES

    clerk = token_of(make_user("records_clerk"))
    assert call("GET", URL, None).status_code == 401
    assert call("POST", URL, "eo152_nope", SUBPOENA).status_code == 401
    big = call("POST", URL, clerk, b"[" + b"1," * MAX_BODY_BYTES + b"1]")
    assert big.status_code == 413
    assert call("POST", URL, clerk, b"{not json").status_code == 400
    assert call("GET", f"{URL}/DR-AAAA-AAAA", clerk).status_code == 404
    assert call("GET", f"{URL}/DR-AAAA%00AAAA", clerk).status_code == 404
    assert call("POST", f"{URL}/DR-AAAA-AAAA/check", clerk).status_code == 404
    assert call("DELETE", URL, clerk).status_code == 405


#: Who may do what through the API (eo152/accounts/permissions.py): the desk logs, lists,
#: reads and determines; the Monitor lists and reads; a supervisor or the City Attorney
#: checks; no one else sees a request at all.
ROLES = {
    "records_clerk": {"log": 201, "list": 200, "read": 200, "refuse": 201, "check": 403},
    "supervisor": {"log": 201, "list": 200, "read": 200, "refuse": 201, "check": 200},
    "city_attorney": {"log": 201, "list": 200, "read": 200, "refuse": 201, "check": 200},
    "monitor": {"log": 403, "list": 200, "read": 200, "refuse": 403, "check": 403},
    "officer": {"log": 403, "list": 403, "read": 404, "refuse": 404, "check": 404},
    "investigator": {"log": 403, "list": 403, "read": 404, "refuse": 404, "check": 404},
    "administrator": {"log": 403, "list": 403, "read": 404, "refuse": 404, "check": 404},
}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_is_allowed_or_refused_as_the_permissions_say(
    make_user: Callable[..., Any], role: str
) -> None:
    logger, maker = token_of(make_user("records_clerk")), token_of(make_user("records_clerk"))
    token = token_of(make_user(role))
    reference = log(logger, COURT)
    at = f"{URL}/{reference}"
    sha256 = upload(maker, reference, "released", ANSWER_PDF, "application/pdf").json()["sha256"]
    release = {"determination": "release", "bases": ["court-process"], "released_sha256": sha256}
    assert call("POST", f"{at}/determinations", maker, release).status_code == 202
    expected = ROLES[role]
    assert call("POST", URL, token, COURT).status_code == expected["log"]
    assert call("GET", URL, token).status_code == expected["list"]
    assert call("GET", at, token).status_code == expected["read"]
    assert call("POST", f"{at}/check", token).status_code == expected["check"]
    other = log(logger)
    refuse = {"determination": "refuse", "bases": ["no-court-process"]}
    answer = call("POST", f"{URL}/{other}/determinations", token, refuse)
    assert answer.status_code == expected["refuse"], answer.content


def test_a_file_over_the_limit_is_413_and_not_kept(
    make_user: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from eo152.datarequests import api
    from eo152.datarequests.models import RequestFile

    clerk = token_of(make_user("records_clerk"))
    reference = log(clerk)
    monkeypatch.setattr(api, "MAX_FILE_BYTES", len(PDF_BYTES) - 1)
    too_big = upload(clerk, reference, "process", PDF_BYTES, "application/pdf")
    assert too_big.status_code == 413 and not RequestFile.objects.exists()
