"""The media type of a file, read from its first bytes, never from its name.

A name is whatever the uploader typed; the leading bytes are what the file is. The table
covers what evidence usually is (camera video, photos, audio, documents); anything else
is ``application/octet-stream``, which is honest rather than a guess.
"""

from __future__ import annotations

SNIFF_BYTES = 512
"""How many leading bytes :func:`detect_media_type` looks at."""

_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"%PDF-", "application/pdf"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
    (b"ID3", "audio/mpeg"),
    (b"\x00\x00\x01\xba", "video/mpeg"),
    (b"\x00\x00\x01\xb3", "video/mpeg"),
    (b"PK\x03\x04", "application/zip"),
)

_RIFF = {b"WAVE": "audio/wav", b"WEBP": "image/webp", b"AVI ": "video/x-msvideo"}
_FTYP = {b"qt  ": "video/quicktime", b"M4A ": "audio/mp4", b"heic": "image/heic"}
_TS_PACKET = 188


def detect_media_type(head: bytes) -> str:
    for prefix, media_type in _PREFIXES:
        if head.startswith(prefix):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        return _FTYP.get(head[8:12], "video/mp4")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    # MPEG transport streams (many body cameras) repeat a sync byte every 188 bytes.
    if len(head) > _TS_PACKET and head[0] == head[_TS_PACKET] == 0x47:
        return "video/mp2t"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "audio/mpeg"
    if _is_text(head):
        return "text/plain"
    return "application/octet-stream"


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off by the sniffing window is still text.
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True
