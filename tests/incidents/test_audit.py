"""The audit trail: every read and write of an incident is in the ledger, by account
number, and the Monitor can list them (``eo152 incidents audit``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from eo152.accounts import tokens
from eo152.accounts.models import User
from eo152.cli import app
from eo152.incidents import services

pytestmark = [pytest.mark.db]

STAGING = {"agents": {"agencies": ["CBP"]}, "activities": ["staging"]}


def eo152(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_the_monitor_sees_who_filed_and_who_read_and_nothing_of_the_words(
    make_user: Callable[[str], User],
) -> None:
    officer, supervisor, monitor = (make_user(r) for r in ("officer", "supervisor", "monitor"))
    incident = services.file_incident(
        services.Intake(source="officer", situation=STAGING, narrative="Vans behind the library"),
        by=officer,
    ).incident
    services.log_shown(supervisor, incident, {"shown": 1}, "page")
    run = eo152("incidents", "audit", incident.reference, "--json", "--token",
                tokens.create(monitor).token)  # fmt: skip
    assert run.exit_code == 0, run.output
    trail = json.loads(run.stdout)
    assert [(e["kind"], e["actor"]) for e in trail] == [
        ("record.created", officer.actor),
        ("record.read", supervisor.actor),
    ]
    assert "Vans" not in run.stdout and officer.username not in run.stdout
    again = json.loads(eo152("incidents", "audit", incident.reference, "--json", "--token",
                             tokens.create(monitor).token).stdout)  # fmt: skip
    assert again[-1]["kind"] == "record.read" and again[-1]["part"] == "audit"


def test_an_officer_may_not_read_the_audit_trail(make_user: Callable[[str], User]) -> None:
    officer = make_user("officer")
    incident = services.file_incident(
        services.Intake(source="officer", situation=STAGING), by=officer
    ).incident
    run = eo152("incidents", "audit", incident.reference, "--token", tokens.create(officer).token)
    assert run.exit_code == 2 and "may not read" in run.output
