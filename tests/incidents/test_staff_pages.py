"""The staff's pages: the officer's report, the incidents list, an incident with its
findings, its files and its actions; who may see what, and every read in the ledger."""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from eo152.accounts.models import User
from eo152.incidents import evidence, services
from eo152.incidents.models import Evidence, Finding, Incident
from eo152.services.records import site_ledger
from eo152.web.texts import TEXTS

pytestmark = [pytest.mark.db]

#: A body-camera clip as a camera writes one: an MP4 (bytes 4..8 are ``ftyp``).
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 4
#: ICE agents staging at a recreation center, pepper spray on people filming.
FACTS = {
    "agents.agencies": ["ICE_ERO"],
    "activities": ["staging"],
    "location.kind": ["recreation_center"],
    "location.ownership": ["city_owned"],
    "force.kind": ["chemical"],
}


@pytest.fixture(autouse=True)
def _static(collected_static: None) -> None:
    """Pages link the hashed names of the collected static files."""


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _report(**extra: Any) -> dict[str, Any]:
    return {
        "lang": "en",
        "narrative": "Agents sprayed people who were filming from the sidewalk.",
        "at": "2026-11-20T14:30",
        "body_camera": "recording",
        "body_camera_clips": "AXON-0001\nAXON-0002",
        "personnel-0-agency": "ICE_ERO",
        "personnel-0-unit": "Denver field office",
        "personnel-0-badge": "4411",
        "personnel-0-plate": "abc123",
        "personnel-0-plate_state": "co",
        **FACTS,
        **extra,
    }


def _file(client: Client, **extra: Any) -> Incident:
    answer = client.post("/incidents/new", _report(**extra))
    assert answer.status_code == 303, answer.content.decode()[:2000]
    reference = answer["Location"].split("?")[0].rsplit("/", 1)[1]
    return Incident.objects.get(reference=reference)


#: Where this test's entries begin: on PostgreSQL the ledger outlives each test's database.
_FIRST: dict[str, int] = {}


@pytest.fixture(autouse=True)
def _ledger_start(ledger_ready: Path) -> None:
    _FIRST["entry"] = site_ledger().log.tree_size


def _entries() -> list[dict[str, Any]]:
    return [json.loads(e) for _, e in site_ledger().log.entries(_FIRST["entry"])]


def _reads(incident: Incident) -> list[dict[str, Any]]:
    return [
        e
        for e in _entries()
        if e["kind"] == "record.read" and e.get("record_id") == incident.reference
    ]


def test_an_officer_files_with_a_body_camera_clip_and_sees_the_findings(
    make_user: Callable[[str], User],
) -> None:
    officer = make_user("officer")
    client = _client(officer)
    form = client.get("/incidents/new")
    assert form.status_code == 200
    page = form.content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="submission"' in page
    clip = SimpleUploadedFile("clip.mp4", MP4, content_type="video/mp4")
    answer = client.post("/incidents/new", {**_report(), "files": [clip]})
    assert answer.status_code == 303, re.findall(
        r"usa-error-message[^<]*<[^<]*<[^<]*<[^<]*", answer.content.decode()
    )
    incident = Incident.objects.get()
    assert answer["Location"] == f"/incidents/{incident.reference}?lang=en"
    assert incident.source == "officer" and incident.filed_by == officer
    assert incident.body_camera == "recording"
    assert incident.body_camera_clips == ["AXON-0001", "AXON-0002"]
    assert incident.situation["agents"] == {"agencies": ["ICE_ERO"]}
    assert incident.occurred_at is not None and incident.occurred_at.year == 2026
    person = incident.personnel.get()
    assert (person.agency, person.badge, person.plate, person.plate_state) == (
        "ICE_ERO",
        "4411",
        "ABC123",
        "CO",
    )
    stored = Evidence.objects.get(incident=incident)
    assert stored.media_type == "video/mp4" and stored.size == len(MP4)
    assert stored.sha256 == hashlib.sha256(MP4).hexdigest()
    assert site_ledger().store.open(stored.sha256).read() == MP4, "the same bytes kept"
    shown = client.get(answer["Location"])
    assert shown.status_code == 200
    html = shown.content.decode()
    finding = Finding.objects.get(incident=incident)
    broken = [d for d in finding.decision["duties"] if d["violation"] is True]
    if broken:
        assert TEXTS["en"]["decision_broken"] in html
    assert stored.sha256[:8] in html and stored.sha256[-8:] in html and "clip.mp4" in html
    view = client.get(f"/incidents/{incident.reference}/evidence/{stored.pk}")
    assert view.status_code == 200 and view["Content-Type"] == "video/mp4"
    assert view["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(view.streaming_content) == MP4  # type: ignore[attr-defined]
    download = client.get(f"/incidents/{incident.reference}/evidence/{stored.pk}?download=1")
    assert download["Content-Disposition"].startswith("attachment")
    kinds = [e["kind"] for e in _entries()]
    assert kinds.count("custody.viewed") == 1 and kinds.count("custody.downloaded") == 1


def test_the_findings_come_first_and_say_what_to_find_out(
    make_user: Callable[[str], User],
) -> None:
    client = _client(make_user("officer"))
    incident = _file(client)
    html = client.get(f"/incidents/{incident.reference}?lang=es").content.decode()
    verdict = html.index('class="verdict ')
    assert verdict < html.index(TEXTS["es"]["staff_facts_heading"])
    finding = Finding.objects.get(incident=incident)
    if finding.decision["missing_facts"]:
        assert TEXTS["es"]["staff_find_out"] in html
    assert "/facts" not in html, "an officer does not change the facts"


def test_the_list_shows_what_the_account_may_see_newest_first(
    make_user: Callable[[str], User],
) -> None:
    first, second = make_user("officer"), make_user("officer")
    mine = [_file(_client(first)), _file(_client(first))]
    theirs = _file(_client(second))
    html = _client(first).get("/incidents").content.decode()
    assert theirs.reference not in html
    assert html.index(mine[1].reference) < html.index(mine[0].reference)
    assert TEXTS["en"]["staff_file_report"] in html
    monitor_html = _client(make_user("monitor")).get("/incidents?lang=es").content.decode()
    assert all(i.reference in monitor_html for i in (*mine, theirs))
    assert TEXTS["es"]["staff_file_report"] not in monitor_html, "the Monitor files nothing"
    assert re.search(r"\d+ (deberes incumplidos|deber incumplido|sin decidir)", monitor_html) or (
        TEXTS["es"]["staff_count_none"] in monitor_html
    )
    assert not [e for e in _entries() if e["kind"] == "record.read"], "a list is not a read"


def test_an_officer_cannot_open_another_officers_incident(
    make_user: Callable[[str], User],
) -> None:
    incident = _file(_client(make_user("officer")))
    other = _client(make_user("officer"))
    for path in ("", "/facts", "/evidence/1"):
        assert other.get(f"/incidents/{incident.reference}{path}").status_code == 404
    assert other.get("/incidents/R-0000-0000").status_code == 404


@pytest.mark.parametrize("role", ["records_clerk", "administrator"])
def test_roles_that_read_no_incident_cannot_open_one(
    make_user: Callable[[str], User], role: str
) -> None:
    incident = _file(_client(make_user("officer")))
    client = _client(make_user(role))
    assert client.get(f"/incidents/{incident.reference}").status_code == 404
    assert client.get("/incidents").status_code == 403
    assert client.get("/incidents/new").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, ledger_ready: object) -> None:
    for path in ("/incidents", "/incidents/new?lang=es", "/incidents/R-0000-0000"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer["Location"].startswith("/sign-in?lang=")


def _confidential() -> Incident:
    """A public, confidential report with a contact and a photo."""
    intake = services.Intake(
        source="public",
        situation={"agents": {"agencies": ["ICE_ERO"]}},
        narrative="I saw it.",
        reporting="confidential",
        contact=services.ContactDetails(name="Ana Reporter", phone="303-555-0142"),
    )
    incident = services.file_incident(intake, by=None).incident
    with tempfile.TemporaryDirectory() as folder:
        photo = Path(folder) / "p.jpg"
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, "JPEG")
        photo.write_bytes(buffer.getvalue())
        evidence.attach(incident, photo, by=None, claimed_type="image/jpeg")
    return incident


def test_the_monitor_sees_everything_but_the_contact(make_user: Callable[[str], User]) -> None:
    incident = _confidential()
    html = _client(make_user("monitor")).get(f"/incidents/{incident.reference}").content.decode()
    assert "I saw it." in html
    assert "Ana Reporter" not in html and "303-555-0142" not in html
    assert "original=1" not in html
    item = Evidence.objects.get(incident=incident)
    original = f"/incidents/{incident.reference}/evidence/{item.pk}?original=1"
    assert _client(make_user("monitor")).get(original).status_code == 404


def test_only_the_assigned_investigator_sees_the_contact_and_the_original(
    make_user: Callable[[str], User],
) -> None:
    incident = _confidential()
    supervisor, assigned, other = (
        make_user("supervisor"),
        make_user("investigator"),
        make_user("investigator"),
    )
    boss = _client(supervisor)
    assert (
        TEXTS["en"]["staff_assign"] in boss.get(f"/incidents/{incident.reference}").content.decode()
    )
    answer = boss.post(f"/incidents/{incident.reference}/assign", {"investigator": assigned.pk})
    assert answer.status_code == 303
    html = _client(other).get(f"/incidents/{incident.reference}").content.decode()
    assert "Ana Reporter" not in html
    html = _client(assigned).get(f"/incidents/{incident.reference}").content.decode()
    assert "Ana Reporter" in html and "303-555-0142" in html
    item = Evidence.objects.get(incident=incident)
    original = f"/incidents/{incident.reference}/evidence/{item.pk}?original=1"
    assert _client(assigned).get(original).status_code == 200
    assert _client(other).get(original).status_code == 404
    parts = [e["part"] for e in _reads(incident) if e["actor"] == assigned.actor]
    assert "contact" in parts and "page" in parts


def test_an_investigator_triages_changes_the_facts_and_closes(
    make_user: Callable[[str], User],
) -> None:
    incident = _file(_client(make_user("officer")))
    investigator = _client(make_user("investigator"))
    page = investigator.get(f"/incidents/{incident.reference}").content.decode()
    assert TEXTS["en"]["case_triage_submit"] in page
    triaged = investigator.post(f"/incidents/{incident.reference}/triage", {"why": "read it"})
    assert triaged.status_code == 303
    facts = investigator.get(f"/incidents/{incident.reference}/facts")
    assert (
        facts.status_code == 200 and 'value="recreation_center" selected' in facts.content.decode()
    )
    changed = {**FACTS, "lang": "en", "narrative": "Later: two cans of spray.", "injuries": "true"}
    changed["location.kind"] = ["library"]
    answer = investigator.post(f"/incidents/{incident.reference}/facts", changed)
    assert answer.status_code == 303
    incident.refresh_from_db()
    assert incident.situation["location"]["kind"] == "library"
    assert incident.narrative == "Later: two cans of spray."
    assert Finding.objects.filter(incident=incident).count() == 2
    closed = investigator.post(
        f"/incidents/{incident.reference}/close",
        {"reason": "no_violation", "close_why": "no rule applies"},
    )
    assert closed.status_code == 303
    incident.refresh_from_db()
    assert (incident.state, incident.closed_reason) == ("closed", "no_violation")
    again = investigator.post(
        f"/incidents/{incident.reference}/close", {"reason": "resolved", "close_why": "again"}
    )
    assert again.status_code == 422


def test_who_may_not_act_is_refused(make_user: Callable[[str], User]) -> None:
    officer = make_user("officer")
    incident = _file(_client(officer))
    monitor = _client(make_user("monitor"))
    for action in ("triage", "close", "assign"):
        assert monitor.post(f"/incidents/{incident.reference}/{action}").status_code == 403
    assert monitor.get(f"/incidents/{incident.reference}/facts").status_code == 403
    assert _client(officer).post(f"/incidents/{incident.reference}/triage").status_code == 403


def test_bad_reports_store_nothing_and_say_why(make_user: Callable[[str], User]) -> None:
    client = _client(make_user("officer"))
    fake = SimpleUploadedFile("clip.mp4", b"<html><script>x</script></html>", "video/mp4")
    bad = {
        **_report(),
        "narrative": "",
        "at": "",
        "body_camera": "sideways",
        "personnel-1-badge": "99",
        "personnel-0-plate_state": "Colorado",
        "files": [fake],
    }
    answer = client.post("/incidents/new", bad)
    assert answer.status_code == 422
    html = answer.content.decode()
    texts = TEXTS["en"]
    for key in (
        "staff_error_narrative",
        "staff_error_time",
        "staff_error_body_camera",
        "staff_error_agency",
        "staff_error_plate_state",
    ):
        assert texts[key] in html, key
    assert texts["staff_error_file_type"].format(name="clip.mp4").split("”")[0] in html
    assert 'value="99"' in html, "what was typed is kept"
    assert Incident.objects.count() == 0 and Evidence.objects.count() == 0
    assert not [e for e in _entries() if e["kind"].startswith(("record.", "evidence"))]


def test_a_time_in_the_future_is_refused(make_user: Callable[[str], User]) -> None:
    client = _client(make_user("officer"))
    answer = client.post("/incidents/new", _report(at="2999-01-01T10:00"))
    assert answer.status_code == 422
    assert TEXTS["en"]["staff_error_future"] in answer.content.decode()
    assert Incident.objects.count() == 0


def test_a_double_submit_files_one_incident(make_user: Callable[[str], User]) -> None:
    client = _client(make_user("officer"))
    data = _report(submission="ab" * 16)
    first, second = client.post("/incidents/new", data), client.post("/incidents/new", data)
    assert first["Location"] == second["Location"]
    assert Incident.objects.count() == 1


def test_script_in_the_narrative_is_shown_escaped(make_user: Callable[[str], User]) -> None:
    client = _client(make_user("officer"))
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    incident = _file(
        client,
        narrative=attack,
        **{"personnel-0-unit": "<b>unit</b>", "body_camera_clips": "<i>clip</i>"},
    )
    html = client.get(f"/incidents/{incident.reference}").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<b>unit</b>" not in html and "<i>clip</i>" not in html
    facts = _client(make_user("investigator")).get(f"/incidents/{incident.reference}/facts")
    assert "<script>alert" not in facts.content.decode()


def test_every_read_is_in_the_ledger_under_the_accounts_number(
    make_user: Callable[[str], User],
) -> None:
    officer, monitor = make_user("officer"), make_user("monitor")
    incident = _file(_client(officer))
    _client(officer).get(f"/incidents/{incident.reference}")
    _client(monitor).get(f"/incidents/{incident.reference}?lang=es")
    reads = _reads(incident)
    assert [(e["actor"], e["part"]) for e in reads] == [
        (officer.actor, "page"),
        (monitor.actor, "page"),
    ]
    text = json.dumps(_entries())
    for secret in (officer.username, monitor.username, incident.narrative):
        assert secret not in text, "the ledger holds account numbers, never names or words"


def test_every_post_needs_the_csrf_token(make_user: Callable[[str], User]) -> None:
    officer, investigator, supervisor = (
        make_user("officer"),
        make_user("investigator"),
        make_user("supervisor"),
    )
    incident = _file(_client(officer))
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(officer)
    assert checked.post("/incidents/new", _report()).status_code == 403
    checked.force_login(investigator)
    for action in ("triage", "close", "facts"):
        assert checked.post(f"/incidents/{incident.reference}/{action}").status_code == 403
    checked.force_login(supervisor)
    assert checked.post(f"/incidents/{incident.reference}/assign").status_code == 403
    assert Incident.objects.count() == 1
    incident.refresh_from_db()
    assert incident.state == "received" and incident.assigned_investigator is None


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_pages_speak_the_language_asked(make_user: Callable[[str], User], lang: str) -> None:
    client = _client(make_user("officer"))
    incident = _file(client)
    texts = TEXTS[lang]
    assert texts["staff_list_title"] in client.get(f"/incidents?lang={lang}").content.decode()
    form = client.get(f"/incidents/new?lang={lang}").content.decode()
    assert texts["staff_report_title"] in form and texts["staff_section_people"] in form
    page = client.get(f"/incidents/{incident.reference}?lang={lang}").content.decode()
    assert f'<html lang="{lang}">' in page and texts["staff_facts_heading"] in page


def test_a_change_of_facts_keeps_what_the_form_does_not_ask(
    make_user: Callable[[str], User],
) -> None:
    """A system's own reference (``id``) and the jurisdiction came by the API: the form
    does not ask them, and saving it keeps them."""
    situation = {"id": "CAD-2026-0042", "jurisdiction": "denver", "activities": ["staging"]}
    intake = services.Intake(source="hotline", situation=situation, narrative="Seen at 9.")
    incident = services.file_incident(intake, by=make_user("intake")).incident
    investigator = _client(make_user("investigator"))
    answer = investigator.post(
        f"/incidents/{incident.reference}/facts",
        {"lang": "en", "activities": ["staging"], "force.kind": ["chemical"]},
    )
    assert answer.status_code == 303
    incident.refresh_from_db()
    assert incident.situation["id"] == "CAD-2026-0042"
    assert incident.situation["jurisdiction"] == "denver"
    assert incident.situation["force"] == {"kind": "chemical"}
    assert incident.narrative == "Seen at 9.", "a form without the narrative leaves it"


def test_the_place_by_address_or_by_point(make_user: Callable[[str], User]) -> None:
    client = _client(make_user("officer"))
    unknown = {"location.kind": [""], "location.ownership": [""]}
    by_address = _file(client, **unknown, **{"location.address": "1437 Bannock St"})
    assert by_address.situation["location"] == {"address": "1437 Bannock St"}
    html = client.get(f"/incidents/{by_address.reference}").content.decode()
    assert "1437 Bannock St" in html
    point = {"location.lat": "39.7392", "location.lon": "-104.9903"}
    by_point = _file(client, **unknown, **point)
    assert by_point.situation["location"] == {"lat": 39.7392, "lon": -104.9903}
    bad = client.post("/incidents/new", _report(**{"location.lat": "north"}))
    assert bad.status_code == 422
    assert TEXTS["en"]["error_not_a_number"] in bad.content.decode()


def test_the_language_switch_keeps_what_was_typed(make_user: Callable[[str], User]) -> None:
    client = _client(make_user("officer"))
    answer = client.post("/incidents/new", {**_report(), "switch_lang": "es"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert '<html lang="es">' in html and TEXTS["es"]["staff_report_title"] in html
    assert "Agents sprayed people who were filming" in html and 'value="4411"' in html
    assert Incident.objects.count() == 0, "switching the language files nothing"
