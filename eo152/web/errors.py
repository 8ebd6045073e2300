"""Error pages in the visitor's language: never a traceback, never Django's debug page.

Under ``/api/`` an error is an RFC 9457 problem document instead, as every API answer is.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..api.problems import problem
from .language import language_of
from .texts import TEXTS


def error_page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "eo152/error.html", {"title": title, "text": text}, status=status)


def _standard(request: HttpRequest, status: int) -> HttpResponse:
    texts = TEXTS[language_of(request)]
    if request.path.startswith("/api/"):
        english = TEXTS["en"]  # the API speaks English (its documentation says so)
        return problem(status, english[f"error_{status}_title"], english[f"error_{status}_text"])
    return error_page(
        request, status, texts[f"error_{status}_title"], texts[f"error_{status}_text"]
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _standard(request, 400)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _standard(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _standard(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _standard(request, 403)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _standard(request, 403)
