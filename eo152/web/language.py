"""Which of the two languages a page speaks, and links to the same page in the other.

The language rides in the query string (``?lang=es``) rather than a cookie or the path, so
a permalink carries it and switching never needs a session. Without one, the browser's
Accept-Language decides.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest

from ..contract.vocabulary import LANGUAGES

LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def language_of(request: HttpRequest) -> str:
    """The language switch of the form, else the page's own, else the browser's."""
    asked: tuple[str | None, ...]
    try:
        asked = (
            request.POST.get("switch_lang"),
            request.POST.get("lang"),
            request.GET.get("lang"),
        )
    except SuspiciousOperation:  # more fields than Django takes: the error page still speaks
        asked = ()
    for lang in asked:
        if lang in LANGUAGES:
            return lang
    return _preferred(request.headers.get("Accept-Language", ""))


def other_language(lang: str) -> str:
    return "es" if lang == "en" else "en"


def url_in(request: HttpRequest, lang: str) -> str:
    """This page's address (query kept) in ``lang``; the bare page when the query string is
    what was refused."""
    try:
        query = request.GET.copy()
    except SuspiciousOperation:
        return url_with(request.path, lang)
    query["lang"] = lang
    return f"{request.path}?{query.urlencode()}"


def url_with(path: str, lang: str, **params: str) -> str:
    return f"{path}?{urlencode({'lang': lang, **params})}"


def _preferred(accept_language: str) -> str:
    """The first of our languages the browser lists, by its weights; English if none."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept_language.split(",")):
        tag, _, weight = item.strip().partition(";q=")
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            try:
                quality = float(weight) if weight else 1.0
            except ValueError:
                continue
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else "en"
