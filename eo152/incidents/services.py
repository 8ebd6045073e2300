"""Filing, deciding, reading and re-deciding incidents: the one service the public form, the
officer's form, the API and the CLI all call.

Order of writes: the ledger entry goes in first, then the incident row, in one database
transaction with its finding, contact and personnel. A crash between the two leaves an
entry for a filing that did not finish (never a record the log does not know); a reference
is handed out only once both are written.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..accounts.models import User
from ..accounts.permissions import require
from ..rules import Decision
from ..services.decisions import decide_all
from ..services.records import (
    PUBLIC,
    fingerprint,
    ledger_entries,
    log_read,
    log_written,
)
from .codes import (
    draft_digest,
    followup_code_for,
    followup_digest,
    new_followup_code,
    new_reference,
    reference_form,
)
from .models import (
    BodyCamera,
    Contact,
    Finding,
    Incident,
    Personnel,
    Reporting,
    Source,
)

RECORD_TYPE = "incident"


@dataclass(frozen=True)
class ContactDetails:
    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class PersonSeen:
    """Someone present as the reporter saw them (never a name unless it was shown)."""

    agency: str
    unit: str = ""
    badge: str = ""
    plate: str = ""
    plate_state: str = ""
    description: str = ""


@dataclass(frozen=True)
class Intake:
    """What any of the three doors hands over; the situation is the contract's JSON."""

    source: str
    situation: dict[str, Any]
    narrative: str = ""
    occurred_at: datetime | None = None
    reporting: str = Reporting.ON_DUTY
    contact: ContactDetails | None = None
    personnel: Sequence[PersonSeen] = ()
    body_camera: str = ""
    body_camera_clips: Sequence[str] = ()
    external_id: str | None = None
    language: str = "en"


@dataclass(frozen=True)
class Filed:
    incident: Incident
    followup_code: str | None = None
    created: bool = True


class IntakeRefused(ValueError):
    """The intake cannot be filed as given; ``field`` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def decide(situation: dict[str, Any]) -> Decision:
    """The engine's decision on the facts, with the place lookup (InvalidSituation for
    facts the contract refuses)."""
    decision = decide_all(situation, settings.EO152_READINGS)
    assert not isinstance(decision, list)  # one situation in, one decision out
    return decision


def policy_of(decision: Decision) -> dict[str, Any]:
    """The decision JSON's ``policy``: the instruments, each with the version that decided."""
    return {"jurisdiction": "denver", "instruments": decision.instruments}


def situation_of(intake: Intake) -> dict[str, Any]:
    """The facts to decide: the situation, dated when the incident happened if it says not."""
    situation = dict(intake.situation)
    if intake.occurred_at is not None and "at" not in situation:
        situation["at"] = intake.occurred_at.isoformat()
    return situation


def _check(intake: Intake) -> None:
    if intake.source not in Source.values:
        raise IntakeRefused("source", f"must be one of {', '.join(Source.values)}")
    if intake.reporting not in Reporting.values:
        raise IntakeRefused("reporting", f"must be one of {', '.join(Reporting.values)}")
    if intake.reporting == Reporting.CONFIDENTIAL and not _has_contact(intake.contact):
        raise IntakeRefused("contact", "a confidential report needs a way to reach the reporter")
    if intake.reporting == Reporting.ANONYMOUS and _has_contact(intake.contact):
        raise IntakeRefused("contact", "an anonymous report keeps no contact")
    if intake.body_camera and intake.body_camera not in BodyCamera.values:
        raise IntakeRefused("body_camera", f"must be one of {', '.join(BodyCamera.values)}")
    if intake.occurred_at is not None and intake.occurred_at > timezone.now():
        raise IntakeRefused("occurred_at", "is in the future")


def _has_contact(contact: ContactDetails | None) -> bool:
    return contact is not None and any((contact.name, contact.phone, contact.email))


def record_content(incident: Incident, personnel: Sequence[PersonSeen] = ()) -> dict[str, Any]:
    """What the ledger's fingerprint of an incident covers: its facts and words as filed."""
    return {
        "reference": incident.reference,
        "source": incident.source,
        "situation": incident.situation,
        "narrative": incident.narrative,
        "occurred_at": incident.occurred_at.isoformat() if incident.occurred_at else None,
        "personnel": [p.__dict__ for p in personnel],
        "body_camera": incident.body_camera,
        "body_camera_clips": list(incident.body_camera_clips),
    }


def file_incident(intake: Intake, by: User | None, draft_token: str | None = None) -> Filed:
    """File an incident from any door; ``by`` is None for the public form.

    The API's ``external_id`` makes a retry safe: the same account sending the same id gets
    the incident it already filed, and nothing new is written. The public form's
    ``draft_token`` does the same for a draft sent twice, and makes its follow-up code.
    """
    if by is None and draft_token and (sent_before := filed_draft(draft_token)):
        return sent_before
    if by is not None:
        require(by, "incidents.file")
        if intake.external_id:
            earlier = Incident.objects.filter(filed_by=by, external_id=intake.external_id)
            if found := earlier.first():
                return Filed(found, created=False)
    elif intake.source != Source.PUBLIC or intake.reporting == Reporting.ON_DUTY:
        raise IntakeRefused("source", "only a public report is filed without an account")
    _check(intake)
    situation = situation_of(intake)
    decision = decide(situation)  # InvalidSituation before anything is written
    public = by is None
    code = None
    if public:
        code = (
            followup_code_for(draft_token, settings.SECRET_KEY)
            if draft_token
            else (new_followup_code())
        )
    now = timezone.now()
    incident = Incident(
        reference=new_reference(),
        source=intake.source,
        reporting=intake.reporting,
        situation=intake.situation,
        narrative=intake.narrative,
        occurred_at=intake.occurred_at,
        filed_on=datetime.now(UTC).date() if public else timezone.localdate(now),
        filed_at=None if public else now,
        filed_by=by,
        external_id=intake.external_id or None,
        body_camera=intake.body_camera,
        body_camera_clips=list(intake.body_camera_clips),
        language=intake.language,
    )
    if code is not None:
        incident.followup_sha256 = followup_digest(incident.reference, code)
    if public and draft_token:
        incident.draft_sha256 = draft_digest(draft_token)
    content = record_content(incident, intake.personnel)
    incident.record_sha256 = fingerprint(content)
    actor = by.actor if by else PUBLIC
    receipt = log_written(
        RECORD_TYPE, incident.reference, content, actor, created=True, day_only=public
    )
    incident.receipt = receipt.to_dict()
    # The history's row of the filing: by whom, and for a public report the day only.
    incident._history_user = by  # type: ignore[attr-defined]
    if public:
        incident._history_date = datetime.combine(incident.filed_on, time.min, UTC)  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            incident.save()
            if _has_contact(intake.contact):
                assert intake.contact is not None
                Contact.objects.create(incident=incident, **intake.contact.__dict__)
            Personnel.objects.bulk_create(
                Personnel(incident=incident, **person.__dict__) for person in intake.personnel
            )
            _add_finding(incident, situation, decision, public)
    except IntegrityError:
        # Two requests with one draft or one external_id at once: the other one filed it.
        if by is None and draft_token and (again := filed_draft(draft_token)):
            return again
        if by is not None and intake.external_id:
            earlier = Incident.objects.filter(filed_by=by, external_id=intake.external_id)
            if first := earlier.first():
                return Filed(first, created=False)
        raise
    return Filed(incident, code)


def filed_draft(draft_token: str) -> Filed | None:
    """The incident a public draft already filed, with its code made again, if it did."""
    found = Incident.objects.filter(draft_sha256=draft_digest(draft_token)).first()
    if found is None:
        return None
    return Filed(found, followup_code_for(draft_token, settings.SECRET_KEY), created=False)


def _add_finding(
    incident: Incident, situation: dict[str, Any], decision: Decision, public: bool
) -> Finding:
    now = timezone.now()
    return Finding.objects.create(
        incident=incident,
        situation=situation,
        # The engine writes its own JSON (each duty's text once): the stored finding is
        # byte for byte what the decisions API answers on the same facts.
        decision_json=decision.to_json().decode(),
        policy=policy_of(decision),
        decided_on=timezone.localdate(now),
        decided_at=None if public else now,
    )


def current_finding(incident: Incident) -> Finding:
    return incident.findings.latest()


# -- reading -------------------------------------------------------------------------


def visible_to(user: User) -> QuerySet[Incident]:
    """The incidents ``user`` may open: every one, only those it filed, or none."""
    if user.has_perm("incidents.view"):  # a role that reads every incident
        return Incident.objects.all()
    if user.has_perm("incidents.list"):
        return Incident.objects.filter(filed_by=user)
    return Incident.objects.none()


def find(reference: str) -> Incident | None:
    return Incident.objects.filter(reference=reference_form(reference)).first()


def open_incident(user: User, reference: str) -> Incident:
    """The incident, if ``user`` may read it (Incident.DoesNotExist for both "no such" and
    "not yours", so a reference's existence is not revealed)."""
    incident = find(reference)
    if incident is None or not user.has_perm("incidents.view", incident):
        raise Incident.DoesNotExist(reference)
    return incident


def log_shown(user: User, incident: Incident, shown: Any, part: str) -> None:
    """Record that ``user`` was shown ``part`` of ``incident`` (``shown``: what it saw)."""
    log_read(RECORD_TYPE, incident.reference, shown, part, user.actor)


def contact_for(user: User, incident: Incident) -> Contact | None:
    """The confidential reporter's contact, for the assigned investigator only (logged)."""
    if not user.has_perm("incidents.view_contact", incident):
        return None
    contact = Contact.objects.filter(incident=incident).first()
    if contact is not None:
        log_shown(user, incident, [contact.name, contact.phone, contact.email], "contact")
    return contact


def audit_trail(user: User, incident: Incident) -> list[dict[str, Any]]:
    """Every ledger entry about ``incident``: its writes, its reads, its files' custody,
    each with its place in the log (``leaf_index``). Reading it is itself logged.

    The log is read from the start: it holds fingerprints only and is scanned at tens of
    thousands of entries a second.
    """
    require(user, "incidents.audit", incident)
    trail = [
        {"leaf_index": index, **entry}
        for index, entry in ledger_entries(marker=incident.reference)
        if incident.reference in (entry.get("record_id"), entry.get("incident"))
    ]
    log_shown(user, incident, trail, "audit")
    return trail


# -- the public status ---------------------------------------------------------------


@dataclass(frozen=True)
class PublicStatus:
    reference: str
    state: str
    closed_reason: str
    filed_on: str


def public_status(reference: str, code: str) -> PublicStatus | None:
    """The status of a report, for whoever holds its reference and follow-up code.

    A wrong code and an unknown reference get the same None, after the same work: a hash
    is compared either way.
    """
    stored = reference_form(reference)
    incident = (
        Incident.objects.filter(reference=stored)
        .only("reference", "state", "closed_reason", "filed_on", "followup_sha256")
        .first()
    )
    expected = incident.followup_sha256 if incident and incident.followup_sha256 else "0" * 64
    if not hmac.compare_digest(expected, followup_digest(stored, code)) or incident is None:
        return None
    status = PublicStatus(
        incident.reference, incident.state, incident.closed_reason, incident.filed_on.isoformat()
    )
    log_read(RECORD_TYPE, incident.reference, status.__dict__, "status", PUBLIC)
    return status


# -- changes -------------------------------------------------------------------------


def change_facts(
    user: User, incident: Incident, situation: dict[str, Any], narrative: str | None = None
) -> Finding:
    """Replace the incident's facts (established later) and decide them again."""
    require(user, "incidents.change", incident)
    situation_now = dict(situation)
    if incident.occurred_at is not None and "at" not in situation_now:
        situation_now["at"] = incident.occurred_at.isoformat()
    decision = decide(situation_now)
    if isinstance(situation.get("at"), str):  # the time, established: the incident's own
        incident.occurred_at = datetime.fromisoformat(situation["at"])
    incident.situation = situation
    if narrative is not None:
        incident.narrative = narrative
    personnel = [
        PersonSeen(p.agency, p.unit, p.badge, p.plate, p.plate_state, p.description)
        for p in incident.personnel.all()
    ]
    content = record_content(incident, personnel)
    incident.record_sha256 = fingerprint(content)
    log_written(RECORD_TYPE, incident.reference, content, user.actor, created=False, day_only=False)
    with transaction.atomic():
        incident.save(update_fields=["situation", "narrative", "occurred_at", "record_sha256"])
        return _add_finding(incident, situation_now, decision, public=False)


def assign(user: User, incident: Incident, investigator: User) -> None:
    require(user, "incidents.assign", incident)
    if not investigator.has_perm("incidents.be_assigned"):
        raise IntakeRefused("assigned_investigator", "is not an investigator")
    log_written(
        RECORD_TYPE,
        incident.reference,
        {"reference": incident.reference, "assigned": investigator.actor},
        user.actor,
        created=False,
        day_only=False,
    )
    incident.assigned_investigator = investigator
    incident.save(update_fields=["assigned_investigator"])


# -- re-deciding when the policy changes ------------------------------------------------


@dataclass(frozen=True)
class Redecided:
    reference: str
    changes: list[str]  # "actor action: was → now"; empty when only the policy's version moved


def _outcomes(duties: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return sorted((d["actor"], d["action"], d["outcome"]) for d in duties)


def redecide_all() -> Iterator[Redecided]:
    """Decide every incident again under today's policy; yield those whose answer changed.

    A changed answer is kept as a new finding and logged (actor ``system``); an unchanged
    one writes nothing.
    """
    for incident in Incident.objects.order_by("id").iterator(chunk_size=200):
        finding = current_finding(incident)
        decision = decide(finding.situation)
        before = _outcomes(finding.decision["duties"])
        after = _outcomes([duty.to_dict() for duty in decision.duties])
        if before == after and finding.policy == policy_of(decision):
            continue
        log_written(
            RECORD_TYPE,
            incident.reference,
            {"reference": incident.reference, "decision": decision.to_dict()},
            "system",
            created=False,
            day_only=False,
        )
        _add_finding(incident, finding.situation, decision, public=False)
        yield Redecided(incident.reference, _differences(before, after))


def _differences(
    before: list[tuple[str, str, str]], after: list[tuple[str, str, str]]
) -> list[str]:
    """``actor action: was → now`` for every duty whose outcome changed, came or went."""
    was = {(actor, action): outcome for actor, action, outcome in before}
    now = {(actor, action): outcome for actor, action, outcome in after}
    return [
        f"{actor} {action}: {was.get((actor, action), 'none')} → {now.get((actor, action), 'none')}"
        for actor, action in sorted(was.keys() | now.keys())
        if was.get((actor, action)) != now.get((actor, action))
    ]
