"""The policy as a document: the instruments the engine decides with, highest precedence
first, each with its open questions and the deployment's answers. The API serves the summary
(``GET /api/v1/policy``); ``eo152 policy show --json`` prints it in full, with every section
and rule. One function writes both, so they never disagree."""

from __future__ import annotations

import functools
from typing import Any

from ..rules import Instrument
from ..rules.policy import Rule
from ..services.decisions import engine_for


@functools.cache
def policy_document(readings_path: str | None = None, *, full: bool = False) -> dict[str, Any]:
    """The document for the policy in force with these readings (cached: the policy is
    loaded once per process). Treat it as read-only."""
    engine = engine_for(readings_path)
    return {
        "jurisdiction": "denver",
        "instruments": [_instrument(i, engine.answers, full) for i in engine.instruments],
    }


def _instrument(instrument: Instrument, answers: dict[str, str], full: bool) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": instrument.id,
        "version": instrument.version,
        "title": instrument.title,
        "level": instrument.level,
        "open_questions": [
            {**question.to_dict(), "answer": answers.get(question.id)}
            for question in instrument.open_questions
        ],
    }
    if full:
        found["note"] = instrument.note
        found["sections"] = [
            {
                "id": s.id,
                "heading": s.heading,
                "text": s.text,
                "source": s.source,
                "confidence": s.confidence,
                "text_verified": s.text_verified,
                "not_encoded": s.not_encoded,
            }
            for s in instrument.sections
        ]
        found["rules"] = [_rule(r) for r in instrument.rules]
    return found


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "actor": rule.actor,
        "action": rule.action,
        "outcome": rule.outcome,
        "permission": rule.permission,
        "cites": list(rule.cites),
        "subject": list(rule.subject),
        "conditions": rule.source,
        "presumes": (
            {
                "fact": rule.presumes.fact,
                "value": rule.presumes.value,
                "label": rule.presumes.label.to_dict(),
            }
            if rule.presumes
            else None
        ),
        "in_force": {
            "from": rule.in_force_from.isoformat(),
            "until": rule.in_force_until.isoformat(),
        },
        "plain": rule.plain.to_dict(),
        "readings": [{"about": x.about, "reading": x.reading} for x in rule.readings],
    }
