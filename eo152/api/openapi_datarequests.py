"""The data-request endpoints in the OpenAPI document: logging, listing and reading a
federal data request, adding its files, determinations, and a second person's check, with a
bearer token.

The names and limits mirror ``eo152.datarequests.api`` and its service, which check them;
the agencies, purposes, data categories and process kinds are the contract's own values,
the findings the contract's ``Decision`` schema, the receipt the incidents' one.
"""

from __future__ import annotations

from typing import Any

from ..contract.fields import field_at
from ..datarequests.api import MAX_FILE_BYTES, MAX_ITEMS
from ..datarequests.bases import catalogue
from ..datarequests.models import Channel, FileRole, Kind, State
from ..datarequests.services import PROCESS_TYPES
from .limits import MAX_BODY_BYTES
from .openapi_incidents import SCHEMAS as INCIDENT_SCHEMAS
from .openapi_refs import problem_response, ref

_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}]


def _values(path: str) -> list[str]:
    found = field_at(path)
    assert found is not None, path
    return list(found.values)


def _codes(path: str, description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "minItems": 1,
        "items": {"type": "string", "enum": _values(path)},
        "description": description,
    }


_DAY = {"type": "string", "format": "date"}
_MOMENT = {"type": ["string", "null"], "format": "date-time"}
_SHA256 = {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}
_RECEIPT = INCIDENT_SCHEMAS["Incident"]["properties"]["receipt"]

SCHEMAS: dict[str, Any] = {
    "DataRequestInput": {
        "type": "object",
        "additionalProperties": False,
        "required": ["agencies", "received_at", "channel", "data_categories"],
        "description": "A federal request for City data, as it arrived. Any other key is "
        "refused by name (422). Never give anyone's immigration status or citizenship.",
        "properties": {
            "agencies": _codes("agents.agencies", "Who asked (for example ICE_ERO)."),
            "purpose": {
                "type": ["string", "null"],
                "enum": [*_values("agents.purpose"), None],
                "description": "What they said it is for (unknown when not said).",
            },
            "received_at": {
                "type": "string",
                "format": "date-time",
                "description": "When it arrived; not in the future.",
            },
            "channel": {"type": "string", "enum": list(Channel.values)},
            "data_categories": _codes("requests[].data_categories", "The kinds of data asked for."),
            "authority": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "description": "The legal process presented (kind none when there is none).",
                "properties": {
                    "kind": {"type": "string", "enum": _values("authority.kind")},
                    "form": {"type": ["string", "null"], "maxLength": 200},
                },
            },
            "process": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {
                    "issuer": {"type": ["string", "null"], "maxLength": 200},
                    "date": {"type": ["string", "null"], "format": "date"},
                },
            },
            "concerning": {
                "type": ["string", "null"],
                "maxLength": 2000,
                "description": "Whom or what the request is about; only the desk reads it, "
                "and it is removed once the request is answered.",
            },
            "deadline": {
                "type": ["string", "null"],
                "format": "date",
                "description": "When an answer is due; not before it arrived. Without one, "
                "the City's default in business days.",
            },
            "external_id": {"type": ["string", "null"], "maxLength": 100},
            "component": {"type": ["string", "null"], "maxLength": 120},
            "official": {"type": ["string", "null"], "maxLength": 120},
        },
    },
    "DataRequest": {
        "type": "object",
        "description": "A data request as the desk keeps it, with the engine's findings, "
        "its files and its determinations.",
        "required": ["reference", "state", "findings", "split", "deadline", "receipt"],
        "properties": {
            "reference": {"type": "string", "examples": ["DR-7KQ4-M2XP"]},
            "state": {"type": "string", "enum": list(State.values)},
            "answer": {"type": ["string", "null"]},
            "agencies": {"type": "array", "items": {"type": "string"}},
            "data_categories": {"type": "array", "items": {"type": "string"}},
            "concerning": {
                "type": "string",
                "description": "Shown to the desk only (not to the Monitor).",
            },
            "deadline": _DAY,
            "standing": {
                "type": "string",
                "enum": ["on_time", "due_soon", "overdue", "paused", "answered"],
            },
            "findings": ref("Decision")
            | {"description": "The engine's decision on the whole request."},
            "split": {
                "type": "object",
                "description": "Each data category decided alone: outcome, rules, cites and "
                "open questions.",
            },
            "engine_answer": {"type": "string", "enum": ["refuse", "release", "partial", "review"]},
            "files": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "role": {"type": "string", "enum": list(FileRole.values)},
                        "sha256": {"type": "string"},
                        "size": {"type": "integer"},
                        "media_type": {"type": "string"},
                        "label": {"type": "string"},
                    },
                },
            },
            "determinations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "determination": {"type": "string", "enum": list(Kind.values)},
                        "status": {"type": "string", "enum": ["proposed", "confirmed", "returned"]},
                        "bases": {"type": "array", "items": {"type": "string"}},
                        "released_sha256": {"type": ["string", "null"]},
                        "made_by": {"type": "string"},
                        "checked_by": {"type": ["string", "null"]},
                        "checked_at": _MOMENT,
                    },
                },
            },
            "receipt": _RECEIPT | {"description": "The ledger receipt of the logging."},
        },
    },
    "DataRequestList": {
        "type": "object",
        "required": ["data_requests"],
        "properties": {
            "data_requests": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["reference", "state", "deadline", "standing"],
                    "properties": {
                        "reference": {"type": "string"},
                        "state": {"type": "string", "enum": list(State.values)},
                        "deadline": _DAY,
                        "standing": {"type": "string"},
                        "engine_answer": {"type": "string"},
                    },
                },
            }
        },
    },
    "DataRequestFile": {
        "type": "object",
        "required": ["sha256", "size", "media_type"],
        "properties": {
            "sha256": {"type": "string"},
            "size": {"type": "integer", "minimum": 0},
            "media_type": {"type": "string"},
        },
    },
    "Determination": {
        "type": "object",
        "additionalProperties": False,
        "required": ["determination", "bases"],
        "description": "A determination on a request. Any other key is refused by name (422).",
        "properties": {
            "determination": {"type": "string", "enum": list(Kind.values)},
            "bases": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_ITEMS,
                "items": {"type": "string", "enum": list(catalogue())},
                "description": "Codes of the catalogue (`eo152 data-requests bases`) that fit "
                "the determination.",
            },
            "reason": {"type": ["string", "null"], "maxLength": 4000},
            "released_categories": {
                "type": ["array", "null"],
                "maxItems": MAX_ITEMS,
                "items": {"type": "string"},
                "description": "For a release in part: which of the categories asked go.",
            },
            "released_sha256": _SHA256
            | {
                "type": ["string", "null"],
                "description": "For a release: the SHA-256 of the file released, added first "
                "with role=released.",
            },
            "new_deadline": {
                "type": ["string", "null"],
                "format": "date",
                "description": "For an extension: after the current deadline.",
            },
        },
    },
    "SendBack": {
        "type": "object",
        "additionalProperties": False,
        "required": ["reason"],
        "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 200}},
    },
}

_UNAUTHORIZED = problem_response(
    "No usable token: missing, not 'Bearer <token>', unknown, revoked, or its account "
    "disabled; `detail` says which. `WWW-Authenticate: Bearer` goes with it."
)
_UNAUTHORIZED["headers"] = {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}}
_NOT_FOUND = problem_response(
    "No such data request, or not one this token's account may read: the same answer, so a "
    "reference's existence is not revealed."
)
_REFERENCE = {
    "name": "reference",
    "in": "path",
    "required": True,
    "description": "The request's reference (DR-XXXX-XXXX; case, spaces and dashes do not matter).",
    "schema": {"type": "string", "maxLength": 40},
}
_ANSWER = {"application/json": {"schema": ref("DataRequest")}}
_JSON_LIMITS = {
    "400": problem_response("The body is not JSON, or JSON beyond the limits."),
    "413": problem_response(f"The body is over 1 MB ({MAX_BODY_BYTES:,} bytes)."),
}


def _body(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": ref(name)}}}


LOG_OPERATION: dict[str, Any] = {
    "operationId": "logDataRequest",
    "summary": "Log a federal data request (the engine decides it; logged in the ledger)",
    "description": "Send `Authorization: Bearer <token>` and a JSON object: who asked, what "
    "for, when it arrived, how, which kinds of data, the legal process presented, and "
    "optionally the deadline. The answer holds the reference, the state, the engine's "
    "findings (whole and per data category) and the ledger receipt. Add the process "
    "document afterwards with `POST .../files?role=process`. A body holds at most 1 MB "
    f"({MAX_BODY_BYTES:,} bytes).",
    "security": _SECURITY,
    "requestBody": _body("DataRequestInput"),
    "responses": {
        "201": {
            "description": "Logged.",
            "headers": {
                "Location": {
                    "description": "Where to read the request (GET).",
                    "required": True,
                    "schema": {"type": "string"},
                }
            },
            "content": _ANSWER,
        },
        **_JSON_LIMITS,
        "401": _UNAUTHORIZED,
        "403": problem_response("The token's role may not log data requests (the desk's)."),
        "422": problem_response(
            "Not a request we can log: `errors` names the field (no agency, a future "
            "`received_at`, a deadline before it arrived, an unknown data category). Nothing "
            "is stored."
        ),
    },
}

LIST_OPERATION: dict[str, Any] = {
    "operationId": "listDataRequests",
    "summary": "List the data requests your account may see, newest first (each read logged)",
    "security": _SECURITY,
    "responses": {
        "200": {
            "description": "The requests, without whom they concern.",
            "content": {"application/json": {"schema": ref("DataRequestList")}},
        },
        "401": _UNAUTHORIZED,
        "403": problem_response("The token's role may not list data requests."),
    },
}

READ_OPERATION: dict[str, Any] = {
    "operationId": "readDataRequest",
    "summary": "Read a data request your account may see (the reading is logged)",
    "security": _SECURITY,
    "parameters": [_REFERENCE],
    "responses": {
        "200": {"description": "The request.", "content": _ANSWER},
        "401": _UNAUTHORIZED,
        "404": _NOT_FOUND,
    },
}

FILE_OPERATION: dict[str, Any] = {
    "operationId": "addDataRequestFile",
    "summary": "Add a file to a request: the process presented, or a file to release",
    "description": "Send the file's bytes as the body with its `Content-Type`. A process "
    "document is a PDF or an image (a scan or photo of the paper); its type is checked from "
    f"its content. A file holds at most {MAX_FILE_BYTES:,} bytes.",
    "security": _SECURITY,
    "parameters": [
        _REFERENCE,
        {
            "name": "role",
            "in": "query",
            "required": True,
            "description": "process (the legal process presented) or released (the file "
            "a release names by its SHA-256).",
            "schema": {"type": "string", "enum": list(FileRole.values)},
        },
        {
            "name": "label",
            "in": "query",
            "required": False,
            "description": "A few words on what the file is.",
            "schema": {"type": "string", "maxLength": 200},
        },
    ],
    "requestBody": {
        "required": True,
        "description": "The file's bytes. Its type is read from them: send its own "
        f"Content-Type ({', '.join(sorted(PROCESS_TYPES))} for a process document; a "
        "document, picture, video or sound file to release) or application/octet-stream.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    },
    "responses": {
        "201": {
            "description": "Kept in the evidence store (logged in the ledger).",
            "content": {"application/json": {"schema": ref("DataRequestFile")}},
        },
        "401": _UNAUTHORIZED,
        "403": problem_response("The token's role may not add files to data requests."),
        "404": _NOT_FOUND,
        "413": problem_response(f"The file is over {MAX_FILE_BYTES:,} bytes."),
        "422": problem_response(
            "Refused, naming the field: `role`, `label`, a `file` of a type not taken (a "
            "process document that is not a PDF or an image), or `state` (answered)."
        ),
    },
}

DETERMINE_OPERATION: dict[str, Any] = {
    "operationId": "determineDataRequest",
    "summary": "Make a determination: refuse, release, release in part, review or extend",
    "description": "A refusal, a review or an extension takes effect at once (201). A release "
    "or a release in part is only proposed (202, state awaiting_check) until a second person "
    "checks it: it names the SHA-256 of the exact file released, and the person who logged "
    "the request cannot make it. Going against the engine takes the City Attorney and a "
    "written reason.",
    "security": _SECURITY,
    "parameters": [_REFERENCE],
    "requestBody": _body("Determination"),
    "responses": {
        "201": {"description": "In force: the request as it now stands.", "content": _ANSWER},
        "202": {
            "description": "A release proposed, waiting for a second person.",
            "content": _ANSWER,
        },
        **_JSON_LIMITS,
        "401": _UNAUTHORIZED,
        "403": problem_response(
            "The token's role may not make this determination (a release: a records clerk or "
            "the City Attorney; against the engine: the City Attorney)."
        ),
        "404": _NOT_FOUND,
        "422": problem_response(
            "Refused, naming the field: `bases` that do not fit, `released_file` missing, "
            "`made_by` (the logger releasing), `reason`, `new_deadline`, or `state`."
        ),
    },
}


def _second_person(operation_id: str, summary: str, body: str | None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "security": _SECURITY,
        "parameters": [_REFERENCE],
        "responses": {
            "200": {"description": "Done: the request as it now stands.", "content": _ANSWER},
            **(_JSON_LIMITS if body else {}),
            "401": _UNAUTHORIZED,
            "403": problem_response(
                "The token's role may not check releases (a supervisor or the City Attorney)."
            ),
            "404": _NOT_FOUND,
            "422": problem_response(
                "Refused, naming the field: `checked_by` (the maker or the logger checking), "
                "`reason`, or `state` (no release waiting)."
            ),
        },
    }
    if body:
        operation["requestBody"] = _body(body)
    return operation


PATHS: dict[str, Any] = {
    "/api/v1/data-requests": {"get": LIST_OPERATION, "post": LOG_OPERATION},
    "/api/v1/data-requests/{reference}": {"get": READ_OPERATION},
    "/api/v1/data-requests/{reference}/files": {"post": FILE_OPERATION},
    "/api/v1/data-requests/{reference}/determinations": {"post": DETERMINE_OPERATION},
    "/api/v1/data-requests/{reference}/check": {
        "post": _second_person(
            "checkDataRequestRelease",
            "Confirm a proposed release as the second person (the file's hash and both "
            "approvers go to the ledger)",
            None,
        )
    },
    "/api/v1/data-requests/{reference}/send-back": {
        "post": _second_person(
            "sendBackDataRequestRelease",
            "Send a proposed release back, saying why (the request is open again)",
            "SendBack",
        )
    },
}
