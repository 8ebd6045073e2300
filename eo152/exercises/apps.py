from __future__ import annotations

from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "eo152.exercises"
    label = "exercises"
    verbose_name = "Tabletop exercises"
    default_auto_field = "django.db.models.BigAutoField"
