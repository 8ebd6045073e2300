"""The data-request API: ``GET``/``POST /api/v1/data-requests``, ``GET
/api/v1/data-requests/{reference}``, and on a request ``POST .../files``,
``.../determinations``, ``.../check`` and ``.../send-back``.

It follows the referrals API (``eo152.referrals.api``): a bearer token, problem documents,
the same keys (``reference``, ``state``, ``findings``, ``receipt``), and one service
(``services``) that the desk's pages and the CLI call too. 401 without a usable token; 404
alike for a request that is unknown and one the caller may not read; 403 for a step the
caller's role may not take; 422 naming the field for anything the service refuses (a bad
body, a state that does not allow the step, the maker checking their own release); 413 for
a JSON body over 1 MB or a file over :data:`MAX_FILE_BYTES`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import IO, Any, BinaryIO, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from ..accounts.api_auth import BearerRefused, bearer_user
from ..accounts.models import User
from ..api.body import BodyTooLarge, read_json, refused_body
from ..api.problems import Refused, field_problem, method_not_allowed, problem, unauthorized
from ..incidents.codes import normalized
from ..incidents.evidence import PUBLIC_MAX_BYTES
from ..incidents.services import IntakeRefused
from ..rules import InvalidSituation
from ..services.records import log_read
from . import services
from .findings import engine_answer
from .models import RELEASES, DataRequest

#: Longest reference looked up (a reference typed with spaces and dashes fits well within).
MAX_REFERENCE = 40
#: The largest file a request keeps: the same cap as a resident's upload.
MAX_FILE_BYTES = PUBLIC_MAX_BYTES
#: Keys of a determination's body.
CHOICE_KEYS = frozenset(
    {"determination", "bases", "reason", "released_categories", "released_sha256", "new_deadline"}
)
#: Most bases or categories a determination names (the catalogue and the vocabulary are far
#: smaller).
MAX_ITEMS = 50


def _not_found() -> HttpResponse:
    return problem(404, "Not found", "No data request with this reference is yours to read.")


def _refused(error: IntakeRefused) -> HttpResponse:
    return field_problem(422, "Refused", [(error.field, error.message)])


def _forbidden(user: User, what: str) -> HttpResponse:
    return problem(403, "Forbidden", f"The role {user.role} may not {what}.")


def request_form(text: str) -> str:
    """A typed request reference in its stored form (``dr 7kq4 m2xp`` → ``DR-7KQ4-M2XP``):
    case, spaces and dashes do not matter, and nothing but letters and digits reaches the
    database (PostgreSQL refuses a NUL character in a query)."""
    compact = normalized(text[:MAX_REFERENCE])
    if compact.startswith("DR") and len(compact) == 10:
        return f"DR-{compact[2:6]}-{compact[6:]}"
    return compact


def row_of(request: DataRequest) -> dict[str, Any]:
    """A request as a list shows it: codes and dates, never whom it concerns."""
    return {
        "reference": request.reference,
        "state": request.state,
        "answer": request.answer or None,
        "agencies": request.agencies,
        "data_categories": request.data_categories,
        "received_at": request.received_at.isoformat(),
        "deadline": request.deadline.isoformat(),
        "standing": services.standing_of(request).value,
        "engine_answer": engine_answer(request.split),
    }


# -- the endpoints ---------------------------------------------------------------------------


@csrf_exempt  # a bearer token, never a cookie, authenticates an API call
def data_requests(request: HttpRequest) -> HttpResponse:
    """List the requests the caller may see (GET), or log one (POST)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return method_not_allowed(["GET", "POST"])
    try:
        user = bearer_user(request)
    except BearerRefused as refused:
        return unauthorized(str(refused), refused.challenge)
    if request.method != "POST":
        if not user.has_perm("data_requests.list"):
            return _forbidden(user, "list data requests")
        rows = []
        for found in services.visible_to(user):
            row = row_of(found)
            log_read(services.RECORD_TYPE, found.reference, row, "list", user.actor)
            rows.append(row)
        return JsonResponse({"data_requests": rows})
    if not user.has_perm("data_requests.log"):
        return _forbidden(user, "log data requests")
    try:
        given = services.read_body(_json_body(request))
        made = services.log_request(user, given)
    except Refused as refused:
        return refused.response
    except IntakeRefused as error:
        return field_problem(422, "Invalid data request", [(error.field, error.message)])
    response = JsonResponse(services.shown(user, made), status=201)
    response["Location"] = reverse("api-data-request", args=[made.reference])
    return response


@csrf_exempt
def data_request(request: HttpRequest, reference: str) -> HttpResponse:
    """Read a request the caller may see; the reading is logged."""
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(["GET"])
    try:
        user = bearer_user(request)
    except BearerRefused as refused:
        return unauthorized(str(refused), refused.challenge)
    try:
        found = services.open_request(user, request_form(reference))
    except DataRequest.DoesNotExist:
        return _not_found()
    return JsonResponse(services.shown(user, found))


Step = Callable[[HttpRequest, User, DataRequest], HttpResponse]


def _on_request(what: str, act: Step) -> Callable[[HttpRequest, str], HttpResponse]:
    """A POST endpoint on one request: the token, the request, then ``act``; a permission
    refused is a 403 saying ``what`` the role may not do."""

    @csrf_exempt
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        if request.method != "POST":
            return method_not_allowed(["POST"])
        try:
            user = bearer_user(request)
        except BearerRefused as refused:
            return unauthorized(str(refused), refused.challenge)
        try:
            found = services.open_request(user, request_form(reference))
        except DataRequest.DoesNotExist:
            return _not_found()
        try:
            return act(request, user, found)
        except Refused as refused:
            return refused.response
        except PermissionDenied:
            return _forbidden(user, what)
        except IntakeRefused as error:
            return _refused(error)

    view.__name__ = view.__qualname__ = f"data_request_{act.__name__.strip('_')}"
    return view


def _files(request: HttpRequest, user: User, found: DataRequest) -> HttpResponse:
    role = request.GET.get("role", "")
    label = request.GET.get("label", "")
    if "\x00" in label or len(label) > 200:
        raise IntakeRefused("label", "must be text of at most 200 characters")
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_FILE_BYTES:
        raise Refused(_too_large())
    chunked = not declared and "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    stream = request.META["wsgi.input"] if chunked else request
    try:
        # The service only reads from its stream, which is all _Capped does.
        capped = cast(BinaryIO, _Capped(stream))
        kept = services.add_file_bytes(
            user, found, role, capped, request.content_type or None, label.strip()
        )
    except BodyTooLarge:
        raise Refused(_too_large()) from None
    answer = {"sha256": kept.sha256, "size": kept.size, "media_type": kept.media_type}
    return JsonResponse(answer, status=201)


def _determinations(request: HttpRequest, user: User, found: DataRequest) -> HttpResponse:
    choice = choice_of(_json_body(request))
    services.determine(user, found, choice)
    found.refresh_from_db()
    # A release is only proposed: it waits for a second person (202, awaiting_check).
    return JsonResponse(services.shown(user, found), status=202 if choice.kind in RELEASES else 201)


def _check(request: HttpRequest, user: User, found: DataRequest) -> HttpResponse:
    services.check(user, found)
    found.refresh_from_db()
    return JsonResponse(services.shown(user, found))


def _send_back(request: HttpRequest, user: User, found: DataRequest) -> HttpResponse:
    body = _json_body(request)
    if not isinstance(body, dict) or set(body) - {"reason"}:
        raise IntakeRefused("reason", 'send {"reason": "why it goes back"}')
    reason = body.get("reason")
    if not isinstance(reason, str) or "\x00" in reason:
        raise IntakeRefused("reason", "must be text")
    services.send_back(user, found, reason)
    found.refresh_from_db()
    return JsonResponse(services.shown(user, found))


files = _on_request("add files to data requests", _files)
determinations = _on_request("make this determination", _determinations)
check = _on_request("check releases (a supervisor or the City Attorney)", _check)
send_back = _on_request("send releases back (a supervisor or the City Attorney)", _send_back)


# -- reading bodies ----------------------------------------------------------------------------


def _json_body(request: HttpRequest) -> Any:
    try:
        body = read_json(request)
    except (BodyTooLarge, InvalidSituation) as error:
        raise Refused(refused_body(error)) from None
    held = _nul_paths(body)
    if held:
        # No database column keeps a NUL character: refused by name, never a server error.
        raise IntakeRefused(held[0], "holds a NUL character")
    return body


def _nul_paths(value: Any, path: str = "") -> list[str]:
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


def _too_large() -> HttpResponse:
    return problem(
        413,
        "File too large",
        f"A file holds at most {MAX_FILE_BYTES >> 20} MB ({MAX_FILE_BYTES:,} bytes).",
    )


class _Capped:
    """The request's body, read in chunks; BodyTooLarge once it passes the cap (a body sent
    without a length is cut off there)."""

    def __init__(self, stream: IO[bytes] | HttpRequest) -> None:
        self.stream = stream
        self.read_so_far = 0

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self.stream.read(size)
        self.read_so_far += len(chunk)
        if self.read_so_far > MAX_FILE_BYTES:
            raise BodyTooLarge(None)
        return chunk


def _strings(body: dict[str, Any], key: str) -> tuple[str, ...]:
    value = body.get(key)
    if value is None:
        return ()
    if (
        not isinstance(value, list)
        or len(value) > MAX_ITEMS
        or not all(isinstance(item, str) for item in value)
    ):
        raise IntakeRefused(key, f"must be a list of at most {MAX_ITEMS} codes")
    return tuple(value)


def _optional_text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise IntakeRefused(key, "must be text")
    return value


def choice_of(body: Any) -> services.Choice:
    """The determination a JSON body describes; IntakeRefused naming the first bad key."""
    if not isinstance(body, dict):
        raise IntakeRefused("(body)", "must be a JSON object with determination and bases")
    unknown = sorted(set(body) - CHOICE_KEYS)
    if unknown:
        raise IntakeRefused(unknown[0], f"is not a key we take ({', '.join(sorted(CHOICE_KEYS))})")
    kind = body.get("determination")
    if not isinstance(kind, str):
        raise IntakeRefused(
            "determination", "is required: refuse, release, partial, review, extend"
        )
    sha256 = body.get("released_sha256")
    if sha256 is not None and not (
        isinstance(sha256, str)
        and len(sha256) == 64
        and all(ch in "0123456789abcdef" for ch in sha256.lower())
    ):
        raise IntakeRefused("released_sha256", "must be a SHA-256 (64 hex digits)")
    return services.Choice(
        kind=kind,
        bases=_strings(body, "bases"),
        reason=_optional_text(body, "reason"),
        released_categories=_strings(body, "released_categories"),
        released_sha256=sha256.lower() if sha256 else None,
        new_deadline=day_of(body.get("new_deadline"), "new_deadline"),
    )


def day_of(value: Any, key: str) -> date | None:
    """A ``YYYY-MM-DD`` date, or None; IntakeRefused naming ``key`` for anything else."""
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise IntakeRefused(key, f"{value!r} is not a date (YYYY-MM-DD)")
