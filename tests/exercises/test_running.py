"""Running an exercise through the service: joining with a code, answers scored by the
engine as they arrive, branches, pause and skip, and the ledger's record at the end. A
refused input stores nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.db

STAGING = "staging-rec-center"
RESEARCH = "examples/readings-research-recommended.yaml"


def _stored() -> tuple[Any, ...]:
    """Everything an exercise stores, to show a refusal left it as it was."""
    from eo152.exercises.models import (
        CorrectiveAction,
        EvaluatorNote,
        Exercise,
        Player,
        PlayerAnswer,
    )

    return (
        list(Exercise.objects.values()),
        list(Player.objects.values()),
        list(PlayerAnswer.objects.values()),
        list(EvaluatorNote.objects.values()),
        list(CorrectiveAction.objects.values()),
    )


def _entries() -> list[dict[str, Any]]:
    from eo152.services.records import site_ledger

    store = site_ledger().log.store
    return [json.loads(text) for _, text in store.entry_page(0, 100000)]


@pytest.fixture
def trainer(make_user: Callable[..., Any]) -> Any:
    return make_user("supervisor")


def _refused(code: str, step: Callable[[], object]) -> None:
    from eo152.exercises.services import ExerciseRefused

    before = _stored()
    with pytest.raises(ExerciseRefused) as refused:
        step()
    assert refused.value.code == code
    assert _stored() == before


def test_players_join_with_the_code_and_need_no_account(trainer: Any) -> None:
    from eo152.exercises import services

    exercise = services.open_exercise(trainer, STAGING)
    assert len(exercise.code) == 6 and set(exercise.code) <= set(services.CODE_ALPHABET)
    player, token = services.join(f" {exercise.code.lower()} ", "Ana", "patrol", "es")
    assert (player.exercise, player.role, player.lang) == (exercise, "patrol", "es")
    assert services.player_of(exercise, token) == player
    assert player.token_sha256 != token and token not in player.token_sha256
    assert services.player_of(exercise, "not the token") is None


def test_a_duplicate_name_a_wrong_code_or_role_is_refused_storing_nothing(trainer: Any) -> None:
    from eo152.exercises import services

    exercise = services.open_exercise(trainer, STAGING)
    services.join(exercise.code, "Ana Ruiz", "patrol", "en")
    _refused("name_taken", lambda: services.join(exercise.code, "ana  RUIZ", "sergeant", "en"))
    _refused("no_such_code", lambda: services.join("ZZZZZZ", "Bo", "patrol", "en"))
    _refused("role_not_in_scenario", lambda: services.join(exercise.code, "Bo", "deputy", "en"))
    _refused("role_not_in_scenario", lambda: services.join(exercise.code, "Bo", "nobody", "en"))
    _refused("name_missing", lambda: services.join(exercise.code, "  ", "patrol", "en"))
    _refused("lang", lambda: services.join(exercise.code, "Bo", "patrol", "fr"))


def test_an_answer_is_scored_at_once_and_replaced_until_the_next_release(trainer: Any) -> None:
    from eo152.exercises import services
    from eo152.exercises.scoring import Answer

    exercise = services.open_exercise(trainer, STAGING)
    player, _ = services.join(exercise.code, "Ana", "patrol", "en")
    assert services.release_next(trainer, exercise) == "vans-in-the-lot"
    assert exercise.state == "running"
    first = services.answer(
        player, "vans-in-the-lot", Answer({"police/record_body_camera": "required"})
    )
    assert (first.score["points"], first.score["possible"]) == (1, 3)
    again = services.answer(
        player,
        "vans-in-the-lot",
        Answer(
            {
                "police/record_body_camera": "required",
                "police/de_escalate": "required",
                "police/obstruct_lawful_enforcement": "permitted",
            },
            comment="Call the sergeant.",
        ),
    )
    assert again.pk == first.pk
    assert (again.score["points"], again.score["possible"], again.score["errors"]) == (2, 3, 1)
    services.release_next(trainer, exercise)
    _refused(
        "closed",
        lambda: services.answer(player, "vans-in-the-lot", Answer()),
    )


def test_an_answer_for_an_inject_not_released_or_not_for_the_role_is_refused(
    trainer: Any,
) -> None:
    from eo152.exercises import services
    from eo152.exercises.scoring import Answer

    exercise = services.open_exercise(trainer, STAGING)
    patrol, _ = services.join(exercise.code, "Ana", "patrol", "en")
    clerk, _ = services.join(exercise.code, "Cy", "city_employee", "en")
    _refused("not_released", lambda: services.answer(patrol, "vans-in-the-lot", Answer()))
    services.release_next(trainer, exercise)
    _refused("not_released", lambda: services.answer(patrol, "force-used", Answer()))
    services.release_next(trainer, exercise)  # no-paper: patrol and sergeant only
    _refused("not_your_role", lambda: services.answer(clerk, "no-paper", Answer()))
    bad = Answer({"police/fly": "required"}, unknown_facts=frozenset({"nonsense"}))
    _refused("bad_answer", lambda: services.answer(patrol, "no-paper", bad))


def test_naming_the_fact_an_undecided_duty_turns_on_earns_its_point(trainer: Any) -> None:
    from eo152.exercises import services
    from eo152.exercises.scoring import Answer

    exercise = services.open_exercise(trainer, STAGING)
    clerk, _ = services.join(exercise.code, "Cy", "city_employee", "en")
    services.release_next(trainer, exercise)
    inject = services.current_inject(exercise)
    assert inject is not None
    unknowns = services.unknowns_at(exercise, inject)
    assert "authority.kind" in unknowns.facts
    assert "immigration-judge-order" in unknowns.questions
    row = services.answer(
        clerk,
        inject.id,
        Answer(
            unknown_facts=frozenset({"authority.kind"}), open_questions=frozenset({"p12-reporting"})
        ),
    )
    assert (row.score["points"], row.score["possible"]) == (3, 3)


def test_the_readings_change_the_open_questions_offered(trainer: Any) -> None:
    from eo152.exercises import services

    plain = services.open_exercise(trainer, STAGING)
    read = services.open_exercise(trainer, STAGING, RESEARCH)
    first = services.scenario_of(plain).injects[0]
    assert "immigration-judge-order" in services.unknowns_at(plain, first).questions
    assert "immigration-judge-order" not in services.unknowns_at(read, first).questions
    _refused("no_such_readings", lambda: services.open_exercise(trainer, STAGING, "/etc/passwd"))
    _refused("no_such_scenario", lambda: services.open_exercise(trainer, "nothing"))


@pytest.mark.parametrize(
    ("pick", "then"), [("required", "recorded"), ("prohibited", "not-recorded")]
)
def test_the_branches_follow_the_answers(
    trainer: Any, branching: None, pick: str, then: str
) -> None:
    from eo152.exercises import services
    from eo152.exercises.scoring import Answer

    exercise = services.open_exercise(trainer, "branching")
    patrol, _ = services.join(exercise.code, "Ana", "patrol", "en")
    services.release_next(trainer, exercise)
    services.answer(patrol, "first", Answer({"police/record_body_camera": pick}))
    assert services.release_next(trainer, exercise) == then
    _refused("no_more", lambda: services.release_next(trainer, exercise))
    assert exercise.released == ["first", then]


def test_pause_holds_answers_and_skip_moves_past_unscored(trainer: Any) -> None:
    from eo152.exercises import services
    from eo152.exercises.scoring import Answer

    exercise = services.open_exercise(trainer, STAGING)
    patrol, _ = services.join(exercise.code, "Ana", "patrol", "en")
    _refused("nothing_to_skip", lambda: services.skip(trainer, exercise))
    services.release_next(trainer, exercise)
    services.pause(trainer, exercise)
    _refused("paused", lambda: services.answer(patrol, "vans-in-the-lot", Answer()))
    _refused("paused", lambda: services.release_next(trainer, exercise))
    _refused("not_pause", lambda: services.pause(trainer, exercise))
    services.resume(trainer, exercise)
    assert services.skip(trainer, exercise) == "no-paper"
    assert exercise.current == "no-paper"
    assert services.results(exercise)["injects"] == ["no-paper"]
    services.skip(trainer, exercise)
    services.skip(trainer, exercise)
    assert exercise.current == "" and exercise.skipped == exercise.released
    _refused("nothing_to_skip", lambda: services.skip(trainer, exercise))


def test_a_running_exercise_is_found_again_as_stored(trainer: Any) -> None:
    from eo152.exercises import services
    from eo152.exercises.models import Exercise
    from eo152.exercises.scoring import Answer

    exercise = services.open_exercise(trainer, STAGING)
    patrol, token = services.join(exercise.code, "Ana", "patrol", "en")
    services.release_next(trainer, exercise)
    services.answer(patrol, "vans-in-the-lot", Answer({"police/de_escalate": "required"}))
    again = Exercise.objects.get(pk=exercise.pk)
    assert (again.state, again.current, again.released) == (
        "running",
        "vans-in-the-lot",
        ["vans-in-the-lot"],
    )
    player = services.player_of(again, token)
    assert player is not None
    assert services.answer_of(player, "vans-in-the-lot") is not None


def test_notes_and_corrective_actions_are_checked_before_they_are_kept(trainer: Any) -> None:
    from eo152.exercises import services

    exercise = services.open_exercise(trainer, STAGING)
    services.release_next(trainer, exercise)
    services.add_note(trainer, exercise, "Patrol waited for the sergeant.", "vans-in-the-lot")
    _refused("note_missing", lambda: services.add_note(trainer, exercise, " "))
    _refused("not_released", lambda: services.add_note(trainer, exercise, "x", "force-used"))
    soon = timezone.localdate() + timedelta(days=30)
    services.add_action(trainer, exercise, "cameras", "Train on P8.", "Training unit", soon)
    _refused(
        "no_such_objective",
        lambda: services.add_action(trainer, exercise, "nope", "x", "Training unit", soon),
    )
    _refused(
        "owner_missing", lambda: services.add_action(trainer, exercise, "cameras", "x", " ", soon)
    )
    _refused(
        "due_past",
        lambda: services.add_action(
            trainer, exercise, "cameras", "x", "Training unit", soon - timedelta(days=60)
        ),
    )
    assert exercise.notes.count() == 1 and exercise.actions.count() == 1


def test_results_have_the_paper_runs_shape_with_comments(trainer: Any) -> None:
    from eo152.exercises import services
    from eo152.exercises.scoring import Answer

    exercise = services.open_exercise(trainer, STAGING)
    ana, _ = services.join(exercise.code, "Ana", "patrol", "en")
    services.join(exercise.code, "Bea", "sergeant", "es")
    services.release_next(trainer, exercise)
    services.answer(
        ana, "vans-in-the-lot", Answer({"police/de_escalate": "required"}, comment="Too fast.")
    )
    found = services.results(exercise)
    assert found["injects"] == ["vans-in-the-lot"]
    assert [(row["player"], row["points"], row["possible"]) for row in found["scores"]] == [
        ("Ana", 1, 3),
        ("Bea", 0, 3),
    ]
    assert found["totals"] == [
        {"player": "Ana", "points": 1, "possible": 3},
        {"player": "Bea", "points": 0, "possible": 3},
    ]
    assert found["comments"] == [
        {"inject": "vans-in-the-lot", "role": "patrol", "comment": "Too fast."}
    ]
    assert services.role_scores(found) == {"patrol": (1, 3), "sergeant": (0, 3)}


def test_finishing_writes_the_ledger_entry_holding_no_names(trainer: Any) -> None:
    from eo152.exercises import report, services
    from eo152.exercises.scoring import Answer

    exercise = services.open_exercise(trainer, STAGING)
    ana, _ = services.join(exercise.code, "Ana Quetzal", "patrol", "en")
    services.join(exercise.code, "Bea Zorrilla", "sergeant", "es")
    services.release_next(trainer, exercise)
    services.answer(ana, "vans-in-the-lot", Answer({"police/de_escalate": "required"}))
    services.finish(trainer, exercise)
    # The ledger may be shared (PostgreSQL): this exercise's entry, by its name there.
    (entry,) = [e for e in _entries() if e.get("exercise") == services.ledger_name(exercise)]
    assert entry["kind"] == "exercise.recorded"
    assert entry["scenario"] == STAGING
    assert entry["roles"] == ["patrol", "sergeant"]
    assert entry["scores"] == {"patrol": [1, 3], "sergeant": [0, 3]}
    assert entry["plan_sha256"] == report.plan_sha256(services.document_of(exercise, "en"))
    text = json.dumps(entry)
    assert "Quetzal" not in text and "Zorrilla" not in text
    assert exercise.state == "finished" and exercise.receipt is not None
    _refused("finished", lambda: services.join(exercise.code, "Cy", "patrol", "en"))
    _refused("finished", lambda: services.answer(ana, "vans-in-the-lot", Answer()))
    _refused("finished", lambda: services.release_next(trainer, exercise))


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("officer", False),
        ("intake", False),
        ("supervisor", True),
        ("investigator", False),
        ("monitor", False),
        ("city_attorney", True),
        ("records_clerk", False),
        ("administrator", True),
        ("prosecutor", False),
    ],
)
def test_only_trainers_facilitate(make_user: Callable[..., Any], role: str, allowed: bool) -> None:
    from django.core.exceptions import PermissionDenied

    from eo152.exercises import services

    owner = make_user("supervisor")
    user = make_user(role)
    exercise = services.open_exercise(owner, STAGING)
    steps: list[Callable[[], object]] = [
        lambda: services.open_exercise(user, STAGING),
        lambda: services.release_next(user, exercise),
        lambda: services.pause(user, exercise),
        lambda: services.resume(user, exercise),
        lambda: services.add_note(user, exercise, "A note."),
    ]
    for step in steps:
        if allowed:
            step()
        else:
            with pytest.raises(PermissionDenied):
                step()
