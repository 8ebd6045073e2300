"""Files attached to an incident: checked by their bytes, stored in the ledger, and every
view or download logged as custody.

A public photo is kept as it was sent (its hash is the evidence) and shown to everyone
but the assigned investigator as a copy without EXIF or location metadata, logged as a
``redacted`` derivation. A public video or other file may carry its place in metadata this
code cannot remove, so it is shown to the assigned investigator only.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from ..accounts.models import User
from ..accounts.permissions import require
from ..ledger import BadEvidence, CustodyEvent, detect_media_type, now
from ..services.records import PUBLIC, site_ledger, today
from .models import Evidence, Incident, Source

PHOTOS = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff"})
VIDEOS = frozenset(
    {
        "video/mp4",
        "video/quicktime",
        "video/webm",
        "video/x-matroska",
        "video/mp2t",
        "video/mpeg",
        "video/x-msvideo",
    }
)
SOUNDS = frozenset({"audio/mpeg", "audio/mp4", "audio/wav", "audio/ogg", "audio/flac"})
DOCUMENTS = frozenset({"application/pdf", "text/plain"})
#: What the public form takes: photos, videos, sound, PDF.
PUBLIC_TYPES = PHOTOS | VIDEOS | SOUNDS | {"application/pdf", "image/heic"}
#: What officers and investigators attach (body-camera video, documents...).
STAFF_TYPES = PUBLIC_TYPES | DOCUMENTS

#: The largest file the public form takes; staff uploads go to the ledger's own limit.
PUBLIC_MAX_BYTES = 200 * 1024 * 1024


class EvidenceRefused(ValueError):
    """A file that cannot be taken: its bytes are not an accepted kind, or do not match
    what it claims to be. Nothing was stored."""


def detected_type(path: Path, claimed: str | None, accepted: frozenset[str]) -> str:
    """The file's type read from its bytes; EvidenceRefused if it is not accepted or its
    claimed type (the upload's Content-Type) names another kind of file."""
    with path.open("rb") as source:
        head = source.read(512)
    detected = detect_media_type(head)
    if detected not in accepted:
        raise EvidenceRefused(
            f"this file is not a photo, video, sound recording or document we take "
            f"(its bytes read as {detected})"
        )
    claimed_kind = (claimed or "").split("/")[0].strip().lower()
    if (
        claimed_kind
        and claimed != "application/octet-stream"
        and claimed_kind != (detected.split("/")[0])
    ):
        raise EvidenceRefused(f"the file says it is {claimed} but its bytes are {detected}")
    return detected


def without_metadata(path: Path, media_type: str, folder: Path) -> Path | None:
    """A copy of the photo with no EXIF, GPS, XMP or text metadata (turned upright first,
    since orientation is metadata too); None if the image cannot be read."""
    try:
        with Image.open(path) as image:
            upright = ImageOps.exif_transpose(image)
            pixels = upright.convert("RGBA" if upright.mode in ("RGBA", "LA", "P") else "RGB")
            fmt = {"image/png": "PNG", "image/gif": "PNG", "image/webp": "WEBP"}.get(
                media_type, "JPEG"
            )
            if fmt == "JPEG":
                pixels = pixels.convert("RGB")
            target = folder / f"shown.{fmt.lower()}"
            pixels.save(target, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return target


def attach(
    incident: Incident,
    path: Path,
    by: User | None,
    claimed_type: str | None = None,
    label: str = "",
) -> Evidence:
    """Store ``path`` as evidence of ``incident``; ``by`` None is the public form."""
    public = by is None
    if by is not None:
        require(by, "incidents.add_evidence", incident)
    elif incident.source != Source.PUBLIC:
        raise PermissionDenied("incidents.add_evidence")
    accepted = PUBLIC_TYPES if public else STAFF_TYPES
    media_type = detected_type(path, claimed_type, accepted)
    if public and path.stat().st_size > PUBLIC_MAX_BYTES:
        raise EvidenceRefused(f"this file is larger than {PUBLIC_MAX_BYTES >> 20} MB")
    ledger = site_ledger()
    actor = by.actor if by else PUBLIC
    day = today() if public else None
    stored, receipt = ledger.add_evidence(
        path, actor, incident=incident.reference, media_type=media_type, day=day
    )
    shown = stored.sha256
    if public:
        shown = _public_copy(stored.sha256, path, media_type, actor, incident.reference, day)
    link, _ = Evidence.objects.get_or_create(
        incident=incident,
        sha256=stored.sha256,
        defaults={
            "shown_sha256": shown,
            "size": stored.size,
            "media_type": media_type,
            "label": label[:200],
            "added_on": timezone.localdate(),
            "added_by": by,
            "receipt": receipt.to_dict(),
        },
    )
    return link


def _public_copy(
    original: str, path: Path, media_type: str, actor: str, reference: str, day: str | None
) -> str:
    """What others see of a public file: a photo's copy without metadata, else nothing."""
    if media_type not in PHOTOS:
        return ""
    ledger = site_ledger()
    with tempfile.TemporaryDirectory(prefix="eo152-shown-") as folder:
        copy = without_metadata(path, media_type, Path(folder))
        if copy is None:
            return ""
        try:
            derived, _, _ = ledger.derive_evidence(
                original,
                copy,
                actor,
                "redacted",
                note="metadata removed",
                incident=reference,
                day=day,
            )
        except BadEvidence:  # the copy is the original byte for byte: it had none
            return original
    return derived.sha256


@dataclass(frozen=True)
class Opened:
    stream: BinaryIO
    media_type: str
    sha256: str


def open_file(
    user: User, evidence: Evidence, *, original: bool = False, download: bool = False
) -> Opened:
    """The file for ``user`` to view or download, logged as custody first.

    ``original`` asks for the file as sent where others see a copy: the assigned
    investigator only. PermissionDenied when the user may not see the file asked for.
    """
    incident = evidence.incident
    require(user, "incidents.view", incident)
    digest = evidence.shown_sha256
    if original or not digest:
        require(user, "incidents.view_original", incident)
        digest = evidence.sha256
    ledger = site_ledger()
    action = "downloaded" if download else "viewed"
    ledger.log_custody(CustodyEvent(action, digest, user.actor, now(), incident.reference))
    stream = ledger.store.open(digest)
    media_type = evidence.media_type
    if digest != evidence.sha256:  # the copy may be in another format (a GIF shown as PNG)
        media_type = detect_media_type(stream.read(512))
        stream.seek(0)
    return Opened(stream, media_type, digest)
