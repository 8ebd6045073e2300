"""The ledger's tables on SQLite (WAL, durable commits) or PostgreSQL, behind one small class.

SQL is written once with ``?`` placeholders; PostgreSQL gets ``%s``. Appends take the
database's write lock first (``BEGIN IMMEDIATE`` on SQLite, ``SELECT ... FOR UPDATE`` on the
state row on PostgreSQL), so several processes appending at once get consecutive indexes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from ._errors import DatabaseUnavailable

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    tree_size BIGINT NOT NULL,
    root_hash {blob},
    checkpoint TEXT
);
CREATE TABLE IF NOT EXISTS ledger_entry (
    leaf_index {key} PRIMARY KEY,
    entry TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_node (
    id {key} PRIMARY KEY,
    hash {blob} NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_head (
    tree_size {key} PRIMARY KEY,
    root_hash {blob} NOT NULL,
    checkpoint TEXT NOT NULL,
    issued_at TEXT NOT NULL
);
INSERT INTO ledger_state (id, tree_size) VALUES (1, 0) ON CONFLICT DO NOTHING;
"""

# One integer key per perfect subtree keeps SQLite on its fastest path (a rowid table).
# The key is the first leaf the subtree covers, then its level in the 6 low bits: the
# subtrees one proof needs lie close together, so a fresh process reads few pages.
_LEVEL_BITS = 6

# A fixed advisory-lock key so two processes creating the tables do not race.
_SCHEMA_LOCK = 152_5


def node_key(level: int, index: int) -> int:
    return ((index << level) << _LEVEL_BITS) | level


def node_from_key(key: int) -> tuple[int, int]:
    level = key & ((1 << _LEVEL_BITS) - 1)
    return level, (key >> _LEVEL_BITS) >> level


class Database:
    """One connection to the ledger's database, from a ``DATABASE_URL``."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            if url.startswith("sqlite:///"):
                self.dialect = "sqlite"
                self._sqlite = _connect_sqlite(Path(url[len("sqlite:///") :]))
            elif url.startswith(("postgresql://", "postgres://")):
                self.dialect = "postgresql"
                self._pg = psycopg.connect(url, autocommit=True)
            else:
                raise DatabaseUnavailable("DATABASE_URL is neither sqlite:/// nor postgresql://")
        except (OSError, sqlite3.Error, psycopg.Error) as error:
            raise DatabaseUnavailable(f"cannot open the database: {error}") from error

    def close(self) -> None:
        if self.dialect == "sqlite":
            self._sqlite.close()
        else:
            self._pg.close()

    def _sql(self, sql: str) -> str:
        return sql if self.dialect == "sqlite" else sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.dialect == "sqlite":
            return self._sqlite.execute(sql, params).fetchall()
        with self._pg.cursor() as cursor:
            cursor.execute(self._sql(sql), params)
            return cursor.fetchall() if cursor.description else []

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if self.dialect == "sqlite":
            self._sqlite.executemany(sql, rows)
            return
        with self._pg.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[None]:
        """A transaction; ``write`` takes SQLite's write lock at once, not on first write."""
        begin = "BEGIN IMMEDIATE" if write and self.dialect == "sqlite" else "BEGIN"
        self.execute(begin)
        try:
            yield
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read-only view that appends made meanwhile by others do not change."""
        level = "" if self.dialect == "sqlite" else " ISOLATION LEVEL REPEATABLE READ READ ONLY"
        self.execute("BEGIN" + level)
        try:
            yield
        finally:
            self.execute("ROLLBACK")

    def create_schema(self) -> None:
        # On SQLite only the exact type INTEGER makes a primary key the table's own rowid
        # (no second index to walk); it holds 64 bits there, as BIGINT does on PostgreSQL.
        types = (
            {"blob": "BLOB", "key": "INTEGER"}
            if self.dialect == "sqlite"
            else {
                "blob": "BYTEA",
                "key": "BIGINT",
            }
        )
        statements = [s for s in _SCHEMA.format(**types).split(";") if s.strip()]
        with self.transaction(write=True):
            if self.dialect == "postgresql":
                self.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
            for statement in statements:
                self.execute(statement)

    def has_schema(self) -> bool:
        if self.dialect == "sqlite":
            sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_state'"
            return bool(self.execute(sql))
        return bool(self.execute("SELECT to_regclass('ledger_state')")[0][0])

    def lock_tree_size(self) -> int:
        """The current tree size, locked against other appenders until the transaction ends."""
        suffix = "" if self.dialect == "sqlite" else " FOR UPDATE"
        rows = self.execute("SELECT tree_size FROM ledger_state WHERE id = 1" + suffix)
        return int(rows[0][0])


def _connect_sqlite(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
    connection.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit is on disk before a receipt is handed out, even if the power fails.
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA busy_timeout = 60000")
    return connection
