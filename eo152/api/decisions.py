"""``POST /api/v1/decisions``: a situation in, a decision out (a list in, a list out).

The limits of ``limits.py`` apply: a body over 1 MB or a batch of more than 1,000
situations gets ``413`` stating the limit and what was sent, and a ``422`` lists at most 100
field errors, counting the rest. JSON nested too deep or holding a number too large for a
double gets ``400`` (``eo152.services.decisions`` refuses it for every front end). A batch's
answer is streamed, a decision at a time; a point or an address while the places layers
cannot be read gets ``503``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from ..rules import InvalidSituation
from ..services.decisions import (
    PlacesUnavailable,
    decide_all,
    decide_batch_json,
    not_listed,
    to_json,
)
from .body import BodyTooLarge, read_json, refused_body
from .gate import LARGE_BATCH, gated, is_free
from .limits import MAX_BATCH_SITUATIONS, MAX_LISTED_ERRORS
from .problems import field_problem, method_not_allowed, problem

_log = logging.getLogger("eo152.api")


@csrf_exempt  # no cookie authenticates an API call, so there is no session to forge
def decisions(request: HttpRequest) -> HttpResponseBase:
    if request.method != "POST":
        return method_not_allowed(["POST"])
    try:
        payload = read_json(request)
    except (BodyTooLarge, InvalidSituation) as error:
        return refused_body(error)
    if isinstance(payload, list) and len(payload) > MAX_BATCH_SITUATIONS:
        return problem(
            413,
            "Batch too large",
            f"A batch holds at most {MAX_BATCH_SITUATIONS:,} situations; "
            f"this one has {len(payload):,}.",
        )
    try:
        if isinstance(payload, list):
            return _batch(payload)
        decided = decide_all(payload, settings.EO152_READINGS, max_errors=MAX_LISTED_ERRORS)
    except InvalidSituation as error:
        fields = [(field.path, field.message) for field in error.errors]
        return field_problem(422, "Invalid situation", fields, not_listed(error))
    except PlacesUnavailable as error:
        _log.error("%s", error)  # the server's own path: for the operator's log, not the caller
        detail = "The places layers cannot be read, so a point or an address cannot be placed."
        return problem(503, "Places unavailable", detail + " Give location.ownership and kind.")
    return HttpResponse(to_json(decided), content_type="application/json")


def _batch(payload: list[object]) -> HttpResponseBase:
    """A batch's answer, written a decision at a time: a full batch is about 60 MB of JSON
    and a worker must not hold it all. A large batch waits for no one: see ``gate``."""
    large = len(payload) > LARGE_BATCH
    if large and not is_free(settings.EO152_RUN_DIR):
        response = problem(
            503,
            "Busy with another large batch",
            f"Another batch of more than {LARGE_BATCH} situations is being decided. "
            f"Send again in a second, or in batches of at most {LARGE_BATCH}.",
        )
        response["Retry-After"] = "1"
        return response
    chunks = decide_batch_json(payload, settings.EO152_READINGS, max_errors=MAX_LISTED_ERRORS)
    if large:
        chunks = gated(chunks, settings.EO152_RUN_DIR)
    return StreamingHttpResponse(chunks, content_type="application/json")
