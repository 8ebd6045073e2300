"""RFC 9457 problem documents: how every API error is shaped.

``errors`` lists ``{path, message}`` with the contract's field paths (``force.kind``,
``[3].force.kind`` in a batch); it is empty when no one field is to blame. It holds at most
``MAX_LISTED_ERRORS`` of them: ``errors_not_listed`` counts the rest (0 when every one is
listed) and ``detail`` says so.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .limits import MAX_ERROR_TEXT, MAX_LISTED_ERRORS

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(
    status: int,
    title: str,
    detail: str,
    errors: Iterable[tuple[str, str]] = (),
    not_listed: int = 0,
) -> JsonResponse:
    """A problem document; ``not_listed`` counts field errors ``errors`` left out already."""
    listed, more = _listed(errors)
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "errors": [{"path": path, "message": message} for path, message in listed],
        "errors_not_listed": more + not_listed,
    }
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def field_problem(
    status: int, title: str, errors: Iterable[tuple[str, str]], not_listed: int = 0
) -> JsonResponse:
    """A problem whose ``detail`` is its field errors, a line each, and how many more there were."""
    listed, more = _listed(errors)
    more += not_listed
    lines = [f"{path}: {message}" for path, message in listed]
    if more:
        lines.append(
            f"... and {more:,} more field {'error' if more == 1 else 'errors'}, not listed: "
            f"a problem document lists at most {MAX_LISTED_ERRORS:,}."
        )
    return problem(status, title, "\n".join(lines), listed, more)


def _listed(errors: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, str]], int]:
    """The first ``MAX_LISTED_ERRORS`` errors, each text cut to ``MAX_ERROR_TEXT``; the count
    of the rest."""
    iterator = iter(errors)
    listed = [
        (_cut(path), _cut(message))
        for path, message in itertools.islice(iterator, MAX_LISTED_ERRORS)
    ]
    return listed, sum(1 for _ in iterator)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_ERROR_TEXT else text[: MAX_ERROR_TEXT - 1] + "…"


def method_not_allowed(allowed: list[str]) -> JsonResponse:
    response = problem(405, "Method not allowed", f"Use {' or '.join(allowed)}.")
    response["Allow"] = ", ".join(allowed)
    return response


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD only; any other method gets a 405 problem, never a CSRF page."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return method_not_allowed(["GET"])
        return view(request, *args, **kwargs)

    return wrapped


class Refused(Exception):
    """A request answered with a problem document before it reached the service: raised
    from deep in a body's reading, caught once by the endpoint."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


def unauthorized(message: str, challenge: str) -> HttpResponse:
    """401 saying which token problem it was, with RFC 6750's ``WWW-Authenticate``."""
    response = problem(401, "Unauthorized", message)
    response["WWW-Authenticate"] = challenge
    return response
