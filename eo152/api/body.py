"""Reading a JSON body under the API's 1 MB limit, for every endpoint that takes one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from ..rules import InvalidSituation
from ..services.decisions import InputBeyondLimits, parse_json
from .limits import MAX_BODY_BYTES
from .problems import problem


class BodyTooLarge(Exception):
    def __init__(self, size: int | None) -> None:
        super().__init__(size)
        self.size = size  # None when the body came without a length and was cut off


def read_json(request: HttpRequest) -> object:
    """The parsed body, refused before it is read whole when it is over the limit.

    A body sent in chunks (``Transfer-Encoding: chunked``) has no length, and Django reads
    no body without one; it is read from the server's input up to the limit instead.
    Raises BodyTooLarge, or InvalidSituation for text that is not JSON or is beyond the
    parser's limits.
    """
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BodyTooLarge(int(declared))
    chunked = not declared and "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    stream = request.META["wsgi.input"] if chunked else request
    body = stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise BodyTooLarge(None)
    return parse_json(body)


def refused_body(error: BodyTooLarge | InvalidSituation) -> HttpResponse:
    """The problem document for a body :func:`read_json` refused (413 or 400)."""
    if isinstance(error, BodyTooLarge):
        sent = "more" if error.size is None else f"{error.size:,} bytes"
        return problem(
            413,
            "Body too large",
            f"A body holds at most 1 MB ({MAX_BODY_BYTES:,} bytes); this one has {sent}.",
        )
    # Not JSON, or beyond the limits: the CLI's words.
    title = "JSON beyond the limits" if isinstance(error, InputBeyondLimits) else "Not JSON"
    return problem(400, title, "; ".join(e.message for e in error.errors))
