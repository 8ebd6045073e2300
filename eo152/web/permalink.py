"""A situation packed into a link, so an answer can be shared, kept or reopened.

The link holds the facts themselves (compact JSON in URL-safe base64), not a stored record:
nothing is kept on the server, and the answer is decided again, under the policy in
force, each time the link is opened.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from ..contract import InvalidSituation
from ..services.decisions import parse_json

#: A link longer than a browser keeps is no use; this leaves room for the rest of the URL.
MAX_PACKED_LENGTH = 8000


class DamagedLink(ValueError):
    """A link whose situation cannot be unpacked."""


def pack(situation: dict[str, Any]) -> str:
    text = json.dumps(situation, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def unpack(packed: str) -> dict[str, Any]:
    if len(packed) > MAX_PACKED_LENGTH:
        raise DamagedLink("the link is too long")
    try:
        situation = parse_json(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)))
    except binascii.Error as error:
        raise DamagedLink(str(error)) from error
    except InvalidSituation as error:  # not JSON: the same words as the API's and the CLI's
        raise DamagedLink("; ".join(e.message for e in error.errors)) from error
    if not isinstance(situation, dict):
        raise DamagedLink("the link does not hold one situation")
    return situation
