"""The roles players take in an exercise, and whose duties each answers for.

Each role is one of CONTRACT.md's people ("People, actors and accounts"), named as trainers
name it; its actors are the people's, so a player is scored on the duties a field guide
would show that person.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExerciseRole:
    id: str
    person: str | None  # eo152.contract.people (the City Attorney's office is none of them)
    actors: tuple[str, ...]
    words: dict[str, str]


ROLES: tuple[ExerciseRole, ...] = (
    ExerciseRole(
        "patrol", "officer", ("police",), {"en": "Patrol officer", "es": "Agente de patrulla"}
    ),
    ExerciseRole("sergeant", "sergeant", ("police",), {"en": "Sergeant", "es": "Sargento"}),
    ExerciseRole(
        "deputy",
        "officer",
        ("police",),
        {"en": "Sheriff's deputy at the jail", "es": "Ayudante del sheriff en la cárcel"},
    ),
    ExerciseRole(
        "firefighter",
        "first_responder",
        ("first_responders",),
        {"en": "Firefighter or paramedic", "es": "Bombero o paramédico"},
    ),
    ExerciseRole(
        "dispatcher", "dispatcher", ("police",), {"en": "Dispatcher", "es": "Despachador"}
    ),
    ExerciseRole(
        "city_employee",
        "city_employee",
        ("city_employees", "city_agencies"),
        {"en": "City employee at a facility", "es": "Empleado de la Ciudad en un centro"},
    ),
    ExerciseRole(
        "records_clerk",
        "records_clerk",
        ("city_agencies",),
        {"en": "Records clerk", "es": "Encargado de registros"},
    ),
    ExerciseRole(
        "city_attorney",
        None,
        ("city_agencies",),
        {"en": "City Attorney's office", "es": "Oficina del Abogado de la Ciudad"},
    ),
)

ROLE = {role.id: role for role in ROLES}
