"""The facilitator's pages: the list of exercises with the form to open one, the console of
one exercise (its join code, who joined, the part out now and the answers arriving, the
steps), its small JSON status for the console's script, and the hot wash and the reports,
which :mod:`.report` makes.

Every step goes through :mod:`.services`, which checks the permission and saves at once. A
refused step shows on the console as the form's error (422), never as a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..accounts.models import User
from ..accounts.permissions import require
from ..incidents.staff_forms import Error
from ..incidents.staff_views import _user, signed_in
from ..web.language import language_of, url_with
from ..web.texts import TEXTS
from . import report, services
from .models import Exercise, PlayerAnswer, Readings, State
from .roles import ROLE
from .services import ExerciseRefused

#: The readings an exercise may be scored under, as the pages name them.
READINGS_WORDS: dict[str, str] = {
    Readings.NONE: "ex_readings_none",
    Readings.RESEARCH: "ex_readings_research",
}


def console_url(exercise: Exercise, lang: str) -> str:
    return url_with(f"/exercises/{exercise.code}", lang)


def refusal_words(refused: ExerciseRefused, lang: str) -> str:
    """The service's refusal in the page's words (its English message for a reason the
    pages have no words for)."""
    return TEXTS[lang].get(f"ex_refused_{refused.code}", refused.message)


def _found(user: User, code: str) -> Exercise:
    require(user, "exercises.facilitate")
    try:
        return services.by_code(code)
    except Exercise.DoesNotExist:
        raise Http404(code) from None


def role_words(role: str, lang: str) -> str:
    return ROLE[role].words[lang]


# -- the list, and opening one -------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def exercise_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, "exercises.facilitate")
    lang = language_of(request)
    error = None
    if request.method == "POST":
        try:
            opened = services.open_exercise(
                user, request.POST.get("scenario", ""), request.POST.get("readings", "")
            )
        except ExerciseRefused as refused:
            error = Error(
                f"open-{refused.field}", TEXTS[lang]["ex_open_title"], refusal_words(refused, lang)
            )
        else:
            return HttpResponseRedirect(console_url(opened, lang), status=303)
    texts = TEXTS[lang]
    scenarios = services.scenarios()
    rows = [
        {
            "exercise": item,
            "title": scenarios[item.scenario].title[lang] if item.scenario in scenarios else "",
            "state": texts[f"ex_state_{item.state}"],
            "players": item.players.count(),
        }
        for item in Exercise.objects.all()[:50]
    ]
    running = Exercise.objects.exclude(state=State.FINISHED).count()
    context = {
        "nav": "exercises",
        "rows": rows,
        "headline": texts["ex_list_running"].format(count=running)
        if running
        else texts["ex_list_none_running"],
        "scenarios": [
            (scenario.id, scenario.title[lang], scenario.summary[lang])
            for scenario in scenarios.values()
        ],
        "readings": [(value, texts[READINGS_WORDS[value]]) for value in Readings.values],
        "errors": [error] if error else [],
        "error": error,
    }
    return render(request, "exercises/start.html", context, status=422 if error else 200)


# -- the console ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    form: str
    message: str


def _answers_now(exercise: Exercise, lang: str) -> dict[str, Any]:
    """Who answered the part out now, per role and one by one with their score."""
    inject = services.current_inject(exercise)
    players = list(exercise.players.all())
    if inject is None:
        return {"roles": [], "rows": [], "answered": 0, "expected": 0}
    answers = {
        row.player_id: row
        for row in PlayerAnswer.objects.filter(player__exercise=exercise, inject=inject.id)
    }
    texts = TEXTS[lang]
    roles, rows = [], []
    for role in inject.roles:
        playing = [player for player in players if player.role == role]
        done = [player for player in playing if player.pk in answers]
        if playing:
            roles.append(
                texts["ex_role_answered"].format(
                    role=role_words(role, lang), answered=len(done), players=len(playing)
                )
            )
        for player in done:
            scored = answers[player.pk].score
            rows.append(
                {
                    "name": player.name,
                    "role": role_words(role, lang),
                    "score": texts["ex_points"].format(
                        points=scored["points"], possible=scored["possible"]
                    ),
                    "errors": scored["errors"],
                }
            )
    expected = sum(1 for player in players if player.role in inject.roles)
    return {"roles": roles, "rows": rows, "answered": len(rows), "expected": expected}


def _headline(exercise: Exercise, now: dict[str, Any], lang: str) -> str:
    texts = TEXTS[lang]
    if exercise.state == State.LOBBY:
        return texts["ex_console_lobby"].format(count=exercise.players.count())
    if exercise.state == State.PAUSED:
        return texts["ex_console_paused"]
    if exercise.state == State.FINISHED:
        return texts["ex_console_finished"]
    if not exercise.current:
        return texts["ex_console_all_done"]
    return texts["ex_console_running"].format(
        number=len(exercise.released), answered=now["answered"], expected=now["expected"]
    )


def version_of(exercise: Exercise) -> str:
    """What changes when the console or a player's page has news: the state, the part out
    and the answers (their count and the last one's time)."""
    answers = PlayerAnswer.objects.filter(player__exercise=exercise)
    last = answers.order_by("-answered_at").values_list("answered_at", flat=True).first()
    return ":".join(
        [
            exercise.state,
            exercise.current,
            str(len(exercise.released)),
            str(exercise.players.count()),
            str(answers.count()),
            last.isoformat() if last else "",
        ]
    )


def render_console(
    request: HttpRequest, exercise: Exercise, refusal: Refusal | None = None, status: int = 200
) -> HttpResponse:
    lang = language_of(request)
    texts = TEXTS[lang]
    scenario = services.scenario_of(exercise)
    inject = services.current_inject(exercise)
    now = _answers_now(exercise, lang)
    following = services.next_inject(exercise) if exercise.state != State.FINISHED else "end"
    context = {
        "nav": "exercises",
        "ex": exercise,
        "title": scenario.title[lang],
        "headline": _headline(exercise, now, lang),
        "state": texts[f"ex_state_{exercise.state}"],
        "readings": texts[READINGS_WORDS[exercise.readings]],
        "players": [
            {
                "name": player.name,
                "role": role_words(player.role, lang),
                "lang": texts[f"ex_lang_{player.lang}"],
            }
            for player in exercise.players.all()
        ],
        "inject": inject,
        "inject_number": len(exercise.released),
        "narrative": inject.narrative[lang] if inject else "",
        "question": inject.question[lang] if inject else "",
        "inject_roles": ", ".join(role_words(role, lang) for role in inject.roles)
        if inject
        else "",
        "now": now,
        "may_release": exercise.state in (State.LOBBY, State.RUNNING) and following != "end",
        "release_words": texts[
            "ex_release_first" if exercise.state == State.LOBBY else "ex_release_next"
        ],
        "released": [
            (inject_id, f"{scenario.inject(inject_id).at} {inject_id}")
            for inject_id in exercise.released
        ],
        "objectives": [(item.id, item.text[lang]) for item in scenario.objectives],
        "notes": list(exercise.notes.all()),
        "actions": [
            {
                "objective": next(
                    (item.text[lang] for item in scenario.objectives if item.id == row.objective),
                    row.objective,
                ),
                "row": row,
            }
            for row in exercise.actions.all()
        ],
        "refusal": refusal,
        "errors": [Error(f"{refusal.form}-form", texts["ex_refused_title"], refusal.message)]
        if refusal
        else [],
        "version": version_of(exercise),
        "join_address": request.build_absolute_uri("/play"),
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "exercises/console.html", context, status=status)


@never_cache
@require_safe
@signed_in
def console(request: HttpRequest, code: str) -> HttpResponse:
    return render_console(request, _found(_user(request), code))


@never_cache
@require_safe
@signed_in
def console_status(request: HttpRequest, code: str) -> HttpResponse:
    exercise = _found(_user(request), code)
    return JsonResponse({"version": version_of(exercise), "state": exercise.state})


Step = Callable[[User, Exercise, HttpRequest], object]


def _step(form: str, step: Step) -> Callable[..., HttpResponseBase]:
    """A POST step of the console: done, back to the console; refused, the console again
    with the form's error and nothing stored."""

    @require_POST
    @signed_in
    def view(request: HttpRequest, code: str) -> HttpResponse:
        user = _user(request)
        exercise = _found(user, code)
        lang = language_of(request)
        try:
            step(user, exercise, request)
        except ExerciseRefused as refused:
            again = services.by_code(code)  # as stored: nothing of the refused step was kept
            return render_console(request, again, Refusal(form, refusal_words(refused, lang)), 422)
        return HttpResponseRedirect(console_url(exercise, lang), status=303)

    return view


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


release = _step("release", lambda user, ex, _: services.release_next(user, ex))
pause = _step("pause", lambda user, ex, _: services.pause(user, ex))
resume = _step("resume", lambda user, ex, _: services.resume(user, ex))
skip = _step("skip", lambda user, ex, _: services.skip(user, ex))
finish = _step("finish", lambda user, ex, _: services.finish(user, ex))
note = _step(
    "note",
    lambda user, ex, request: services.add_note(
        user, ex, request.POST.get("text", ""), request.POST.get("inject", "")
    ),
)
action = _step(
    "action",
    lambda user, ex, request: services.add_action(
        user,
        ex,
        request.POST.get("objective", ""),
        request.POST.get("action", ""),
        request.POST.get("owner", ""),
        _day(request.POST.get("due", "")),
    ),
)


# -- the hot wash and the reports -----------------------------------------------------------


@never_cache
@require_safe
@signed_in
def hot_wash(request: HttpRequest, code: str) -> HttpResponse:
    exercise = _found(_user(request), code)
    lang = language_of(request)
    context = {
        "nav": "exercises",
        "ex": exercise,
        **report.hot_wash(services.scenario_of(exercise), services.results(exercise), lang),
    }
    return render(request, "exercises/hotwash.html", context)


@never_cache
@require_safe
@signed_in
def report_pdf(request: HttpRequest, code: str) -> HttpResponse:
    exercise = _found(_user(request), code)
    pdf = report.report_pdf(services.document_of(exercise, language_of(request)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="exercise-{exercise.code}.pdf"'
    return response


@never_cache
@require_safe
@signed_in
def report_csv(request: HttpRequest, code: str) -> HttpResponse:
    exercise = _found(_user(request), code)
    text = report.report_csv(services.document_of(exercise, language_of(request)))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="exercise-{exercise.code}.csv"'
    return response
