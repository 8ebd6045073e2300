"""The boundary of ``CONTRACT.md`` in one leaf package: the situation's fields and vocabulary,
their validation and JSON Schema, the actors and actions, and the plain words for all of them
in every language. It imports nothing else of eo152, so the engine, the places registry and
every front end can read it without touching one another."""

from .actions import ACTIONS, OUTCOMES, URGENCY
from .errors import FieldError, InvalidSituation
from .fields import FIELDS, SITUATION, Field, field_at, walk
from .validation import MAX_INPUT_BYTES, collect_errors, validate
from .vocabulary import FACT_GROUPS, LANGUAGES, label

__all__ = [
    "ACTIONS",
    "FACT_GROUPS",
    "FIELDS",
    "LANGUAGES",
    "MAX_INPUT_BYTES",
    "OUTCOMES",
    "SITUATION",
    "URGENCY",
    "Field",
    "FieldError",
    "InvalidSituation",
    "collect_errors",
    "field_at",
    "label",
    "validate",
    "walk",
]
