"""Running a tabletop exercise: the one service the facilitator's console and the players'
pages call.

Every step is checked whole before anything is written, then saved at once in one
transaction, so a refused input changes nothing and a running exercise is never lost (a
restart of the site finds it where it was). Answers are scored the moment they arrive, by
the engine under the exercise's readings: no answer key is written by hand. Finishing
writes the ``exercise.recorded`` ledger entry: roles and scores, never the players' names.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from ..accounts.models import User
from ..accounts.permissions import require
from ..contract.fields import FIELDS
from ..ledger import ExerciseRecorded, now
from ..rules import Decision, Engine
from ..services.decisions import engine_for
from ..services.records import site_ledger
from .models import (
    CorrectiveAction,
    EvaluatorNote,
    Exercise,
    Lang,
    Player,
    PlayerAnswer,
    Readings,
    State,
)
from .roles import ROLE
from .scenario import END, Inject, Scenario, library
from .scoring import Answer, check_answer, duties_for, score

#: Join codes: read aloud and typed on a phone, so no 0/O, 1/I/L or U.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 6
NAME_MAX = 40
NOTE_MAX = 2000
ACTION_MAX = 500
OWNER_MAX = 120
COMMENT_MAX = 1000
_CHECKOUT = Path(__file__).resolve().parents[2]


class ExerciseRefused(ValueError):
    """A step the exercise cannot take: ``field`` names what to fix, ``code`` the reason
    (the pages say it in their words), ``message`` in English for logs and tests."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code
        self.message = message


# -- the scenario and its engine ------------------------------------------------------------


def scenarios() -> dict[str, Scenario]:
    return library()


def scenario_of(exercise: Exercise) -> Scenario:
    return scenarios()[exercise.scenario]


def engine_of(exercise: Exercise) -> Engine:
    return engine_for(_CHECKOUT / exercise.readings if exercise.readings else None)


def decision_at(exercise: Exercise, inject: Inject) -> Decision:
    return engine_of(exercise).decide(inject.situation)


def current_inject(exercise: Exercise) -> Inject | None:
    return scenario_of(exercise).inject(exercise.current) if exercise.current else None


@dataclass(frozen=True)
class Unknowns:
    """What a player may say is still unknown at an inject: the facts the engine's duties
    wait on, and the open questions they name (ids)."""

    facts: tuple[str, ...]
    questions: tuple[str, ...]


def unknowns_at(exercise: Exercise, inject: Inject) -> Unknowns:
    decision = decision_at(exercise, inject)
    questions = dict.fromkeys(
        question["id"] for duty in decision.duties for question in duty.open_questions
    )
    return Unknowns(tuple(decision.missing_facts), tuple(questions))


# -- opening and joining --------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(code: str) -> str:
    """A code as typed (spaces, lower case) as it is stored."""
    return "".join(code.split()).upper()


def open_exercise(user: User, scenario_id: str, readings: str = "") -> Exercise:
    """A new exercise in the lobby, with a join code no running exercise holds."""
    require(user, "exercises.facilitate")
    if scenario_id not in scenarios():
        raise ExerciseRefused("scenario", "no_such_scenario", f"{scenario_id} is not a scenario")
    if readings not in Readings.values:
        raise ExerciseRefused("readings", "no_such_readings", "pick none or a listed readings file")
    for _ in range(20):
        exercise = Exercise(
            code=_new_code(),
            scenario=scenario_id,
            readings=readings,
            facilitator=user,
            opened_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                exercise.save()
        except IntegrityError:  # the code is taken by a running exercise: draw again
            continue
        return exercise
    raise ExerciseRefused("code", "no_code", "no free join code was found; try again")


def running(code: str) -> Exercise:
    """The exercise not yet finished that holds ``code``; Exercise.DoesNotExist if none."""
    return Exercise.objects.exclude(state=State.FINISHED).get(code=normal_code(code))


def by_code(code: str) -> Exercise:
    """The exercise with ``code``: the running one, else the last finished one."""
    try:
        return running(code)
    except Exercise.DoesNotExist:
        return Exercise.objects.filter(code=normal_code(code)).latest("opened_at", "id")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def join(code: str, name: str, role: str, lang: str) -> tuple[Player, str]:
    """A player joins with the exercise's code: (the player, the token only their browser
    keeps). No account; the name is unique in the exercise, whatever its case."""
    code = normal_code(code)
    try:
        exercise = running(code)
    except Exercise.DoesNotExist:
        if code and Exercise.objects.filter(code=code).exists():
            raise ExerciseRefused("code", "finished", "this exercise has finished") from None
        raise ExerciseRefused("code", "no_such_code", "no exercise has this code") from None
    name = " ".join(name.split())
    if not name:
        raise ExerciseRefused("name", "name_missing", "give a name the facilitator knows you by")
    if len(name) > NAME_MAX:
        raise ExerciseRefused("name", "name_long", f"a name is at most {NAME_MAX} characters")
    if exercise.players.filter(name__iexact=name).exists():
        raise ExerciseRefused("name", "name_taken", f"{name} is already a player's name here")
    if role not in scenario_of(exercise).roles:
        raise ExerciseRefused("role", "role_not_in_scenario", f"{role} has no part in it")
    if lang not in Lang.values:
        raise ExerciseRefused("lang", "lang", "pick English or Spanish")
    token = secrets.token_urlsafe(32)
    player = Player(
        exercise=exercise,
        name=name,
        role=role,
        lang=lang,
        token_sha256=_token_hash(token),
        joined_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            player.save()
    except IntegrityError:  # the same name, joined at the same moment
        raise ExerciseRefused("name", "name_taken", f"{name} is already a player's name") from None
    return player, token


def player_of(exercise: Exercise, token: str) -> Player | None:
    """The player whose browser holds ``token`` in this exercise, if any."""
    if not token:
        return None
    return exercise.players.filter(token_sha256=_token_hash(token)).first()


# -- the facilitator's steps ----------------------------------------------------------------


def _facilitate(user: User, exercise: Exercise) -> None:
    require(user, "exercises.facilitate")
    if exercise.state == State.FINISHED:
        raise ExerciseRefused("state", "finished", "the exercise has finished")


def picked_so_far(exercise: Exercise) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """What players of each role picked at each inject (Scenario.next_after's input)."""
    picked: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row in PlayerAnswer.objects.filter(player__exercise=exercise).select_related("player"):
        picks = row.answer.get("picks") or {}
        picked.setdefault((row.inject, row.player.role), set()).update(picks.items())
    return picked


def next_inject(exercise: Exercise) -> str:
    """The inject the scenario goes to from here (END when there is none)."""
    scenario = scenario_of(exercise)
    if not exercise.current:
        return END if exercise.released else scenario.injects[0].id
    following = scenario.next_after(exercise.current, picked_so_far(exercise))
    return END if following in exercise.released else following


def _advance(exercise: Exercise) -> None:
    following = next_inject(exercise)
    if following == END:
        raise ExerciseRefused("state", "no_more", "the scenario has no more parts: finish it")
    exercise.released = [*exercise.released, following]
    exercise.current = following


def _save(exercise: Exercise) -> None:
    with transaction.atomic():
        exercise.save()


def release_next(user: User, exercise: Exercise) -> str:
    """Release the next inject (the first, from the lobby): the branches read the answers
    given so far. Its id."""
    _facilitate(user, exercise)
    if exercise.state == State.PAUSED:
        raise ExerciseRefused("state", "paused", "the exercise is paused: resume it first")
    _advance(exercise)
    if exercise.state == State.LOBBY:
        exercise.start()
        exercise.started_at = timezone.now()
    _save(exercise)
    return exercise.current


def skip(user: User, exercise: Exercise) -> str:
    """Move past the current inject without scoring it; the next is released (END if the
    scenario had no more)."""
    _facilitate(user, exercise)
    if exercise.state != State.RUNNING or not exercise.current:
        raise ExerciseRefused("state", "nothing_to_skip", "no part is open to skip")
    skipped = exercise.current
    following = next_inject(exercise)
    exercise.skipped = [*exercise.skipped, skipped]
    if following == END:
        exercise.current = ""
    else:
        exercise.released = [*exercise.released, following]
        exercise.current = following
    _save(exercise)
    return following


def _transition(user: User, exercise: Exercise, step: str) -> None:
    _facilitate(user, exercise)
    try:
        getattr(exercise, step)()
    except TransitionNotAllowed:
        raise ExerciseRefused("state", f"not_{step}", f"the exercise cannot {step} now") from None
    _save(exercise)


def pause(user: User, exercise: Exercise) -> None:
    _transition(user, exercise, "pause")


def resume(user: User, exercise: Exercise) -> None:
    _transition(user, exercise, "resume")


def add_note(user: User, exercise: Exercise, text: str, inject: str = "") -> EvaluatorNote:
    _facilitate(user, exercise)
    text = text.strip()
    if not text:
        raise ExerciseRefused("text", "note_missing", "write the note")
    if len(text) > NOTE_MAX:
        raise ExerciseRefused("text", "note_long", f"a note is at most {NOTE_MAX} characters")
    if inject and inject not in exercise.released:
        raise ExerciseRefused("inject", "not_released", f"{inject} has not been released")
    note = EvaluatorNote(exercise=exercise, inject=inject, text=text, by=user, at=timezone.now())
    with transaction.atomic():
        note.save()
    return note


def add_action(
    user: User, exercise: Exercise, objective: str, action: str, owner: str, due: date | None
) -> CorrectiveAction:
    """A corrective action of the improvement plan: an owner that is a unit or a role."""
    _facilitate(user, exercise)
    if objective not in {item.id for item in scenario_of(exercise).objectives}:
        raise ExerciseRefused("objective", "no_such_objective", "pick one of the objectives")
    action, owner = action.strip(), " ".join(owner.split())
    if not action:
        raise ExerciseRefused("action", "action_missing", "say what will be done")
    if len(action) > ACTION_MAX:
        raise ExerciseRefused("action", "action_long", f"at most {ACTION_MAX} characters")
    if not owner:
        raise ExerciseRefused("owner", "owner_missing", "name the unit or role that owns it")
    if len(owner) > OWNER_MAX:
        raise ExerciseRefused("owner", "owner_long", f"at most {OWNER_MAX} characters")
    if due is None:
        raise ExerciseRefused("due", "due_missing", "give the day it is due")
    if due < timezone.localdate():
        raise ExerciseRefused("due", "due_past", "the day it is due has passed")
    row = CorrectiveAction(
        exercise=exercise, objective=objective, action=action, owner=owner, due=due
    )
    with transaction.atomic():
        row.save()
    return row


# -- players' answers -----------------------------------------------------------------------


def answer(player: Player, inject_id: str, given: Answer) -> PlayerAnswer:
    """Take a player's answer to the inject open now, scored at once. Answering again before
    the next release replaces it."""
    with transaction.atomic():
        exercise = Exercise.objects.select_for_update().get(pk=player.exercise_id)
        if exercise.state == State.FINISHED:
            raise ExerciseRefused("state", "finished", "the exercise has finished")
        if exercise.state == State.PAUSED:
            raise ExerciseRefused("state", "paused", "the exercise is paused")
        if inject_id not in exercise.released:
            raise ExerciseRefused("inject", "not_released", f"{inject_id} is not released yet")
        if inject_id != exercise.current:
            raise ExerciseRefused("inject", "closed", f"{inject_id} is closed: the next is out")
        inject = scenario_of(exercise).inject(inject_id)
        if player.role not in inject.roles:
            raise ExerciseRefused("inject", "not_your_role", f"{inject_id} is not for your role")
        if len(given.comment) > COMMENT_MAX:
            raise ExerciseRefused("comment", "comment_long", f"at most {COMMENT_MAX} characters")
        engine = engine_of(exercise)
        problems = check_answer(ROLE[player.role], given, FIELDS, engine.policy.questions)
        if problems:
            raise ExerciseRefused("answer", "bad_answer", "; ".join(problems))
        scored = score(engine.decide(inject.situation), ROLE[player.role], given)
        row, _ = PlayerAnswer.objects.update_or_create(
            player=player,
            inject=inject_id,
            defaults={
                "answer": given.to_dict(),
                "score": scored.to_dict(),
                "answered_at": timezone.now(),
            },
        )
    return row


def answer_of(player: Player, inject_id: str) -> PlayerAnswer | None:
    return player.answers.filter(inject=inject_id).first()


# -- results and finishing ------------------------------------------------------------------


def scored_injects(exercise: Exercise) -> list[str]:
    """The injects taken, in order, less those moved past unscored."""
    return [inject for inject in exercise.released if inject not in exercise.skipped]


def _rows(exercise: Exercise) -> Iterator[dict[str, Any]]:
    scenario = scenario_of(exercise)
    players = list(exercise.players.all())
    stored = {
        (row.player_id, row.inject): row
        for row in PlayerAnswer.objects.filter(player__exercise=exercise)
    }
    for inject_id in scored_injects(exercise):
        inject = scenario.inject(inject_id)
        decision: Decision | None = None
        for player in players:
            if player.role not in inject.roles:
                continue
            row = stored.get((player.pk, inject_id))
            if row is not None:
                result, comment = row.score, row.answer.get("comment", "")
            else:  # no answer: every duty missed, scored as the paper run scores it
                decision = decision or decision_at(exercise, inject)
                result, comment = score(decision, ROLE[player.role], Answer()).to_dict(), ""
            yield {
                "inject": inject_id,
                "player": player.name,
                "role": player.role,
                **result,
                "comment": comment,
            }


def results(exercise: Exercise) -> dict[str, Any]:
    """checking.run_on_paper's shape for this exercise, plus the players' comments."""
    rows = list(_rows(exercise))
    totals: dict[str, list[int]] = {}
    comments = []
    for row in rows:
        total = totals.setdefault(row["player"], [0, 0])
        total[0] += row["points"]
        total[1] += row["possible"]
        comment = row.pop("comment")
        if comment:
            comments.append({"inject": row["inject"], "role": row["role"], "comment": comment})
    return {
        "scenario": exercise.scenario,
        "injects": scored_injects(exercise),
        "scores": rows,
        "totals": [
            {"player": name, "points": points, "possible": possible}
            for name, (points, possible) in totals.items()
        ],
        "comments": comments,
    }


def role_scores(found: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Points of points possible by role: what the ledger keeps (no names)."""
    by_role: dict[str, list[int]] = {}
    for row in found["scores"]:
        total = by_role.setdefault(row["role"], [0, 0])
        total[0] += row["points"]
        total[1] += row["possible"]
    return {role: (points, possible) for role, (points, possible) in by_role.items()}


def notes_of(exercise: Exercise) -> list[dict[str, Any]]:
    return [
        {"inject": note.inject, "text": note.text, "at": note.at.isoformat()}
        for note in exercise.notes.all()
    ]


def actions_of(exercise: Exercise) -> list[dict[str, Any]]:
    return [
        {
            "objective": row.objective,
            "action": row.action,
            "owner": row.owner,
            "due": row.due.isoformat(),
        }
        for row in exercise.actions.all()
    ]


def document_of(exercise: Exercise, lang: str) -> dict[str, Any]:
    """The after-action report and improvement plan (eo152.exercises.report's document)."""
    from . import report

    return report.after_action(
        scenario_of(exercise),
        results(exercise),
        notes_of(exercise),
        actions_of(exercise),
        lang,
        day=day_of(exercise),
        exercise=exercise.code,
        readings=exercise.readings,
    )


def day_of(exercise: Exercise) -> date:
    """The exercise's day: the day it was opened, in the site's time zone."""
    return timezone.localdate(exercise.opened_at)


def ledger_name(exercise: Exercise) -> str:
    """The exercise as the ledger names it: its code and its number (codes come back)."""
    return f"{exercise.code}-{exercise.pk}"


def finish(user: User, exercise: Exercise) -> Exercise:
    """Finish: the record (day, roles, scores by role, the plan's SHA-256) goes to the
    ledger, then the exercise is closed to answers."""
    from . import report

    _facilitate(user, exercise)
    found = results(exercise)
    plan = report.plan_sha256(document_of(exercise, "en"))
    scores = role_scores(found)
    event = ExerciseRecorded(
        exercise=ledger_name(exercise),
        scenario=exercise.scenario,
        day=day_of(exercise).isoformat(),
        roles=tuple(sorted({player.role for player in exercise.players.all()})),
        scores=scores,
        plan_sha256=plan,
        actor=user.actor,
        at=now(),
    )
    receipt = site_ledger().record(event)
    exercise.finish()
    exercise.finished_at = timezone.now()
    exercise.current = ""
    exercise.receipt = receipt.to_dict()
    _save(exercise)
    return exercise


def roles_of(exercise: Exercise) -> list[str]:
    """The roles a player may take in this exercise (the scenario's), in ROLES' order."""
    return list(scenario_of(exercise).roles)


def duties_of(exercise: Exercise, inject: Inject, role: str) -> list[Any]:
    """The engaged duties of ``role`` at ``inject`` under the exercise's readings."""
    return duties_for(decision_at(exercise, inject), ROLE[role])
