"""An error page in the visitor's language (the project's handlers in ``eo152.site.errors``
choose it for every address outside the API)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def error_page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "eo152/error.html", {"title": title, "text": text}, status=status)
