"""``GET /api/v1/policy``: the instruments the engine decides with and their open questions.

Each question carries the deployment's ``answer`` from its readings file, or ``null`` while
it stays open.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from ..services.policy import policy_document
from .problems import read_only


@read_only
def policy(request: HttpRequest) -> HttpResponse:
    document = policy_document(settings.EO152_READINGS)
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})
