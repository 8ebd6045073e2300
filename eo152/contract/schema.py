"""The situation and the decision of ``CONTRACT.md`` as JSON Schema, for the HTTP API's
OpenAPI document."""

from __future__ import annotations

from typing import Any

from .fields import SITUATION, Field


def situation_json_schema() -> dict[str, Any]:
    """The situation as JSON Schema (draft 2020-12); every field optional, null means unknown."""
    schema = _schema(SITUATION)
    schema["title"] = "Situation"
    return schema


def _schema(node: Field) -> dict[str, Any]:
    if node.kind in ("object", "object_list"):
        obj: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {c.name: _nullable(_schema(c)) for c in node.fields},
        }
        return obj if node.kind == "object" else {"type": "array", "items": obj}
    if node.kind == "enum_list":
        return {"type": "array", "items": {"type": "string", "enum": list(node.values)}}
    if node.kind == "enum":
        return {"type": "string", "enum": list(node.values)}
    if node.kind == "bool":
        return {"type": "boolean"}
    if node.kind == "number":
        return {"type": "number", "minimum": node.minimum, "maximum": node.maximum}
    if node.kind == "datetime":
        return {"type": "string", "format": "date-time"}
    return {"type": "string", "maxLength": node.max_length}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_TEXT = {"type": "object", "properties": {"en": {"type": "string"}, "es": {"type": "string"}}}
_RULE_REF = {
    "type": "object",
    "properties": {k: {"type": "string"} for k in ("instrument", "rule", "outcome")},
}


def decision_json_schema() -> dict[str, Any]:
    """The decision of CONTRACT.md as JSON Schema."""
    strings = {"type": "array", "items": {"type": "string"}}
    duty = {
        "type": "object",
        "required": [
            "actor",
            "action",
            "outcome",
            "rules",
            "cites",
            "because",
            "plain",
            "engaged",
            "if_then",
        ],
        "properties": {
            "actor": {"type": "string"},
            "action": {"type": "string"},
            "outcome": {"enum": ["required", "prohibited", "permitted", "indeterminate"]},
            "rules": strings,
            "cites": strings,
            "because": strings,
            "open_questions": {"type": "array", "items": {"type": "object"}},
            "violation": {"type": ["boolean", "null"]},
            "plain": _TEXT,
            "changes_if": {"anyOf": [_TEXT, {"type": "null"}]},
            "missing_facts": strings,
            "engaged": {"type": "boolean"},
            "if_then": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["if", "then", "plain"],
                    "properties": {
                        "if": {"type": "object"},
                        "then": {
                            "enum": ["required", "prohibited", "permitted", "indeterminate", None]
                        },
                        "plain": _TEXT,
                    },
                },
            },
        },
    }
    ruled_out = {
        "type": "object",
        "required": ["rule", "cites", "because"],
        "properties": {"rule": {"type": "string"}, "cites": strings, "because": strings},
    }
    conflict = {
        "type": "object",
        "properties": {
            "actor": {"type": "string"},
            "action": {"type": "string"},
            "prevailing": _RULE_REF,
            "overridden": _RULE_REF,
            "basis": {"type": "string"},
        },
    }
    return {
        "title": "Decision",
        "type": "object",
        "required": [
            "engine",
            "policy",
            "situation_sha256",
            "duties",
            "missing_facts",
            "conflicts",
            "not_applicable",
        ],
        "properties": {
            "engine": {"type": "string"},
            "policy": {"type": "object"},
            "as_of": {"type": "object"},
            "situation_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "duties": {"type": "array", "items": duty},
            "missing_facts": strings,
            "conflicts": {"type": "array", "items": conflict},
            "not_applicable": {"type": "array", "items": ruled_out},
            "readings": {"type": "array", "items": {"type": "object"}},
            "place": {"type": ["object", "null"]},
        },
    }
