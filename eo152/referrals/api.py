"""The referrals API: ``POST /api/v1/referrals``, ``GET /api/v1/referrals/{reference}`` and
``POST /api/v1/referrals/{reference}/sign-off``, ``/send`` and ``/acknowledge``.

It follows the incidents API (``eo152.incidents.api``): a bearer token, problem documents,
the same keys (``reference``, ``state``, ``findings``, ``receipt``). 401 without a usable
token; 404 alike for a referral that is unknown and one the caller may not read (a
prosecutor reads only those sent to their office); 403 for a step the caller's role may
not take on a referral it can read; 422 naming the field for a step the referral's state or
its maker refuses (the maker signing off, sending before a sign-off); 413 over 1 MB.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from ..accounts.api_auth import BearerRefused, bearer_user
from ..accounts.models import User
from ..accounts.roles import Office
from ..api.body import BodyTooLarge, read_json, refused_body
from ..api.problems import Refused, field_problem, method_not_allowed, problem, unauthorized
from ..incidents import services as incidents
from ..incidents.codes import normalized
from ..incidents.models import Evidence, Incident
from ..incidents.services import IntakeRefused
from ..rules import InvalidSituation
from ..services.records import log_read
from . import services
from .models import Language, Referral
from .offenses import offenses

REQUIRED = ("incident", "office", "offense")
OPTIONAL = ("language", "evidence", "do_not_disclose")
#: Most files a referral names in each list (an incident holds far fewer).
MAX_FILES = 200
#: Longest reference looked up (a reference typed with spaces and dashes fits well within).
MAX_REFERENCE = 40

#: Each step on an existing referral: the service, and what a refused caller is told.
STEPS: dict[str, tuple[Callable[[User, Referral], None], str]] = {
    "sign-off": (services.sign_off, "sign off referrals"),
    "send": (services.send, "send this referral (its case's investigator or a supervisor)"),
    "acknowledge": (services.acknowledge, "acknowledge referrals (their office's prosecutor)"),
}


def _not_found() -> HttpResponse:
    return problem(404, "Not found", "No referral with this reference is yours to read.")


def _invalid(errors: Sequence[tuple[str, str]]) -> NoReturn:
    raise Refused(field_problem(422, "Invalid referral", errors))


@csrf_exempt  # a bearer token, never a cookie, authenticates an API call
def referrals(request: HttpRequest) -> HttpResponse:
    """Make a referral of an incident under investigation (a draft awaiting sign-off)."""
    if request.method != "POST":
        return method_not_allowed(["POST"])
    try:
        user = bearer_user(request)
    except BearerRefused as refused:
        return unauthorized(str(refused), refused.challenge)
    # A supervisor makes a referral of any case, an investigator of their own cases.
    if not (user.has_perm("referrals.create") or user.has_perm("incidents.be_assigned")):
        return problem(403, "Forbidden", f"The role {user.role} may not make referrals.")
    try:
        made = _create(user, _json_body(request))
    except Refused as refused:
        return refused.response
    except PermissionDenied:
        return problem(
            403, "Forbidden", "Only the case's investigator or a supervisor makes its referral."
        )
    except IntakeRefused as error:
        return field_problem(422, "Invalid referral", [(error.field, error.message)])
    response = JsonResponse(representation(made), status=201)
    response["Location"] = reverse("api-referral", args=[made.reference])
    return response


@csrf_exempt
def referral(request: HttpRequest, reference: str) -> HttpResponse:
    """Read a referral the caller may see; the reading is logged."""
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(["GET"])
    try:
        user = bearer_user(request)
    except BearerRefused as refused:
        return unauthorized(str(refused), refused.challenge)
    try:
        found = services.open_referral(user, referral_form(reference))
    except Referral.DoesNotExist:
        return _not_found()
    shown = representation(found)
    log_read(services.RECORD_TYPE, found.reference, shown, "api", user.actor)
    return JsonResponse(shown)


def step(name: str) -> Callable[[HttpRequest, str], HttpResponse]:
    """The view of one step (``sign-off``, ``send``, ``acknowledge``) on a referral."""
    move, refusal = STEPS[name]

    @csrf_exempt
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        if request.method != "POST":
            return method_not_allowed(["POST"])
        try:
            user = bearer_user(request)
        except BearerRefused as refused:
            return unauthorized(str(refused), refused.challenge)
        try:
            found = services.open_referral(user, referral_form(reference))
        except Referral.DoesNotExist:
            return _not_found()
        try:
            move(user, found)
        except PermissionDenied:
            return problem(403, "Forbidden", f"The role {user.role} may not {refusal}.")
        except IntakeRefused as error:
            return field_problem(422, "Refused", [(error.field, error.message)])
        found.refresh_from_db()
        return JsonResponse(representation(found))

    view.__name__ = view.__qualname__ = f"referral_{name.replace('-', '_')}"
    return view


def referral_form(text: str) -> str:
    """A typed referral reference in its stored form (``rf 7kq4 m2xp`` → ``RF-7KQ4-M2XP``):
    case, spaces and dashes do not matter, and nothing but letters and digits reaches the
    database (PostgreSQL refuses a NUL character in a query)."""
    compact = normalized(text[:MAX_REFERENCE])
    if compact.startswith("RF") and len(compact) == 10:
        return f"RF-{compact[2:6]}-{compact[6:]}"
    return compact


def representation(referral: Referral) -> dict[str, Any]:
    """What the API shows of a referral: its snapshot's findings and evidence as made, its
    steps' dates, and the ledger receipt of its making. Files held back are counted only."""
    snapshot = referral.snapshot
    return {
        "reference": referral.reference,
        "state": referral.state,
        "incident": referral.incident.reference,
        "office": referral.office,
        "offense": referral.offense,
        "crs": snapshot["offense"]["crs"],
        "nibrs": snapshot["offense"]["nibrs"],
        "language": referral.language,
        "evidence": [item["sha256"] for item in snapshot["evidence"]],
        "withheld": snapshot["withheld"],
        "snapshot_sha256": referral.snapshot_sha256,
        "created_at": referral.created_at.isoformat(),
        "signed_off_at": _moment(referral.signed_off_at),
        "sent_at": _moment(referral.sent_at),
        "acknowledged_at": _moment(referral.acknowledged_at),
        "findings": snapshot["findings"],
        "receipt": referral.receipt,
    }


def _moment(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


# -- reading the body ----------------------------------------------------------------------


def _json_body(request: HttpRequest) -> Any:
    try:
        return read_json(request)
    except (BodyTooLarge, InvalidSituation) as error:
        raise Refused(refused_body(error)) from None


def _create(user: User, body: Any) -> Referral:
    """Check every field of the body at once (a 422 naming each), then make the referral."""
    if not isinstance(body, dict):
        _invalid([("(body)", "must be a JSON object with incident, office, offense...")])
    errors = [(str(key), "unknown field") for key in body if key not in (*REQUIRED, *OPTIONAL)]
    errors += [(key, "is required") for key in REQUIRED if body.get(key) is None]
    reference = body.get("incident")
    if reference is not None and (
        not isinstance(reference, str) or not 0 < len(reference) <= MAX_REFERENCE
    ):
        errors.append(("incident", "must be an incident's reference (EO-XXXX-XXXX)"))
    office = body.get("office")
    if office is not None and office not in Office.values:
        errors.append(("office", f"must be one of {', '.join(Office.values)}"))
    offense = body.get("offense")
    if offense is not None and (not isinstance(offense, str) or offense not in offenses()):
        errors.append(("offense", f"must be one of {', '.join(offenses())}"))
    language = body.get("language")
    if language is not None and language not in Language.values:
        errors.append(("language", f"must be one of {', '.join(Language.values)}"))
    chosen = _hashes(body, "evidence", errors)
    held = _hashes(body, "do_not_disclose", errors)
    if errors:
        _invalid(errors)
    assert isinstance(reference, str) and isinstance(office, str) and isinstance(offense, str)
    try:
        incident = incidents.open_incident(user, reference)
    except Incident.DoesNotExist:
        _invalid([("incident", "no incident with this reference is yours to read")])
    return services.create(
        user,
        incident,
        office,
        offense,
        evidence=files_of(incident, chosen, "evidence"),
        do_not_disclose=files_of(incident, held, "do_not_disclose"),
        language=language or Language.EN,
    )


def _hashes(body: dict[str, Any], key: str, errors: list[tuple[str, str]]) -> list[str]:
    value = body.get(key)
    if value is None:
        return []
    if (
        not isinstance(value, list)
        or len(value) > MAX_FILES
        or not all(isinstance(item, str) and is_sha256(item) for item in value)
    ):
        errors.append((key, f"must be a list of at most {MAX_FILES} SHA-256 hashes (64 hex)"))
        return []
    return value


def is_sha256(text: str) -> bool:
    return len(text) == 64 and all(ch in "0123456789abcdef" for ch in text.lower())


def files_of(incident: Incident, hashes: Sequence[str], field: str) -> list[Evidence]:
    """The incident's files with these SHA-256 hashes, each once, in the order given: a file
    is named by its own hash or by the hash of the copy others are shown. IntakeRefused
    naming ``field`` for a hash that is not one of the incident's files."""
    known: dict[str, Evidence] = {}
    for stored in incident.evidence.all():
        known.setdefault(stored.shown_sha256, stored)
        known[stored.sha256] = stored
    chosen: dict[int, Evidence] = {}
    for digest in hashes:
        item = known.get(digest.lower())
        if item is None:
            raise IntakeRefused(field, f"{digest[:12]}… is not one of this incident's files")
        chosen.setdefault(item.pk, item)
    return list(chosen.values())
