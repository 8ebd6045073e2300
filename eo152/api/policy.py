"""``GET /api/v1/policy``: the instruments the engine decides with and their open questions.

Each question carries the deployment's ``answer`` from its readings file, or ``null`` while
it stays open.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from ..service import engine_for
from .problems import read_only


@read_only
def policy(request: HttpRequest) -> HttpResponse:
    document = policy_document(settings.EO152_READINGS)
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@functools.cache
def policy_document(readings_path: str | None) -> dict[str, Any]:
    engine = engine_for(readings_path)
    return {
        "jurisdiction": "denver",
        "instruments": [
            {
                "id": instrument.id,
                "version": instrument.version,
                "title": instrument.title,
                "level": instrument.level,
                "open_questions": [
                    {**question.as_dict(), "answer": engine.answers.get(question.id)}
                    for question in instrument.open_questions
                ],
            }
            for instrument in engine.instruments
        ],
    }
