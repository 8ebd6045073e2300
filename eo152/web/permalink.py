"""A situation packed into a link, so an answer can be shared, kept or reopened.

The link holds the facts themselves (compact JSON in URL-safe base64), not a stored record:
nothing is kept on the server, and the answer is decided again, under the policy in
force, each time the link is opened.

A link is copied into chats, browser histories and server logs, so it carries structured
answers only, never text a person typed (a reference, a form number, an address, what
happened): :func:`pack` leaves every free-text field of the contract out. An address is
first turned into its point in the places layers, from which the answer page learns who
owns the place and what kind it is: all a decision reads from an address.
"""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any

from ..contract import SITUATION, Field, InvalidSituation
from ..services.decisions import parse_json
from ..services.places import point_of_address

#: A link longer than a browser keeps is no use; this leaves room for the rest of the URL.
MAX_PACKED_LENGTH = 8000


class DamagedLink(ValueError):
    """A link whose situation cannot be unpacked."""


def pack(situation: dict[str, Any]) -> str:
    text = json.dumps(
        structured(situation), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def unpack(packed: str) -> dict[str, Any]:
    if len(packed) > MAX_PACKED_LENGTH:
        raise DamagedLink("the link is too long")
    try:
        situation = parse_json(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)))
    except InvalidSituation as error:  # not JSON: the same words as the API's and the CLI's
        raise DamagedLink("; ".join(e.message for e in error.errors)) from error
    except ValueError as error:  # binascii.Error, or a character that is not ASCII
        raise DamagedLink(str(error)) from error
    if not isinstance(situation, dict):
        raise DamagedLink("the link does not hold one situation")
    return situation


def structured(situation: dict[str, Any]) -> dict[str, Any]:
    """The situation without its free text; an address gives way to the place's facts."""
    if not isinstance(situation, dict):  # not a situation: unpack refuses it as it is
        return situation
    location = situation.get("location")
    if isinstance(location, dict) and location.get("address"):
        situation = {**situation, "location": _place_facts(location)}
    kept: dict[str, Any] = _without_text(SITUATION, situation)
    return kept


def address_placed(situation: dict[str, Any]) -> bool | None:
    """Whether the situation's address was found in the places layers (None: no address).
    An address not found is left out of the link like any typed words, so the link says
    only that it was not found, and the answer treats the place as unknown."""
    location = situation.get("location")
    if not isinstance(location, dict) or not location.get("address"):
        return None
    return point_of_address(str(location["address"])) is not None


def _place_facts(location: dict[str, Any]) -> dict[str, Any]:
    """An address gives way to its point in the places layers (numbers, not typed words),
    which the answer page looks up again to name the place; no point, no address."""
    kept = {k: v for k, v in location.items() if k != "address"}
    point = point_of_address(str(location["address"]))
    return {**kept, "lat": point[0], "lon": point[1]} if point is not None else kept


def _without_text(node: Field, value: Any) -> Any:
    """``value`` (of the contract field ``node``) without the text fields within it."""
    if node.kind == "object_list" and isinstance(value, list):
        return [_without_text(replace(node, kind="object"), item) for item in value]
    if node.kind != "object" or not isinstance(value, dict):
        return value
    fields = {child.name: child for child in node.fields}
    return {
        name: _without_text(fields[name], item) if name in fields else item
        for name, item in value.items()
        if name not in fields or fields[name].kind != "text"
    }
