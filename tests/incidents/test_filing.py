"""Filing an incident through the service: findings at intake, the ledger entry, privacy."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from eo152.accounts.models import User
from eo152.incidents import services
from eo152.incidents.models import Incident
from eo152.ledger import verify_receipt

pytestmark = [pytest.mark.db]

SHOOTING = {
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "force": {"kind": "firearm", "target": "observer", "ongoing": False},
    "injuries": [{"person": "observer", "severity": "serious"}],
    "location": {"ownership": "city_owned", "kind": "recreation_center", "area": "public"},
}


def test_a_public_report_is_decided_logged_to_the_day_and_keeps_no_time(
    make_user: Callable[[str], User],
) -> None:
    intake = services.Intake(
        source="public",
        situation=SHOOTING,
        narrative="Agents shot at a man filming outside the rec center.",
        reporting="anonymous",
        language="es",
    )
    filed = services.file_incident(intake, by=None)
    incident = Incident.objects.get(reference=filed.incident.reference)
    assert incident.filed_at is None
    entry = json.loads(incident.receipt["entry"])
    assert entry["kind"] == "record.created"
    assert entry["at"] == datetime.now(UTC).date().isoformat()
    assert entry["actor"] == "public"
    assert "Agents shot" not in incident.receipt["entry"]
    finding = services.current_finding(incident)
    assert finding.decided_at is None
    assert any(d["outcome"] for d in finding.decision["duties"])
    assert filed.followup_code is not None
    status = services.public_status(incident.reference.lower(), filed.followup_code.lower())
    assert status is not None and status.state == "received"
    assert services.public_status(incident.reference, "AAAA-AAAA-AAAA") is None


def test_the_filing_receipt_verifies_offline(make_user: Callable[[str], User]) -> None:
    from eo152.ledger import Receipt

    officer = make_user("officer")
    filed = services.file_incident(
        services.Intake(source="officer", situation=SHOOTING, narrative="x"), by=officer
    )
    receipt = Receipt.from_json(filed.incident.receipt)
    assert receipt.leaf_index >= 0
    assert verify_receipt is not None


def test_an_external_id_files_once(make_user: Callable[[str], User]) -> None:
    hotline = make_user("intake")
    intake = services.Intake(source="hotline", situation=SHOOTING, external_id="CRRN-1")
    first = services.file_incident(intake, by=hotline)
    again = services.file_incident(intake, by=hotline)
    assert again.incident.pk == first.incident.pk and not again.created
    assert Incident.objects.count() == 1


def test_a_records_clerk_cannot_file(make_user: Callable[[str], User]) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.file_incident(
            services.Intake(source="officer", situation=SHOOTING), by=make_user("records_clerk")
        )
    assert Incident.objects.count() == 0


def test_a_time_established_later_becomes_the_incidents_time(
    make_user: Callable[[str], User],
) -> None:
    officer, investigator = make_user("officer"), make_user("investigator")
    incident = services.file_incident(
        services.Intake(source="officer", situation=SHOOTING), by=officer
    ).incident
    assert incident.occurred_at is None
    finding = services.change_facts(
        investigator, incident, {**SHOOTING, "at": "2026-03-10T14:30:00-07:00"}
    )
    incident.refresh_from_db()
    assert incident.occurred_at == datetime(2026, 3, 10, 21, 30, tzinfo=UTC)
    assert datetime.fromisoformat(finding.decision["as_of"]["at"]) == incident.occurred_at
