"""The OpenAPI document and its browsable page, both served by the app itself.

The page is rendered on the server from the same document, so it works without
JavaScript, under the site's strict Content-Security-Policy, and passes the same
accessibility checks as every other page.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .openapi import openapi_document

EXAMPLE_SITUATION = {
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "activities": ["staging"],
    "authority": {"kind": "administrative_warrant", "form": "I-205"},
    "location": {"ownership": "city_owned", "kind": "library"},
}

#: Each operation's example body, where it is not a bare situation.
EXAMPLE_BODIES: dict[str, dict[str, Any]] = {
    "fileIncident": {
        "situation": EXAMPLE_SITUATION,
        "narrative": "Agents parked two vans behind the library and staged there.",
        "occurred_at": "2026-03-10T14:30:00-07:00",
        "source": "hotline",
        "external_id": "CRRN-2026-0310-17",
    },
    "makeReferral": {
        "incident": "EO-7KQ4-M2XP",
        "office": "denver_da",
        "offense": "assault_first_degree",
        "language": "en",
        "evidence": ["<the SHA-256 of a file of the incident>"],
        "do_not_disclose": [],
    },
    "logDataRequest": {
        "agencies": ["ICE_ERO"],
        "purpose": "civil_immigration",
        "received_at": "2026-11-20T09:30:00-07:00",
        "channel": "in_person",
        "data_categories": ["address"],
        "authority": {"kind": "administrative_subpoena", "form": "I-138"},
        "process": {"issuer": "ICE ERO Denver Field Office", "date": "2026-11-18"},
        "deadline": "2026-12-04",
        "external_id": "ERO-DEN-2026-0412",
    },
    "determineDataRequest": {"determination": "refuse", "bases": ["no-court-process"]},
    "sendBackDataRequestRelease": {"reason": "The file holds a second patron's address."},
}


@require_safe
def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    document = openapi_document()
    context = {
        "nav": "api",
        "operations": [
            _operation(path, method, operation)
            for path, methods in document["paths"].items()
            for method, operation in methods.items()
        ],
        "origin": request.build_absolute_uri("/").rstrip("/"),
    }
    return render(request, "eo152_api/docs.html", context)


def _operation(path: str, method: str, operation: dict[str, Any]) -> dict[str, Any]:
    responses = operation.get("responses", {})
    return {
        "id": operation["operationId"],
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "has_body": "requestBody" in operation,
        "example": json.dumps(
            EXAMPLE_BODIES.get(operation["operationId"], EXAMPLE_SITUATION), indent=2
        ),
        "bearer": bool(operation.get("security")),
        "parameters": [
            {"name": p["name"], "where": p["in"], "description": p.get("description", "")}
            for p in operation.get("parameters", [])
        ],
        "responses": [
            {"status": status, "description": responses[status]["description"]}
            for status in sorted(responses, key=int)
        ],
    }
