"""The incident page's workflow (triage, duplicate, two verifications, open the case, close)
and the case page (tasks, notes, timeline, actors, custody, undecided duties): each action,
each refusal in plain words, who may not, CSRF, and text shown escaped."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from eo152.accounts.models import User
from eo152.incidents import evidence, services, workflow
from eo152.incidents.models import Incident, Investigation, Note, Task
from eo152.services.records import site_ledger
from eo152.web.texts import TEXTS

pytestmark = [pytest.mark.db]

#: Shots fired at an observer by ICE agents at a City recreation center: the findings leave
#: some duties waiting on facts.
SHOOTING = {
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "force": {"kind": "firearm", "target": "observer", "ongoing": False},
    "injuries": [{"person": "observer", "severity": "serious"}],
    "location": {"ownership": "city_owned", "kind": "recreation_center", "area": "public"},
}
EN = TEXTS["en"]


@pytest.fixture(autouse=True)
def _static(collected_static: None) -> None:
    """Pages link the hashed names of the collected static files."""


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _incident(officer: User, tmp_path: Path | None = None) -> Incident:
    intake = services.Intake(
        source="officer",
        situation=SHOOTING,
        narrative="Shots at a car.",
        personnel=[services.PersonSeen("ICE_ERO", unit="ERO Denver", badge="4411", plate="ABC123")],
    )
    incident = services.file_incident(intake, by=officer).incident
    if tmp_path is not None:
        path = tmp_path / "statement.txt"
        path.write_text("Witness statement.")
        evidence.attach(incident, path, by=officer, claimed_type="text/plain", label="Statement")
    return incident


def _post(client: Client, incident: Incident, action: str, **data: str) -> Any:
    return client.post(f"/incidents/{incident.reference}/{action}", {"lang": "en", **data})


def _under_investigation(make_user: Callable[[str], User], tmp_path: Path) -> tuple[Any, ...]:
    officer, investigator, supervisor = (
        make_user("officer"),
        make_user("investigator"),
        make_user("supervisor"),
    )
    incident = _incident(officer, tmp_path)
    workflow.triage(investigator, incident, "a shooting")
    workflow.verify(investigator, incident, "spoke with the officer")
    workflow.verify(supervisor, incident, "saw the clip")
    due = timezone.localdate() + timedelta(days=14)
    workflow.open_investigation(supervisor, incident, investigator, due, "felony")
    incident.refresh_from_db()
    return officer, investigator, supervisor, incident


def test_triage_links_related_reports_and_keeps_who_and_why(
    make_user: Callable[[str], User],
) -> None:
    officer, investigator = make_user("officer"), make_user("investigator")
    incident, other = _incident(officer), _incident(officer)
    client = _client(investigator)
    page = client.get(f"/incidents/{incident.reference}").content.decode()
    assert EN["case_triage_submit"] in page and EN["case_verify_submit"] not in page
    answer = _post(client, incident, "triage", why="read it, same car", related=other.reference)
    assert answer.status_code == 303
    assert answer["Location"] == f"/incidents/{incident.reference}?lang=en"
    incident.refresh_from_db()
    assert incident.state == "triaged" and list(incident.linked.all()) == [other]
    page = client.get(f"/incidents/{incident.reference}").content.decode()
    assert "read it, same car" in page and investigator.username in page
    assert f'href="/incidents/{other.reference}?lang=en"' in page
    assert EN["case_verify_submit"] in page and EN["case_triage_submit"] not in page


def test_triage_refusals_say_what_to_fix(make_user: Callable[[str], User]) -> None:
    officer, investigator = make_user("officer"), make_user("investigator")
    incident = _incident(officer)
    client = _client(investigator)
    unknown = _post(client, incident, "triage", why="read", related="IN-ZZZZ-ZZZZ")
    assert unknown.status_code == 422
    text = unknown.content.decode()
    assert EN["error_summary_title"] in text and 'href="#related"' in text
    assert EN["case_error_reference"].format(reference="IN-ZZZZ-ZZZZ") in text
    no_why = _post(client, incident, "triage", why=" ")
    assert no_why.status_code == 422 and EN["case_error_why"] in no_why.content.decode()
    incident.refresh_from_db()
    assert incident.state == "received"


def test_two_different_people_verify(make_user: Callable[[str], User]) -> None:
    officer, investigator, supervisor = (
        make_user("officer"),
        make_user("investigator"),
        make_user("supervisor"),
    )
    incident = _incident(officer)
    workflow.triage(investigator, incident, "read")
    first = _client(investigator)
    assert _post(first, incident, "verify", how="spoke with the officer").status_code == 303
    page = first.get(f"/incidents/{incident.reference}").content.decode()
    assert EN["case_verify_yours"] in page and "spoke with the officer" in page
    again = _post(first, incident, "verify", how="again")
    assert again.status_code == 422 and EN["case_error_second"] in again.content.decode()
    second = _client(supervisor)
    assert _post(second, incident, "verify", how="saw the clip").status_code == 303
    incident.refresh_from_db()
    assert incident.state == "verified" and incident.verifications.count() == 2
    assert EN["case_open_submit"] in second.get(f"/incidents/{incident.reference}").content.decode()


def test_a_supervisor_opens_the_investigation_with_a_due_date(
    make_user: Callable[[str], User],
) -> None:
    officer, investigator, supervisor = (
        make_user("officer"),
        make_user("investigator"),
        make_user("supervisor"),
    )
    incident = _incident(officer)
    workflow.triage(investigator, incident, "read")
    workflow.verify(investigator, incident, "one")
    workflow.verify(supervisor, incident, "two")
    client = _client(supervisor)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    late = _post(
        client, incident, "investigation", assignee=str(investigator.pk), due_on=past, open_why="x"
    )
    assert late.status_code == 422 and EN["case_error_due_past"] in late.content.decode()
    nobody = _post(client, incident, "investigation", assignee="", due_on="", open_why="x")
    text = nobody.content.decode()
    assert nobody.status_code == 422
    assert EN["case_error_assignee"] in text and EN["case_error_due_on"] in text
    not_one = _post(
        client,
        incident,
        "investigation",
        assignee=str(officer.pk),
        due_on=(timezone.localdate() + timedelta(days=7)).isoformat(),
        open_why="felony",
    )
    assert not_one.status_code == 422 and EN["case_error_assignee"] in not_one.content.decode()
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    opened = _post(
        client,
        incident,
        "investigation",
        assignee=str(investigator.pk),
        due_on=due,
        open_why="felony",
    )
    assert opened.status_code == 303
    assert opened["Location"] == f"/incidents/{incident.reference}/case?lang=en"
    case = Investigation.objects.get(incident=incident)
    assert case.assignee == investigator and case.due_on.isoformat() == due
    assert case.tasks.count() == len(workflow.CASE_TEMPLATE)


def test_a_duplicate_is_closed_as_a_copy_of_the_first(make_user: Callable[[str], User]) -> None:
    officer, investigator = make_user("officer"), make_user("investigator")
    first, again = _incident(officer), _incident(officer)
    client = _client(investigator)
    itself = _post(client, again, "duplicate", duplicate_of=again.reference, duplicate_why="x")
    assert itself.status_code == 422 and EN["case_error_self"] in itself.content.decode()
    answer = _post(
        client, again, "duplicate", duplicate_of=first.reference, duplicate_why="same shooting"
    )
    assert answer.status_code == 303
    again.refresh_from_db()
    assert (again.state, again.closed_reason, again.duplicate_of) == ("closed", "duplicate", first)
    page = client.get(f"/incidents/{again.reference}").content.decode()
    assert EN["case_duplicate_of_shown"] in page and first.reference in page


def test_closing_needs_a_reason_from_the_list_and_why(make_user: Callable[[str], User]) -> None:
    officer, supervisor = make_user("officer"), make_user("supervisor")
    incident = _incident(officer)
    client = _client(supervisor)
    no_why = _post(client, incident, "close", reason="resolved", close_why="")
    assert no_why.status_code == 422 and 'href="#close-why"' in no_why.content.decode()
    wrong = _post(client, incident, "close", reason="bored", close_why="x")
    assert wrong.status_code == 422 and EN["case_error_reason"] in wrong.content.decode()
    assert (
        _post(client, incident, "close", reason="withdrawn", close_why="asked").status_code == 303
    )
    incident.refresh_from_db()
    assert (incident.state, incident.closed_reason) == ("closed", "withdrawn")
    assert (
        EN["case_close_title"]
        not in client.get(f"/incidents/{incident.reference}").content.decode()
    )


def test_who_may_not_move_an_incident_sees_no_button_and_is_refused(
    make_user: Callable[[str], User],
) -> None:
    officer, monitor = make_user("officer"), make_user("monitor")
    incident = _incident(officer)
    for user in (officer, monitor):
        page = _client(user).get(f"/incidents/{incident.reference}").content.decode()
        assert EN["case_actions_title"] not in page
        for action in ("triage", "duplicate", "verify", "investigation", "close"):
            assert _post(_client(user), incident, action, why="x").status_code == 403
    stranger = _client(make_user("officer"))
    assert _post(stranger, incident, "triage", why="x").status_code == 404
    incident.refresh_from_db()
    assert incident.state == "received"


def test_the_case_page_shows_the_work_and_what_is_undecided(
    make_user: Callable[[str], User], tmp_path: Path
) -> None:
    _, investigator, _, incident = _under_investigation(make_user, tmp_path)
    client = _client(investigator)
    page = client.get(f"/incidents/{incident.reference}/case")
    assert page.status_code == 200
    text = page.content.decode()
    total = len(workflow.CASE_TEMPLATE)
    due = incident.investigation.due_on.isoformat()
    heading = EN["case_answer"].format(open=total, total=total, due=due)
    assert text.index(heading) < text.index(EN["case_tasks_title"])
    for kind in workflow.CASE_TEMPLATE:
        assert EN[f"case_task_{kind}"] in text
    assert "4411" in text and "ABC123" in text and "ERO Denver" in text
    assert "Statement" in text and EN["case_custody_evidence_registered"] in text
    decision = services.current_finding(incident).decision
    undecided = [d for d in decision["duties"] if d["engaged"] and d["outcome"] == "indeterminate"]
    if undecided:
        assert EN["case_undecided_lead"] in text and EN["case_missing_facts"] in text
        assert f"/incidents/{incident.reference}/facts?lang=en#" in text
    else:
        assert EN["case_undecided_none"] in text
    assert EN["case_make_referral"] in text


def test_tasks_notes_and_the_timeline(make_user: Callable[[str], User], tmp_path: Path) -> None:
    _, investigator, _, incident = _under_investigation(make_user, tmp_path)
    client = _client(investigator)
    base = f"/incidents/{incident.reference}/case"
    task = Task.objects.filter(investigation__incident=incident).first()
    assert task is not None
    done = client.post(f"{base}/tasks/{task.pk}/done", {"lang": "en", "note": "two witnesses"})
    assert done.status_code == 303 and done["Location"] == f"{base}?lang=en#tasks-title"
    twice = client.post(f"{base}/tasks/{task.pk}/done", {"lang": "en"})
    assert twice.status_code == 422 and EN["case_error_task_done"] in twice.content.decode()
    assert client.post(f"{base}/tasks/99999/done", {"lang": "en"}).status_code == 404
    assert client.post(f"{base}/tasks", {"kind": "canvass"}).status_code == 303
    bad_kind = client.post(f"{base}/tasks", {"kind": "guess"})
    assert bad_kind.status_code == 422 and EN["case_error_kind"] in bad_kind.content.decode()
    assert client.post(f"{base}/notes", {"text": "Called the DA's intake."}).status_code == 303
    empty = client.post(f"{base}/notes", {"text": "  "})
    assert empty.status_code == 422 and EN["case_error_note"] in empty.content.decode()
    event = {"happened_at": "2026-11-20T14:31", "what": "First shot"}
    assert client.post(f"{base}/timeline", event).status_code == 303
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    later = client.post(f"{base}/timeline", {"happened_at": future, "what": "x"})
    assert later.status_code == 422 and EN["case_error_when_future"] in later.content.decode()
    missing = client.post(f"{base}/timeline", {"happened_at": "", "what": "x"})
    assert missing.status_code == 422 and 'href="#event-when"' in missing.content.decode()
    text = client.get(base).content.decode()
    for shown in (
        "two witnesses",
        "Called the DA&#x27;s intake.",
        "First shot",
        "2026-11-20 14:31",
    ):
        assert shown in text
    total = len(workflow.CASE_TEMPLATE) + 1
    assert EN["case_answer"].format(open=total - 1, total=total, due="").split("Due")[0] in text


def test_who_may_read_the_case_and_who_may_work_it(
    make_user: Callable[[str], User], tmp_path: Path
) -> None:
    officer, _, _, incident = _under_investigation(make_user, tmp_path)
    base = f"/incidents/{incident.reference}/case"
    monitor = _client(make_user("monitor"))
    page = monitor.get(base)
    assert page.status_code == 200 and EN["case_note_add"] not in page.content.decode()
    assert monitor.post(f"{base}/notes", {"text": "x"}).status_code == 403
    other = _client(make_user("investigator"))  # not assigned
    assert other.post(f"{base}/notes", {"text": "x"}).status_code == 403
    assert _client(make_user("officer")).get(base).status_code == 404
    filer = _client(officer)  # sees the incident, not the investigation's notes
    assert filer.get(base).status_code == 404
    assert filer.post(f"{base}/notes", {"text": "x"}).status_code == 404
    assert (
        EN["case_go_to_case"] not in filer.get(f"/incidents/{incident.reference}").content.decode()
    )
    assert _client(make_user("prosecutor")).get(base).status_code == 404
    fresh = _incident(officer)
    assert (
        _client(make_user("supervisor")).get(f"/incidents/{fresh.reference}/case").status_code
        == 404
    )
    assert Note.objects.count() == 0


def test_every_post_needs_the_csrf_token(make_user: Callable[[str], User], tmp_path: Path) -> None:
    _, investigator, supervisor, incident = _under_investigation(make_user, tmp_path)
    task = Task.objects.filter(investigation__incident=incident).first()
    assert task is not None
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(supervisor)
    base = f"/incidents/{incident.reference}"
    for action in ("triage", "duplicate", "verify", "investigation", "close"):
        assert checked.post(f"{base}/{action}", {"why": "x"}).status_code == 403
    checked.force_login(investigator)
    for action in (f"tasks/{task.pk}/done", "tasks", "notes", "timeline"):
        assert checked.post(f"{base}/case/{action}", {"text": "x"}).status_code == 403
    task.refresh_from_db()
    assert task.done_at is None and Note.objects.count() == 0


def test_script_is_shown_escaped(make_user: Callable[[str], User], tmp_path: Path) -> None:
    _, investigator, _, incident = _under_investigation(make_user, tmp_path)
    client = _client(investigator)
    script = "<script>alert(1)</script>"
    client.post(f"/incidents/{incident.reference}/case/notes", {"text": script})
    client.post(
        f"/incidents/{incident.reference}/case/timeline",
        {"happened_at": "2026-11-20T14:31", "what": script},
    )
    text = client.get(f"/incidents/{incident.reference}/case").content.decode()
    assert script not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    refused = _post(client, incident, "triage", why="x", related=script)
    assert refused.status_code == 403 or script not in refused.content.decode()


def test_the_words_of_a_note_stay_out_of_the_ledger(
    make_user: Callable[[str], User], tmp_path: Path
) -> None:
    _, investigator, _, incident = _under_investigation(make_user, tmp_path)
    start = site_ledger().log.tree_size
    _client(investigator).get(f"/incidents/{incident.reference}/case")
    entries = [json.loads(e) for _, e in site_ledger().log.entries(start)]
    assert [e["part"] for e in entries if e["kind"] == "record.read"] == ["case"]
    assert investigator.username not in json.dumps(entries)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_pages_speak_the_language_asked(
    make_user: Callable[[str], User], tmp_path: Path, lang: str
) -> None:
    _, investigator, _, incident = _under_investigation(make_user, tmp_path)
    client = _client(investigator)
    texts = TEXTS[lang]
    case = client.get(f"/incidents/{incident.reference}/case?lang={lang}").content.decode()
    assert f'<html lang="{lang}">' in case
    for key in ("case_tasks_title", "case_timeline_title", "case_notes_title", "case_custody"):
        assert texts[key] in case
    page = client.get(f"/incidents/{incident.reference}?lang={lang}").content.decode()
    assert texts["case_history_title"] in page and texts["case_go_to_case"] in page
