"""What the ledger creates is its owner's alone: files 600 (stored evidence 400), folders
700, whatever the umask. Under the usual umask 022 every local user could read them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from eo152.ledger import Ledger, LedgerSettings, initialize


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_evidence_the_database_and_the_key_are_the_owners_alone(
    tmp_path: Path, umask_022: None
) -> None:
    data = tmp_path / "data"
    settings = LedgerSettings(data, f"sqlite:///{data / 'eo152.sqlite3'}")
    initialize(settings, origin="eo152.test/ledger")
    ledger = Ledger.open(settings)
    (tmp_path / "statement.txt").write_text("a statement")
    ledger.add_evidence(tmp_path / "statement.txt", "officer-1")
    created = {path: stat.S_IMODE(path.lstat().st_mode) for path in [data, *data.rglob("*")]}
    ledger.close()
    names = {path.name for path in created}
    # SQLite's write-ahead files (there while the ledger is open) are checked too.
    assert names >= {"log.key", "eo152.sqlite3", "eo152.sqlite3-wal", "evidence", "tmp"}
    for path, mode in created.items():
        assert mode & 0o077 == 0, f"{path.relative_to(tmp_path)} is {mode:o}"
        if path.is_dir():
            assert mode == 0o700, f"{path.relative_to(tmp_path)} is {mode:o}"
