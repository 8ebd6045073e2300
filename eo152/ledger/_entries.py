"""What the log records: who did what, when, and the hashes involved; never the content.

Each entry is a small JSON object turned into canonical JSON (RFC 8785), so the same facts
always give the same bytes and the same leaf hash. The ``kind`` field says which of the
classes below wrote it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import rfc8785

from ._errors import LogInconsistent, RefusedEntry
from ._files import is_digest

CUSTODY_ACTIONS = ("viewed", "downloaded", "exported", "shared", "derived")
DERIVATIONS = ("redacted", "clipped")

TEXT_LIMITS = {
    "actor": 100,
    "incident": 64,
    "media_type": 255,
    "recipient": 100,
    "reason": 200,
    "note": 200,
}
"""The longest text, in characters, each free-text field of an entry takes.

These fields say who acted, for whom and why, in a few words ("Denver DA, discovery in
26CR1234"); they are kept short so that no one writes a statement or a name list into a
log that can never be edited.
"""

# C0 and C1 controls (newline, tab, escape...), DEL, the line and paragraph separators, the
# bidirectional embeddings, overrides and isolates (which make text display in another
# order than it is stored) and lone surrogates (bytes that were not UTF-8).
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def now() -> str:
    """The current time in UTC, to the microsecond, as ISO 8601."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def canonical(entry: dict[str, Any]) -> str:
    return bytes(rfc8785.dumps(entry)).decode("utf-8")


def _require_digest(value: str, what: str) -> None:
    if not is_digest(value):
        raise RefusedEntry(f"{what} must be a SHA-256 digest in lowercase hex, not {value!r}")


def check_text(field: str, value: str) -> str:
    """Return ``value`` if it may stand in the entry field ``field``, else raise RefusedEntry.

    Free text must be one short line: not blank, at most ``TEXT_LIMITS[field]``
    characters, and free of control characters.
    """
    limit, name = TEXT_LIMITS[field], field.replace("_", " ")
    if not isinstance(value, str) or not value.strip():
        raise RefusedEntry(f"the {name} must not be empty")
    if len(value) > limit:
        raise RefusedEntry(
            f"the {name} must be at most {limit} characters (it has {len(value)}); "
            "keep it to a few words"
        )
    bad = _FORBIDDEN.search(value)
    if bad:
        raise RefusedEntry(
            f"the {name} must be one line of plain text; "
            f"it holds the control character U+{ord(bad.group()):04X}"
        )
    return value


def check_texts(fields: dict[str, Any]) -> None:
    """:func:`check_text` for each free-text field in ``fields`` that is not None."""
    for field in TEXT_LIMITS:
        if fields.get(field) is not None:
            check_text(field, fields[field])


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
        check_texts(self.__dict__)
        fields = {"kind": "evidence.registered", **self.__dict__}
        return canonical(_without_none(fields))


@dataclass(frozen=True)
class CustodyEvent:
    """Someone viewed, downloaded, exported, shared a file, or derived a copy from it.

    A derived copy (``action="derived"``) names its original in ``derived_from`` and how it
    was made in ``derivation`` (redacted, clipped); ``sha256`` is then the new copy. A
    shared file names its ``recipient``. ``reason`` and ``note`` are a few words of why and
    how (see :data:`TEXT_LIMITS`), never the content.
    """

    action: str
    sha256: str
    actor: str
    at: str
    incident: str | None = None
    derived_from: str | None = None
    derivation: str | None = None
    recipient: str | None = None
    reason: str | None = None
    note: str | None = None

    def to_entry(self) -> str:
        self.check()
        fields = {"kind": "custody." + self.action, **self.__dict__}
        del fields["action"]
        return canonical(_without_none(fields))

    def check(self) -> None:
        """Raise RefusedEntry if this event cannot be logged as it stands."""
        if self.action not in CUSTODY_ACTIONS:
            raise RefusedEntry(f"custody action must be one of {', '.join(CUSTODY_ACTIONS)}")
        _require_digest(self.sha256, "sha256")
        if (self.action == "derived") != (self.derived_from is not None):
            raise RefusedEntry("a derived copy, and only a derived copy, names derived_from")
        if self.derived_from is not None:
            _require_digest(self.derived_from, "derived_from")
            if self.derivation not in DERIVATIONS:
                raise RefusedEntry(f"derivation must be one of {', '.join(DERIVATIONS)}")
        if self.action == "shared" and self.recipient is None:
            raise RefusedEntry("a shared file names its recipient")
        check_texts(self.__dict__)


@dataclass(frozen=True)
class LedgerExported:
    """The log was exported as a bundle, with every stored file if ``with_files``.

    The bundle holds the whole log up to and including this entry; with ``with_files`` it
    also holds every file registered before this entry. So one entry names exactly the
    files that left, without listing them. No folder or path is recorded: where the bundle
    went is said, if at all, by ``recipient`` in a few words.
    """

    actor: str
    at: str
    with_files: bool
    recipient: str | None = None
    reason: str | None = None

    def to_entry(self) -> str:
        check_texts(self.__dict__)
        return canonical(_without_none({"kind": "ledger.exported", **self.__dict__}))


@dataclass(frozen=True)
class RecordChanged:
    """A record (an incident, a referral...) was created or changed; only its hash is kept.

    ``at`` may be a day (``2026-12-02``) instead of a time: a public report's filing is
    logged to the day, so the log cannot be matched to a visit at a given minute.
    """

    record_type: str
    record_id: str
    record_sha256: str
    change: str
    actor: str
    at: str

    def to_entry(self) -> str:
        if self.change not in ("created", "changed"):
            raise RefusedEntry("change must be 'created' or 'changed'")
        _require_digest(self.record_sha256, "record_sha256")
        check_text("actor", self.actor)
        return canonical({"kind": "record." + self.change, **self.__dict__})


@dataclass(frozen=True)
class RecordRead:
    """Someone read a record (``part``: which view of it, such as ``findings`` or
    ``contact``); the hash of what they were shown is kept, never its words."""

    record_type: str
    record_id: str
    record_sha256: str
    part: str
    actor: str
    at: str

    def to_entry(self) -> str:
        _require_digest(self.record_sha256, "record_sha256")
        check_text("actor", self.actor)
        return canonical({"kind": "record.read", **self.__dict__})


_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,39}")


def _require_codes(field: str, values: Any) -> None:
    items = values if isinstance(values, list | tuple) else [values]
    for value in items:
        if not isinstance(value, str) or not _CODE.fullmatch(value):
            raise RefusedEntry(
                f"{field} holds codes only (letters, digits, _ . : and -), not {value!r}"
            )


@dataclass(frozen=True)
class DataRequestStep:
    """A step of a federal data request (``step``: logged, determined, checked, returned,
    extended, paused, resumed, released, concerning_removed...).

    ``facts`` holds the request's public facts as codes only (agencies, data categories,
    the kind of legal process, the channel, the engine's outcome, the determination and its
    bases), so the public tally can be recounted from a ledger export; never who or what
    the request is about. ``approvers`` are account numbers; ``sha256`` is the file released.
    """

    reference: str
    step: str
    actor: str
    at: str
    record_sha256: str
    facts: dict[str, Any]
    approvers: tuple[str, ...] = ()
    sha256: str | None = None

    def to_entry(self) -> str:
        _require_codes("reference", self.reference)
        _require_codes("step", self.step)
        _require_digest(self.record_sha256, "record_sha256")
        check_text("actor", self.actor)
        for approver in self.approvers:
            check_text("actor", approver)
        if self.sha256 is not None:
            _require_digest(self.sha256, "sha256")
        for field, value in self.facts.items():
            _require_codes("a fact's name", field)
            if value is not None and not isinstance(value, bool | int):
                _require_codes(field, value)
        fields = {
            "kind": "data_request." + self.step,
            "reference": self.reference,
            "actor": self.actor,
            "at": self.at,
            "record_sha256": self.record_sha256,
            **self.facts,
            "approvers": list(self.approvers) or None,
            "sha256": self.sha256,
        }
        return canonical(_without_none(fields))


@dataclass(frozen=True)
class ExerciseRecorded:
    """A tabletop exercise was held: its scenario, the day, the roles that took part, the
    points each role earned of those possible, and the SHA-256 of its after-action report
    and improvement plan. Never a participant's name: the City can show the exercises
    happened and what they found without naming anyone."""

    exercise: str
    scenario: str
    day: str
    roles: tuple[str, ...]
    scores: dict[str, tuple[int, int]]  # role: (points, possible)
    plan_sha256: str
    actor: str
    at: str

    def to_entry(self) -> str:
        _require_codes("exercise", self.exercise)
        _require_codes("scenario", self.scenario)
        _require_codes("day", self.day)
        _require_codes("roles", list(self.roles))
        _require_digest(self.plan_sha256, "plan_sha256")
        check_text("actor", self.actor)
        scores = {}
        for role, (points, possible) in self.scores.items():
            _require_codes("scores", role)
            if not (
                isinstance(points, int) and isinstance(possible, int) and 0 <= points <= possible
            ):
                raise RefusedEntry(
                    f"scores.{role}: points are whole numbers, at most those possible"
                )
            scores[role] = [points, possible]
        fields = {
            "kind": "exercise.recorded",
            "exercise": self.exercise,
            "scenario": self.scenario,
            "day": self.day,
            "roles": sorted(self.roles),
            "scores": scores,
            "plan_sha256": self.plan_sha256,
            "actor": self.actor,
            "at": self.at,
        }
        return canonical(fields)


def registered_file(entry: str) -> tuple[str, int] | None:
    """The digest and size of the file an ``evidence.registered`` entry says was stored."""
    try:
        fields = json.loads(entry)
    except ValueError as error:  # JSONDecodeError is a ValueError
        raise LogInconsistent(f"an entry is not JSON: {error}") from error
    if not isinstance(fields, dict) or fields.get("kind") != "evidence.registered":
        return None
    digest, size = fields.get("sha256"), fields.get("size")
    if not isinstance(digest, str) or not isinstance(size, int):
        raise LogInconsistent("an evidence.registered entry names its sha256 and size")
    return digest, size


def exported_with_files(entry: str) -> bool | None:
    """Whether a ``ledger.exported`` entry says the files went too; None for any other text."""
    try:
        fields = json.loads(entry)
    except ValueError:  # JSONDecodeError is a ValueError
        return None
    if not isinstance(fields, dict) or fields.get("kind") != "ledger.exported":
        return None
    with_files = fields.get("with_files")
    if not isinstance(with_files, bool):
        raise LogInconsistent("a ledger.exported entry says true or false for with_files")
    return with_files
