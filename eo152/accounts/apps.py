from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "eo152.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers every permission with rules)
