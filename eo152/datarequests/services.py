"""Logging, deciding, confirming and reading federal data requests: the one service the
desk's pages, the API and the CLI all call, with the same rules for each.

Every step is permission-checked, written to the ledger first (a ``data_request.*`` entry
holding the request's public facts as codes, so the public tally can be recounted from a
ledger export), then to the rows in one transaction. A release or a partial release needs
two people and the SHA-256 of the exact file released, which the ``released`` entry holds
with both approvers.
"""

from __future__ import annotations

import hashlib
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from ..accounts.models import User
from ..accounts.permissions import require
from ..contract import collect_errors
from ..contract.errors import FieldError
from ..incidents.codes import ALPHABET
from ..incidents.evidence import EvidenceRefused, detected_type
from ..incidents.services import IntakeRefused
from ..ledger import CustodyEvent, DataRequestStep, Receipt, now
from ..services.records import fingerprint, ledger_entries, log_read, site_ledger
from . import clock
from .bases import catalogue, for_kind
from .findings import against, decide_request, engine_answer, situation_of
from .models import (
    ANSWERS,
    RELEASES,
    Channel,
    DataRequest,
    Determination,
    FileRole,
    Kind,
    RequestFile,
    State,
    Status,
)
from .tally import PREFIX, tally

RECORD_TYPE = "data_request"

#: What a process document may be: a PDF or a picture of the paper.
PROCESS_TYPES = frozenset(
    {"application/pdf", "image/jpeg", "image/png", "image/tiff", "image/gif", "image/webp"}
)

PROCESS_WORDS = "a PDF or an image (a scan or photo of the paper)"

#: The body's keys (API, CLI file), as the issue and CONTRACT.md name them.
BODY_KEYS = frozenset(
    {
        "agencies",
        "purpose",
        "received_at",
        "channel",
        "data_categories",
        "authority",
        "process",
        "concerning",
        "deadline",
        "external_id",
        "component",
        "official",
    }
)

# The body's keys, as the contract's paths they are checked under.
_CONTRACT_PATHS = (
    ("agents.agencies", "agencies"),
    ("agents.purpose", "purpose"),
    ("requests[0].data_categories", "data_categories"),
    ("requests[].data_categories", "data_categories"),
    ("authority", "authority"),
    ("at", "received_at"),
)


def new_reference() -> str:
    pick = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"DR-{pick[:4]}-{pick[4:]}"


@dataclass(frozen=True)
class RequestInput:
    """A request as the clerk, the API or the CLI gives it, before anything is stored."""

    agencies: list[str]
    purpose: str
    received_at: datetime
    channel: str
    data_categories: list[str]
    authority: dict[str, Any]
    process_issuer: str = ""
    process_date: date | None = None
    concerning: str = ""
    deadline: date | None = None
    external_id: str = ""
    component: str = ""
    official: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# -- reading a body --------------------------------------------------------------------


def _text(body: Mapping[str, Any], key: str, limit: int) -> str:
    value = body.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise IntakeRefused(key, "must be text")
    if len(value) > limit:
        raise IntakeRefused(key, f"must be at most {limit} characters (it has {len(value)})")
    return value.strip()


def _when(value: Any, key: str) -> datetime:
    if not isinstance(value, str):
        raise IntakeRefused(key, "must be a date and time such as 2026-11-20T09:30:00-07:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise IntakeRefused(key, f"{value!r} is not a date and time (ISO 8601)") from None
    if parsed.tzinfo is None:
        parsed = timezone.make_aware(parsed)
    return parsed


def _day(value: Any, key: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise IntakeRefused(key, "must be a date such as 2026-12-01")
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else date.fromisoformat(value)
    except ValueError:
        raise IntakeRefused(key, f"{value!r} is not a date (YYYY-MM-DD)") from None


def read_body(body: Any) -> RequestInput:
    """The request a JSON body (API or CLI) describes; IntakeRefused naming the first bad key."""
    if not isinstance(body, dict):
        raise IntakeRefused("(body)", "must be a JSON object")
    unknown = sorted(set(body) - BODY_KEYS)
    if unknown:
        raise IntakeRefused(unknown[0], f"is not a key we take ({', '.join(sorted(BODY_KEYS))})")
    if "received_at" not in body:
        raise IntakeRefused("received_at", "is required: when the request arrived")
    process = body.get("process") or {}
    if not isinstance(process, dict) or set(process) - {"issuer", "date"}:
        raise IntakeRefused("process", "must be an object with issuer and date")
    authority = body.get("authority") or {"kind": "unknown"}
    return RequestInput(
        agencies=body.get("agencies") or [],
        purpose=body.get("purpose") or "unknown",
        received_at=_when(body["received_at"], "received_at"),
        channel=body.get("channel") or "",
        data_categories=body.get("data_categories") or [],
        authority=authority,
        process_issuer=_text(process, "issuer", 200),
        process_date=_day(process.get("date"), "process.date"),
        concerning=_text(body, "concerning", 2000),
        deadline=_day(body.get("deadline"), "deadline"),
        external_id=_text(body, "external_id", 100),
        component=_text(body, "component", 120),
        official=_text(body, "official", 120),
    )


def _check(given: RequestInput) -> dict[str, Any]:
    """The situation the request makes, or IntakeRefused naming the first thing to fix."""
    if not isinstance(given.agencies, list) or not given.agencies:
        raise IntakeRefused("agencies", "name at least one agency (for example ICE_ERO)")
    if not isinstance(given.data_categories, list) or not given.data_categories:
        raise IntakeRefused("data_categories", "name at least one kind of data asked for")
    if given.channel not in Channel.values:
        raise IntakeRefused("channel", f"must be one of {', '.join(Channel.values)}")
    if not isinstance(given.authority, dict):
        raise IntakeRefused("authority", 'must be an object such as {"kind": "none"}')
    if given.received_at > timezone.now():
        raise IntakeRefused("received_at", "is in the future")
    if given.process_date is not None and given.process_date > timezone.localdate():
        raise IntakeRefused("process.date", "is in the future")
    received_on = timezone.localtime(given.received_at).date()
    if given.deadline is not None and given.deadline < received_on:
        raise IntakeRefused("deadline", "is before the day the request arrived")
    situation = situation_of(
        given.agencies, given.purpose, given.received_at, given.data_categories, given.authority
    )
    errors: list[FieldError] = []
    collect_errors(situation, errors)
    if errors:
        first = errors[0]
        path = first.path
        for contract_path, key in _CONTRACT_PATHS:
            if path.startswith(contract_path):
                path = key + path[len(contract_path) :]
                break
        raise IntakeRefused(path, first.message)
    return situation


# -- files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file given with a step: its bytes in a local file, and what it says it is."""

    path: Path
    claimed_type: str | None = None
    label: str = ""


def _checked_type(upload: Upload, accepted: frozenset[str], what: str, words: str) -> str:
    try:
        return detected_type(upload.path, upload.claimed_type, accepted)
    except EvidenceRefused as refused:
        raise IntakeRefused(what, f"must be {words}; {refused}") from None


def _store(
    user: User, request_ref: str, upload: Upload, media_type: str
) -> tuple[str, int, Receipt]:
    stored, receipt = site_ledger().add_evidence(
        upload.path, user.actor, incident=request_ref, media_type=media_type
    )
    return stored.sha256, stored.size, receipt


def _file_row(
    request: DataRequest,
    role: str,
    upload: Upload,
    user: User,
    stored: tuple[str, int, Receipt],
    media_type: str,
) -> RequestFile:
    sha256, size, receipt = stored
    found, _ = RequestFile.objects.get_or_create(
        request=request,
        role=role,
        sha256=sha256,
        defaults={
            "size": size,
            "media_type": media_type,
            "label": upload.label[:200],
            "added_by": user,
            "added_at": timezone.now(),
            "receipt": receipt.to_dict(),
        },
    )
    return found


# -- the ledger ------------------------------------------------------------------------


def public_facts(request: DataRequest) -> dict[str, Any]:
    """What the ledger and the public tally say about a request: codes, never who."""
    return {
        "agencies": sorted(request.agencies),
        "data_categories": sorted(request.data_categories),
        "process": request.authority.get("kind", "unknown"),
        "channel": request.channel,
        "purpose": request.purpose,
        "received_on": timezone.localtime(request.received_at).date().isoformat(),
        "engine": engine_answer(request.split),
    }


def _log(
    request: DataRequest,
    step: str,
    user: User,
    facts: Mapping[str, Any] | None = None,
    approvers: tuple[User, ...] = (),
    sha256: str | None = None,
) -> Receipt:
    content = record_of(request, include_concerning=True)
    event = DataRequestStep(
        reference=request.reference,
        step=step,
        actor=user.actor,
        at=now(),
        record_sha256=fingerprint(content),
        facts=dict(facts or {}),
        approvers=tuple(person.actor for person in approvers),
        sha256=sha256,
    )
    return site_ledger().record(event)


def _save(request: DataRequest, user: User, why: str, *rows: Any) -> None:
    request._change_reason = why  # type: ignore[attr-defined]
    request._history_user = user  # type: ignore[attr-defined]
    with transaction.atomic():
        request.save()
        for row in rows:
            row.save()


# -- logging a request -----------------------------------------------------------------


def log_request(
    user: User, given: RequestInput, process_document: Upload | None = None
) -> DataRequest:
    """Log a request: checked whole, decided by the engine, then stored (the process
    document in the evidence store). Nothing is stored if anything is refused."""
    require(user, "data_requests.log")
    situation = _check(given)
    media_type = None
    if process_document is not None:
        media_type = _checked_type(
            process_document, PROCESS_TYPES, "process.document", PROCESS_WORDS
        )
    found = decide_request(situation)
    received_on = timezone.localtime(given.received_at).date()
    deadline = given.deadline or clock.add_business_days(received_on, _default_days())
    request = DataRequest(
        reference=new_reference(),
        channel=given.channel,
        agencies=list(given.agencies),
        component=given.component,
        official=given.official,
        purpose=given.purpose,
        received_at=given.received_at,
        data_categories=list(given.data_categories),
        authority=dict(given.authority),
        process_issuer=given.process_issuer,
        process_date=given.process_date,
        concerning=given.concerning,
        deadline=deadline,
        external_id=given.external_id,
        situation=situation,
        findings=found.decision,
        split=found.split,
        changes_with=found.changes_with,
        owner=user,
        logged_by=user,
        logged_at=timezone.now(),
        receipt={},
    )
    stored = None
    if process_document is not None and media_type is not None:
        stored = _store(user, request.reference, process_document, media_type)
    receipt = _log(request, "logged", user, public_facts(request))
    request.receipt = receipt.to_dict()
    request._history_user = user  # type: ignore[attr-defined]
    with transaction.atomic():
        request.save()
        if stored is not None and media_type is not None and process_document is not None:
            _file_row(request, FileRole.PROCESS, process_document, user, stored, media_type)
    return request


def _default_days() -> int:
    return int(settings.EO152_DATA_REQUEST_DAYS)


def add_file(user: User, request: DataRequest, role: str, upload: Upload) -> RequestFile:
    """Keep a file of the request: the process presented (PDF or image), or a file to
    release (any kind the evidence store takes)."""
    require(user, "data_requests.manage", request)
    if role not in FileRole.values:
        raise IntakeRefused("role", f"must be one of {', '.join(FileRole.values)}")
    if request.state == State.CLOSED:
        raise IntakeRefused("state", "the request is answered; nothing more is added")
    from ..incidents.evidence import STAFF_TYPES

    accepted = PROCESS_TYPES if role == FileRole.PROCESS else STAFF_TYPES | PROCESS_TYPES
    media_type = _checked_type(
        upload,
        accepted,
        "file",
        PROCESS_WORDS if role == FileRole.PROCESS else "a document, picture, video or sound file",
    )
    stored = _store(user, request.reference, upload, media_type)
    return _file_row(request, role, upload, user, stored, media_type)


def add_file_bytes(
    user: User,
    request: DataRequest,
    role: str,
    data: BinaryIO,
    claimed_type: str | None,
    label: str = "",
) -> RequestFile:
    """:func:`add_file` for bytes read from a request body or an upload."""
    with tempfile.TemporaryDirectory(prefix="eo152-dr-") as folder:
        path = Path(folder) / "file"
        with path.open("wb") as out:
            while chunk := data.read(1 << 20):
                out.write(chunk)
        return add_file(user, request, role, Upload(path, claimed_type, label))


# -- determinations --------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """What a person decides: a kind, its bases, and what goes with it."""

    kind: str
    bases: tuple[str, ...] = ()
    reason: str = ""
    released_categories: tuple[str, ...] = ()
    released_sha256: str | None = None
    new_deadline: date | None = None


def _checked_choice(
    user: User, request: DataRequest, choice: Choice
) -> tuple[list[str], list[str]]:
    """The released categories and those going against the engine; IntakeRefused if the
    choice cannot be made as given."""
    if choice.kind not in Kind.values:
        raise IntakeRefused("determination", f"must be one of {', '.join(Kind.values)}")
    allowed = {basis.code for basis in for_kind(choice.kind)}
    if not choice.bases:
        raise IntakeRefused("bases", f"pick at least one basis: {', '.join(sorted(allowed))}")
    unknown = [code for code in choice.bases if code not in allowed]
    if unknown:
        raise IntakeRefused(
            "bases", f"{unknown[0]} is not a basis for {choice.kind}: {', '.join(sorted(allowed))}"
        )
    if len(choice.reason) > 4000:
        raise IntakeRefused("reason", "must be at most 4,000 characters")
    categories = list(request.data_categories)
    if choice.kind == Kind.RELEASE:
        released = categories
    elif choice.kind == Kind.PARTIAL:
        released = list(choice.released_categories)
        strange = [name for name in released if name not in categories]
        if strange:
            raise IntakeRefused("released_categories", f"{strange[0]} was not asked for")
        if not released or set(released) == set(categories):
            raise IntakeRefused(
                "released_categories",
                "a release in part releases some of what was asked, not none or all",
            )
        kinds = {catalogue()[code].determination for code in choice.bases}
        if kinds != {Kind.RELEASE, Kind.REFUSE}:
            raise IntakeRefused(
                "bases", "a release in part needs a basis to release and one to refuse"
            )
    else:
        released = []
    if choice.kind in RELEASES and not choice.released_sha256:
        raise IntakeRefused(
            "released_file", "a release names the exact file released (upload it first)"
        )
    if choice.kind == Kind.EXTEND and (
        choice.new_deadline is None or choice.new_deadline <= request.deadline
    ):
        raise IntakeRefused(
            "new_deadline", f"must be after the current deadline, {request.deadline}"
        )
    split = request.split
    open_ones = [name for name in released if split[name]["outcome"] == "indeterminate"]
    if open_ones:
        # Releasing what turns on an open question answers that question: the City Attorney's.
        require(user, "data_requests.go_against_engine", request)
        if not choice.reason.strip():
            raise IntakeRefused(
                "reason",
                f"releasing {open_ones[0]}, which the law leaves open, needs a written reason",
            )
    going_against = against(split, released) if choice.kind in ANSWERS else []
    if going_against:
        require(user, "data_requests.go_against_engine", request)
        if not choice.reason.strip():
            raise IntakeRefused(
                "reason", "a determination against the engine's outcome needs a written reason"
            )
    return released, going_against


def _allowed(user: User, request: DataRequest, choice: Choice) -> tuple[list[str], list[str]]:
    """Everything :func:`determine` checks before it writes: the permissions, the state, the
    choice itself, and for a release the rule of four eyes. The released categories and
    those going against the engine."""
    require(user, "data_requests.determine", request)
    if request.state in (State.CLOSED, State.AWAITING_CHECK):
        raise IntakeRefused(
            "state", f"not possible while the request is {request.get_state_display().lower()}"
        )
    released, going_against = _checked_choice(user, request, choice)
    if choice.kind in RELEASES:
        require(user, "data_requests.make_release", request)
        if request.logged_by_id == user.pk:
            raise IntakeRefused(
                "made_by", "the person who logged a request cannot release its data"
            )
    return released, going_against


def determine_with_file(
    user: User, request: DataRequest, choice: Choice, upload: Upload
) -> Determination:
    """A release with the file it releases, given together (the page's form, the CLI):
    the choice is checked first, so a refused release stores no file."""
    digest = hashlib.sha256()
    with upload.path.open("rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    choice = replace(choice, released_sha256=digest.hexdigest())
    _allowed(user, request, choice)
    add_file(user, request, FileRole.RELEASED, upload)
    return determine(user, request, choice)


def determine(user: User, request: DataRequest, choice: Choice) -> Determination:
    """Make a determination. A refusal, a review or an extension takes effect at once; a
    release or a release in part waits for a second person (:func:`check`)."""
    released, going_against = _allowed(user, request, choice)
    released_file = None
    if choice.kind in RELEASES:
        released_file = request.files.filter(
            role=FileRole.RELEASED, sha256=choice.released_sha256
        ).first()
        if released_file is None:
            raise IntakeRefused(
                "released_file", "no file with that SHA-256 was added to this request to release"
            )
    determination = Determination(
        request=request,
        kind=choice.kind,
        bases=list(choice.bases),
        released_categories=released,
        reason=choice.reason.strip(),
        released_file=released_file,
        new_deadline=choice.new_deadline,
        against_engine=bool(going_against),
        status=Status.PROPOSED if choice.kind in RELEASES else Status.CONFIRMED,
        made_by=user,
        made_at=timezone.now(),
        receipt={},
    )
    try:
        if choice.kind in RELEASES:
            request.propose_release()
        elif choice.kind == Kind.REVIEW:
            request.send_to_review()
        elif choice.kind == Kind.REFUSE:
            request.close()
    except TransitionNotAllowed:
        raise IntakeRefused("state", f"not possible from {request.state}") from None
    if choice.kind == Kind.REFUSE:
        request.answer = Kind.REFUSE
        request.closed_at = timezone.now()
    if choice.kind == Kind.EXTEND and choice.new_deadline is not None:
        request.deadline = choice.new_deadline
    step = "proposed" if choice.kind in RELEASES else "determined"
    receipt = _log(
        request,
        step,
        user,
        {
            "determination": choice.kind,
            "bases": sorted(choice.bases),
            "released_categories": sorted(released),
            "against_engine": bool(going_against),
            "engine": engine_answer(request.split),
        },
        approvers=(user,),
    )
    determination.receipt = receipt.to_dict()
    _save(request, user, f"determined: {choice.kind}", determination)
    return determination


def pending(request: DataRequest) -> Determination | None:
    return request.determinations.filter(status=Status.PROPOSED).last()


def check(user: User, request: DataRequest) -> Determination:
    """A second person confirms a release: neither its maker nor the request's logger.
    The ``released`` entry holds the decision, both approvers and the file's SHA-256."""
    require(user, "data_requests.check", request)
    proposed = pending(request)
    if proposed is None:
        raise IntakeRefused("state", "no release is waiting for a second person")
    if user.pk in (proposed.made_by_id, request.logged_by_id):
        raise IntakeRefused(
            "checked_by",
            "a release is checked by someone who neither made it nor logged the request",
        )
    # A release against the engine was made by the City Attorney (determine() requires it),
    # with a written reason; the checker is any second person who may check.
    released_file = proposed.released_file
    if released_file is None:  # made impossible by determine(); checked again at the gate
        raise IntakeRefused("released_file", "a release names the exact file released")
    try:
        request.close()
    except TransitionNotAllowed:
        raise IntakeRefused("state", f"not possible from {request.state}") from None
    request.answer = proposed.kind
    request.closed_at = timezone.now()
    proposed.status = Status.CONFIRMED
    proposed.checked_by = user
    proposed.checked_at = timezone.now()
    receipt = _log(
        request,
        "released",
        user,
        {
            "determination": proposed.kind,
            "bases": sorted(proposed.bases),
            "released_categories": sorted(proposed.released_categories),
            "against_engine": proposed.against_engine,
            "engine": engine_answer(request.split),
        },
        approvers=(proposed.made_by, user),
        sha256=released_file.sha256,
    )
    proposed.receipt = receipt.to_dict()
    _save(request, user, "release checked", proposed)
    return proposed


def send_back(user: User, request: DataRequest, reason: str) -> Determination:
    """The second person does not agree: the release is returned and the request is open."""
    require(user, "data_requests.check", request)
    proposed = pending(request)
    if proposed is None:
        raise IntakeRefused("state", "no release is waiting for a second person")
    if not reason.strip() or len(reason) > 200:
        raise IntakeRefused(
            "reason", "say in a few words (at most 200 characters) why it goes back"
        )
    request.send_back()
    proposed.status = Status.RETURNED
    proposed.checked_by = user
    proposed.checked_at = timezone.now()
    proposed.return_reason = reason.strip()
    _log(request, "returned", user, {"determination": proposed.kind})
    _save(request, user, "release sent back", proposed)
    return proposed


# -- the clock and the people ------------------------------------------------------------


def pause(user: User, request: DataRequest, reason: str) -> None:
    """Stop the clock (waiting on the requester, say); the deadline moves on resuming."""
    require(user, "data_requests.manage", request)
    if request.state == State.CLOSED or request.paused_at is not None:
        raise IntakeRefused("state", "only a running clock can be paused")
    if not reason.strip() or len(reason) > 200:
        raise IntakeRefused(
            "reason", "say in a few words (at most 200 characters) why the clock stops"
        )
    request.paused_at = timezone.now()
    request.pause_reason = reason.strip()
    _log(request, "paused", user)
    _save(request, user, "clock paused")


def resume(user: User, request: DataRequest) -> None:
    """Start the clock again: the deadline moves by the business days it was stopped."""
    require(user, "data_requests.manage", request)
    if request.paused_at is None:
        raise IntakeRefused("state", "the clock is not paused")
    stopped = clock.business_days_between(
        timezone.localtime(request.paused_at).date(), timezone.localdate()
    )
    request.deadline = clock.add_business_days(request.deadline, stopped)
    request.paused_at = None
    request.pause_reason = ""
    _log(request, "resumed", user)
    _save(request, user, f"clock resumed ({stopped} business days paused)")


def set_people(user: User, request: DataRequest, owner: User, backup: User | None) -> None:
    """Who answers for the request, and who covers for them."""
    require(user, "data_requests.manage", request)
    for person, what in ((owner, "owner"), (backup, "backup")):
        if person is not None and not person.has_perm("data_requests.determine", request):
            raise IntakeRefused(what, "must be someone who works the desk")
    if backup is not None and backup.pk == owner.pk:
        raise IntakeRefused("backup", "must be someone other than the owner")
    request.owner = owner
    request.backup = backup
    _log(request, "assigned", user)
    _save(request, user, "owner and backup set")


def remove_concerning(user: User, request: DataRequest) -> None:
    """Empty what the request said about whom, once it is answered."""
    require(user, "data_requests.manage", request)
    if request.state != State.CLOSED:
        raise IntakeRefused("state", "what a request concerns is removed once it is answered")
    if request.concerning_removed_at is not None:
        raise IntakeRefused("concerning", "already removed")
    request.concerning = ""
    request.concerning_removed_at = timezone.now()
    _log(request, "concerning_removed", user)
    _save(request, user, "what it concerns removed")


# -- reading ---------------------------------------------------------------------------


def visible_to(user: User) -> QuerySet[DataRequest]:
    if user.has_perm("data_requests.list"):
        return DataRequest.objects.all()
    return DataRequest.objects.none()


def open_request(user: User, reference: str) -> DataRequest:
    """The request, if ``user`` may read it (DoesNotExist alike for unknown and not yours)."""
    found = (
        DataRequest.objects.select_related("owner", "backup", "logged_by")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if found is None or not user.has_perm("data_requests.view", found):
        raise DataRequest.DoesNotExist(reference)
    return found


def standing_of(request: DataRequest, today: date | None = None) -> clock.Standing:
    return clock.standing(
        request.deadline,
        today or timezone.localdate(),
        paused=request.paused_at is not None,
        answered=request.state == State.CLOSED,
    )


def record_of(request: DataRequest, *, include_concerning: bool) -> dict[str, Any]:
    """The request as the API, the CLI and the ledger's hash see it."""
    return {
        "reference": request.reference,
        "state": request.state,
        "answer": request.answer or None,
        "channel": request.channel,
        "agencies": request.agencies,
        "component": request.component,
        "official": request.official,
        "purpose": request.purpose,
        "received_at": request.received_at.isoformat(),
        "data_categories": request.data_categories,
        "authority": request.authority,
        "process": {
            "issuer": request.process_issuer or None,
            "date": request.process_date.isoformat() if request.process_date else None,
        },
        **({"concerning": request.concerning} if include_concerning else {}),
        "deadline": request.deadline.isoformat(),
        "external_id": request.external_id or None,
        "findings": request.findings,
        "split": request.split,
        "changes_with": request.changes_with,
        "engine_answer": engine_answer(request.split),
    }


def shown(user: User, request: DataRequest) -> dict[str, Any]:
    """The request for ``user``, logged as read; what it concerns only for the desk."""
    concerning = user.has_perm("data_requests.view_concerning", request)
    record = {
        **record_of(request, include_concerning=concerning),
        "standing": standing_of(request).value,
        "owner": request.owner.actor,
        "backup": request.backup.actor if request.backup else None,
        "paused": None
        if request.paused_at is None
        else {"since": request.paused_at.isoformat(), "reason": request.pause_reason},
        "files": [
            {
                "role": item.role,
                "sha256": item.sha256,
                "size": item.size,
                "media_type": item.media_type,
                "label": item.label,
            }
            for item in request.files.all()
        ],
        "determinations": [
            {
                "determination": item.kind,
                "status": item.status,
                "bases": item.bases,
                "released_categories": item.released_categories,
                "released_sha256": item.released_file.sha256 if item.released_file else None,
                "against_engine": item.against_engine,
                "reason": item.reason or None,
                "new_deadline": item.new_deadline.isoformat() if item.new_deadline else None,
                "made_by": item.made_by.actor,
                "made_at": item.made_at.isoformat(),
                "checked_by": item.checked_by.actor if item.checked_by else None,
                "checked_at": item.checked_at.isoformat() if item.checked_at else None,
            }
            for item in request.determinations.select_related(
                "made_by", "checked_by", "released_file"
            )
        ],
        "receipt": request.receipt,
    }
    log_read(RECORD_TYPE, request.reference, record, "record", user.actor)
    return record


def open_file(user: User, request: DataRequest, sha256: str) -> tuple[RequestFile, BinaryIO]:
    """A file of the request and its bytes, the download logged as custody first. The desk
    only: a process document names whom the request concerns. RequestFile.DoesNotExist for a
    file that is not this request's."""
    require(user, "data_requests.view_concerning", request)
    item = request.files.filter(sha256=sha256).first()
    if item is None:
        raise RequestFile.DoesNotExist(sha256)
    ledger = site_ledger()
    ledger.log_custody(CustodyEvent("downloaded", sha256, user.actor, now(), request.reference))
    return item, ledger.store.open(sha256)


def in_force(request: DataRequest) -> Determination | None:
    """The determination the letter speaks for: the last confirmed one."""
    return request.determinations.filter(status=Status.CONFIRMED).last()


#: How long a tally stays in the cache: its key is the ledger's size and root, so a
#: tally is never stale, only evicted.
TALLY_SECONDS = 24 * 60 * 60


def site_tally() -> tuple[dict[str, Any], int]:
    """The public tally of this data folder's ledger, and how many entries it counted:
    the ``data_request.*`` entries alone (as anyone recounts an export). Kept in the cache
    under the ledger's tree size and root, so the same log is counted once."""
    size, root, _ = site_ledger().log.store.current()
    key = f"eo152:data-request-tally:{size}:{root.hex() if root else ''}"
    counted = cache.get(key)
    if counted is None:
        marker = f'"kind":"{PREFIX}'  # canonical JSON: only these entries are worth parsing
        counted = tally(entry for _, entry in ledger_entries(up_to=size, marker=marker))
        cache.set(key, counted, TALLY_SECONDS)
    return counted, size
