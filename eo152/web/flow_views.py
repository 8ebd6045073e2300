"""The field guide's pages: start (who and what), one question per page, check your
answers, and the residents' page. Each form is a GET form: it changes nothing on the
server, so it needs no cookie and its address can be kept."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from ..contract.vocabulary import label
from ..services.decisions import engine_for
from . import views
from .errors import error_page
from .flow import RESIDENT, TILES, WHO, Progress, decision_url, read_progress
from .flow_answers import DONT_KNOW, QUESTIONS
from .language import language_of, url_with
from .law import cite_links
from .texts import TEXTS


@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """``/``: who and what. The old form's links and posts (``/?s=``, POST ``/``) go on to
    "All questions" at ``/all``."""
    if request.method == "POST":
        return views.check(request)
    lang = language_of(request)
    if "s" in request.GET:
        return HttpResponseRedirect(f"/all?{request.GET.urlencode()}")
    who, what = request.GET.get("who", ""), request.GET.get("what", "")
    if "what" not in request.GET:
        return _start_page(request, lang, who, {})
    errors = {}
    if who not in WHO:
        errors["who"] = TEXTS[lang]["flow_error_who"]
    if what not in TILES and who != RESIDENT:
        errors["what"] = TEXTS[lang]["flow_error_what"]
    if errors:
        return _start_page(request, lang, who, errors)
    if who == RESIDENT:
        return HttpResponseRedirect(url_with("/resident", lang))
    if what == "other":
        return HttpResponseRedirect(url_with("/all", lang))
    progress = read_progress(lang, what, {"who": who})
    assert progress is not None, "what is one of the tiles"
    return HttpResponseRedirect(progress.next_url())


def _start_page(request: HttpRequest, lang: str, who: str, errors: dict[str, str]) -> HttpResponse:
    texts = TEXTS[lang]
    context = {
        "nav": "check",
        "people": [
            {"id": person, "label": label(person, lang), "checked": person == who} for person in WHO
        ],
        "tiles": [
            {
                "id": tile,
                "label": texts[f"flow_tile_{tile}"],
                "hint": texts[f"flow_tile_{tile}_hint"],
            }
            for tile in TILES
        ],
        "errors": _summary(errors, {"who": "who-" + WHO[0], "what": "what-" + TILES[0]}),
        "error": errors,
        "law_url": decision_url({}, lang, who if who in WHO and who != RESIDENT else ""),
    }
    return render(request, "eo152/flow_start.html", context, status=422 if errors else 200)


@require_safe
def question(request: HttpRequest, scenario: str, step: str) -> HttpResponse:
    lang = language_of(request)
    progress = read_progress(lang, scenario, request.GET)
    if progress is None or step not in QUESTIONS or step not in set(progress.steps()):
        return _not_found(request, lang)
    if request.GET.get("step") == step:  # the page's own form was sent
        if step in progress.answers:
            return HttpResponseRedirect(progress.next_url())
        error = {step: TEXTS[lang]["flow_error_choose"]}
        return _question_page(request, progress.without(step), step, error)
    return _question_page(request, progress, step, {})


def _question_page(
    request: HttpRequest, progress: Progress, step: str, errors: dict[str, str]
) -> HttpResponse:
    lang = progress.lang
    chosen = progress.answers.get(step, "")
    follow_ups = sorted(set(QUESTIONS[step].follow_ups.values()))
    kept = progress.without(step, *follow_ups)
    previous = progress.previous_step(step)
    context = {
        "nav": "check",
        "q": _question(step, lang, chosen),
        "follow_ups": [_question(f, lang, "") for f in follow_ups],
        "hidden": [(k, v) for k, v in _pairs(kept) if k != "lang"],
        "action": f"/guide/{progress.scenario.id}/{step}",
        "back_url": kept.question_url(previous)
        if previous
        else url_with("/", lang, who=progress.who),
        "law_url": progress.decision_url(),
        "errors": _summary(errors, {step: f"{step}-{QUESTIONS[step].choices[0]}"}),
        "error": errors.get(step, ""),
    }
    return render(request, "eo152/flow_question.html", context, status=422 if errors else 200)


@require_safe
def check_answers(request: HttpRequest, scenario: str) -> HttpResponse:
    lang = language_of(request)
    progress = read_progress(lang, scenario, request.GET)
    if progress is None:
        return _not_found(request, lang)
    if progress.next_step():
        return HttpResponseRedirect(progress.next_url())
    texts = TEXTS[lang]
    rows = [
        {
            "question": texts["flow_check_what"],
            "answer": texts[f"flow_tile_{scenario}"],
            "change_url": url_with("/", lang, who=progress.who),
            "change_label": texts["flow_check_what"],
        }
    ]
    for step in progress.steps():
        rows.append(
            {
                "question": texts[f"flow_q_{step}"],
                "answer": _choice_label(step, progress.answers[step], lang),
                "change_url": progress.question_url(step),
                "change_label": texts[f"flow_q_{step}"],
            }
        )
    last = list(progress.steps())[-1]
    context = {
        "nav": "check",
        "rows": rows,
        "law_url": progress.decision_url(),
        "back_url": progress.question_url(last),
    }
    return render(request, "eo152/flow_check.html", context)


#: The sections each part of the residents' page rests on, as the engine cites them.
RESIDENT_SOURCES = {
    "order": ("EO 152 P1",),
    "will": ("EO 152 P5", "EO 152 P6", "EO 152 P7", "EO 152 P8", "EO 152 P9"),
    "wont": ("D.R.M.C. §28-250(a)", "HB19-1124 detainers", "EO 152 P7"),
    "record": ("EO 152 P5",),
    "ask": ("D.R.M.C. §28-250(a)(4)",),
}


@require_safe
def resident(request: HttpRequest) -> HttpResponse:
    lang = language_of(request)
    links = cite_links(engine_for(settings.EO152_READINGS).policy, lang)
    sources = {
        part: [(cite, links[cite]) for cite in cites] for part, cites in RESIDENT_SOURCES.items()
    }
    return render(request, "eo152/resident.html", {"nav": "check", "sources": sources})


def _question(step: str, lang: str, chosen: str) -> dict[str, Any]:
    texts = TEXTS[lang]
    question = QUESTIONS[step]
    return {
        "id": step,
        "legend": texts[f"flow_q_{step}"],
        "hint": texts.get(f"flow_q_{step}_hint", ""),
        "choices": [
            {
                "value": choice,
                "id": f"{step}-{choice}",
                "label": _choice_label(step, choice, lang),
                "chosen": choice == chosen,
                "reveals": question.follow_ups.get(choice, ""),
                "dont_know": choice == DONT_KNOW,
            }
            for choice in question.choices
        ],
    }


def _choice_label(step: str, choice: str, lang: str) -> str:
    texts = TEXTS[lang]
    return texts["dont_know"] if choice == DONT_KNOW else texts[f"flow_a_{step}_{choice}"]


def _pairs(progress: Progress) -> list[tuple[str, str]]:
    return parse_qsl(progress.query())


def _summary(errors: dict[str, str], anchors: dict[str, str]) -> list[dict[str, str]]:
    return [{"anchor": anchors[name], "message": message} for name, message in errors.items()]


def _not_found(request: HttpRequest, lang: str) -> HttpResponse:
    texts = TEXTS[lang]
    return error_page(request, 404, texts["error_404_title"], texts["error_404_text"])
