"""Every (principal, desk page, endpoint or command) and what it must get, written out by
hand (not read from permissions.py): the table a reviewer checks the rules against.

The world: ``A``, an ICE administrative subpoena for a patron's address logged by
``records_clerk`` (open; the engine refuses it); ``B``, a court-issued subpoena logged by
``records_clerk`` with a file to release (open); ``P``, a court order whose release
``records_clerk_other`` made (waiting for a second person); ``X``, refused and answered.
``tests/accounts/test_permission_matrix.py`` takes this file's patterns as covered.

A release is the rule of four eyes: the person who logged a request cannot make its
release, and neither its maker nor its logger can check it (a 422 that names the rule,
counted here as refused). Whom a request concerns never reaches the Monitor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from eo152.accounts import tokens
from eo152.accounts.models import User
from eo152.cli import app

from .conftest import PDF_BYTES, SUBPOENA

pytestmark = [pytest.mark.db]

PRINCIPALS = (
    "anonymous",
    "officer",
    "intake",
    "investigator",
    "supervisor",
    "monitor",
    "city_attorney",
    "records_clerk",  # logged every request
    "records_clerk_other",  # made P's release
    "administrator",
    "prosecutor",
)
ROLE = {"records_clerk_other": "records_clerk"}

DESK = frozenset({"supervisor", "city_attorney", "records_clerk", "records_clerk_other"})
READERS = DESK | {"monitor"}
ACCOUNT = frozenset({"supervisor", "city_attorney", "monitor"})
# B's release: a clerk or the City Attorney, never the clerk who logged it.
RELEASE_MAKERS = frozenset({"records_clerk_other", "city_attorney"})
# P's check: a supervisor or the City Attorney (its maker and logger are clerks).
CHECKERS = frozenset({"supervisor", "city_attorney"})

REQUEST = "^data-requests/(?P<reference>[Dd][Rr]-[0-9A-Za-z]{4}-[0-9A-Za-z]{4})"


@dataclass(frozen=True)
class Case:
    name: str
    pattern: str  # the URL pattern it exercises ("" for a command)
    allowed: frozenset[str]


CASES = (
    Case("list requests", "data-requests", READERS),
    Case("open the logging form", "data-requests/new", DESK),
    Case("log through the form", "data-requests/new", DESK),
    Case("open A", REQUEST + "$", READERS),
    Case("download A's process document", REQUEST + "/files/(?P<sha256>[0-9a-f]{64})$", DESK),
    Case("refuse A", REQUEST + "/determine$", DESK),
    Case("make B's release", REQUEST + "/determine$", RELEASE_MAKERS),
    Case("check P", REQUEST + "/check$", CHECKERS),
    Case("send P back", REQUEST + "/send-back$", CHECKERS),
    Case("pause A", REQUEST + "/pause$", DESK),
    Case("resume A (paused)", REQUEST + "/resume$", DESK),
    Case("set A's people", REQUEST + "/people$", DESK),
    Case("remove whom X concerns", REQUEST + "/concerning$", DESK),
    Case("download X's letter", "data-requests/<str:reference>/letter.pdf", DESK),
    Case("open the account", "data-requests/account", ACCOUNT),
    Case("download the account CSV", "data-requests/account.csv", ACCOUNT),
    Case("log through the API", "api/v1/data-requests", DESK),
    Case("list through the API", "api/v1/data-requests", READERS),
    Case("read A through the API", "api/v1/data-requests/<str:reference>", READERS),
    Case("add a file to B through the API", "api/v1/data-requests/<str:reference>/files", DESK),
    Case(
        "refuse A through the API",
        "api/v1/data-requests/<str:reference>/determinations",
        DESK,
    ),
    Case("check P through the API", "api/v1/data-requests/<str:reference>/check", CHECKERS),
    Case(
        "send P back through the API",
        "api/v1/data-requests/<str:reference>/send-back",
        CHECKERS,
    ),
    Case("show A (CLI)", "", READERS),
    Case("refuse A (CLI)", "", DESK),
    Case("make B's release (CLI)", "", RELEASE_MAKERS),
    Case("check P (CLI)", "", CHECKERS),
)

#: Open to everyone, signed in or not: the public tally.
OPEN_TO_ALL = {"data-requests/tally"}

#: Where the rule of four eyes answers 422 (the permission is held, the person is not allowed).
FOUR_EYES = frozenset(
    {
        "make B's release",
        "check P",
        "send P back",
        "check P through the API",
        "send P back through the API",
    }
)


@dataclass
class World:
    people: dict[str, User]
    a: Any
    b: Any
    b_file: Any
    p: Any
    x: Any
    a_document: Any
    release: Path


@pytest.fixture
def world(db: None, ledger_ready: Path, collected_static: None, tmp_path: Path) -> World:
    from eo152.datarequests import services

    people = {
        name: User.objects.create_user(name, password=None, role=ROLE.get(name, name))
        for name in PRINCIPALS
        if name != "anonymous"
    }
    clerk, other = people["records_clerk"], people["records_clerk_other"]
    process = tmp_path / "subpoena.pdf"
    process.write_bytes(PDF_BYTES)
    release = tmp_path / "answer.pdf"
    release.write_bytes(PDF_BYTES.replace(b"%%EOF", b"% records released\n%%EOF"))

    def logged(**changes: Any) -> Any:
        return services.log_request(clerk, services.read_body({**SUBPOENA, **changes}))

    a = services.log_request(
        clerk, services.read_body(SUBPOENA), services.Upload(process, "application/pdf")
    )
    b = logged(authority={"kind": "court_issued_subpoena"})
    b_file = services.add_file(other, b, "released", services.Upload(release, "application/pdf"))
    p = logged(authority={"kind": "court_order"})
    p_file = services.add_file(other, p, "released", services.Upload(release, "application/pdf"))
    services.determine(
        other, p, services.Choice("release", ("court-process",), released_sha256=p_file.sha256)
    )
    x = logged()
    services.determine(clerk, x, services.Choice("refuse", ("no-court-process",)))
    for request in (a, b, p, x):
        request.refresh_from_db()
    return World(people, a, b, b_file, p, x, a.files.get(), release)


def _client(world: World, principal: str) -> Client:
    client = Client()
    if principal != "anonymous":
        client.force_login(world.people[principal])
    return client


def _bearer(world: World, principal: str) -> dict[str, str]:
    if principal == "anonymous":
        return {}
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.create(world.people[principal]).token}"}


def _cli(world: World, principal: str, *args: str) -> tuple[bool, str]:
    if principal == "anonymous":
        return False, ""
    token = tokens.create(world.people[principal]).token
    run = CliRunner().invoke(app, ["data-requests", *args, "--json", "--token", token])
    return run.exit_code == 0, run.output


def _take(world: World, principal: str, case: str) -> tuple[bool, str]:
    """Take the action as ``principal``: whether it was allowed, and what came back."""
    from eo152.datarequests import services

    web = _client(world, principal)
    a, b, p, x = (r.reference for r in (world.a, world.b, world.p, world.x))
    if case == "resume A (paused)":
        services.pause(world.people["records_clerk"], world.a, "waiting for the agency")
    api = _bearer(world, principal)
    form = {
        "channel": "in_person",
        "agencies": ["ICE_ERO"],
        "purpose": "civil_immigration",
        "received_date": "2026-11-20",
        "received_time": "09:30",
        "data_categories": ["address"],
        "authority_kind": "administrative_subpoena",
    }
    cli = {
        "show A (CLI)": ("show", a),
        "refuse A (CLI)": (
            "determine",
            a,
            "--determination",
            "refuse",
            "--basis",
            "no-court-process",
        ),
        "make B's release (CLI)": (
            "determine",
            b,
            "--determination",
            "release",
            "--basis",
            "court-process",
            "--release-file",
            str(world.release),
        ),
        "check P (CLI)": ("check", p),
    }
    if case in cli:
        return _cli(world, principal, *cli[case])
    calls = {
        "list requests": lambda: web.get("/data-requests"),
        "open the logging form": lambda: web.get("/data-requests/new"),
        "log through the form": lambda: web.post("/data-requests/new", form),
        "open A": lambda: web.get(f"/data-requests/{a}"),
        "download A's process document": lambda: web.get(
            f"/data-requests/{a}/files/{world.a_document.sha256}"
        ),
        "refuse A": lambda: web.post(
            f"/data-requests/{a}/determine", {"kind": "refuse", "bases": ["no-court-process"]}
        ),
        "make B's release": lambda: web.post(
            f"/data-requests/{b}/determine",
            {
                "kind": "release",
                "bases": ["court-process"],
                "released_file": world.release.open("rb"),
            },
        ),
        "check P": lambda: web.post(f"/data-requests/{p}/check"),
        "send P back": lambda: web.post(
            f"/data-requests/{p}/send-back", {"reason": "a second person's record is in it"}
        ),
        "pause A": lambda: web.post(f"/data-requests/{a}/pause", {"reason": "waiting"}),
        "resume A (paused)": lambda: web.post(f"/data-requests/{a}/resume"),
        "set A's people": lambda: web.post(
            f"/data-requests/{a}/people",
            {
                "owner": world.people["records_clerk_other"].pk,
                "backup": world.people["supervisor"].pk,
            },
        ),
        "remove whom X concerns": lambda: web.post(f"/data-requests/{x}/concerning"),
        "download X's letter": lambda: web.get(f"/data-requests/{x}/letter.pdf"),
        "open the account": lambda: web.get("/data-requests/account"),
        "download the account CSV": lambda: web.get("/data-requests/account.csv"),
        "log through the API": lambda: Client().post(
            "/api/v1/data-requests", SUBPOENA, content_type="application/json", **api
        ),
        "list through the API": lambda: Client().get("/api/v1/data-requests", **api),
        "read A through the API": lambda: Client().get(f"/api/v1/data-requests/{a}", **api),
        "add a file to B through the API": lambda: Client().post(
            f"/api/v1/data-requests/{b}/files?role=released",
            world.release.read_bytes(),
            content_type="application/pdf",
            **api,
        ),
        "refuse A through the API": lambda: Client().post(
            f"/api/v1/data-requests/{a}/determinations",
            {"determination": "refuse", "bases": ["no-court-process"]},
            content_type="application/json",
            **api,
        ),
        "check P through the API": lambda: Client().post(f"/api/v1/data-requests/{p}/check", **api),
        "send P back through the API": lambda: Client().post(
            f"/api/v1/data-requests/{p}/send-back",
            {"reason": "a second person's record is in it"},
            content_type="application/json",
            **api,
        ),
    }
    response = calls[case]()
    assert response.status_code < 500, (case, principal, response.status_code)
    body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
    denied = (
        (case in FOUR_EYES and response.status_code == 422)
        or response.status_code in (401, 403, 404)
        or (response.status_code == 302 and response["Location"].startswith("/sign-in"))
    )
    return not denied, body.decode("utf-8", "replace")


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_desk_matrix(world: World, case: Case, principal: str) -> None:
    allowed, shown = _take(world, principal, case.name)
    assert allowed == (principal in case.allowed), f"{principal} {case.name}: {shown[:300]}"
    if "Library card" in shown:  # whom a request concerns: the desk only
        assert principal in DESK, (principal, case.name)


def test_a_release_with_one_approver_is_impossible_anywhere(world: World) -> None:
    """The maker of P's release cannot also check it: not on the page, the API or the CLI."""
    maker = "records_clerk_other"
    for case in ("check P", "check P through the API", "check P (CLI)"):
        allowed, _ = _take(world, maker, case)
        assert not allowed, case
    world.p.refresh_from_db()
    assert world.p.state == "awaiting_check"


def test_everyone_may_read_the_public_tally(world: World) -> None:
    for principal in PRINCIPALS:
        response = _client(world, principal).get("/data-requests/tally")
        assert response.status_code == 200, principal
        assert "Library card" not in response.content.decode()
