"""Every (principal, page or endpoint, action) and what it must get, written out by hand.

The expected outcomes are this file's own table, not read from ``permissions.py``: the
test is what a reviewer checks the rules against. A principal is a role, or a role in a
relation to the record (the officer who filed it, the investigator assigned to it), or
nobody signed in. Every address the site answers must be in this table or in
``OPEN_TO_ALL``, so a new page cannot arrive without its row.

The world: ``O``, filed by ``officer`` with a text file; ``P``, a public confidential
report with a photo, assigned to ``investigator``; ``T`` triaged and ``V`` verified (each
awaiting its next step); ``C`` a case under investigation by ``investigator`` with three
referrals: ``D`` a draft, ``S`` signed off, ``R`` sent to the Denver DA. What a role may not see never appears
in its HTML or JSON: the confidential contact and the photo as sent are checked on every
answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from PIL import Image
from typer.testing import CliRunner

from eo152.accounts import tokens
from eo152.accounts.models import User
from eo152.cli import app
from eo152.incidents import evidence, services, workflow
from eo152.referrals import services as referrals

pytestmark = [pytest.mark.db]

PRINCIPALS = (
    "anonymous",
    "officer",  # filed O
    "officer_other",
    "intake",
    "supervisor",
    "investigator",  # assigned to P
    "investigator_other",
    "monitor",
    "city_attorney",
    "records_clerk",
    "administrator",
    "prosecutor_da",
    "prosecutor_ag",
)
ROLE = {
    "officer_other": "officer",
    "investigator_other": "investigator",
    "prosecutor_da": "prosecutor",
    "prosecutor_ag": "prosecutor",
}
OFFICE = {"prosecutor_da": "denver_da", "prosecutor_ag": "colorado_ag"}
CONTACT = {"name": "Rosa Contacto", "phone": "720-555-0142", "email": "rosa@example.org"}
SITUATION = {
    "agents": {"agencies": ["ICE_ERO"], "masked": True},
    "activities": ["staging"],
    "location": {"ownership": "city_owned", "kind": "recreation_center", "area": "public"},
}

EVERYONE_SIGNED_IN = frozenset(PRINCIPALS) - {"anonymous"}
FILERS = frozenset(
    {"officer", "officer_other", "intake", "supervisor", "investigator", "investigator_other"}
)
READ_ALL = frozenset(
    {"supervisor", "investigator", "investigator_other", "monitor", "city_attorney"}
)
LISTERS = FILERS | READ_ALL
CHANGERS = frozenset({"supervisor", "investigator", "investigator_other"})
CASE_WORKERS = frozenset({"supervisor", "investigator"})  # the assigned investigator
READ_SENT_TO_DA = READ_ALL | {"prosecutor_da"}


@dataclass(frozen=True)
class Case:
    """One address and action, and the principals that may take it."""

    name: str
    pattern: str  # the URL pattern it exercises (for the completeness check)
    allowed: frozenset[str]


CASES = (
    Case("list incidents", "incidents", LISTERS),
    Case("open the report form", "incidents/new", FILERS),
    Case("file through the form", "incidents/new", FILERS),
    Case("open O", "incidents/<str:reference>", READ_ALL | {"officer"}),
    Case("open P", "incidents/<str:reference>", READ_ALL),
    Case("open O's facts", "incidents/<str:reference>/facts", CHANGERS),
    Case("change O's facts", "incidents/<str:reference>/facts", CHANGERS),
    Case(
        "view O's file",
        "incidents/<str:reference>/evidence/<int:evidence_id>",
        READ_ALL | {"officer"},
    ),
    Case("view P's photo", "incidents/<str:reference>/evidence/<int:evidence_id>", READ_ALL),
    Case(
        "view P's photo as sent",
        "incidents/<str:reference>/evidence/<int:evidence_id>",
        frozenset({"investigator"}),
    ),
    Case("assign P", "incidents/<str:reference>/assign", frozenset({"supervisor"})),
    Case("triage P", "incidents/<str:reference>/triage", CHANGERS),
    Case("mark P a duplicate of O", "incidents/<str:reference>/duplicate", CHANGERS),
    Case("verify T", "incidents/<str:reference>/verify", CHANGERS),
    Case("open an investigation of V", "incidents/<str:reference>/investigation", CHANGERS),
    Case("close P", "incidents/<str:reference>/close", CHANGERS),
    Case("open C's case", "incidents/<str:reference>/case", READ_ALL),
    Case(
        "finish a task of C",
        "incidents/<str:reference>/case/tasks/<int:task_id>/done",
        CASE_WORKERS,
    ),
    Case("add a task to C", "incidents/<str:reference>/case/tasks", CASE_WORKERS),
    Case("add a note to C", "incidents/<str:reference>/case/notes", CASE_WORKERS),
    Case("add an event to C", "incidents/<str:reference>/case/timeline", CASE_WORKERS),
    Case("open the referral form of C", "incidents/<str:reference>/referrals/new", CASE_WORKERS),
    Case("refer C", "incidents/<str:reference>/referrals/new", CASE_WORKERS),
    Case("list referrals", "referrals", READ_ALL | {"prosecutor_da", "prosecutor_ag"}),
    Case("open the draft D", "referrals/<str:reference>", READ_ALL),
    Case("open R, sent to the DA", "referrals/<str:reference>", READ_SENT_TO_DA),
    Case(
        "sign off D (made by investigator)",
        "referrals/<str:reference>/sign-off",
        frozenset({"supervisor", "investigator_other"}),
    ),
    Case("send S", "referrals/<str:reference>/send", CASE_WORKERS),
    Case("acknowledge R", "referrals/<str:reference>/acknowledge", frozenset({"prosecutor_da"})),
    Case(
        "download R's packet",
        "referrals/<str:reference>/packet",
        frozenset({"supervisor", "investigator", "investigator_other", "monitor", "prosecutor_da"}),
    ),
    Case("make a referral through the API", "api/v1/referrals", CASE_WORKERS),
    Case("read R through the API", "api/v1/referrals/<str:reference>", READ_SENT_TO_DA),
    Case(
        "sign off D through the API",
        "api/v1/referrals/<str:reference>/sign-off",
        frozenset({"supervisor", "investigator_other"}),
    ),
    Case("send S through the API", "api/v1/referrals/<str:reference>/send", CASE_WORKERS),
    Case(
        "acknowledge R through the API",
        "api/v1/referrals/<str:reference>/acknowledge",
        frozenset({"prosecutor_da"}),
    ),
    Case("list referrals (CLI)", "", READ_ALL | {"prosecutor_da", "prosecutor_ag"}),
    Case("file through the API", "api/v1/incidents", FILERS),
    Case("read O through the API", "api/v1/incidents/<str:reference>", READ_ALL | {"officer"}),
    Case("read P through the API", "api/v1/incidents/<str:reference>", READ_ALL),
    Case("read O's audit trail (CLI)", "", frozenset({"monitor", "supervisor"})),
    Case("list incidents (CLI)", "", LISTERS),
)

#: Pages and endpoints with no account behind them: the field guide, the law, the places,
#: the public report and its status, the decisions API, health, sign-in.
OPEN_TO_ALL = {
    "",
    "guide/<slug:scenario>/check",
    "guide/<slug:scenario>/<slug:step>",
    "resident",
    "all",
    "decision",
    "places",
    "law",
    "report",
    "report/status",
    "report/receipt.json",
    "report/new",
    "report/<slug:step>",
    "healthz",
    "sign-in",
    "sign-out",
    "api/v1/decisions",
    "api/v1/policy",
    "api/v1/places/lookup",
    "api/v1/places/layers",
    "api/v1/places/layers/<str:layer_id>.geojson",
    "api/v1/openapi.json",
    "api/v1/docs",
}

# -- tabletop exercises (eo152/exercises): the running pages ---------------------------------
#: Players join and answer with a code and no account: open to all (their own cookie names
#: the player; test_exercise_pages below checks that no principal's account matters).
EXERCISE_CODE = "(?P<code>[0-9A-Za-z]{6})"
EXERCISE_PLAYERS = {"play", f"^play/{EXERCISE_CODE}$", f"^play/{EXERCISE_CODE}/status\\.json$"}
OPEN_TO_ALL |= EXERCISE_PLAYERS
#: The facilitator's pages and steps (GET or POST), for trainers only: ``exercises.facilitate``.
EXERCISE_FACILITATORS = frozenset({"supervisor", "city_attorney", "administrator"})
EXERCISE_PAGES = {
    "exercises": "GET",
    f"^exercises/{EXERCISE_CODE}$": "GET",
    f"^exercises/{EXERCISE_CODE}/status\\.json$": "GET",
    f"^exercises/{EXERCISE_CODE}/hot-wash$": "GET",
    f"^exercises/{EXERCISE_CODE}/report\\.pdf$": "GET",
    f"^exercises/{EXERCISE_CODE}/report\\.csv$": "GET",
    f"^exercises/{EXERCISE_CODE}/release$": "POST",
    f"^exercises/{EXERCISE_CODE}/pause$": "POST",
    f"^exercises/{EXERCISE_CODE}/resume$": "POST",
    f"^exercises/{EXERCISE_CODE}/skip$": "POST",
    f"^exercises/{EXERCISE_CODE}/notes$": "POST",
    f"^exercises/{EXERCISE_CODE}/actions$": "POST",
    f"^exercises/{EXERCISE_CODE}/finish$": "POST",
}
# -- end of tabletop exercises ----------------------------------------------------------------


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("oidc/"):  # the sign-on's own callbacks, when configured
                yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def test_every_address_is_in_the_matrix_or_open_to_all() -> None:
    """This table, or the data-request desk's (tests/datarequests/test_permission_matrix.py)."""
    from tests.datarequests import test_permission_matrix as desk

    cases = (*CASES, *desk.CASES)
    covered = {case.pattern for case in cases} | OPEN_TO_ALL | desk.OPEN_TO_ALL
    covered |= set(EXERCISE_PAGES)  # tabletop exercises: test_exercise_pages
    assert set(_patterns()) - covered == set()
    assert {case.pattern for case in cases if case.pattern} - set(_patterns()) == set()


# -- the world each case runs in -----------------------------------------------------------


@dataclass
class World:
    people: dict[str, User]
    o: Any
    p: Any
    o_file: Any
    p_photo: Any
    t: Any
    v: Any
    c: Any
    c_file: Any
    d: Any
    s: Any
    r: Any


@pytest.fixture
def world(db: None, ledger_ready: Path, collected_static: None, tmp_path: Path) -> World:
    people = {
        name: User.objects.create_user(
            name, password=None, role=ROLE.get(name, name), office=OFFICE.get(name, "")
        )
        for name in PRINCIPALS
        if name != "anonymous"
    }
    officer, investigator = people["officer"], people["investigator"]
    supervisor = people["supervisor"]

    def filed(narrative: str) -> Any:
        intake = services.Intake(source="officer", situation=SITUATION, narrative=narrative)
        return services.file_incident(intake, by=officer).incident

    o = filed("Vans at the center")
    notes = tmp_path / "notes.txt"
    notes.write_text("Two vans, plates CO ABC-123.")
    o_file = evidence.attach(o, notes, by=officer, claimed_type="text/plain")
    p = services.file_incident(
        services.Intake(
            source="public",
            situation=SITUATION,
            reporting="confidential",
            contact=services.ContactDetails(**CONTACT),
            narrative="I saw them",
        ),
        by=None,
    ).incident
    photo = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (32, 24), (10, 200, 10)).save(photo, "JPEG", exif=exif)
    p_photo = evidence.attach(p, photo, by=None, claimed_type="image/jpeg")
    services.assign(supervisor, p, investigator)
    p.refresh_from_db()
    t, v, c = filed("triaged"), filed("verified"), filed("a case")
    c_file = evidence.attach(c, notes, by=officer, claimed_type="text/plain")
    for incident in (t, v, c):
        workflow.triage(investigator, incident, "read")
    for incident in (v, c):
        workflow.verify(investigator, incident, "called")
        workflow.verify(supervisor, incident, "saw it")
    workflow.open_investigation(
        supervisor, c, investigator, timezone.localdate() + timedelta(days=7), "felony"
    )
    c.refresh_from_db()
    d, s_, r = (
        referrals.create(investigator, c, "denver_da", "robbery", evidence=[c_file])
        for _ in range(3)
    )
    for signed in (s_, r):
        referrals.sign_off(supervisor, signed)
    referrals.send(investigator, r)
    for referral in (d, s_, r):
        referral.refresh_from_db()
    return World(people, o, p, o_file, p_photo, t, v, c, c_file, d, s_, r)


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
    token = tokens.create(world.people[principal]).token if principal != "anonymous" else ""
    run = CliRunner().invoke(app, [*args, "--json", *(["--token", token] if token else [])])
    return run.exit_code == 0, run.output


def _take(world: World, principal: str, case: str) -> tuple[bool, str]:
    """Take the action as ``principal``: whether it was allowed, and what came back."""
    web = _client(world, principal)
    o, p, c = world.o.reference, world.p.reference, world.c.reference
    form = {"narrative": "Established: three agents.", "submission": "x"}
    web_calls = {
        "list incidents": lambda: web.get("/incidents"),
        "open the report form": lambda: web.get("/incidents/new"),
        "file through the form": lambda: web.post("/incidents/new", {"narrative": "Seen."}),
        "open O": lambda: web.get(f"/incidents/{o}"),
        "open P": lambda: web.get(f"/incidents/{p}"),
        "open O's facts": lambda: web.get(f"/incidents/{o}/facts"),
        "change O's facts": lambda: web.post(f"/incidents/{o}/facts", form),
        "view O's file": lambda: web.get(f"/incidents/{o}/evidence/{world.o_file.pk}"),
        "view P's photo": lambda: web.get(f"/incidents/{p}/evidence/{world.p_photo.pk}"),
        "view P's photo as sent": lambda: web.get(
            f"/incidents/{p}/evidence/{world.p_photo.pk}?original=1"
        ),
        "assign P": lambda: web.post(
            f"/incidents/{p}/assign", {"investigator": world.people["investigator_other"].pk}
        ),
        "triage P": lambda: web.post(f"/incidents/{p}/triage", {"why": "read it"}),
        "mark P a duplicate of O": lambda: web.post(
            f"/incidents/{p}/duplicate", {"duplicate_of": o, "duplicate_why": "same vans"}
        ),
        "verify T": lambda: web.post(f"/incidents/{world.t.reference}/verify", {"how": "called"}),
        "open an investigation of V": lambda: web.post(
            f"/incidents/{world.v.reference}/investigation",
            {
                "assignee": world.people["investigator"].pk,
                "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
                "open_why": "a felony",
            },
        ),
        "open C's case": lambda: web.get(f"/incidents/{c}/case"),
        "finish a task of C": lambda: web.post(
            f"/incidents/{c}/case/tasks/{world.c.investigation.tasks.first().pk}/done",
            {"note": "done"},
        ),
        "add a task to C": lambda: web.post(f"/incidents/{c}/case/tasks", {"kind": "canvass"}),
        "add a note to C": lambda: web.post(f"/incidents/{c}/case/notes", {"text": "a note"}),
        "add an event to C": lambda: web.post(
            f"/incidents/{c}/case/timeline",
            {"happened_at": "2026-03-10T14:30", "what": "the agents arrived"},
        ),
        "open the referral form of C": lambda: web.get(f"/incidents/{c}/referrals/new"),
        "refer C": lambda: web.post(
            f"/incidents/{c}/referrals/new",
            {
                "offense": "robbery",
                "office": "denver_da",
                "language": "en",
                f"include-{world.c_file.pk}": "on",
            },
        ),
        "list referrals": lambda: web.get("/referrals"),
        "open the draft D": lambda: web.get(f"/referrals/{world.d.reference}"),
        "open R, sent to the DA": lambda: web.get(f"/referrals/{world.r.reference}"),
        "sign off D (made by investigator)": lambda: web.post(
            f"/referrals/{world.d.reference}/sign-off"
        ),
        "send S": lambda: web.post(f"/referrals/{world.s.reference}/send"),
        "acknowledge R": lambda: web.post(f"/referrals/{world.r.reference}/acknowledge"),
        "download R's packet": lambda: web.get(f"/referrals/{world.r.reference}/packet"),
        "make a referral through the API": lambda: Client().post(
            "/api/v1/referrals",
            {
                "incident": c,
                "office": "denver_da",
                "offense": "robbery",
                "evidence": [world.c_file.sha256],
            },
            content_type="application/json",
            **_bearer(world, principal),
        ),
        "read R through the API": lambda: Client().get(
            f"/api/v1/referrals/{world.r.reference}", **_bearer(world, principal)
        ),
        "sign off D through the API": lambda: Client().post(
            f"/api/v1/referrals/{world.d.reference}/sign-off", **_bearer(world, principal)
        ),
        "send S through the API": lambda: Client().post(
            f"/api/v1/referrals/{world.s.reference}/send", **_bearer(world, principal)
        ),
        "acknowledge R through the API": lambda: Client().post(
            f"/api/v1/referrals/{world.r.reference}/acknowledge", **_bearer(world, principal)
        ),
        "close P": lambda: web.post(
            f"/incidents/{p}/close", {"reason": "duplicate", "close_why": "reported twice"}
        ),
        "file through the API": lambda: Client().post(
            "/api/v1/incidents",
            {"situation": SITUATION, "source": "officer", "narrative": "API"},
            content_type="application/json",
            **_bearer(world, principal),
        ),
        "read O through the API": lambda: Client().get(
            f"/api/v1/incidents/{o}", **_bearer(world, principal)
        ),
        "read P through the API": lambda: Client().get(
            f"/api/v1/incidents/{p}", **_bearer(world, principal)
        ),
    }
    if case == "read O's audit trail (CLI)":
        return (
            (False, "")
            if principal == "anonymous"
            else _cli(world, principal, "incidents", "audit", o)
        )
    if case == "list referrals (CLI)":
        return (
            (False, "") if principal == "anonymous" else _cli(world, principal, "referrals", "list")
        )
    if case == "list incidents (CLI)":
        return (
            (False, "") if principal == "anonymous" else _cli(world, principal, "incidents", "list")
        )
    response = web_calls[case]()
    body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
    # The maker of a referral holds the permission to sign off but is refused by the rule
    # of four eyes: a 422 that names it. Elsewhere a 422 is a form the user may send.
    maker_refused = case.startswith("sign off D") and response.status_code == 422
    denied = (
        maker_refused
        or response.status_code in (401, 403, 404)
        or (response.status_code == 302 and response["Location"].startswith("/sign-in"))
    )
    assert response.status_code < 500, (case, principal, response.status_code)
    return not denied, body.decode("utf-8", "replace")


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_matrix(world: World, case: Case, principal: str) -> None:
    allowed, shown = _take(world, principal, case.name)
    assert allowed == (principal in case.allowed), f"{principal} {case.name}"
    for value in CONTACT.values():  # the contact: the assigned investigator's page only
        if value in shown:
            assert (principal, case.name) == ("investigator", "open P"), (principal, case.name)
    if world.p_photo.sha256 in shown:  # the photo as sent: its digest shown to its viewer only
        assert principal == "investigator", (principal, case.name)


# -- tabletop exercises (eo152/exercises): every principal on every running page ------------


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_exercise_pages(db: None, ledger_ready: Path, principal: str) -> None:
    """Each facilitator's page and step for trainers only (a step refused for its state is
    a 422 the trainer may send); the players' pages the same for everyone."""
    from eo152.exercises import services as exercises

    trainer = User.objects.create_user("trainer", password=None, role="supervisor")
    code = exercises.open_exercise(trainer, "staging-rec-center").code
    client = Client()
    if principal != "anonymous":
        client.force_login(
            User.objects.create_user(
                principal,
                password=None,
                role=ROLE.get(principal, principal),
                office=OFFICE.get(principal, ""),
            )
        )
    for pattern, method in EXERCISE_PAGES.items():
        address = "/" + pattern.strip("^$").replace(EXERCISE_CODE, code).replace("\\", "")
        response = client.get(address) if method == "GET" else client.post(address)
        assert response.status_code < 500, (principal, address)
        denied = response.status_code in (401, 403, 404) or (
            response.status_code == 302 and response["Location"].startswith("/sign-in")
        )
        assert (not denied) == (principal in EXERCISE_FACILITATORS), (principal, address)
    assert client.get(f"/play?code={code}").status_code == 200
    assert client.get(f"/play/{code}").status_code == 303  # not a player: to the join form
