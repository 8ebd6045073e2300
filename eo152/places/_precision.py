"""How a place was matched: the answer's ``precision``."""

from __future__ import annotations

FOOTPRINT = 0
NEAR_POINT = 1
PRECISIONS: tuple[str, ...] = ("footprint", "near_point")
