"""Making, checking, sending and reading referrals: one service for the pages, the API and
the CLI. Every step is permission-checked, kept in the referral's history and logged.

The snapshot is the referral: what the facts, the findings, the evidence and the case's
timeline were when it was made. Signing off approves that snapshot (its SHA-256 goes into
the sign-off's ledger entry), sending sends it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from ..accounts.models import User
from ..accounts.permissions import require
from ..accounts.roles import Office
from ..incidents import services as incidents
from ..incidents import workflow
from ..incidents.codes import ALPHABET
from ..incidents.models import Evidence, Incident, Investigation
from ..incidents.models import State as IncidentState
from ..incidents.services import IntakeRefused
from ..services.records import fingerprint, ledger_entries, log_written
from .models import Language, Referral, ReferralEvidence
from .offenses import offenses, sources

RECORD_TYPE = "referral"


def new_reference() -> str:
    import secrets

    pick = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"RF-{pick[:4]}-{pick[4:]}"


def snapshot_of(
    incident: Incident,
    office: str,
    offense: str,
    chosen: Sequence[Evidence],
    withheld: int,
    language: str,
) -> dict[str, Any]:
    """What the referral says: fixed when it is made."""
    finding = incidents.current_finding(incident)
    case: Investigation | None = getattr(incident, "investigation", None)
    return {
        "office": {"code": office, "name": Office(office).label},
        "offense": offenses()[offense].to_dict(),
        "offense_sources": sources(),
        "language": language,
        "incident": {
            "reference": incident.reference,
            "source": incident.source,
            "filed_on": incident.filed_on.isoformat(),
            "occurred_at": incident.occurred_at.isoformat() if incident.occurred_at else None,
            "situation": incident.situation,
            "narrative": incident.narrative,
            "personnel": [
                {
                    "agency": p.agency,
                    "unit": p.unit,
                    "badge": p.badge,
                    "plate": p.plate,
                    "plate_state": p.plate_state,
                    "description": p.description,
                }
                for p in incident.personnel.order_by("id")
            ],
            "body_camera": incident.body_camera or None,
            "body_camera_clips": list(incident.body_camera_clips),
        },
        "findings": finding.decision,
        "investigation": None
        if case is None
        else {
            "opened_at": case.opened_at.isoformat(),
            "due_on": case.due_on.isoformat(),
            "tasks": [
                {
                    "kind": task.kind,
                    "done_at": task.done_at.isoformat() if task.done_at else None,
                    "note": task.note,
                }
                for task in case.tasks.all()
            ],
            "timeline": [
                {"happened_at": event.happened_at.isoformat(), "what": event.what}
                for event in case.timeline.all()
            ],
        },
        "evidence": [
            {
                "sha256": item.sha256,
                "size": item.size,
                "media_type": item.media_type,
                "label": item.label,
                "added_on": item.added_on.isoformat(),
                "leaf_index": item.receipt["leaf_index"],
            }
            for item in chosen
        ],
        # Files marked "do not disclose" are counted, never named: the prosecutor learns
        # that something was held back and can ask for it.
        "withheld": withheld,
    }


def create(
    user: User,
    incident: Incident,
    office: str,
    offense: str,
    evidence: Iterable[Evidence] = (),
    do_not_disclose: Iterable[Evidence] = (),
    language: str = Language.EN,
) -> Referral:
    """Make a referral of an incident under investigation: a fixed snapshot, not yet sent."""
    require(user, "referrals.create", incident)
    if incident.state != IncidentState.INVESTIGATION_OPENED:
        raise IntakeRefused("state", "a referral is made once an investigation is open")
    if office not in Office.values:
        raise IntakeRefused("office", f"must be one of {', '.join(Office.values)}")
    if offense not in offenses():
        raise IntakeRefused("offense", f"must be one of {', '.join(offenses())}")
    if language not in Language.values:
        raise IntakeRefused("language", f"must be one of {', '.join(Language.values)}")
    disclosed = list(evidence)
    held = list(do_not_disclose)
    for item in (*disclosed, *held):
        if item.incident_id != incident.pk:
            raise IntakeRefused("evidence", f"{item.sha256[:12]}… is not this incident's")
    if {item.pk for item in disclosed} & {item.pk for item in held}:
        raise IntakeRefused("evidence", "a file is either disclosed or held back, not both")
    snapshot = snapshot_of(incident, office, offense, disclosed, len(held), language)
    reference = new_reference()
    receipt = log_written(
        RECORD_TYPE, reference, snapshot, user.actor, created=True, day_only=False
    )
    with transaction.atomic():
        referral = Referral(
            reference=reference,
            incident=incident,
            office=office,
            offense=offense,
            language=language,
            snapshot=snapshot,
            snapshot_sha256=fingerprint(snapshot),
            created_by=user,
            created_at=timezone.now(),
            receipt=receipt.to_dict(),
        )
        referral._history_user = user  # type: ignore[attr-defined]
        referral.save()
        ReferralEvidence.objects.bulk_create(
            [ReferralEvidence(referral=referral, evidence=item) for item in disclosed]
            + [
                ReferralEvidence(referral=referral, evidence=item, do_not_disclose=True)
                for item in held
            ]
        )
    return referral


def _step(user: User, referral: Referral, move: Any, why: str, **changes: Any) -> None:
    _prepared(user, referral, move, why, **changes)
    referral.save()


def _prepared(user: User, referral: Referral, move: Any, why: str, **changes: Any) -> None:
    """The step in memory, logged; the caller saves. Logged before any row is written (see
    eo152.incidents.workflow._prepared: SQLite's ledger has its own connection)."""
    try:
        move()
    except TransitionNotAllowed:
        raise IntakeRefused("state", f"not possible from {referral.state}") from None
    for name, value in changes.items():
        setattr(referral, name, value)
    log_written(
        RECORD_TYPE,
        referral.reference,
        {
            "reference": referral.reference,
            "state": referral.state,
            "snapshot_sha256": referral.snapshot_sha256,
            "by": user.actor,
        },
        user.actor,
        created=False,
        day_only=False,
    )
    referral._change_reason = why  # type: ignore[attr-defined]
    referral._history_user = user  # type: ignore[attr-defined]


def sign_off(user: User, referral: Referral) -> None:
    """A second person approves the snapshot; never the person who made it."""
    require(user, "referrals.sign_off", referral.incident)
    if referral.created_by_id == user.pk:
        raise IntakeRefused("signed_off_by", "the person who made a referral cannot sign it off")
    _step(
        user,
        referral,
        referral.sign_off,
        "signed off",
        signed_off_by=user,
        signed_off_at=timezone.now(),
    )


def send(user: User, referral: Referral) -> None:
    """Send a signed-off referral; the incident becomes referred."""
    require(user, "referrals.send", referral.incident)
    if referral.signed_off_by_id is None:
        raise IntakeRefused("state", "a referral leaves only after a second person signs it off")
    incident = referral.incident
    _prepared(user, referral, referral.send, "sent", sent_by=user, sent_at=timezone.now())
    referred = incident.state == IncidentState.INVESTIGATION_OPENED
    if referred:
        workflow.prepare_refer(user, incident, referral.reference)
    with transaction.atomic():
        referral.save()
        if referred:
            incident.save()


def acknowledge(user: User, referral: Referral) -> None:
    """The office says it arrived (a prosecutor of that office)."""
    require(user, "referrals.acknowledge", referral)
    _step(user, referral, referral.acknowledge, "acknowledged", acknowledged_at=timezone.now())


# -- reading -------------------------------------------------------------------------------


def visible_to(user: User) -> QuerySet[Referral]:
    """Every referral for the roles that read every incident; a prosecutor, only those sent
    to their office; nobody else any."""
    if user.has_perm("incidents.view"):
        return Referral.objects.all()
    if user.has_perm("referrals.list") and user.office:
        return Referral.objects.filter(office=user.office, sent_at__isnull=False)
    return Referral.objects.none()


def open_referral(user: User, reference: str) -> Referral:
    """The referral, if ``user`` may read it (DoesNotExist alike for unknown and not yours)."""
    found = Referral.objects.select_related("incident").filter(reference=reference.upper()).first()
    if found is None or not user.has_perm("referrals.view", found):
        raise Referral.DoesNotExist(reference)
    return found


def packet_document(referral: Referral) -> dict[str, Any]:
    """What a packet's PDF and JSON both say: the snapshot, the sign-off and sending, and
    the activity log (every ledger entry about the incident and the referral, as who,
    what and when; never words)."""
    return {
        "packet": "eo152 referral packet",
        "reference": referral.reference,
        "state": referral.state,
        "snapshot_sha256": referral.snapshot_sha256,
        "referral": referral.snapshot,
        "made": {"by": referral.created_by.actor, "at": referral.created_at.isoformat()},
        "signed_off": None
        if referral.signed_off_by is None or referral.signed_off_at is None
        else {"by": referral.signed_off_by.actor, "at": referral.signed_off_at.isoformat()},
        "sent": None
        if referral.sent_by is None or referral.sent_at is None
        else {"by": referral.sent_by.actor, "at": referral.sent_at.isoformat()},
        "activity": activity_log(referral),
    }


#: What the activity log says instead of the hash of a file the referral does not disclose.
NOT_DISCLOSED = "not in this packet"


def activity_log(referral: Referral) -> list[dict[str, Any]]:
    """Every ledger entry about the referral or its incident, in log order. A file the
    referral does not disclose (held back, or never chosen) appears as a step without its
    hash, wherever the log is shown: the packet, the prosecutor's page."""
    keys = {referral.reference, referral.incident.reference}
    disclosed = {item["sha256"] for item in referral.snapshot["evidence"]}
    entries: list[dict[str, Any]] = []
    for index, entry in ledger_entries():
        if keys & {entry.get("record_id"), entry.get("incident")}:
            entries.append(
                {
                    "leaf_index": index,
                    "kind": entry["kind"],
                    "actor": entry.get("actor"),
                    "at": entry.get("at"),
                    **({"part": entry["part"]} if "part" in entry else {}),
                    **(
                        {
                            "sha256": entry["sha256"]
                            if entry["sha256"] in disclosed
                            else NOT_DISCLOSED
                        }
                        if "sha256" in entry
                        else {}
                    ),
                }
            )
    return entries
