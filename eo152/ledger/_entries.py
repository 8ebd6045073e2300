"""What the log records: who did what, when, and the hashes involved; never the content.

Each entry is a small JSON object turned into canonical JSON (RFC 8785), so the same facts
always give the same bytes and the same leaf hash. The ``kind`` field says which of the
classes below wrote it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import rfc8785

from ._files import is_digest

CUSTODY_ACTIONS = ("viewed", "downloaded", "exported", "shared", "derived")
DERIVATIONS = ("redacted", "clipped")


def now() -> str:
    """The current time in UTC, to the microsecond, as ISO 8601."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def canonical(entry: dict[str, Any]) -> str:
    return bytes(rfc8785.dumps(entry)).decode("utf-8")


def _require_digest(value: str, what: str) -> None:
    if not is_digest(value):
        raise ValueError(f"{what} must be a SHA-256 digest in lowercase hex, not {value!r}")


def _without_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


@dataclass(frozen=True)
class EvidenceRegistered:
    """A file was taken in: its digest, size and types, who added it, for which incident."""

    sha256: str
    size: int
    media_type: str
    detected_media_type: str
    actor: str
    at: str
    incident: str | None = None

    def to_entry(self) -> str:
        _require_digest(self.sha256, "sha256")
        fields = {"kind": "evidence.registered", **self.__dict__}
        return canonical(_without_none(fields))


@dataclass(frozen=True)
class CustodyEvent:
    """Someone viewed, downloaded, exported, shared a file, or derived a copy from it.

    A derived copy (``action="derived"``) names its original in ``derived_from`` and how it
    was made in ``derivation`` (redacted, clipped); ``sha256`` is then the new copy.
    """

    action: str
    sha256: str
    actor: str
    at: str
    incident: str | None = None
    derived_from: str | None = None
    derivation: str | None = None
    recipient: str | None = None

    def to_entry(self) -> str:
        if self.action not in CUSTODY_ACTIONS:
            raise ValueError(f"custody action must be one of {', '.join(CUSTODY_ACTIONS)}")
        _require_digest(self.sha256, "sha256")
        if (self.action == "derived") != (self.derived_from is not None):
            raise ValueError("a derived copy, and only a derived copy, names derived_from")
        if self.derived_from is not None:
            _require_digest(self.derived_from, "derived_from")
            if self.derivation not in DERIVATIONS:
                raise ValueError(f"derivation must be one of {', '.join(DERIVATIONS)}")
        fields = {"kind": "custody." + self.action, **self.__dict__}
        del fields["action"]
        return canonical(_without_none(fields))


@dataclass(frozen=True)
class RecordChanged:
    """A record (an incident, a referral...) was created or changed; only its hash is kept."""

    record_type: str
    record_id: str
    record_sha256: str
    change: str
    actor: str
    at: str

    def to_entry(self) -> str:
        if self.change not in ("created", "changed"):
            raise ValueError("change must be 'created' or 'changed'")
        _require_digest(self.record_sha256, "record_sha256")
        return canonical({"kind": "record." + self.change, **self.__dict__})


def registered_file(entry: str) -> tuple[str, int] | None:
    """The digest and size of the file an ``evidence.registered`` entry says was stored."""
    fields = json.loads(entry)
    if fields.get("kind") != "evidence.registered":
        return None
    digest, size = fields.get("sha256"), fields.get("size")
    if not isinstance(digest, str) or not isinstance(size, int):
        raise ValueError("an evidence.registered entry names its sha256 and size")
    return digest, size
