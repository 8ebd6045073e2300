"""Pieces every part of the OpenAPI document uses: references to its schemas, error answers."""

from __future__ import annotations

from typing import Any

COMPONENTS = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    return {"$ref": COMPONENTS + name}


def problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": ref("Problem")}},
    }
