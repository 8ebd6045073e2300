"""The incidents endpoints in the OpenAPI document: filing and reading, with a bearer token.

The names and limits mirror ``eo152.incidents.api``, which checks them; the situation and
the findings are the contract's own ``Situation`` and ``Decision`` schemas.
"""

from __future__ import annotations

from typing import Any

from .limits import MAX_BODY_BYTES, MAX_LISTED_ERRORS
from .openapi_refs import problem_response, ref

SOURCES = ["public", "officer", "hotline", "system"]
STATES = ["received", "triaged", "verified", "investigation_opened", "referred", "closed"]
BODY_CAMERA = ["recording", "off", "none", "unknown"]

#: The scheme every incidents operation names (``components/securitySchemes``).
SECURITY_SCHEMES: dict[str, Any] = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token made by an administrator with `eo152 tokens create "
        "USERNAME` (shown once; `eo152 tokens revoke ID` ends it). The account's role decides "
        "what it may file and read.",
    }
}
_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}]


def _text(longest: int, nullable: bool = True) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string", "maxLength": longest}


_PERSON = {
    "type": "object",
    "additionalProperties": False,
    "required": ["agency"],
    "description": "Someone present, as observed (never a name unless it was shown).",
    "properties": {
        "agency": {"type": "string", "minLength": 1, "maxLength": 20, "examples": ["ICE_ERO"]},
        "unit": _text(100),
        "badge": _text(40),
        "plate": _text(20),
        "plate_state": _text(2),
        "description": _text(300),
    },
}

_RECEIPT = {
    "type": "object",
    "description": "The ledger receipt of the filing: its entry, inclusion proof and signed "
    "tree head (check it offline with `eo152 ledger verify-receipt`). A public report's "
    "entry is dated to the day only.",
    "required": ["leaf_index", "entry", "tree_size", "root_hash", "checkpoint"],
    "properties": {
        "leaf_index": {"type": "integer", "minimum": 0},
        "entry": {"type": "string"},
        "leaf_hash": {"type": "string"},
        "tree_size": {"type": "integer", "minimum": 1},
        "root_hash": {"type": "string"},
        "inclusion_proof": {"type": "array", "items": {"type": "string"}},
        "checkpoint": {"type": "string"},
        "log_key": {"type": "string"},
    },
}

SCHEMAS: dict[str, Any] = {
    "IncidentFiling": {
        "type": "object",
        "additionalProperties": False,
        "required": ["situation", "source"],
        "description": "An incident to file. Any other key is refused by name (422).",
        "properties": {
            "situation": ref("Situation"),
            "source": {"type": "string", "enum": SOURCES},
            "narrative": {
                "type": ["string", "null"],
                "description": "What happened, in the reporter's words. Never logged.",
            },
            "occurred_at": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "When it happened, ISO 8601 with its offset; not in the future. "
                "The situation is decided as of this time unless it gives its own `at`.",
            },
            "external_id": {
                "type": ["string", "null"],
                "minLength": 1,
                "maxLength": 100,
                "description": "Your own id for the report: sending it again from the same "
                "account answers 200 with the incident already filed, and files nothing.",
            },
            "personnel": {"type": ["array", "null"], "maxItems": 50, "items": _PERSON},
            "body_camera": {"type": ["string", "null"], "enum": [*BODY_CAMERA, None]},
            "body_camera_clips": {
                "type": ["array", "null"],
                "maxItems": 100,
                "items": {"type": "string", "minLength": 1, "maxLength": 100},
            },
        },
    },
    "Incident": {
        "type": "object",
        "description": "An incident as the caller's role may read it. A confidential "
        "reporter's contact is never part of it.",
        "required": [
            "reference",
            "state",
            "source",
            "reporting",
            "filed_on",
            "situation",
            "findings",
            "receipt",
        ],
        "properties": {
            "reference": {"type": "string", "examples": ["EO-7KQ4-M2XP"]},
            "state": {"type": "string", "enum": STATES},
            "closed_reason": {"type": ["string", "null"]},
            "source": {"type": "string", "enum": SOURCES},
            "reporting": {"type": "string", "enum": ["anonymous", "confidential", "on_duty"]},
            "filed_on": {"type": "string", "format": "date"},
            "occurred_at": {"type": ["string", "null"], "format": "date-time"},
            "external_id": {"type": ["string", "null"]},
            "situation": ref("Situation"),
            "narrative": {"type": "string"},
            "personnel": {"type": "array", "items": _PERSON},
            "body_camera": {"type": ["string", "null"], "enum": [*BODY_CAMERA, None]},
            "body_camera_clips": {"type": "array", "items": {"type": "string"}},
            "evidence": {
                "type": "array",
                "description": "The files linked to the incident, as others than the assigned "
                "investigator see them (a public photo: a copy without its metadata).",
                "items": {
                    "type": "object",
                    "required": ["sha256", "label", "added_on", "metadata_removed"],
                    "properties": {
                        "sha256": {"type": "string"},
                        "label": {"type": "string"},
                        "added_on": {"type": "string", "format": "date"},
                        "metadata_removed": {"type": "boolean"},
                    },
                },
            },
            "findings": ref("Decision")
            | {"description": "The engine's current decision on the incident's facts."},
            "decided_on": {"type": "string", "format": "date"},
            "receipt": _RECEIPT,
        },
    },
}

_LOCATION = {
    "Location": {
        "description": "Where to read the incident (GET).",
        "required": True,
        "schema": {"type": "string"},
    }
}
_UNAUTHORIZED = problem_response(
    "No usable token: missing, not 'Bearer <token>', unknown, revoked, or its account "
    "disabled; `detail` says which. `WWW-Authenticate: Bearer` goes with it."
)
_UNAUTHORIZED["headers"] = {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}}

FILE_OPERATION: dict[str, Any] = {
    "operationId": "fileIncident",
    "summary": "File an incident (decided at once; the filing is logged in the ledger)",
    "description": "Send `Authorization: Bearer <token>` and a JSON object: `situation` (the "
    "contract's, as for POST /api/v1/decisions), `source` (public, officer, hotline, "
    "system), and optionally `narrative`, `occurred_at`, `external_id`, `personnel`, "
    "`body_camera` and `body_camera_clips`. The answer holds the reference, the state, the "
    "findings (the decision JSON) and the ledger receipt. A body holds at most 1 MB "
    f"({MAX_BODY_BYTES:,} bytes).",
    "security": _SECURITY,
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ref("IncidentFiling")}},
    },
    "responses": {
        "200": {
            "description": "This account already filed an incident with this `external_id`: "
            "that incident, and nothing new filed.",
            "headers": _LOCATION,
            "content": {"application/json": {"schema": ref("Incident")}},
        },
        "201": {
            "description": "Filed.",
            "headers": _LOCATION,
            "content": {"application/json": {"schema": ref("Incident")}},
        },
        "400": problem_response(
            "The body is not JSON, or JSON beyond the limits (nested over 64 levels, a number"
            " past ±1.8e308)."
        ),
        "401": _UNAUTHORIZED,
        "403": problem_response("The token's role may not file incidents."),
        "413": problem_response(
            f"The body is over 1 MB ({MAX_BODY_BYTES:,} bytes); `detail` states the limit."
        ),
        "422": problem_response(
            "Not a filing: `errors` names each bad field. A bad situation gets the contract's "
            "field errors exactly as POST /api/v1/decisions gives them (paths inside "
            f"`situation`, title 'Invalid situation'; at most {MAX_LISTED_ERRORS})."
        ),
        "503": problem_response(
            "The places layers cannot be read, so a point or an address cannot be placed."
        ),
    },
}

READ_OPERATION: dict[str, Any] = {
    "operationId": "readIncident",
    "summary": "Read an incident your role may see (the reading is logged in the ledger)",
    "security": _SECURITY,
    "parameters": [
        {
            "name": "reference",
            "in": "path",
            "required": True,
            "description": "The incident's reference (EO-XXXX-XXXX; case, spaces and dashes "
            "do not matter).",
            "schema": {"type": "string", "maxLength": 40},
        }
    ],
    "responses": {
        "200": {
            "description": "The incident.",
            "content": {"application/json": {"schema": ref("Incident")}},
        },
        "401": _UNAUTHORIZED,
        "404": problem_response(
            "No such incident, or not one this token's role may read: the same answer, so a "
            "reference's existence is not revealed."
        ),
    },
}

PATHS: dict[str, Any] = {
    "/api/v1/incidents": {"post": FILE_OPERATION},
    "/api/v1/incidents/{reference}": {"get": READ_OPERATION},
}
