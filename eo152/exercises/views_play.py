"""The players' pages, on their phones and without accounts: joining with the exercise's
code, then the part out now in their language with the answer form, and a small JSON status
their page's script polls.

A player's browser keeps the token :func:`.services.join` gave in a cookie for that
exercise's pages only; the site keeps its SHA-256. Without JavaScript the page says to
refresh for the next part; with it, the page updates itself.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from ..contract.vocabulary import label
from ..incidents.staff_forms import Problems
from ..web.language import language_of, url_with
from ..web.texts import TEXTS
from . import services
from .models import Exercise, Lang, Player, State
from .roles import ROLE, ROLES
from .scoring import Answer, choices_for
from .services import ExerciseRefused
from .views import refusal_words, role_words

#: How long a player's browser keeps its token: an exercise runs within a day.
COOKIE_AGE = 24 * 60 * 60
#: The answer a player gives when they are not sure: no pick (the form's fourth choice).
UNSURE = "unsure"
#: The join form's fields, as the service names them: (the field's id, its question).
JOIN_FIELDS = {
    "code": ("join-code", "ex_join_code"),
    "name": ("join-name", "ex_join_name"),
    "role": ("join-role-0", "ex_join_role"),
    "lang": ("join-lang-0", "ex_join_lang"),
}


def cookie_name(code: str) -> str:
    return f"exercise_{code}"


def play_url(code: str, lang: str) -> str:
    return url_with(f"/play/{code}", lang)


# -- joining --------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    lang = language_of(request)
    texts = TEXTS[lang]
    source = request.POST if request.method == "POST" else request.GET
    values = {
        "code": services.normal_code(source.get("code", "")),
        "name": source.get("name", ""),
        "role": source.get("role", ""),
        "lang": source.get("player_lang", lang),
    }
    problems = Problems()
    if request.method == "POST":
        try:
            player, token = services.join(
                values["code"], values["name"], values["role"], values["lang"]
            )
        except ExerciseRefused as refused:
            anchor, question = JOIN_FIELDS.get(refused.field, ("join-code", "ex_join_code"))
            problems.add(refused.field, anchor, texts[question], refusal_words(refused, lang))
        else:
            code = player.exercise.code
            response = HttpResponseRedirect(play_url(code, player.lang), status=303)
            response.set_cookie(
                cookie_name(code),
                token,
                max_age=COOKIE_AGE,
                path=f"/play/{code}",
                httponly=True,
                samesite="Lax",
            )
            return response
    # No code yet (or a wrong one): every role, and the service says which fit.
    roles = [role.id for role in ROLES]
    with contextlib.suppress(Exercise.DoesNotExist):
        roles = services.roles_of(services.running(values["code"]))
    context = {
        "nav": "play",
        "values": values,
        "roles": [(role, role_words(role, lang)) for role in roles],
        "langs": [(code, texts[f"ex_lang_{code}"]) for code in Lang.values],
        "errors": problems.summary,
        "problems": problems.by_field,
    }
    return render(request, "exercises/join.html", context, status=422 if problems else 200)


# -- playing --------------------------------------------------------------------------------


def _player(request: HttpRequest, code: str) -> Player | None:
    try:
        exercise = services.by_code(code)
    except Exercise.DoesNotExist:
        return None
    return services.player_of(exercise, request.COOKIES.get(cookie_name(exercise.code), ""))


def _form(
    player: Player, lang: str, given: dict[str, Any] | None, problems: Problems
) -> dict[str, Any]:
    """The answer form for the part out now: a choice per action of the role's actors, the
    facts and open questions still unknown, and a comment."""
    exercise = player.exercise
    inject = services.current_inject(exercise)
    assert inject is not None
    texts = TEXTS[lang]
    given = given or {}
    picks = given.get("picks", {})
    unknowns = services.unknowns_at(exercise, inject)
    questions = services.engine_of(exercise).policy.questions
    choices = [("required", texts["ex_pick_required"])]
    choices += [
        ("prohibited", texts["ex_pick_prohibited"]),
        ("permitted", texts["ex_pick_permitted"]),
    ]
    choices.append((UNSURE, texts["ex_pick_unsure"]))
    return {
        "inject": inject.id,
        "actions": [
            {
                "key": key,
                "id": "pick-" + key.replace("/", "-").replace("_", "-"),
                "words": label(key, lang),
                "picked": picks.get(key, UNSURE),
            }
            for key in choices_for(ROLE[player.role])
        ],
        "choices": choices,
        "facts": [
            (fact, label(fact, lang), fact in given.get("unknown_facts", ()))
            for fact in unknowns.facts
        ],
        "questions": [
            (item, questions[item].question[lang], item in given.get("open_questions", ()))
            for item in unknowns.questions
            if item in questions
        ],
        "comment": given.get("comment", ""),
        "errors": problems.summary,
    }


def _answer_from(request: HttpRequest, player: Player) -> Answer:
    picks = {}
    for key in choices_for(ROLE[player.role]):
        picked = request.POST.get(f"pick:{key}", UNSURE)
        if picked != UNSURE:
            picks[key] = picked
    return Answer(
        picks=picks,
        unknown_facts=frozenset(request.POST.getlist("fact")),
        open_questions=frozenset(request.POST.getlist("question")),
        comment=request.POST.get("comment", "").strip(),
    )


def _page(
    request: HttpRequest,
    player: Player,
    given: dict[str, Any] | None = None,
    problems: Problems | None = None,
    status: int = 200,
) -> HttpResponse:
    lang = language_of(request)
    texts = TEXTS[lang]
    exercise = player.exercise
    scenario = services.scenario_of(exercise)
    inject = services.current_inject(exercise)
    problems = problems or Problems()
    answered = services.answer_of(player, inject.id) if inject else None
    ours = inject is not None and player.role in inject.roles
    if exercise.state == State.FINISHED:
        headline = texts["ex_play_finished"]
    elif exercise.state == State.LOBBY:
        headline = texts["ex_play_lobby"]
    elif exercise.state == State.PAUSED:
        headline = texts["ex_play_paused"]
    elif inject is None:
        headline = texts["ex_play_no_part"]
    elif not ours:
        headline = texts["ex_play_not_yours"]
    elif answered is not None and not problems:
        headline = texts["ex_play_answered"]
    else:
        headline = texts["ex_play_answer"].format(number=len(exercise.released))
    show_part = inject is not None and exercise.state in (State.RUNNING, State.PAUSED)
    form = None
    if show_part and ours and exercise.state == State.RUNNING:
        form = _form(player, lang, given or (answered.answer if answered else None), problems)
    context = {
        "nav": "play",
        "ex": exercise,
        "player": player,
        "role": role_words(player.role, lang),
        "title": scenario.title[lang],
        "headline": headline,
        "inject": inject if show_part else None,
        "number": len(exercise.released),
        "narrative": inject.narrative[lang] if inject else "",
        "question": inject.question[lang] if inject else "",
        "answered": answered is not None,
        "form": form,
        "errors": problems.summary,
        "version": _version(exercise),
    }
    return render(request, "exercises/play.html", context, status=status)


def _version(exercise: Exercise) -> str:
    """What a player's page changes with: the state and the part out (never others' answers)."""
    return f"{exercise.state}:{exercise.current}:{len(exercise.released)}"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def play(request: HttpRequest, code: str) -> HttpResponse:
    lang = language_of(request)
    player = _player(request, code)
    if player is None:
        return HttpResponseRedirect(
            url_with("/play", lang, code=services.normal_code(code)), status=303
        )
    if request.method != "POST":
        return _page(request, player)
    given = _answer_from(request, player)
    try:
        services.answer(player, request.POST.get("inject", ""), given)
    except ExerciseRefused as refused:
        texts = TEXTS[lang]
        problems = Problems()
        problems.add(
            refused.field, "answer-form", texts["ex_play_problem"], refusal_words(refused, lang)
        )
        player = Player.objects.select_related("exercise").get(pk=player.pk)
        return _page(request, player, given.to_dict(), problems, status=422)
    return HttpResponseRedirect(play_url(player.exercise.code, lang), status=303)


@never_cache
@require_safe
def play_status(request: HttpRequest, code: str) -> HttpResponse:
    player = _player(request, code)
    if player is None:
        return JsonResponse({"error": "not a player of this exercise"}, status=404)
    return JsonResponse({"version": _version(player.exercise), "state": player.exercise.state})
