"""``POST /api/v1/incidents`` and ``GET /api/v1/incidents/{reference}``: the API's door.

A partner system or an officer's tool files an incident with a bearer token; the answer
holds the engine's findings and the ledger receipt of the filing. Errors are the API's
problem documents (``eo152.api.problems``): 401 without a usable token, 403 for a role
that may not file, 404 for an incident that is unknown or not the caller's to read (the
same answer, so a reference's existence is not revealed), 413 over 1 MB, 422 naming each
bad field (a bad situation gets the contract's field errors exactly as
``/api/v1/decisions`` gives them), 503 while the places layers cannot be read.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, NoReturn

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from ..accounts.api_auth import BearerRefused, bearer_user
from ..api.body import BodyTooLarge, read_json, refused_body
from ..api.problems import Refused, field_problem, method_not_allowed, problem, unauthorized
from ..rules import InvalidSituation
from ..services.decisions import PlacesUnavailable, not_listed
from . import services
from .models import BodyCamera, Incident, Source

_log = logging.getLogger("eo152.api")

#: The keys a filing's body may hold; any other is refused by name.
REQUIRED = ("situation", "source")
OPTIONAL = (
    "narrative",
    "occurred_at",
    "external_id",
    "personnel",
    "body_camera",
    "body_camera_clips",
)
#: Each personnel field and its longest value (the columns' sizes).
PERSON_FIELDS = {
    "agency": 20,
    "unit": 100,
    "badge": 40,
    "plate": 20,
    "plate_state": 2,
    "description": 300,
}
MAX_PERSONNEL = 50
MAX_CLIPS = 100
MAX_CLIP_ID = 100
MAX_EXTERNAL_ID = 100


def _not_found() -> HttpResponse:
    return problem(
        404,
        "Not found",
        "No incident with this reference is yours to read.",
    )


@csrf_exempt  # a bearer token, never a cookie, authenticates an API call
def incidents(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return method_not_allowed(["POST"])
    try:
        user = bearer_user(request)
    except BearerRefused as refused:
        return unauthorized(str(refused), refused.challenge)
    if not user.has_perm("incidents.file"):
        return problem(403, "Forbidden", f"The role {user.role} may not file incidents.")
    try:
        intake = _intake(_json_body(request))
        filed = services.file_incident(intake, by=user)
    except Refused as refused:
        return refused.response
    except InvalidSituation as error:
        fields = [(field.path, field.message) for field in error.errors]
        return field_problem(422, "Invalid situation", fields, not_listed(error))
    except services.IntakeRefused as error:
        return field_problem(422, "Invalid incident", [(error.field, error.message)])
    except PlacesUnavailable as error:
        _log.error("%s", error)  # the server's own path: for the operator's log, not the caller
        detail = "The places layers cannot be read, so a point or an address cannot be placed."
        return problem(503, "Places unavailable", detail + " Give location.ownership and kind.")
    shown = representation(filed.incident)
    if not filed.created:  # the retry is answered with the stored record: a read
        services.log_shown(user, filed.incident, shown, "api")
    response = JsonResponse(shown, status=201 if filed.created else 200)
    response["Location"] = reverse("api-incident", args=[filed.incident.reference])
    return response


@csrf_exempt
def incident(request: HttpRequest, reference: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(["GET"])
    try:
        user = bearer_user(request)
    except BearerRefused as refused:
        return unauthorized(str(refused), refused.challenge)
    try:
        found = services.open_incident(user, reference)
    except Incident.DoesNotExist:
        return _not_found()
    shown = representation(found)
    services.log_shown(user, found, shown, "api")
    return JsonResponse(shown)


def representation(incident: Incident) -> dict[str, Any]:
    """What the API shows of an incident: never a confidential reporter's contact (only the
    assigned investigator's pages show that), never who filed it by name."""
    finding = services.current_finding(incident)
    return {
        "reference": incident.reference,
        "state": incident.state,
        "closed_reason": incident.closed_reason or None,
        "source": incident.source,
        "reporting": incident.reporting,
        "filed_on": incident.filed_on.isoformat(),
        "occurred_at": incident.occurred_at.isoformat() if incident.occurred_at else None,
        "external_id": incident.external_id,
        "situation": incident.situation,
        "narrative": incident.narrative,
        "personnel": [
            {name: getattr(person, name) for name in PERSON_FIELDS}
            for person in incident.personnel.order_by("id")
        ],
        "body_camera": incident.body_camera or None,
        "body_camera_clips": list(incident.body_camera_clips),
        "evidence": [
            {
                "sha256": evidence.shown_sha256,
                "label": evidence.label,
                "added_on": evidence.added_on.isoformat(),
                "metadata_removed": evidence.shown_sha256 != evidence.sha256,
            }
            for evidence in incident.evidence.all()
            if evidence.shown_sha256  # a public video is shown to the investigator only
        ],
        "findings": finding.decision,
        "decided_on": finding.decided_on.isoformat(),
        "receipt": incident.receipt,
    }


# -- reading the body ------------------------------------------------------------------


def _json_body(request: HttpRequest) -> Any:
    try:
        return read_json(request)
    except (BodyTooLarge, InvalidSituation) as error:
        raise Refused(refused_body(error)) from None


def _intake(body: Any) -> services.Intake:
    """The filing the body describes; every bad key is named at once (a 422)."""
    if not isinstance(body, dict):
        _invalid([("(body)", "must be a JSON object with situation, source, narrative...")])
    errors = [(key, "unknown field") for key in body if key not in (*REQUIRED, *OPTIONAL)]
    errors += [(key, "is required") for key in REQUIRED if body.get(key) is None]
    errors += [(path, "must not hold a NUL character") for path in _nul_paths(body)]
    situation = body.get("situation")
    if situation is not None and not isinstance(situation, dict):
        errors.append(("situation", "must be a JSON object (a situation of the contract)"))
    source = body.get("source")
    if source is not None and source not in Source.values:
        errors.append(("source", f"must be one of {', '.join(Source.values)}"))
    narrative = _text(body, "narrative", None, errors)
    external_id = _text(body, "external_id", MAX_EXTERNAL_ID, errors) or None
    occurred_at = _moment(body.get("occurred_at"), errors)
    body_camera = _text(body, "body_camera", None, errors)
    if body_camera and body_camera not in BodyCamera.values:
        errors.append(("body_camera", f"must be one of {', '.join(BodyCamera.values)}"))
    personnel = _personnel(body.get("personnel"), errors)
    clips = _clips(body.get("body_camera_clips"), errors)
    if errors:
        _invalid(errors)
    assert isinstance(situation, dict) and isinstance(source, str)
    return services.Intake(
        source=source,
        situation=situation,
        narrative=narrative,
        occurred_at=occurred_at,
        personnel=personnel,
        body_camera=body_camera,
        body_camera_clips=clips,
        external_id=external_id,
    )


def _invalid(errors: list[tuple[str, str]]) -> NoReturn:
    raise Refused(field_problem(422, "Invalid incident", errors))


def _text(
    body: dict[str, Any], key: str, longest: int | None, errors: list[tuple[str, str]]
) -> str:
    value = body.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append((key, "must be a string"))
        return ""
    if longest is not None and not 0 < len(value) <= longest:
        errors.append((key, f"must be 1 to {longest} characters"))
    return value


def _moment(value: Any, errors: list[tuple[str, str]]) -> datetime | None:
    """An ISO 8601 date and time with its UTC offset (``2026-11-30T14:05:00-07:00``)."""
    if value is None:
        return None
    problem_text = "must be an ISO 8601 date and time with its offset (2026-11-30T14:05:00-07:00)"
    if not isinstance(value, str):
        errors.append(("occurred_at", problem_text))
        return None
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(value)
        moment.astimezone(UTC)  # a moment that has no UTC time (year 1, east of Greenwich)
    except (ValueError, OverflowError):
        errors.append(("occurred_at", problem_text))
        return None
    return moment


def _personnel(value: Any, errors: list[tuple[str, str]]) -> list[services.PersonSeen]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_PERSONNEL:
        errors.append(("personnel", f"must be a list of at most {MAX_PERSONNEL} people"))
        return []
    people = []
    for index, person in enumerate(value):
        where = f"personnel[{index}]"
        if not isinstance(person, dict):
            errors.append((where, "must be an object with agency, unit, badge, plate..."))
            continue
        errors.extend(
            (f"{where}.{key}", "unknown field") for key in person if key not in PERSON_FIELDS
        )
        fields = {}
        for name, longest in PERSON_FIELDS.items():
            text = person.get(name)
            if text is None:
                text = ""
            if not isinstance(text, str) or len(text) > longest:
                errors.append(
                    (f"{where}.{name}", f"must be a string of at most {longest} characters")
                )
                text = ""
            fields[name] = text
        if not fields["agency"]:
            errors.append((f"{where}.agency", "is required (UNKNOWN when not known)"))
        people.append(services.PersonSeen(**fields))
    return people


def _clips(value: Any, errors: list[tuple[str, str]]) -> list[str]:
    if value is None:
        return []
    message = f"must be a list of at most {MAX_CLIPS} clip ids of 1 to {MAX_CLIP_ID} characters"
    if (
        not isinstance(value, list)
        or len(value) > MAX_CLIPS
        or not all(isinstance(clip, str) and 0 < len(clip) <= MAX_CLIP_ID for clip in value)
    ):
        errors.append(("body_camera_clips", message))
        return []
    return list(value)


def _nul_paths(value: Any, path: str = "") -> list[str]:
    """Where the body holds a NUL character, which no database column keeps."""
    if isinstance(value, str):
        return [path or "(body)"] if "\x00" in value else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            found += [where] if "\x00" in str(key) else _nul_paths(item, where)
        return found
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _nul_paths(item, f"{path}[{index}]")]
    return []
