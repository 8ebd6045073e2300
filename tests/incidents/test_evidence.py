"""Evidence: typed by its bytes, public photos shown without their metadata, every view
logged as custody."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from PIL import Image

from eo152.accounts.models import User
from eo152.incidents import evidence, services
from eo152.incidents.models import Incident
from eo152.services.records import site_ledger

pytestmark = [pytest.mark.db]

SITUATION = {"agents": {"agencies": ["ICE_ERO"]}, "activities": ["staging"]}


def _photo_with_location(path: Path) -> Path:
    """A JPEG whose EXIF holds a GPS position (tag 0x8825) and a camera make."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (39.0, 44.0, 1.0)  # GPSLatitude
    image.save(path, "JPEG", exif=exif)
    return path


def _public_incident() -> Incident:
    intake = services.Intake(source="public", situation=SITUATION, reporting="anonymous")
    return services.file_incident(intake, by=None).incident


def test_a_public_photo_keeps_its_hash_and_is_shown_without_metadata(
    make_user: Callable[[str], User], tmp_path: Path
) -> None:
    first = site_ledger().log.tree_size  # on PostgreSQL the log outlives each test
    incident = _public_incident()
    photo = _photo_with_location(tmp_path / "photo.jpg")
    assert Image.open(photo).getexif().get_ifd(0x8825), "the photo as taken says where"
    link = evidence.attach(incident, photo, by=None, claimed_type="image/jpeg")
    import hashlib

    assert link.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert link.shown_sha256 not in ("", link.sha256)
    monitor = make_user("monitor")
    opened = evidence.open_file(monitor, link)
    shown = Image.open(io.BytesIO(opened.stream.read()))
    assert not shown.getexif(), "the copy shown keeps no EXIF"
    with pytest.raises(PermissionDenied):
        evidence.open_file(monitor, link, original=True)
    entries = [json.loads(e) for _, e in site_ledger().log.store.entry_page(first, 100)]
    kinds = [e["kind"] for e in entries]
    assert "custody.derived" in kinds and kinds[-1] == "custody.viewed"
    assert entries[-1]["actor"] == monitor.actor and entries[-1]["sha256"] == link.shown_sha256
    registered = [e for e in entries if e["kind"] == "evidence.registered"]
    assert all("T" not in e["at"] for e in registered), "public files are logged to the day"


def test_the_assigned_investigator_sees_the_original(
    make_user: Callable[[str], User], tmp_path: Path
) -> None:
    incident = _public_incident()
    link = evidence.attach(incident, _photo_with_location(tmp_path / "p.jpg"), by=None)
    investigator = make_user("investigator")
    services.assign(make_user("supervisor"), incident, investigator)
    incident.refresh_from_db()
    opened = evidence.open_file(investigator, link, original=True)
    assert opened.sha256 == link.sha256


def test_bytes_that_do_not_match_the_claimed_type_are_refused(
    make_user: Callable[[str], User], tmp_path: Path
) -> None:
    officer = make_user("officer")
    incident = services.file_incident(
        services.Intake(source="officer", situation=SITUATION), by=officer
    ).incident
    filed = site_ledger().log.tree_size
    fake = tmp_path / "clip.mp4"
    fake.write_bytes(b"MZ\x90\x00" + bytes(600))  # a Windows program, not a video
    with pytest.raises(evidence.EvidenceRefused):
        evidence.attach(incident, fake, by=officer, claimed_type="video/mp4")
    text = tmp_path / "notes.txt"
    text.write_text("Unit 4 arrived at 14:32.")
    with pytest.raises(evidence.EvidenceRefused, match="says it is video/mp4"):
        evidence.attach(incident, text, by=officer, claimed_type="video/mp4")
    assert not incident.evidence.exists()
    assert site_ledger().log.tree_size == filed, "nothing logged for a refused file"
