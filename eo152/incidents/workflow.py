"""Triage and investigation: every move of an incident, permission-checked, kept in its
history with who and why (django-simple-history), and logged in the ledger.

received → triaged (read, linked to related reports) → verified (two different people
confirm it, as rapid-response networks verify a sighting) → investigation opened (a case
from a template of tasks) → referred (services of eo152.referrals); closed with a reason
from a fixed list at any point, a duplicate closed as such. The states and what may follow
what are the model's transitions (django-fsm); this module is who may, and the record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from ..accounts.models import User
from ..accounts.permissions import require
from ..services.records import log_written
from .models import (
    ClosedReason,
    Incident,
    Investigation,
    Note,
    State,
    Task,
    TimelineEvent,
    Verification,
)
from .services import RECORD_TYPE, IntakeRefused

#: The tasks a new case starts with, in order.
CASE_TEMPLATE = (
    "interview_witnesses",
    "request_body_camera",
    "canvass",
    "identify_agents_and_vehicles",
    "check_the_place",
)
#: Verifications that make an incident verified.
VERIFIERS_NEEDED = 2
#: Longest free text of a reason, note or timeline line (the columns' sizes).
WHY_MAX = 300


def _why(why: str) -> str:
    text = why.strip()
    if not text:
        raise IntakeRefused("why", "say in a few words why")
    if len(text) > WHY_MAX:
        raise IntakeRefused("why", f"keep it to {WHY_MAX} characters")
    return text


def _prepared(
    user: User, incident: Incident, step: Callable[[], None], why: str, **changes: Any
) -> None:
    """Take one transition in memory and log it; the caller saves the row.

    The ledger entry always goes in before any row is written: on SQLite the ledger appends
    through its own connection to the same file, so an append inside a Django transaction
    that has already written would wait on that transaction's own lock.
    """
    try:
        step()  # moves incident.state in memory, or refuses
    except TransitionNotAllowed:
        raise IntakeRefused("state", f"not possible from {incident.state}") from None
    for name, value in changes.items():
        setattr(incident, name, value)
    log_written(
        RECORD_TYPE,
        incident.reference,
        {
            "reference": incident.reference,
            "state": incident.state,
            "why": why,
            **{name: _logged(value) for name, value in changes.items()},
        },
        user.actor,
        created=False,
        day_only=False,
    )
    # simple-history reads these two for the history row: who, and why.
    incident._change_reason = why  # type: ignore[attr-defined]
    incident._history_user = user  # type: ignore[attr-defined]


def _move(
    user: User, incident: Incident, step: Callable[[], None], why: str, **changes: Any
) -> None:
    """Take one transition: logged first (the ledger holds what the row will say), then the
    row and its history entry, with ``why`` as the change's reason."""
    _prepared(user, incident, step, why, **changes)
    incident.save()


def _logged(value: Any) -> Any:
    """A changed field as the ledger's fingerprint covers it: a person by account number,
    an incident by reference."""
    if isinstance(value, User):
        return value.actor
    if isinstance(value, Incident):
        return value.reference
    return value


def triage(user: User, incident: Incident, why: str, linked: Sequence[Incident] = ()) -> None:
    """Read and sorted: linked to the reports of the same or related events."""
    require(user, "incidents.triage", incident)
    with transaction.atomic():
        _move(user, incident, incident.triage, _why(why))
        incident.linked.add(*[other for other in linked if other.pk != incident.pk])


def mark_duplicate(user: User, incident: Incident, original: Incident, why: str) -> None:
    """The same event reported again: closed as a duplicate of ``original``."""
    require(user, "incidents.triage", incident)
    if original.pk == incident.pk:
        raise IntakeRefused("duplicate_of", "an incident is not a duplicate of itself")
    _move(
        user,
        incident,
        incident.close,
        _why(why),
        closed_reason=ClosedReason.DUPLICATE,
        duplicate_of=original,
    )


def verify(user: User, incident: Incident, how: str) -> bool:
    """Record ``user``'s confirmation; the second person's makes the incident verified.
    True when this one did."""
    require(user, "incidents.verify", incident)
    if incident.state != State.TRIAGED:
        raise IntakeRefused("state", "only a triaged incident is verified")
    if incident.verifications.filter(by=user).exists():
        raise IntakeRefused("by", "a second verification must come from another person")
    how = _why(how)
    second = incident.verifications.values("by").distinct().count() + 1 >= VERIFIERS_NEEDED
    if second:
        _prepared(user, incident, incident.verify, f"verified by two people: {how}")
    else:
        log_written(
            RECORD_TYPE,
            incident.reference,
            {"reference": incident.reference, "verified_by": user.actor},
            user.actor,
            created=False,
            day_only=False,
        )
    with transaction.atomic():
        Verification.objects.create(incident=incident, by=user, at=timezone.now(), how=how)
        if second:
            incident.save()
    return second


def open_investigation(
    user: User, incident: Incident, assignee: User, due_on: date, why: str
) -> Investigation:
    """Open the case from the template of tasks, assigned with a due date."""
    require(user, "incidents.open_investigation", incident)
    if not assignee.has_perm("incidents.be_assigned"):
        raise IntakeRefused("assignee", "is not an investigator")
    if due_on < timezone.localdate():
        raise IntakeRefused("due_on", "is in the past")
    with transaction.atomic():
        _move(
            user, incident, incident.open_investigation, _why(why), assigned_investigator=assignee
        )
        case = Investigation.objects.create(
            incident=incident,
            opened_by=user,
            opened_at=timezone.now(),
            assignee=assignee,
            due_on=due_on,
        )
        Task.objects.bulk_create(Task(investigation=case, kind=kind) for kind in CASE_TEMPLATE)
    return case


def close(user: User, incident: Incident, reason: str, why: str) -> None:
    require(user, "incidents.close", incident)
    if reason not in ClosedReason.values:
        raise IntakeRefused("closed_reason", f"must be one of {', '.join(ClosedReason.values)}")
    _move(user, incident, incident.close, _why(why), closed_reason=reason)


def prepare_refer(user: User, incident: Incident, referral: str) -> None:
    """The referral ``referral`` is leaving: the incident becomes referred, logged now; the
    referrals service saves it with the referral, in one transaction."""
    _prepared(user, incident, incident.refer, f"referral {referral} sent")


# -- the case's work -----------------------------------------------------------------------


def _case_log(user: User, case: Investigation, what: dict[str, Any]) -> None:
    log_written(
        "investigation",
        case.incident.reference,
        {"reference": case.incident.reference, **what},
        user.actor,
        created=False,
        day_only=False,
    )


def finish_task(user: User, task: Task, note: str = "") -> None:
    require(user, "incidents.investigate", task.investigation.incident)
    if task.done_at is not None:
        raise IntakeRefused("task", "this task is already done")
    task.done_by, task.done_at, task.note = user, timezone.now(), note.strip()[:500]
    _case_log(user, task.investigation, {"task": task.kind, "done": True, "note": task.note})
    task.save()


def add_task(user: User, case: Investigation, kind: str) -> Task:
    require(user, "incidents.investigate", case.incident)
    if kind not in CASE_TEMPLATE:
        raise IntakeRefused("kind", f"must be one of {', '.join(CASE_TEMPLATE)}")
    _case_log(user, case, {"task": kind, "added": True})
    return Task.objects.create(investigation=case, kind=kind)


def add_note(user: User, case: Investigation, text: str) -> Note:
    require(user, "incidents.investigate", case.incident)
    if not text.strip():
        raise IntakeRefused("text", "a note says something")
    _case_log(user, case, {"note": text})
    return Note.objects.create(investigation=case, author=user, at=timezone.now(), text=text)


def add_event(user: User, case: Investigation, happened_at: datetime, what: str) -> TimelineEvent:
    require(user, "incidents.investigate", case.incident)
    if happened_at > timezone.now():
        raise IntakeRefused("happened_at", "is in the future")
    text = what.strip()[:500]
    if not text:
        raise IntakeRefused("what", "say what happened")
    _case_log(user, case, {"event": text, "happened_at": happened_at.isoformat()})
    return TimelineEvent.objects.create(
        investigation=case, happened_at=happened_at, what=text, added_by=user
    )
