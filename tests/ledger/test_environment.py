"""When the machine stops a write (a full disk, a held lock, a missing permission, a
read-only file system), the CLI says what is wrong and what to do, exits with status 3,
never says "internal error", and loses nothing already stored.

The faults are injected where the operating system or SQLite would raise them: the
evidence file's writes, and the database connection's statements.
"""

from __future__ import annotations

import errno
import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest

from eo152.cli._texts import WORDS
from eo152.cli.ledger import ENVIRONMENT_STATUS
from eo152.ledger import CONDITIONS, _files, condition_of

from .conftest import Eo152


class FaultyConnection:
    """A real sqlite3 connection whose statements touching ``table`` fail with ``message``."""

    def __init__(self, real: sqlite3.Connection, table: str, message: str) -> None:
        self.real, self.table, self.message = real, table, message

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        if self.table in sql:
            raise sqlite3.OperationalError(self.message)
        return self.real.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        if self.table in sql:
            raise sqlite3.OperationalError(self.message)
        return self.real.executemany(sql, rows)

    def close(self) -> None:
        self.real.close()


def _database_fails(monkeypatch: pytest.MonkeyPatch, table: str, message: str) -> None:
    connect = sqlite3.connect

    def faulty(*args: Any, **kwargs: Any) -> FaultyConnection:
        return FaultyConnection(connect(*args, **kwargs), table, message)

    monkeypatch.setattr(sqlite3, "connect", faulty)


def _writes_fail(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    def failing(fd: int, chunk: memoryview) -> None:
        raise OSError(code, f"{errno.errorcode[code]} (injected)")

    monkeypatch.setattr(_files, "_write_all", failing)


@pytest.fixture
def stored(eo152: Eo152, env: dict[str, str], tmp_path: Path) -> dict[str, object]:
    """A data folder holding one file; its head, to show that nothing was lost."""
    if not env["DATABASE_URL"].startswith("sqlite:///"):
        pytest.skip("the faults are injected into SQLite's connection")
    (tmp_path / "first.txt").write_text("the first statement")
    assert eo152("evidence", "add", tmp_path / "first.txt")[0] == 0
    (tmp_path / "second.txt").write_text("a second statement")
    out = eo152("ledger", "head", "--json")[1]
    head: dict[str, object] = json.loads(out)
    return head


def _refused(eo152: Eo152, stored: dict[str, object], args: list[str | Path], says: str) -> str:
    code, _, err = eo152(*args)
    assert code == ENVIRONMENT_STATUS, err
    assert "internal error" not in err
    assert says in err
    return err


def _nothing_lost(eo152: Eo152, stored: dict[str, object]) -> None:
    code, out, err = eo152("ledger", "verify", "--json")
    assert code == 0, err
    assert json.loads(out)["root_hash"] == stored["root_hash"]


@pytest.mark.parametrize("when", ["storing the file", "logging it"])
def test_a_full_disk_on_evidence_add(
    eo152: Eo152,
    stored: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    env: dict[str, str],
    when: str,
) -> None:
    if when == "storing the file":
        _writes_fail(monkeypatch, errno.ENOSPC)
    else:
        _database_fails(monkeypatch, "ledger_entry", "database or disk is full")
    err = _refused(eo152, stored, ["evidence", "add", tmp_path / "second.txt"], "Free some space")
    assert "full" in err
    monkeypatch.undo()
    _nothing_lost(eo152, stored)
    assert list((Path(env["EO152_DATA_DIR"]) / "evidence" / "tmp").iterdir()) == []


def test_a_full_disk_on_a_custody_append(
    eo152: Eo152, stored: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = json.loads(str(eo152("ledger", "prove", "0", "--json")[1]))["entry"]
    sha256 = json.loads(digest)["sha256"]
    _database_fails(monkeypatch, "ledger_entry", "database or disk is full")
    _refused(eo152, stored, ["evidence", "view", sha256], "Free some space")
    monkeypatch.undo()
    _nothing_lost(eo152, stored)


def test_a_held_lock(
    eo152: Eo152, stored: dict[str, object], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _database_fails(monkeypatch, "BEGIN IMMEDIATE", "database is locked")
    _refused(eo152, stored, ["evidence", "add", tmp_path / "second.txt"], "holds the database")
    monkeypatch.undo()
    _nothing_lost(eo152, stored)


def test_permission_denied(
    eo152: Eo152, stored: dict[str, object], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refused(*args: Any, **kwargs: Any) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied (injected)")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    _refused(eo152, stored, ["evidence", "add", tmp_path / "second.txt"], "the user who owns")
    monkeypatch.undo()
    _nothing_lost(eo152, stored)


@pytest.mark.parametrize("where", ["file system", "database"])
def test_a_read_only_file_system(
    eo152: Eo152,
    stored: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    where: str,
) -> None:
    if where == "file system":
        _writes_fail(monkeypatch, errno.EROFS)
    else:
        _database_fails(monkeypatch, "ledger_entry", "attempt to write a readonly database")
    _refused(eo152, stored, ["evidence", "add", tmp_path / "second.txt"], "is read-only")
    monkeypatch.undo()
    _nothing_lost(eo152, stored)


def test_every_condition_has_words_in_every_language() -> None:
    assert {f"condition_{condition}" for condition in CONDITIONS} <= WORDS.keys()


class _PostgresError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("injected")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "condition"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "disk_full"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "disk_full"),
        (PermissionError(errno.EACCES, "Permission denied"), "permission"),
        (OSError(errno.EROFS, "Read-only file system"), "read_only"),
        (sqlite3.OperationalError("database or disk is full"), "disk_full"),
        (sqlite3.OperationalError("database is locked"), "locked"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read_only"),
        (_PostgresError("53100"), "disk_full"),
        (_PostgresError("55P03"), "locked"),
        (_PostgresError("42501"), "permission"),
        (_PostgresError("25006"), "read_only"),
        (OSError(errno.ENOENT, "No such file or directory"), None),
        (sqlite3.OperationalError("no such table: ledger_node"), None),
    ],
)
def test_the_condition_of_an_error(error: Exception, condition: str | None) -> None:
    assert condition_of(error) == condition
