"""Accounts of every role, and a ready ledger, for the incident tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # Django is set up after this file is read
    from eo152.accounts.models import User


@pytest.fixture
def make_user(db: None, ledger_ready: Path) -> Callable[[str], User]:
    from eo152.accounts.models import User

    made: dict[str, int] = {}

    def make(role: str) -> User:
        made[role] = made.get(role, 0) + 1
        return User.objects.create_user(f"{role}{made[role]}", password=None, role=role)

    return make
