""" "What the law says" (``/law``): every instrument the engine decides with, highest
precedence first, each section with the words we have, their source and how close they are
to the law's own; and the links from an answer's citations to those sections.

The page only shows ``services.policy.policy_document``: the order's text is not public, so
what it says is what the policy records from the reporting, nothing more.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..rules import Instrument, Policy
from ..services.decisions import engine_for
from ..services.policy import policy_document
from .language import language_of, url_with
from .texts import TEXTS

# An id may not hold spaces, and a fragment reads best without brackets or "§": each run of
# other characters becomes one hyphen ("P6 (aid blocked)" -> "P6-aid-blocked").
_NOT_IN_ANCHOR = re.compile(r"[^A-Za-z0-9._-]+")


def anchor(instrument_id: str, section_id: str) -> str:
    """The id of a section's block on /law: ``denver-eo-152-P1``."""
    return f"{instrument_id}-{_NOT_IN_ANCHOR.sub('-', section_id).strip('-')}"


def cite_links(policy: Policy, lang: str) -> dict[str, str]:
    """Each citation the engine writes (``Instrument.cite``) and its section on /law."""
    page = url_with("/law", lang)
    return {
        instrument.cite(section.id): f"{page}#{anchor(instrument.id, section.id)}"
        for instrument in policy.instruments
        for section in instrument.sections
    }


@require_safe
def law(request: HttpRequest) -> HttpResponse:
    lang = language_of(request)
    readings = settings.EO152_READINGS
    policy = engine_for(readings).policy
    document = policy_document(readings, full=True)
    instruments = [_instrument(i, policy, lang) for i in document["instruments"]]
    return render(request, "eo152/law.html", {"nav": "law", "instruments": instruments})


def _instrument(found: dict[str, Any], policy: Policy, lang: str) -> dict[str, Any]:
    texts = TEXTS[lang]
    instrument = policy.instrument(found["id"])
    assert instrument is not None, "the document lists the policy's instruments"
    return {
        "anchor": found["id"],
        "title": found["title"],
        "level": texts[f"law_level_{found['level']}"],
        "in_force_from": _day(instrument.in_force_from, lang),
        "note": found["note"],
        "sections": [
            {
                "anchor": anchor(found["id"], section["id"]),
                "cite": instrument.cite(section["id"]),
                "heading": section["heading"],
                "text": section["text"],
                "source": section["source"],
                "confidence": texts[f"law_confidence_{section['confidence']}"],
                "not_encoded": section["not_encoded"] or "",
            }
            for section in found["sections"]
        ],
        "questions": [_question(q, instrument, lang) for q in found["open_questions"]],
    }


def _question(found: dict[str, Any], instrument: Instrument, lang: str) -> dict[str, str]:
    """An open question, with the deployment's answer in words where its readings give one."""
    answer = found["answer"]
    if answer is None:
        return {"text": found["question"][lang], "answer": ""}
    asked = next(q for q in instrument.open_questions if q.id == found["id"])
    return {"text": found["question"][lang], "answer": asked.answer_labels[answer][lang]}


def _day(day: date, lang: str) -> str:
    """ "26 Feb 2026", in the answer page's month names."""
    month = TEXTS[lang]["decision_months"].split()[day.month - 1]
    return f"{day.day} {month} {day.year}"
