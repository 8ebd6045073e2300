"""``POST /api/v1/decisions``: a situation in, a decision out (a list in, a list out)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from ..rules import InvalidSituation
from ..service import decide_all, to_json
from .problems import method_not_allowed, problem

MAX_BODY_BYTES = 1_048_576


class _BodyTooLarge(Exception):
    pass


@csrf_exempt  # no cookie authenticates an API call, so there is no session to forge
def decisions(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return method_not_allowed(["POST"])
    try:
        payload = _json_body(request)
    except _BodyTooLarge:
        return problem(413, "Body too large", f"A body may hold at most {MAX_BODY_BYTES} bytes.")
    except ValueError as error:
        return problem(400, "Not JSON", f"The body is not JSON: {error}")
    try:
        decided = decide_all(payload, settings.EO152_READINGS)
    except InvalidSituation as error:
        fields = [(field.path, field.message) for field in error.errors]
        return problem(422, "Invalid situation", str(error), fields)
    return HttpResponse(to_json(decided), content_type="application/json")


def _json_body(request: HttpRequest) -> object:
    """The parsed body, refused before it is read whole when it is over the limit."""
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _BodyTooLarge
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise _BodyTooLarge
    try:
        return json.loads(body, parse_constant=_refuse_constant)
    except UnicodeDecodeError as error:
        raise ValueError(str(error)) from error


def _refuse_constant(name: str) -> object:
    # JSON has no NaN or Infinity; Python's parser accepts them unless told not to.
    raise ValueError(f"{name} is not a JSON number")
