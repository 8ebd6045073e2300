"""The order as code: situations in, decisions out (``CONTRACT.md``).

A pure library: no Django, no database, no network. The policy is loaded, checked and
compiled once (``default_engine()``); ``decide`` then does no I/O and no parsing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ..contract.errors import FieldError, InvalidSituation
from .decision import Conflict, Decision, Duty
from .engine import Engine
from .errors import PolicyError, ReadingsError
from .policy import DEFAULT_POLICY_DIR, Instrument, OpenQuestion, Policy, load_policy

__all__ = [
    "DEFAULT_POLICY_DIR",
    "Conflict",
    "Decision",
    "Duty",
    "Engine",
    "FieldError",
    "Instrument",
    "InvalidSituation",
    "OpenQuestion",
    "Policy",
    "PolicyError",
    "ReadingsError",
    "decide",
    "default_engine",
    "engine_with_readings",
    "load_policy",
]


@cache
def default_engine() -> Engine:
    """The Denver policy shipped with eo152, with no open question answered."""
    return Engine.load()


@cache
def engine_with_readings(readings_path: Path) -> Engine:
    """The Denver policy with a readings file's answers (loaded once per path)."""
    return Engine.load(DEFAULT_POLICY_DIR, readings_path)


def decide(situation: dict[str, Any], readings: Path | None = None) -> Decision:
    """Decide one situation (a dict following the contract); raises InvalidSituation."""
    engine = engine_with_readings(readings) if readings is not None else default_engine()
    return engine.decide(situation)
