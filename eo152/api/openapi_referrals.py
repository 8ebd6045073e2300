"""The referrals endpoints in the OpenAPI document: making, reading, signing off, sending
and acknowledging a referral, with a bearer token.

The names and limits mirror ``eo152.referrals.api``, which checks them; the findings are
the contract's own ``Decision`` schema, the receipt the incidents' one.
"""

from __future__ import annotations

from typing import Any

from ..referrals.offenses import offenses
from .limits import MAX_BODY_BYTES
from .openapi_incidents import SCHEMAS as INCIDENT_SCHEMAS
from .openapi_refs import problem_response, ref

OFFICES = ["denver_da", "colorado_ag"]
STATES = ["draft", "signed_off", "sent", "acknowledged"]
LANGUAGES = ["en", "es"]
MAX_FILES = 200

_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}]
_SHA256 = {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}
_HASHES = {
    "type": ["array", "null"],
    "maxItems": MAX_FILES,
    "items": _SHA256,
}
_MOMENT = {"type": ["string", "null"], "format": "date-time"}

SCHEMAS: dict[str, Any] = {
    "ReferralRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["incident", "office", "offense"],
        "description": "A referral to make of an incident under investigation. Any other key "
        "is refused by name (422).",
        "properties": {
            "incident": {
                "type": "string",
                "minLength": 1,
                "maxLength": 40,
                "examples": ["EO-7KQ4-M2XP"],
                "description": "The incident's reference.",
            },
            "office": {"type": "string", "enum": OFFICES},
            "offense": {
                "type": "string",
                "enum": list(offenses()),
                "description": "A code of the offense vocabulary (a C.R.S. section and its "
                "NIBRS code; `eo152 referrals offenses` lists them with their source). Never "
                "free text.",
            },
            "language": {"type": ["string", "null"], "enum": [*LANGUAGES, None]},
            "evidence": _HASHES
            | {"description": "SHA-256 of the incident's files the packet discloses."},
            "do_not_disclose": _HASHES
            | {
                "description": "SHA-256 of the incident's files held back: counted in the "
                "referral, never named or included."
            },
        },
    },
    "Referral": {
        "type": "object",
        "description": "A referral: a fixed snapshot of the case, as made.",
        "required": [
            "reference",
            "state",
            "incident",
            "office",
            "offense",
            "findings",
            "receipt",
        ],
        "properties": {
            "reference": {"type": "string", "examples": ["RF-7KQ4-M2XP"]},
            "state": {"type": "string", "enum": STATES},
            "incident": {"type": "string"},
            "office": {"type": "string", "enum": OFFICES},
            "offense": {"type": "string"},
            "crs": {"type": "string", "examples": ["C.R.S. 18-3-202"]},
            "nibrs": {"type": "string", "examples": ["13A"]},
            "language": {"type": "string", "enum": LANGUAGES},
            "evidence": {"type": "array", "items": {"type": "string"}},
            "withheld": {
                "type": "integer",
                "minimum": 0,
                "description": "How many files are held back (never which).",
            },
            "snapshot_sha256": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "signed_off_at": _MOMENT,
            "sent_at": _MOMENT,
            "acknowledged_at": _MOMENT,
            "findings": ref("Decision")
            | {"description": "The findings when the referral was made (they do not change)."},
            "receipt": INCIDENT_SCHEMAS["Incident"]["properties"]["receipt"]
            | {"description": "The ledger receipt of the referral's making."},
        },
    },
}

_UNAUTHORIZED = problem_response(
    "No usable token: missing, not 'Bearer <token>', unknown, revoked, or its account "
    "disabled; `detail` says which. `WWW-Authenticate: Bearer` goes with it."
)
_UNAUTHORIZED["headers"] = {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}}
_NOT_FOUND = problem_response(
    "No such referral, or not one this token's account may read (a prosecutor reads only "
    "those sent to their office): the same answer, so a reference's existence is not revealed."
)
_REFERENCE = {
    "name": "reference",
    "in": "path",
    "required": True,
    "description": "The referral's reference (RF-XXXX-XXXX; case, spaces and dashes do not "
    "matter).",
    "schema": {"type": "string", "maxLength": 40},
}
_ANSWER = {"application/json": {"schema": ref("Referral")}}

CREATE_OPERATION: dict[str, Any] = {
    "operationId": "makeReferral",
    "summary": "Make a referral of an incident under investigation (logged in the ledger)",
    "description": "Send `Authorization: Bearer <token>` and a JSON object: `incident` (its "
    "reference), `office` (denver_da or colorado_ag), `offense` (a code of the vocabulary), "
    "and optionally `language`, `evidence` and `do_not_disclose` (SHA-256 of the incident's "
    "files). The referral is a fixed snapshot of the case, a draft until a second person "
    "signs it off. The answer holds the reference, the state, the findings and the ledger "
    f"receipt. A body holds at most 1 MB ({MAX_BODY_BYTES:,} bytes).",
    "security": _SECURITY,
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ref("ReferralRequest")}},
    },
    "responses": {
        "201": {
            "description": "Made (a draft).",
            "headers": {
                "Location": {
                    "description": "Where to read the referral (GET).",
                    "required": True,
                    "schema": {"type": "string"},
                }
            },
            "content": _ANSWER,
        },
        "400": problem_response("The body is not JSON, or JSON beyond the limits."),
        "401": _UNAUTHORIZED,
        "403": problem_response(
            "The token's role may not make referrals, or the case is not the investigator's."
        ),
        "413": problem_response(f"The body is over 1 MB ({MAX_BODY_BYTES:,} bytes)."),
        "422": problem_response(
            "Not a referral: `errors` names each bad field (an unknown offense lists the "
            "codes; an incident not under investigation is named at `state`)."
        ),
    },
}

READ_OPERATION: dict[str, Any] = {
    "operationId": "readReferral",
    "summary": "Read a referral your account may see (the reading is logged in the ledger)",
    "security": _SECURITY,
    "parameters": [_REFERENCE],
    "responses": {
        "200": {"description": "The referral.", "content": _ANSWER},
        "401": _UNAUTHORIZED,
        "404": _NOT_FOUND,
    },
}


def _step(operation_id: str, summary: str, forbidden: str, refused: str) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "summary": summary,
        "security": _SECURITY,
        "parameters": [_REFERENCE],
        "responses": {
            "200": {"description": "Done: the referral as it now stands.", "content": _ANSWER},
            "401": _UNAUTHORIZED,
            "403": problem_response(forbidden),
            "404": _NOT_FOUND,
            "422": problem_response(refused),
        },
    }


PATHS: dict[str, Any] = {
    "/api/v1/referrals": {"post": CREATE_OPERATION},
    "/api/v1/referrals/{reference}": {"get": READ_OPERATION},
    "/api/v1/referrals/{reference}/sign-off": {
        "post": _step(
            "signOffReferral",
            "Sign off a draft referral: a second person approves its snapshot",
            "The token's role may not sign off referrals (an investigator or a supervisor).",
            "Refused, naming why: the person who made the referral cannot sign it off "
            "(`signed_off_by`), or it is not a draft (`state`).",
        )
    },
    "/api/v1/referrals/{reference}/send": {
        "post": _step(
            "sendReferral",
            "Send a signed-off referral to its office (the incident becomes referred)",
            "Only the case's investigator or a supervisor sends its referral.",
            "Refused at `state`: a referral leaves only after a second person signs it off, "
            "and only once.",
        )
    },
    "/api/v1/referrals/{reference}/acknowledge": {
        "post": _step(
            "acknowledgeReferral",
            "Acknowledge a referral sent to your office (a prosecutor)",
            "Only a prosecutor of the office it was sent to acknowledges it.",
            "Refused at `state`: it is acknowledged already.",
        )
    },
}
