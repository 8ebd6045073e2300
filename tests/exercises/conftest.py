"""Accounts for running exercises, and a small scenario with a branch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # Django is set up after this file is read
    from eo152.accounts.models import User

#: The staging scenario's first inject, then a branch on whether a patrol officer said
#: they must keep their body camera recording.
BRANCHING: dict[str, Any] = {
    "id": "branching",
    "title": {"en": "Branching", "es": "Con ramas"},
    "summary": {"en": "Two ways on.", "es": "Dos caminos."},
    "objectives": [
        {
            "id": "cameras",
            "text": {"en": "Record.", "es": "Grabar."},
            "provisions": ["denver-eo-152/p8-body-camera"],
        }
    ],
    "injects": [
        {
            "id": "first",
            "roles": ["patrol", "city_employee"],
            "narrative": {"en": "Vans in the lot.", "es": "Camionetas en el lote."},
            "question": {"en": "What now?", "es": "¿Y ahora?"},
            "situation": {
                "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
                "activities": ["staging"],
                "location": {
                    "ownership": "city_owned",
                    "kind": "recreation_center",
                    "area": "public",
                },
                "city_personnel": [
                    {
                        "role": "dpd_officer",
                        "on_duty": True,
                        "present": True,
                        "responding": True,
                        "body_camera": "recording",
                    }
                ],
            },
            "branches": [
                {
                    "if": {
                        "inject": "first",
                        "role": "patrol",
                        "picked": {"police/record_body_camera": "required"},
                    },
                    "next": "recorded",
                },
                {"next": "not-recorded"},
            ],
        },
        {
            "id": "recorded",
            "roles": ["patrol"],
            "narrative": {"en": "You record.", "es": "Graba."},
            "question": {"en": "What now?", "es": "¿Y ahora?"},
            "changes": {"protest": {"present": True, "peaceful": True}},
            "next": "end",
        },
        {
            "id": "not-recorded",
            "roles": ["patrol"],
            "narrative": {"en": "No record.", "es": "Sin grabar."},
            "question": {"en": "What now?", "es": "¿Y ahora?"},
            "changes": {"authority": {"kind": "none"}},
            "next": "end",
        },
    ],
}


@pytest.fixture
def make_user(db: None, ledger_ready: Path) -> Callable[..., User]:
    from eo152.accounts.models import User

    made: dict[str, int] = {}

    def make(role: str) -> User:
        made[role] = made.get(role, 0) + 1
        return User.objects.create_user(f"{role}{made[role]}", password=None, role=role)

    return make


@pytest.fixture
def branching(monkeypatch: pytest.MonkeyPatch) -> None:
    """The running service finds BRANCHING beside the shipped scenarios."""
    from eo152.exercises import services
    from eo152.exercises.scenario import library, parse

    shipped = dict(library())
    shipped["branching"] = parse(BRANCHING, "test")
    monkeypatch.setattr(services, "scenarios", lambda: shipped)
