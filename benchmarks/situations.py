"""A realistic mix of situations, generated from the contract's own vocabulary.

Reports from the field are mostly sparse: a dispatcher knows the agency and the place, rarely
the warrant's form or who is injured. So most generated situations name a few fields and
leave the rest unknown (absent or ``null``), some lists are empty, and a few scenes are fully
described. Every value comes from ``eo152.contract.SITUATION``, so the mix follows the
contract as it grows. The benchmark and the speed-up equivalence test share it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from eo152.contract import SITUATION, Field

#: (share of situations, chance that any one field is given): sparse, partial, full scenes.
TIERS = ((0.70, 0.2), (0.25, 0.5), (0.05, 1.0))

#: Moments: mostly after EO 152 took effect, some before it, some absent (decided as of now).
_DAYS = ("2025-11-03", "2026-01-15", "2026-03-10", "2026-05-21", "2026-08-02", "2026-11-20")
_TIMES = ("T02:10:00-07:00", "T14:30:00-06:00", "T09:05:00", "T23:59:00+00:00")
_TEXT = {
    "id": ("cad-2026-0142", "ioc-7781", "tabletop-3"),
    "form": ("I-200", "I-205", "I-247A", "AO 442"),
    "address": ("1350 Curtis St", "10 W 14th Ave Pkwy", "4400 E Iliff Ave"),
    "description": ("shooting", "assault on a protester", "vehicle struck an observer"),
}


def situation(rng: random.Random, chance: float) -> dict[str, Any]:
    """One situation; each field is given with probability ``chance``."""
    return _object(rng, SITUATION, chance)


def _object(rng: random.Random, node: Field, chance: float) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for child in node.fields:
        if rng.random() < chance:
            # An explicit null is the same unknown as an absent field; callers send both.
            found[child.name] = None if rng.random() < 0.05 else _value(rng, child, chance)
    return found


def _value(rng: random.Random, node: Field, chance: float) -> Any:
    kind = node.kind
    if kind == "object":
        return _object(rng, node, max(chance, 0.5))
    if kind == "object_list":
        return [_object(rng, node, max(chance, 0.5)) for _ in range(_length(rng))]
    if kind == "enum_list":
        return rng.sample(node.values, min(_length(rng), len(node.values)))
    if kind == "enum":
        return rng.choice(node.values)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "number":
        low, high = (39.6, 39.9) if node.name == "lat" else (-105.1, -104.6)
        return round(rng.uniform(low, high), 5)
    if kind == "datetime":
        return rng.choice(_DAYS) + rng.choice(_TIMES)
    return rng.choice(_TEXT.get(node.name, ("note",)))


def _length(rng: random.Random) -> int:
    """0 to 3 items; an empty list (known: none) about one time in five."""
    return rng.choice((0, 1, 1, 1, 2, 2, 3))


def generated(count: int, seed: int = 152) -> list[dict[str, Any]]:
    """``count`` distinct situations across the sparsity tiers, reproducible from ``seed``."""
    rng = random.Random(seed)
    seen: set[str] = set()
    found: list[dict[str, Any]] = []
    while len(found) < count:
        chance = _tier(rng)
        item = situation(rng, chance)
        key = json.dumps(item, sort_keys=True)
        if key not in seen:
            seen.add(key)
            found.append(item)
    return found


def _tier(rng: random.Random) -> float:
    pick = rng.random()
    for share, chance in TIERS:
        if pick < share:
            return chance
        pick -= share
    return TIERS[-1][1]


def public_cases(path: Path) -> list[dict[str, Any]]:
    """The situations of a shared scenario file (``../shared/scenarios``), if it is there."""
    if not path.exists():
        return []
    return [case["situation"] for case in json.loads(path.read_text("utf-8"))]
