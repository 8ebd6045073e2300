"""RFC 9457 problem documents: how every API error is shaped.

``errors`` lists ``{path, message}`` with the contract's field paths (``force.kind``,
``[3].force.kind`` in a batch); it is empty when no one field is to blame.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(
    status: int, title: str, detail: str, errors: Iterable[tuple[str, str]] = ()
) -> JsonResponse:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "errors": [{"path": path, "message": message} for path, message in errors],
    }
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


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
