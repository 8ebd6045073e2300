"""RFC 9457 problem documents: how every API error is shaped.

``errors`` lists ``{path, message}`` with the contract's field paths (``force.kind``,
``[3].force.kind`` in a batch); it is empty when no one field is to blame.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import JsonResponse

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
