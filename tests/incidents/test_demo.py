"""``eo152 demo load``: demo accounts and incidents on a new data folder, once, and never
into a data folder that holds records of its own."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

from eo152 import places
from eo152.accounts.models import User
from eo152.accounts.roles import ROLES
from eo152.cli import app
from eo152.config import Settings
from eo152.incidents import demo, services
from eo152.incidents.models import Evidence, Incident
from eo152.referrals import services as referrals
from eo152.referrals.models import Referral
from eo152.services.records import site_ledger

pytestmark = [pytest.mark.db]


@pytest.fixture
def demo_folder(
    data_dir: Path, denver_settings: Settings, make_user: Callable[[str], User]
) -> Path:
    """This test's data folder, with its ledger and the Denver layers ``eo152 init`` imports."""
    shutil.copytree(places.store_dir(denver_settings.data_dir), places.store_dir(data_dir))
    return data_dir


def load(*args: str) -> Any:
    return CliRunner().invoke(app, ["demo", "load", *args])


def test_the_demo_loads_accounts_incidents_and_evidence_once(demo_folder: Path) -> None:
    first = load("--json")
    assert first.exit_code == 0, first.output
    loaded = json.loads(first.stdout)
    assert not loaded["already_loaded"]
    assert sorted(a["role"] for a in loaded["accounts"]) == sorted(ROLES)
    for account in loaded["accounts"]:
        user = User.objects.get(username=account["username"])
        assert user.check_password(account["password"]) and user.role == account["role"]
    assert len(loaded["incidents"]) == Incident.objects.count() == len(demo.INCIDENTS)
    sources = {incident.source for incident in Incident.objects.all()}
    assert sources == {"public", "officer", "hotline"}
    # Real Denver places, found by the registry from an address or a point.
    places_found = {
        services.current_finding(i).decision.get("place", {}).get("name")
        for i in Incident.objects.all()
    }
    assert {"Denver Public Library", "Civic Center Park"} <= places_found
    assert Incident.objects.filter(language="es", reporting="anonymous").exists()
    assert Incident.objects.filter(reporting="confidential", state="triaged").exists()
    assert Incident.objects.filter(personnel__agency="CBP", body_camera="recording").exists()

    again = load()
    assert again.exit_code == 0, again.output
    assert "demo already loaded" in again.stdout
    assert all(a["password"] in again.stdout for a in loaded["accounts"])
    assert Incident.objects.count() == len(demo.INCIDENTS)
    assert User.objects.count() == len(ROLES)


def test_a_public_photo_is_shown_as_a_copy_without_its_metadata(demo_folder: Path) -> None:
    assert load().exit_code == 0
    evidence = Evidence.objects.get(media_type="image/jpeg")
    assert evidence.shown_sha256 and evidence.shown_sha256 != evidence.sha256
    store = site_ledger().store
    with store.open(evidence.sha256) as original, Image.open(original) as photo:
        assert photo.getexif().get_ifd(0x8825), "the original keeps its GPS metadata"
    with store.open(evidence.shown_sha256) as shown, Image.open(shown) as photo:
        assert not photo.getexif(), "the copy others see has none"
    assert Evidence.objects.count() == 4


def test_the_demo_takes_the_shooting_to_a_referral_sent_to_the_da(demo_folder: Path) -> None:
    assert load().exit_code == 0
    investigator = User.objects.get(username="demo-investigator")
    supervisor = User.objects.get(username="demo-supervisor")
    prosecutor = User.objects.get(username="demo-prosecutor")
    assert prosecutor.office == "denver_da"
    (referral,) = Referral.objects.all()
    shooting = referral.incident
    assert "Glenarm" in shooting.narrative and shooting.state == "referred"
    verifiers = {v.by for v in shooting.verifications.all()}
    assert verifiers == {investigator, supervisor}, "verified by two demo people"
    assert shooting.investigation.assignee == investigator
    assert shooting.investigation.tasks.filter(done_at__isnull=False).exists()
    assert (referral.office, referral.state) == ("denver_da", "sent")
    assert referral.created_by == investigator and referral.sent_by == investigator
    assert referral.signed_off_by == supervisor, "checked by a second person"
    assert [e["label"] for e in referral.snapshot["evidence"]] == ["Major Crimes scene log"]
    assert referral.snapshot["offense"]["crs"] == "C.R.S. 18-3-202"
    assert list(referrals.visible_to(prosecutor)) == [referral]
    assert load().exit_code == 0 and Referral.objects.count() == 1, "loaded again: the same"
    assert Referral.objects.get().state == "sent"


def test_the_demo_has_a_federal_data_request_in_every_state(demo_folder: Path) -> None:
    from eo152.datarequests.demo import REQUESTS
    from eo152.datarequests.models import DataRequest, Determination, State
    from eo152.datarequests.services import standing_of

    result = load("--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["data_requests"]) == len(REQUESTS)
    requests = list(DataRequest.objects.all())
    assert {r.state for r in requests} == set(State.values)
    assert {r.answer for r in requests if r.state == State.CLOSED} == {
        "refuse",
        "release",
        "partial",
    }
    assert {standing_of(r).value for r in requests if r.state != State.CLOSED} >= {
        "overdue",
        "paused",
    }
    for request in DataRequest.objects.filter(answer="release"):
        released = request.determinations.get()
        assert released.checked_by is not None and released.checked_by != released.made_by
    (against,) = Determination.objects.filter(against_engine=True)
    assert against.made_by.role == "city_attorney" and against.reason
    assert load().exit_code == 0 and DataRequest.objects.count() == len(REQUESTS)


def test_the_demo_has_a_finished_exercise_with_its_report(demo_folder: Path) -> None:
    from eo152.exercises import report, services
    from eo152.exercises.models import Exercise

    result = load("--json")
    assert result.exit_code == 0, result.output
    code = json.loads(result.stdout)["exercise"]
    (exercise,) = Exercise.objects.all()
    assert (exercise.code, exercise.state) == (code, "finished")
    document = services.document_of(exercise, "en")
    assert document["actions"] and all(a["owner"] and a["due"] for a in document["actions"])
    assert report.report_pdf(document).startswith(b"%PDF")
    entry = json.loads(exercise.receipt["entry"])
    assert entry["kind"] == "exercise.recorded"
    assert entry["plan_sha256"] == report.plan_sha256(document)
    assert load().exit_code == 0 and Exercise.objects.count() == 1


def test_the_demo_never_loads_beside_an_account_of_the_folders_own(
    demo_folder: Path, make_user: Callable[[str], User]
) -> None:
    make_user("officer")
    run = load()
    assert run.exit_code == 2
    assert "already holds records" in run.stderr and "DEMO=0" in run.stderr
    assert not Incident.objects.exists() and User.objects.count() == 1


def test_the_demo_never_loads_beside_an_incident_of_the_folders_own(demo_folder: Path) -> None:
    situation = {"location": {"ownership": "city_owned", "kind": "library"}}
    services.file_incident(
        services.Intake(source="public", situation=situation, reporting="anonymous"), by=None
    )
    run = load()
    assert run.exit_code == 2 and "already holds incidents" in run.stderr
    assert Incident.objects.count() == 1 and not User.objects.exists()
