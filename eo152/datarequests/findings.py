"""What the engine says about a data request: the request as a situation, the decision on
the whole of it, each data category decided alone (so a mixed request splits into what may
be released and what must be refused), and which legal process would change the answer.

Nothing here is a rule of its own: every outcome is the engine's, under the deployment's
readings (``EO152_READINGS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings

from ..contract.vocabulary import value_words
from ..rules import Decision
from ..services.decisions import decide_all

ACTOR, ACTION = "city_agencies", "share_data"

#: The legal process a request could come with, in the order the desk names alternatives.
PROCESS_KINDS = (
    "judicial_warrant",
    "court_order",
    "court_issued_subpoena",
    "required_by_law",
    "administrative_subpoena",
    "none",
)


def situation_of(
    agencies: list[str],
    purpose: str,
    received_at: datetime,
    data_categories: list[str],
    authority: dict[str, Any],
) -> dict[str, Any]:
    """The request in the contract's words: agents asking the City for data."""
    return {
        "at": received_at.isoformat(),
        "agents": {"agencies": list(agencies), "purpose": purpose},
        "requests": [{"kind": "data", "data_categories": list(data_categories)}],
        "authority": dict(authority),
    }


def share_duty(decision: Decision | dict[str, Any]) -> dict[str, Any] | None:
    duties = decision.to_dict()["duties"] if isinstance(decision, Decision) else decision["duties"]
    for duty in duties:
        if duty["actor"] == ACTOR and duty["action"] == ACTION:
            return dict(duty)
    return None


@dataclass(frozen=True)
class Findings:
    decision: dict[str, Any]
    #: Each category decided alone: {category: {outcome, rules, cites, open_questions}}.
    split: dict[str, dict[str, Any]]
    #: Other legal process that would change the whole request's outcome: [{kind, outcome}].
    changes_with: list[dict[str, str]]


def _summary(duty: dict[str, Any] | None) -> dict[str, Any]:
    if duty is None:  # the law says nothing about sharing this (no agency it reaches)
        return {"outcome": "permitted", "rules": [], "cites": [], "open_questions": []}
    return {
        "outcome": duty["outcome"],
        "rules": duty["rules"],
        "cites": duty["cites"],
        "open_questions": [question["id"] for question in duty["open_questions"]],
    }


def decide_request(situation: dict[str, Any]) -> Findings:
    """The engine on the whole request, each category alone, and the process alternatives,
    in one batch (InvalidSituation for facts the contract refuses)."""
    categories = situation["requests"][0]["data_categories"]
    kind = situation.get("authority", {}).get("kind")
    alternatives = [other for other in PROCESS_KINDS if other != kind]
    batch = [situation]
    for category in categories:
        batch.append({**situation, "requests": [{"kind": "data", "data_categories": [category]}]})
    for other in alternatives:
        batch.append({**situation, "authority": {"kind": other}})
    decided = decide_all(batch, settings.EO152_READINGS)
    assert isinstance(decided, list)
    whole = decided[0].to_dict()
    outcome = _summary(share_duty(whole))["outcome"]
    split = {
        category: _summary(share_duty(decision))
        for category, decision in zip(categories, decided[1 : 1 + len(categories)], strict=True)
    }
    changes = []
    for other, decision in zip(alternatives, decided[1 + len(categories) :], strict=True):
        theirs = _summary(share_duty(decision))["outcome"]
        if theirs != outcome:
            changes.append({"kind": other, "outcome": theirs})
    return Findings(whole, split, changes)


def releasable(split: dict[str, dict[str, Any]]) -> list[str]:
    """The categories the law lets the City release (permitted or required)."""
    return [name for name, found in split.items() if found["outcome"] in ("permitted", "required")]


def refusable(split: dict[str, dict[str, Any]]) -> list[str]:
    """The categories the law bars the City from releasing."""
    return [name for name, found in split.items() if found["outcome"] == "prohibited"]


def undecided(split: dict[str, dict[str, Any]]) -> list[str]:
    return [name for name, found in split.items() if found["outcome"] == "indeterminate"]


def engine_answer(split: dict[str, dict[str, Any]]) -> str:
    """The determination the engine's outcomes point to: refuse, release, partial, or
    review where any category turns on an open question or an unknown fact."""
    if undecided(split):
        return "review"
    released, refused = releasable(split), refusable(split)
    if released and refused:
        return "partial"
    return "release" if released else "refuse"


def against(split: dict[str, dict[str, Any]], released: list[str]) -> list[str]:
    """The categories where people's choice goes against a determinate outcome: released
    though prohibited, or held back though required."""
    kept = set(split) - set(released)
    return sorted(
        [name for name in released if split[name]["outcome"] == "prohibited"]
        + [name for name in kept if split[name]["outcome"] == "required"]
    )


def category_words(category: str) -> str:
    return value_words("requests[].data_categories", category, "en")


def needs_city_attorney(split: dict[str, dict[str, Any]], kind: str) -> bool:
    """Whether a determination of ``kind`` goes against the engine, as the page warns before
    the choice: a refusal holding back what the law requires, a release of what the law
    bars or leaves open (services.determine asks the City Attorney for both), or a release
    in part where the split gives no mix to follow (which categories go is chosen on the
    form; the service checks them)."""
    if kind == "refuse":
        return bool(against(split, []))
    if kind == "release":
        return bool(against(split, list(split)) or undecided(split))
    if kind == "partial":
        return engine_answer(split) != "partial"
    return False
