"""The demo's tabletop exercise: the staging scenario played to its end by four players (one
answering in Spanish), with evaluator notes, corrective actions and the ledger's record,
taken through the running service as a facilitator and players would.

The players' answers are a realistic mix: the patrol officer names most duties, the
sergeant misses some and names an open question, the firefighter gives aid, and the City
employee at the rec center settles too soon what the law has not decided. So the report has
strengths, areas for improvement and objectives rated differently.

Loading again adds nothing: a finished exercise of the scenario is found again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from ..accounts.models import User
from . import services
from .models import Exercise, State
from .scenario import END
from .scoring import Answer

SCENARIO = "staging-rec-center"

#: Each demo player: name, role, language, and their answer to each inject of their role.
PLAYERS: tuple[tuple[str, str, str, dict[str, dict[str, Any]]], ...] = (
    (
        "Avery",
        "patrol",
        "en",
        {
            "vans-in-the-lot": {
                "picks": {
                    "police/record_body_camera": "required",
                    "police/de_escalate": "required",
                    "police/obstruct_lawful_enforcement": "prohibited",
                },
            },
            "no-paper": {
                "picks": {
                    "police/record_body_camera": "required",
                    "police/protect_peaceful_protest": "required",
                    "police/obstruct_lawful_enforcement": "prohibited",
                },
                "comment": "I was not sure I could tell them to leave the lot.",
            },
            "force-used": {
                "picks": {
                    "police/intervene": "required",
                    "police/render_aid": "required",
                    "police/record_body_camera": "required",
                    "police/detain_federal_agent": "required",
                },
            },
        },
    ),
    (
        "Bea",
        "sergeant",
        "es",
        {
            "vans-in-the-lot": {
                "picks": {
                    "police/record_body_camera": "required",
                    "police/obstruct_lawful_enforcement": "prohibited",
                },
            },
            "no-paper": {
                "picks": {
                    "police/record_body_camera": "required",
                    "police/de_escalate": "required",
                    "police/protect_peaceful_protest": "required",
                },
            },
            "force-used": {
                "picks": {"police/intervene": "required", "police/render_aid": "required"},
                "open_questions": ["federal-immunity-aid-blocked"],
                "comment": "No sabía si podíamos detener al agente. "
                "Lo consultaría con la Oficina del Abogado de la Ciudad.",
            },
        },
    ),
    (
        "Cam",
        "firefighter",
        "en",
        {
            "force-used": {
                "picks": {"first_responders/render_aid": "required"},
                "comment": "We need a clear signal from police that it is safe to go in.",
            },
        },
    ),
    (
        "Dee",
        "city_employee",
        "en",
        {
            "vans-in-the-lot": {
                "picks": {"city_agencies/permit_property_use": "permitted"},
                "comment": "I did not know whom to call at the City.",
            },
        },
    ),
)

NOTES: tuple[tuple[str, str], ...] = (
    ("vans-in-the-lot", "The rec center employee let the vans stay without asking for paper."),
    ("force-used", "Patrol stepped in fast; the sergeant gave the order to give aid."),
    ("", "Nobody asked the City Attorney's office about the lot until the end."),
)

#: Corrective actions: objective, action, owner (a unit, never a person), days until due.
ACTIONS: tuple[tuple[str, str, str, int], ...] = (
    (
        "staging",
        "Give rec center staff a one-page card: who to call, and what paper to ask for.",
        "Denver Parks and Recreation",
        60,
    ),
    (
        "cameras",
        "Add body camera checks to every shift briefing for a month.",
        "DPD District 6 command",
        30,
    ),
    (
        "force",
        "Run a neck-hold intervention drill with patrol and Fire together.",
        "DPD Training Academy and Denver Fire",
        90,
    ),
)


def load(users: dict[str, User]) -> tuple[str, bool]:
    """The demo's finished exercise: (its code, whether it was made now)."""
    found = Exercise.objects.filter(scenario=SCENARIO, state=State.FINISHED).first()
    if found is not None:
        return found.code, False
    facilitator = users["supervisor"]
    exercise = services.open_exercise(facilitator, SCENARIO)
    joined = [
        (services.join(exercise.code, name, role, lang)[0], answers)
        for name, role, lang, answers in PLAYERS
    ]
    scenario = services.scenario_of(exercise)
    while services.next_inject(exercise) != END:
        inject = scenario.inject(services.release_next(facilitator, exercise))
        for player, answers in joined:
            if player.role in inject.roles and inject.id in answers:
                services.answer(player, inject.id, Answer.from_dict(answers[inject.id]))
    for inject_id, text in NOTES:
        services.add_note(facilitator, exercise, text, inject_id)
    today = timezone.localdate()
    for objective, action, owner, days in ACTIONS:
        services.add_action(
            facilitator, exercise, objective, action, owner, today + timedelta(days=days)
        )
    services.finish(facilitator, exercise)
    return exercise.code, True
