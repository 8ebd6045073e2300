"""The demo: an account for every role and a handful of realistic incidents, so that a new
user of ``make run`` sees a working system at once. One case, the shooting, is taken all the
way: triaged, verified by two people, investigated, and referred to the Denver DA (signed
off by the supervisor, sent by the investigator), whom the demo prosecutor works for.
Beside them: federal data requests (``datarequests.demo``) and one finished tabletop
exercise with its after-action report (``exercises.demo``).

Every incident goes through :func:`services.file_incident` like a real one (decided with
the places registry, logged in the ledger), with evidence through
:func:`evidence.attach`. The places are real Denver places the default layers know (a
recreation center, the Central Library, the City and County Building, Civic Center Park);
the people, plates and phone numbers are made up (555 numbers).

The demo never loads into a data folder that already holds records: any account other than
the demo's, or any incident while no demo account exists, refuses it. Loading again is
safe: what is there is kept, what is missing (after an interrupted load) is added.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from PIL import Image, ImageDraw

from ..accounts.models import User
from ..accounts.roles import ROLES, Office, Role
from ..datarequests.demo import load as data_request_demo
from ..exercises.demo import load as exercise_demo
from ..referrals import services as referrals
from ..referrals.models import Referral
from ..referrals.models import State as ReferralState
from . import services, workflow
from .evidence import attach
from .models import Incident, State

DENVER = ZoneInfo("America/Denver")

#: Where the demo's passwords are kept (owner only), so a second load can show them again.
ACCOUNTS_FILE = "demo-accounts.json"

#: The demo prosecutor's office: the one the demo's referral is sent to.
PROSECUTOR_OFFICE = Office.DENVER_DA


class DemoRefused(Exception):
    """The data folder holds records of its own: the demo is not loaded into it."""


def username_of(role: str) -> str:
    return f"demo-{role.replace('_', '-')}"


USERNAMES = tuple(username_of(role) for role in ROLES)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str


@dataclass(frozen=True)
class Loaded:
    already: bool  # nothing was missing: the demo was loaded before
    accounts: list[DemoAccount]
    references: list[str]
    data_requests: list[str]
    exercise: str  # the finished tabletop exercise's join code


# -- the incidents ---------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    name: str
    media_type: str
    label: str
    make: Callable[[Path], None]


@dataclass(frozen=True)
class DemoIncident:
    key: str
    filed_by: str | None  # the role of the demo account filing it; None: the public form
    days_ago: int
    hour: int
    intake: dict[str, Any]
    evidence: tuple[Evidence, ...] = ()
    assigned: bool = False  # the supervisor assigns it; the investigator starts the review
    personnel: tuple[services.PersonSeen, ...] = ()
    referred_for: str | None = None  # an offense code: the case is taken to a sent referral


def _photo(path: Path) -> None:
    """A phone photo as a resident would send it: with its camera and GPS metadata, which
    evidence.attach strips from the copy everyone but the investigator sees."""
    image = Image.new("RGB", (800, 600), (164, 186, 204))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 800, 600), fill=(110, 110, 104))  # the sidewalk
    draw.rectangle((60, 140, 420, 420), fill=(196, 160, 120))  # the rec center's wall
    draw.rectangle((470, 330, 760, 440), fill=(40, 44, 52))  # an unmarked SUV
    draw.ellipse((500, 420, 560, 470), fill=(20, 20, 20))
    draw.ellipse((670, 420, 730, 470), fill=(20, 20, 20))
    draw.text((20, 20), "eo152 demo photo (not a real event)", fill=(0, 0, 0))
    exif = Image.Exif()
    exif[0x010F] = "DemoPhone"  # Make
    exif[0x0110] = "DemoPhone 12"  # Model
    exif[0x8825] = {1: "N", 2: (39.0, 42.0, 58.0), 3: "W", 4: (104.0, 59.0, 37.0)}  # GPS
    image.save(path, "JPEG", exif=exif, quality=85)


def _text(lines: list[str]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text("\n".join(lines) + "\n", "utf-8")

    return write


AGENTS = {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"}

INCIDENTS = (
    DemoIncident(
        key="public-pepper-spray",
        filed_by=None,
        days_ago=3,
        hour=17,
        intake={
            "source": "public",
            "reporting": "anonymous",
            "language": "es",
            "narrative": "Afuera del centro de recreación La Familia, agentes con la cara "
            "cubierta arrestaron a un hombre. Cuando varias personas empezamos a grabar con "
            "el teléfono desde la acera, un agente nos roció gas pimienta. No nos dijeron "
            "quiénes eran. Una señora mayor se cayó y le ardían los ojos.",
            "situation": {
                "agents": {**AGENTS, "masked": True, "identification_visible": False},
                "activities": ["arrest"],
                "force": {"kind": "chemical", "target": "observer", "ongoing": False},
                "injuries": [{"person": "observer", "severity": "minor"}],
                "location": {"address": "65 S Elati St", "area": "public"},
            },
        },
        evidence=(Evidence("foto-acera.jpg", "image/jpeg", "Foto desde la acera", _photo),),
    ),
    DemoIncident(
        key="public-records-request",
        filed_by=None,
        days_ago=6,
        hour=10,
        intake={
            "source": "public",
            "reporting": "confidential",
            "contact": services.ContactDetails(name="Ana R. (demo)", phone="720-555-0187"),
            "narrative": "I work at a counter in the City and County Building. Two men from "
            "ICE showed a paper signed by an ICE officer and asked for the home address and "
            "phone number of a man who had paid a parking fine. My supervisor told them to "
            "come back. I am worried they will ask someone else.",
            "situation": {
                "agents": AGENTS,
                "requests": [{"kind": "data", "data_categories": ["address", "contact"]}],
                "authority": {"kind": "administrative_subpoena"},
                "location": {"address": "1437 Bannock St", "area": "non_public"},
            },
        },
        assigned=True,
    ),
    DemoIncident(
        key="officer-street-arrest",
        filed_by="officer",
        days_ago=2,
        hour=14,
        intake={
            "source": "officer",
            "narrative": "Dispatched to a disturbance at the Central Library. Two agents "
            "(ICE ERO, CBP) were detaining a man on the sidewalk and showed an I-200 signed "
            "by an ICE officer. They asked me to keep the crowd back; I told them DPD does "
            "not take part in civil immigration arrests and kept the peace only. My body "
            "camera was recording throughout.",
            "body_camera": "recording",
            "body_camera_clips": ["AXON-X6031-20261130-1412", "AXON-X6031-20261130-1431"],
            "situation": {
                "agents": {"agencies": ["ICE_ERO", "CBP"], "purpose": "civil_immigration"},
                "activities": ["arrest"],
                "authority": {"kind": "administrative_warrant", "form": "I-200"},
                "city_personnel": [
                    {
                        "role": "dpd_officer",
                        "on_duty": True,
                        "present": True,
                        "body_camera": "recording",
                    }
                ],
                "location": {"address": "10 W 14th Ave", "area": "public"},
            },
        },
        personnel=(
            services.PersonSeen(
                agency="ICE_ERO",
                unit="Denver Field Office",
                badge="(not shown)",
                plate="DMO4821",
                plate_state="CO",
                description="plain clothes, vest marked POLICE ICE",
            ),
            services.PersonSeen(
                agency="CBP", description="green uniform, no name tape", plate_state=""
            ),
        ),
        evidence=(
            Evidence(
                "body-camera-export.txt",
                "text/plain",
                "Body-worn camera export log",
                _text(
                    [
                        "Body-worn camera export log (eo152 demo, not a real export)",
                        "Device AXON-X6031, officer demo-officer",
                        "Clip AXON-X6031-20261130-1412  14:12-14:29",
                        "Clip AXON-X6031-20261130-1431  14:31-14:40",
                    ]
                ),
            ),
        ),
    ),
    DemoIncident(
        key="rec-center-shooting",
        filed_by="supervisor",
        days_ago=1,
        hour=19,
        intake={
            "source": "officer",
            "narrative": "Shots fired outside the Glenarm Recreation Center during an ICE HSI "
            "operation. An agent fired at a man who was filming from the parking lot; a "
            "bystander was hit in the leg and taken to Denver Health. Rec center staff "
            "locked the doors with children inside. Scene held for DPD Major Crimes.",
            "body_camera": "recording",
            "situation": {
                "agents": {"agencies": ["ICE_HSI"], "purpose": "civil_immigration"},
                "force": {
                    "kind": "firearm",
                    "target": "observer",
                    "could_cause_death_or_serious_bodily_injury": True,
                    "ongoing": False,
                },
                "injuries": [{"person": "bystander", "severity": "serious"}],
                "city_personnel": [
                    {"role": "city_employee", "on_duty": True, "present": True},
                    {
                        "role": "dpd_officer",
                        "on_duty": True,
                        "responding": True,
                        "body_camera": "recording",
                    },
                ],
                "location": {"address": "2800 Glenarm Pl", "area": "public"},
            },
        },
        evidence=(
            Evidence(
                "scene-log.txt",
                "text/plain",
                "Major Crimes scene log",
                _text(
                    [
                        "DPD Major Crimes scene log (eo152 demo, not a real case)",
                        "2800 Glenarm Pl, parking lot east of the recreation center",
                        "19:16 scene held; 19:40 two 9 mm casings marked A and B",
                        "19:52 witness statements taken from two rec center staff",
                    ]
                ),
            ),
        ),
        referred_for="assault_first_degree",
    ),
    DemoIncident(
        key="hotline-library-staging",
        filed_by="intake",
        days_ago=5,
        hour=8,
        intake={
            "source": "hotline",
            "external_id": "CRRN-DEMO-0412",
            "narrative": "Rapid Response volunteers verified four unmarked vehicles and about "
            "ten agents gathering in front of the Central Library from 7:40 to 8:25 before "
            "driving north. Agents wore ICE vests. No warrant was seen.",
            "situation": {
                "agents": AGENTS,
                "activities": ["staging"],
                "authority": {"kind": "none"},
                "location": {"address": "10 W 14th Ave", "area": "public"},
            },
        },
        evidence=(
            Evidence(
                "crrn-verification.txt",
                "text/plain",
                "Hotline verification note",
                _text(
                    [
                        "Colorado Rapid Response Network: verification note (eo152 demo)",
                        "Report CRRN-DEMO-0412, verified by two volunteers on site",
                        "4 vehicles, about 10 agents, ICE vests, 07:40-08:25",
                    ]
                ),
            ),
        ),
    ),
    DemoIncident(
        key="hotline-aid-blocked",
        filed_by="intake",
        days_ago=4,
        hour=12,
        intake={
            "source": "hotline",
            "external_id": "CRRN-DEMO-0415",
            "narrative": "In Civic Center Park agents took a man to the ground; he hit his "
            "head and did not get up. Denver Health paramedics arrived and agents kept them "
            "away for about ten minutes before letting them treat him.",
            "situation": {
                "agents": {"agencies": ["CBP"], "purpose": "civil_immigration"},
                "activities": ["arrest"],
                "force": {"kind": "takedown", "target": "subject", "ongoing": False},
                "injuries": [{"person": "subject", "severity": "serious"}],
                "aid_blocked": True,
                "city_personnel": [
                    {"role": "paramedic", "on_duty": True, "present": True, "responding": True}
                ],
                "location": {"lat": 39.7392, "lon": -104.9876, "area": "public"},
            },
        },
    ),
)


# -- loading -----------------------------------------------------------------------------


def refusal() -> str | None:
    """Why the demo may not load into this data folder, or None."""
    others = User.objects.exclude(username__in=USERNAMES).count()
    if others:
        return (
            f"this data folder already holds {others} account(s) of its own; the demo never "
            "loads into a data folder that already holds records"
        )
    if not User.objects.filter(username__in=USERNAMES).exists() and Incident.objects.exists():
        return (
            "this data folder already holds incidents; the demo never loads into a data "
            "folder that already holds records"
        )
    return None


def load(data_dir: Path) -> Loaded:
    """Load what is missing of the demo (DemoRefused when the folder is not the demo's)."""
    reason = refusal()
    if reason is not None:
        raise DemoRefused(reason)
    accounts, added = _accounts(data_dir)
    users = {account.role: User.objects.get(username=account.username) for account in accounts}
    references = []
    for spec in INCIDENTS:
        incident, created = _file(spec, users)
        references.append(incident.reference)
        if spec.referred_for:
            created = _refer(incident, spec.referred_for, users) or created
        added = added or created
    requests, made = data_request_demo(users)
    exercise, played = exercise_demo(users)
    added = added or made or played
    return Loaded(
        already=not added,
        accounts=accounts,
        references=references,
        data_requests=requests,
        exercise=exercise,
    )


def _accounts(data_dir: Path) -> tuple[list[DemoAccount], bool]:
    """Every role's demo account with its password; whether any was made or reset."""
    kept_file = data_dir / ACCOUNTS_FILE
    kept: dict[str, str] = json.loads(kept_file.read_text("utf-8")) if kept_file.exists() else {}
    accounts = []
    changed = False
    for role in ROLES:
        username = username_of(role)
        user = User.objects.filter(username=username).first()
        password = kept.get(username)
        if user is None or password is None:  # new, or its password was not kept
            password = secrets.token_urlsafe(12)
            user = user or User(username=username, role=role)
            user.set_password(password)
            user.save()
            changed = True
        if role == Role.PROSECUTOR and user.office != PROSECUTOR_OFFICE:
            user.office = PROSECUTOR_OFFICE
            user.save(update_fields=["office"])
        accounts.append(DemoAccount(username, role, password))
    if changed:
        _keep({a.username: a.password for a in accounts}, kept_file)
    return accounts, changed


def _keep(passwords: dict[str, str], path: Path) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(passwords, out, indent=2)


def _file(spec: DemoIncident, users: dict[str, User]) -> tuple[Incident, bool]:
    by = users[spec.filed_by] if spec.filed_by else None
    fields = dict(spec.intake)
    if by is None:
        earlier = Incident.objects.filter(filed_by=None, narrative=fields["narrative"]).first()
        if earlier is not None:
            return earlier, False
    else:
        fields.setdefault("external_id", f"DEMO-{spec.key}")
    when = timezone.localtime(timezone.now(), DENVER) - timedelta(days=spec.days_ago)
    occurred = when.replace(hour=spec.hour, minute=15, second=0, microsecond=0)
    filed = services.file_incident(
        services.Intake(occurred_at=_past(occurred), personnel=spec.personnel, **fields), by=by
    )
    if not filed.created:
        return filed.incident, False
    with tempfile.TemporaryDirectory(prefix="eo152-demo-") as folder:
        for item in spec.evidence:
            path = Path(folder) / item.name
            item.make(path)
            attach(filed.incident, path, by, item.media_type, item.label)
    if spec.assigned:
        services.assign(users["supervisor"], filed.incident, users["investigator"])
        workflow.triage(users["investigator"], filed.incident, "read; asked the reporter for more")
    return filed.incident, True


def _refer(incident: Incident, offense: str, users: dict[str, User]) -> bool:
    """Take the case all the way, as the workflow would: triaged and verified by two demo
    people, an investigation opened, a referral to the DA made by the investigator, signed
    off by the supervisor and sent by the investigator. Each step is taken only if it is
    still to take (an interrupted load resumes); whether any was."""
    investigator, supervisor = users["investigator"], users["supervisor"]
    state = incident.state
    if state == State.RECEIVED:
        workflow.triage(investigator, incident, "shots fired at an observer; a bystander hit")
    if incident.state == State.TRIAGED:
        for person, how in (
            (investigator, "spoke with the responding officer"),
            (supervisor, "read the Major Crimes scene log"),
        ):
            if not incident.verifications.filter(by=person).exists():
                workflow.verify(person, incident, how)
    if incident.state == State.VERIFIED:
        due_on = timezone.localdate() + timedelta(days=14)
        case = workflow.open_investigation(
            supervisor, incident, investigator, due_on, "a potential felony: a shooting"
        )
        place = case.tasks.get(kind="check_the_place")
        workflow.finish_task(investigator, place, "two casings marked; lot camera requested")
    if incident.state != State.INVESTIGATION_OPENED:
        return bool(state != incident.state)
    referral = Referral.objects.filter(incident=incident).first() or referrals.create(
        investigator,
        incident,
        PROSECUTOR_OFFICE,
        offense,
        evidence=list(incident.evidence.all()),
    )
    if referral.state == ReferralState.DRAFT:
        referrals.sign_off(supervisor, referral)
    referrals.send(investigator, referral)
    return True


def _past(moment: datetime) -> datetime:
    """The moment, or an hour ago if it is later than now (a demo loaded early in the day)."""
    return min(moment, timezone.localtime(timezone.now(), DENVER) - timedelta(hours=1))
