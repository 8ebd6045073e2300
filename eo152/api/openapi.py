"""The OpenAPI 3.1 document of the API, built from the contract's own JSON Schemas.

The situation and decision schemas come from :mod:`eo152.contract`, so the document
cannot drift from what the engine validates. Their ``$defs`` move to
``components/schemas`` because a ``#/$defs/…`` reference would otherwise point at the root
of the OpenAPI document.
"""

from __future__ import annotations

import functools
from typing import Any

from .. import __version__
from ..contract.schema import decision_json_schema, situation_json_schema
from . import openapi_datarequests, openapi_incidents, openapi_places, openapi_referrals
from .limits import MAX_BATCH_SITUATIONS, MAX_BODY_BYTES, MAX_LISTED_ERRORS
from .openapi_refs import COMPONENTS, problem_response, ref

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem document.",
    "required": ["title", "status", "detail", "errors", "errors_not_listed"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": f"At most {MAX_LISTED_ERRORS} field errors; `errors_not_listed` "
            "counts the rest.",
            "maxItems": MAX_LISTED_ERRORS,
            "items": {
                "type": "object",
                "required": ["path", "message"],
                "properties": {
                    "path": {"type": "string", "examples": ["force.kind", "[3].force.kind"]},
                    "message": {"type": "string"},
                },
            },
        },
        "errors_not_listed": {
            "type": "integer",
            "minimum": 0,
            "description": "How many more field errors there were than `errors` lists "
            "(0 when it lists every one); `detail` says so too.",
        },
    },
}


@functools.cache
def openapi_document() -> dict[str, Any]:
    schemas: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    schemas["Situation"] = _hoist_defs(situation_json_schema(), schemas)
    schemas["Decision"] = _hoist_defs(decision_json_schema(), schemas)
    schemas["Policy"] = POLICY_SCHEMA
    schemas.update(openapi_places.SCHEMAS)
    schemas.update(openapi_incidents.SCHEMAS)
    schemas.update(openapi_referrals.SCHEMAS)
    schemas.update(openapi_datarequests.SCHEMAS)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "eo152",
            "version": __version__,
            "description": "Denver Executive Order 152 as executable rules: situations in, "
            "decisions out (see CONTRACT.md).",
        },
        "paths": {
            "/api/v1/decisions": {"post": _DECIDE_OPERATION},
            "/api/v1/policy": {"get": _POLICY_OPERATION},
            **openapi_places.PATHS,
            **openapi_incidents.PATHS,
            **openapi_referrals.PATHS,
            **openapi_datarequests.PATHS,
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": openapi_incidents.SECURITY_SCHEMES,
        },
    }


def _hoist_defs(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    schema = dict(schema)
    schema.pop("$schema", None)
    for name, definition in schema.pop("$defs", {}).items():
        schemas[name] = _rewrite_refs(definition)
    return _rewrite_refs(schema)  # type: ignore[no-any-return]


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: value.replace("#/$defs/", COMPONENTS)
            if key == "$ref" and isinstance(value, str)
            else _rewrite_refs(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def _one_or_many(name: str, max_items: int | None = None) -> dict[str, Any]:
    many: dict[str, Any] = {"type": "array", "items": ref(name)}
    if max_items is not None:
        many["maxItems"] = max_items
    return {"oneOf": [ref(name), many]}


_DECIDE_OPERATION: dict[str, Any] = {
    "operationId": "decide",
    "summary": "Decide a situation (or a list of them)",
    "description": "A missing or null fact means unknown, never no. A JSON array of "
    "situations gets an array of decisions in the same order; one invalid item refuses "
    "the whole batch, naming every bad field (batch paths start with the index, `[3].`). "
    f"Limits: a body of at most 1 MB ({MAX_BODY_BYTES:,} bytes), a batch of at most "
    f"{MAX_BATCH_SITUATIONS:,} situations; a problem document lists at most "
    f"{MAX_LISTED_ERRORS} field errors and counts the rest in `errors_not_listed`.",
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _one_or_many("Situation", MAX_BATCH_SITUATIONS)}
        },
    },
    "responses": {
        "200": {
            "description": "The decision (a list of decisions for a list of situations).",
            "content": {"application/json": {"schema": _one_or_many("Decision")}},
        },
        "400": problem_response(
            "The body is not JSON, or JSON beyond the limits (nested over 64 levels, a number"
            " past ±1.8e308)."
        ),
        "413": problem_response(
            f"The body is over 1 MB ({MAX_BODY_BYTES:,} bytes), or the batch holds more than "
            f"{MAX_BATCH_SITUATIONS:,} situations; `detail` states the limit and what was sent."
        ),
        "422": problem_response(
            "The situation is not valid; `errors` names each bad field (at most "
            f"{MAX_LISTED_ERRORS}; `errors_not_listed` counts the rest)."
        ),
    },
}

_POLICY_OPERATION: dict[str, Any] = {
    "operationId": "policy",
    "summary": "The instruments in force, their versions and their open legal questions",
    "responses": {
        "200": {
            "description": "The policy the engine decides with.",
            "content": {"application/json": {"schema": ref("Policy")}},
        }
    },
}

POLICY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["instruments"],
    "properties": {
        "instruments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "version", "title", "level", "open_questions"],
                "properties": {
                    "id": {"type": "string"},
                    "version": {"type": "string"},
                    "title": {"type": "string"},
                    "level": {"type": "string"},
                    "open_questions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "question", "answers", "answer"],
                            "properties": {
                                "id": {"type": "string"},
                                "question": {
                                    "type": "object",
                                    "properties": {
                                        "en": {"type": "string"},
                                        "es": {"type": "string"},
                                    },
                                },
                                "answers": {"type": "array", "items": {"type": "string"}},
                                "answer": {
                                    "type": ["string", "null"],
                                    "description": "The deployment's reading, null while open.",
                                },
                            },
                        },
                    },
                },
            },
        }
    },
}
