"""A shooting under investigation, ready to refer; accounts of every role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # Django is set up after this file is read
    from eo152.accounts.models import User

SHOOTING = {
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "force": {"kind": "firearm", "target": "observer", "ongoing": False},
    "injuries": [{"person": "observer", "severity": "serious"}],
    "location": {"ownership": "city_owned", "kind": "recreation_center", "area": "public"},
}


@pytest.fixture
def make_user(db: None, ledger_ready: Path) -> Callable[..., User]:
    from eo152.accounts.models import User

    made: dict[str, int] = {}

    def make(role: str, office: str = "") -> User:
        made[role] = made.get(role, 0) + 1
        return User.objects.create_user(
            f"{role}{made[role]}", password=None, role=role, office=office
        )

    return make


@dataclass
class Case:
    officer: Any
    investigator: Any
    supervisor: Any
    incident: Any
    files: list[Any]


@pytest.fixture
def case(make_user: Callable[..., Any], tmp_path: Path) -> Case:
    """A shooting filed by an officer with two files, triaged, verified by two people, and
    under investigation by ``investigator``."""
    from django.utils import timezone

    from eo152.incidents import evidence, services, workflow

    officer, investigator = make_user("officer"), make_user("investigator")
    supervisor = make_user("supervisor")
    incident = services.file_incident(
        services.Intake(source="officer", situation=SHOOTING, narrative="Shots at a car."),
        by=officer,
    ).incident
    files = []
    for name, text in (("statement.txt", "Witness statement."), ("log.txt", "Radio log.")):
        path = tmp_path / name
        path.write_text(text)
        files.append(evidence.attach(incident, path, by=officer, claimed_type="text/plain"))
    workflow.triage(investigator, incident, "a shooting at a rec center")
    workflow.verify(investigator, incident, "spoke with the officer")
    workflow.verify(supervisor, incident, "saw the body-camera clip")
    workflow.open_investigation(
        supervisor, incident, investigator, timezone.localdate() + timedelta(days=14), "felony"
    )
    incident.refresh_from_db()
    return Case(officer, investigator, supervisor, incident, files)
