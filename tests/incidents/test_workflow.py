"""Triage and investigation: each move permission-checked, in the incident's history with
who and why, and in the ledger; verification needs two different people."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from eo152.accounts.models import User
from eo152.incidents import services, workflow
from eo152.incidents.services import IntakeRefused
from eo152.services.records import site_ledger

pytestmark = [pytest.mark.db]

STAGING = {"agents": {"agencies": ["ICE_ERO"]}, "activities": ["staging"]}


def _filed(by: User | None = None) -> services.Incident:
    if by is None:
        intake = services.Intake(source="public", situation=STAGING, reporting="anonymous")
    else:
        intake = services.Intake(source="officer", situation=STAGING)
    return services.file_incident(intake, by=by).incident


def test_the_path_to_an_investigation_and_its_record(make_user: Callable[[str], User]) -> None:
    first = site_ledger().log.tree_size
    investigator, supervisor = make_user("investigator"), make_user("supervisor")
    incident, related = _filed(make_user("officer")), _filed()
    workflow.triage(investigator, incident, "vans at a library", linked=[related])
    assert list(incident.linked.all()) == [related] and list(related.linked.all()) == [incident]
    assert workflow.verify(investigator, incident, "called the branch manager") is False
    with pytest.raises(IntakeRefused, match="another person"):
        workflow.verify(investigator, incident, "again")
    assert workflow.verify(supervisor, incident, "saw the photos") is True
    case = workflow.open_investigation(
        supervisor, incident, investigator, timezone.localdate() + timedelta(days=10), "staging"
    )
    assert [t.kind for t in case.tasks.all()] == list(workflow.CASE_TEMPLATE)
    workflow.finish_task(investigator, case.tasks.first(), "two witnesses")
    incident.refresh_from_db()
    assert incident.state == "investigation_opened"
    assert incident.assigned_investigator == investigator
    history = list(incident.history.order_by("history_id"))
    assert [h.state for h in history] == ["received", "triaged", "verified", "investigation_opened"]
    assert history[1].history_user == investigator
    assert history[1].history_change_reason == "vans at a library"
    entries = [json.loads(e) for _, e in site_ledger().log.store.entry_page(first, 100)]
    actors = [(e["kind"], e["actor"]) for e in entries if e.get("record_id") == incident.reference]
    assert ("record.changed", investigator.actor) in actors
    assert ("record.changed", supervisor.actor) in actors
    assert all("vans at a library" not in json.dumps(e) for e in entries), (
        "reasons stay off the log"
    )


def test_who_may_not_move_an_incident(make_user: Callable[[str], User]) -> None:
    incident = _filed(make_user("officer"))
    for role in ("officer", "monitor", "city_attorney", "records_clerk", "administrator"):
        with pytest.raises(PermissionDenied):
            workflow.triage(make_user(role), incident, "why")
    with pytest.raises(IntakeRefused, match="not possible from received"):
        workflow.open_investigation(
            make_user("supervisor"), incident, make_user("investigator"),
            timezone.localdate(), "too soon",
        )  # fmt: skip


def test_a_duplicate_is_closed_as_one_and_names_the_first(make_user: Callable[[str], User]) -> None:
    investigator = make_user("investigator")
    original, again = _filed(), _filed()
    workflow.mark_duplicate(investigator, again, original, "same van, same hour")
    again.refresh_from_db()
    assert again.state == "closed" and again.closed_reason == "duplicate"
    assert again.duplicate_of == original


def test_a_public_reports_history_keeps_the_day_not_the_time(
    make_user: Callable[[str], User],
) -> None:
    incident = _filed()
    (row,) = incident.history.all()
    assert (row.history_date.hour, row.history_date.minute, row.history_date.second) == (0, 0, 0)
    assert row.history_user is None
