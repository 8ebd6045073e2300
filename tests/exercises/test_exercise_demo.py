"""The demo's tabletop exercise: played to its end through the service, with notes,
corrective actions and the ledger's record (roles and scores, no names); its hot wash page,
its report in both languages and its CSV; loaded once."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

pytestmark = pytest.mark.db

NAMES = ("Avery", "Bea", "Cam", "Dee")


@pytest.fixture
def users(make_user: Callable[..., Any]) -> dict[str, Any]:
    return {role: make_user(role) for role in ("supervisor", "city_attorney")}


def _entries() -> list[dict[str, Any]]:
    from eo152.services.records import site_ledger

    store = site_ledger().log.store
    return [json.loads(text) for _, text in store.entry_page(0, 100000)]


def test_the_demo_exercise_is_finished_with_its_plan_in_the_ledger(users: dict[str, Any]) -> None:
    from eo152.exercises import demo, report, services
    from eo152.exercises.models import Exercise

    code, made = demo.load(users)
    assert made
    exercise = Exercise.objects.get(code=code)
    assert exercise.state == "finished" and exercise.receipt
    assert exercise.actions.count() == len(demo.ACTIONS)
    assert exercise.notes.count() == len(demo.NOTES)
    document = services.document_of(exercise, "es")
    rated = {o["rating"] for o in document["objectives"]} - {None}
    assert len(rated) >= 2, "objectives rated differently"
    assert document["strengths"] and document["areas"] and document["comments"]
    # Only this exercise's entry: a shared PostgreSQL ledger also holds other runs' entries.
    name = services.ledger_name(exercise)
    (entry,) = [e for e in _entries() if e.get("exercise") == name]
    assert entry["kind"] == "exercise.recorded"
    assert entry["plan_sha256"] == report.plan_sha256(document)
    assert set(entry["roles"]) == {"patrol", "sergeant", "firefighter", "city_employee"}
    text = json.dumps(entry)
    assert not any(name in text for name in NAMES)
    assert demo.load(users) == (code, False), "loading again adds nothing"
    assert Exercise.objects.count() == 1


@pytest.mark.usefixtures("collected_static")
def test_the_demo_exercise_has_its_hot_wash_and_its_report(users: dict[str, Any]) -> None:
    from eo152.exercises import demo

    code, _ = demo.load(users)
    client = Client()
    client.force_login(users["supervisor"])
    page = client.get(f"/exercises/{code}/hot-wash?lang=es")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Agente de patrulla: nombró" in html
    assert "Lo consultaría con la Oficina del Abogado de la Ciudad." in html
    assert f"/exercises/{code}/report.pdf?lang=es" in html
    pdf = b"".join(client.get(f"/exercises/{code}/report.pdf?lang=es"))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "es"
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = "".join(text.split())
    assert "Plandemejora" in flat and "DenverParksandRecreation" in flat
    csv_text = b"".join(client.get(f"/exercises/{code}/report.csv")).decode()
    assert csv_text.startswith("Part,Inject,Role")
    assert not any(name in csv_text or name in text for name in NAMES)
