"""The pages: "Check a situation" (the form) and the answer it leads to (a permalink)."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from ..contract import validate
from ..rules import Decision, InvalidSituation
from ..services.decisions import (
    PlacesUnavailable,
    decide_all,
    engine_for,
    raised_not_applicable,
)
from .answers import UnreadableAnswers, answers_from_situation, situation_from_answers
from .errors import error_page
from .language import language_of, url_with
from .permalink import DamagedLink, address_placed, pack, unpack
from .presenting import UnknownRole, actors_of, present
from .questions import FormValues, Group, Question, build_groups
from .texts import TEXTS

# Fields the form posts that are not facts.
_log = logging.getLogger("eo152.web")
_NOT_FACTS = {"csrfmiddlewaretoken", "lang", "switch_lang"}
_ITEM_INDEX = re.compile(r"\[\d+\]")


@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    lang = language_of(request)
    if request.method != "POST":  # GET, or HEAD: the same answer without its body
        return _form(request, lang, _prefill(request), {})
    values = {k: request.POST.getlist(k) for k in request.POST if k not in _NOT_FACTS}
    if "switch_lang" in request.POST:
        return _form(request, lang, values, {})
    try:
        situation = situation_from_answers(values, lang)
        validate(situation)  # the answer page decides; here only what would stop it
    except UnreadableAnswers as error:
        return _form(request, lang, values, error.errors)
    except InvalidSituation as error:
        # Only a tampered form gets here (the form offers valid answers only); the engine's
        # messages are in English.
        errors = {_ITEM_INDEX.sub("[]", e.path).removesuffix("[]"): e.message for e in error.errors}
        return _form(request, lang, values, errors, errors_lang="en")
    # The address itself stays out of the link; that it could not be placed goes in, so the
    # answer can say why it treats the place as unknown.
    unplaced = {"unplaced": "1"} if address_placed(situation) is False else {}
    answer = url_with("/decision", lang, s=pack(situation), **unplaced)
    return HttpResponseRedirect(answer, status=303)


@require_safe
def decision(request: HttpRequest) -> HttpResponse:
    lang = language_of(request)
    packed = request.GET.get("s", "")
    role = request.GET.get("role", "")
    texts = TEXTS[lang]
    try:
        situation = unpack(packed)
        actors_of(role)  # a role that is no one is refused before anything is decided
        decided = decide_all(situation, settings.EO152_READINGS)
        assert isinstance(decided, Decision), "one situation gets one decision"
    except (DamagedLink, InvalidSituation, UnknownRole) as error:
        # What is wrong, in the engine's words (English, as the API's), after the sentence.
        text = f"{texts['error_unreadable_link']} ({error})"
        return error_page(request, 400, texts["error_400_title"], text)
    except PlacesUnavailable as error:  # a point or an address, and the layers are damaged
        _log.error("%s", error)
        title, text = texts["places_unavailable_title"], texts["places_unavailable_text"]
        return error_page(request, 503, title, text)
    ruled_out = raised_not_applicable(decided, settings.EO152_READINGS)
    policy = engine_for(settings.EO152_READINGS).policy
    unplaced = request.GET.get("unplaced") == "1"
    kept = {"role": role} if role else {}
    if unplaced:
        kept["unplaced"] = "1"
    permalink = url_with("/decision", lang, s=packed, **kept)
    context: dict[str, Any] = {
        "nav": "check",
        "answer": present(decided, lang, policy, ruled_out, role, packed),
        "place_credits": _place_credits() if decided.place else [],
        "map_url": _map_url(situation, lang),
        "permalink": permalink,
        "permalink_absolute": request.build_absolute_uri(permalink),
        "change_url": url_with("/all", lang, s=packed),
        "address_unplaced": unplaced,
    }
    return render(request, "eo152/decision.html", context)


def _form(
    request: HttpRequest,
    lang: str,
    values: FormValues,
    errors: dict[str, str],
    errors_lang: str = "",
) -> HttpResponse:
    groups = build_groups(values, errors, lang)
    context = {
        "nav": "check",
        "groups": groups,
        "errors": _summary(groups, errors),
        "errors_lang": errors_lang or lang,
    }
    return render(request, "eo152/check.html", context, status=422 if errors else 200)


def _map_url(situation: dict[str, Any], lang: str) -> str:
    """The places page searching where the situation happened; empty if it does not say."""
    location = situation.get("location") or {}
    if location.get("lat") is not None and location.get("lon") is not None:
        return url_with("/places", lang, q=f"{location['lat']}, {location['lon']}")
    if location.get("address"):
        return url_with("/places", lang, q=str(location["address"]))
    return ""


def _place_credits() -> list[str]:
    """The credit lines of the layers a matched place came from: shown with it."""
    from .. import places  # the answer already used the registry: this is a cached read

    return places.credits(places.Registry.current().layers)


def _prefill(request: HttpRequest) -> FormValues:
    """The answers of a permalink's situation, for "Change your answers"; none for a bad one."""
    try:
        return answers_from_situation(unpack(request.GET.get("s", "")))
    except DamagedLink:
        return {}


def _summary(groups: list[Group], errors: dict[str, str]) -> list[dict[str, str]]:
    """The error summary: each error with its question and the field to jump to."""
    questions: list[Question] = [q for group in groups for q in group.questions]
    questions += [item for q in questions for item in q.items]
    by_name = {q.name: q for q in questions}
    summary = []
    for path, message in errors.items():
        question = by_name.get(path)
        anchor, legend = (question.anchor, question.legend) if question else ("situation", path)
        summary.append({"anchor": anchor, "question": legend, "message": message})
    return summary
