"""The project's error handlers: a page in the visitor's language, never a traceback, never
Django's debug page; under ``/api/`` an RFC 9457 problem document instead, as every API
answer is. They sit above both apps, so neither the pages nor the API import the other.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from ..api.problems import problem
from ..web.errors import error_page
from ..web.language import language_of
from ..web.texts import TEXTS


def _standard(request: HttpRequest, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        english = TEXTS["en"]  # the API speaks English (its documentation says so)
        return problem(status, english[f"error_{status}_title"], english[f"error_{status}_text"])
    texts = TEXTS[language_of(request)]
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
