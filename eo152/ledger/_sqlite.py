"""The log in SQLite (the standard library's sqlite3): WAL, and every commit forced to disk.

Appends take the write lock first (``BEGIN IMMEDIATE``), so several processes appending at
once get consecutive indexes. Parameters are ``?``, as sqlite3 wants them.

Opened read-only (for checks), the database is never written and no file is created
beside it: with a write-ahead file present (a writer has it open, or did not close it)
SQLite reads through the existing ``-wal`` and ``-shm`` files; without one, every change
is in the database file itself and it is read as immutable, so a read-only copy or a full
disk can still be checked. A database the ledger creates is its owner's alone (mode 600,
whatever the umask); SQLite gives its ``-wal`` and ``-shm`` files the same mode.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ._errors import DatabaseUnavailable, LedgerNotInitialized
from ._files import make_private
from ._sql import SQLStore

# On SQLite only the exact type INTEGER makes a primary key the table's own rowid (no second
# index to walk); it holds 64 bits there, as BIGINT does on PostgreSQL.
_TABLES = (
    """CREATE TABLE IF NOT EXISTS ledger_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        tree_size BIGINT NOT NULL,
        root_hash BLOB,
        checkpoint TEXT
    )""",
    "CREATE TABLE IF NOT EXISTS ledger_entry (leaf_index INTEGER PRIMARY KEY, entry TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ledger_node (id INTEGER PRIMARY KEY, hash BLOB NOT NULL)",
    """CREATE TABLE IF NOT EXISTS ledger_head (
        tree_size INTEGER PRIMARY KEY,
        root_hash BLOB NOT NULL,
        checkpoint TEXT NOT NULL,
        issued_at TEXT NOT NULL
    )""",
    "INSERT INTO ledger_state (id, tree_size) VALUES (1, 0) ON CONFLICT DO NOTHING",
)


class SQLiteStore(SQLStore):
    TABLES = _TABLES
    MARK = "?"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    @classmethod
    def connect(cls, path: str, read_only: bool = False) -> SQLiteStore:
        try:
            if read_only:
                return cls(_open_read_only(Path(path)))
            _create_owner_only(Path(path))
            connection = sqlite3.connect(
                path, isolation_level=None, timeout=60, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit is on disk before a receipt is handed out, even if the power fails.
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA busy_timeout = 60000")
        except (OSError, sqlite3.Error) as error:
            raise DatabaseUnavailable(f"cannot open the database: {error}").because(
                error
            ) from error
        return cls(connection)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.connection.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise DatabaseUnavailable(f"the database failed: {error}").because(error) from error

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self.connection.executemany(sql, rows)
        except sqlite3.Error as error:
            raise DatabaseUnavailable(f"the database failed: {error}").because(error) from error

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[None]:
        self._run(begin)
        try:
            yield
        except BaseException:
            self._run("ROLLBACK")
            raise
        self._run("COMMIT")

    def schema_version(self) -> int | None:
        tables = {
            name
            for (name,) in self._run(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name IN ('ledger_state', 'ledger_schema')"
            )
        }
        if "ledger_state" not in tables:
            return None
        if "ledger_schema" not in tables:
            return 0
        rows = self._run("SELECT version FROM ledger_schema WHERE id = 1")
        return int(rows[0][0]) if rows else 0

    @contextmanager
    def migrating(self) -> Iterator[None]:
        # The write lock, taken at once, keeps other creators and appenders out.
        with self._transaction("BEGIN IMMEDIATE"):
            yield

    @contextmanager
    def appending(self) -> Iterator[int]:
        with self._transaction("BEGIN IMMEDIATE"):
            yield int(self._run("SELECT tree_size FROM ledger_state WHERE id = 1")[0][0])

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        # A read transaction in WAL mode sees the database as it was at its first read.
        self._run("BEGIN")
        try:
            yield
        finally:
            self._run("ROLLBACK")

    def nodes(self, keys: Collection[int]) -> dict[int, bytes]:
        marks = ", ".join("?" * len(keys))
        rows = self._run(f"SELECT id, hash FROM ledger_node WHERE id IN ({marks})", [*keys])
        return {int(key): bytes(digest) for key, digest in rows}

    def close(self) -> None:
        self.connection.close()


def _create_owner_only(path: Path) -> None:
    """Create the database file, readable by its owner only, if it is not there yet."""
    make_private(path.parent)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))


def _open_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise LedgerNotInitialized(f"no database at {path}: run `eo152 init` first")
    # Immutable only when no write-ahead file exists: then nothing is changing the database.
    immutable = "" if Path(f"{path}-wal").exists() else "&immutable=1"
    uri = f"file:{quote(str(path.absolute()))}?mode=ro{immutable}"
    connection = sqlite3.connect(
        uri, uri=True, isolation_level=None, timeout=60, check_same_thread=False
    )
    connection.execute("PRAGMA query_only = ON")
    return connection
