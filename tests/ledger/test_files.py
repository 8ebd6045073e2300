"""The content-addressed evidence folder and media type detection."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from eo152.ledger import (
    EvidenceEmpty,
    EvidenceNotFound,
    EvidenceTooLarge,
    EvidenceUnreadable,
    FolderStore,
    LedgerError,
    StorageFailed,
)
from eo152.ledger._files import hash_file, open_regular
from eo152.ledger._media import detect_media_type


def _stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_file_is_stored_under_its_sha256(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    data = b"body camera footage" * 1000
    blob = store.put(io.BytesIO(data), max_size=1 << 20)
    digest = hashlib.sha256(data).hexdigest()
    assert (blob.sha256, blob.size) == (digest, len(data))
    assert store.path(digest) == tmp_path / "sha256" / digest[:2] / digest[2:4] / digest
    assert store.open(digest).read() == data
    assert list(store.digests()) == [digest]


def test_the_same_bytes_are_stored_once(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    store.put(io.BytesIO(b"same"), max_size=100)
    store.put(io.BytesIO(b"same"), max_size=100)
    assert len(_stored_files(tmp_path / "sha256")) == 1
    assert _stored_files(tmp_path / "tmp") == []


def test_a_file_over_the_limit_leaves_nothing_behind(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    with pytest.raises(EvidenceTooLarge):
        store.put(io.BytesIO(b"x" * 101), max_size=100)
    assert _stored_files(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_a_ledger_error_and_keeps_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "tmp").write_text("a file where the spool folder should be")
    store = FolderStore(tmp_path)
    with pytest.raises(StorageFailed, match="cannot write in") as refused:
        store.put(io.BytesIO(b"evidence"), max_size=100)
    assert isinstance(refused.value, LedgerError)
    assert not (tmp_path / "sha256").exists()


def test_a_store_whose_place_is_taken_refuses_without_a_half_written_file(
    tmp_path: Path,
) -> None:
    (tmp_path / "sha256").write_text("a file where the folders of stored files go")
    with pytest.raises(StorageFailed, match="cannot store"):
        FolderStore(tmp_path).put(io.BytesIO(b"evidence"), max_size=100)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EvidenceEmpty):
        FolderStore(tmp_path).put(io.BytesIO(b""), max_size=100)
    assert _stored_files(tmp_path) == []


def test_a_path_with_dot_dot_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b.txt").write_text("x")
    with pytest.raises(EvidenceUnreadable, match=r"\.\."):
        open_regular(tmp_path / "a" / ".." / "b.txt")


@pytest.mark.parametrize("path", ["/dev/null", "/dev/zero", "/"])
def test_devices_and_folders_are_refused(path: str) -> None:
    with pytest.raises(EvidenceUnreadable, match="not a regular file"):
        open_regular(Path(path))


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(EvidenceUnreadable, match="cannot read"):
        hash_file(tmp_path / "missing.mp4")


def test_a_file_without_read_permission_is_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "secret.jpg"
    target.write_bytes(b"x")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, os.strerror(13))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(EvidenceUnreadable, match="Permission denied"):
        open_regular(target)


def test_an_unknown_digest_is_not_found(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    with pytest.raises(EvidenceNotFound):
        store.open("0" * 64)
    with pytest.raises(EvidenceNotFound):
        store.open("../../etc/passwd")


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00", "video/mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00", "video/quicktime"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"\x1a\x45\xdf\xa3\x01\x00\x00\x00\x00\x00\x00\x1fB\x82\x84webm", "video/webm"),
        ((b"\x47" + bytes(187)) * 2, "video/mp2t"),
        ("Testigo: el agente dijo…".encode(), "text/plain"),
        (b"\x00\x01\x02\x03\xfe", "application/octet-stream"),
    ],
)
def test_the_media_type_comes_from_the_bytes(head: bytes, media_type: str) -> None:
    assert detect_media_type(head) == media_type
