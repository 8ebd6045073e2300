"""The log in SQLite (the standard library's sqlite3): WAL, and every commit forced to disk.

Appends take the write lock first (``BEGIN IMMEDIATE``), so several processes appending at
once get consecutive indexes. Parameters are ``?``, as sqlite3 wants them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ._errors import DatabaseUnavailable
from ._head import TreeHead
from ._store import CurrentHead, LogStore

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

# The statements that take the tables from each version to the next.
_UPGRADES = {
    0: (
        """CREATE TABLE ledger_schema (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        )""",
        "INSERT INTO ledger_schema (id, version) VALUES (1, 1)",
    ),
}

_HEAD = "SELECT tree_size, root_hash, checkpoint FROM ledger_state WHERE id = 1"


class SQLiteStore(LogStore):
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    @classmethod
    def connect(cls, path: str) -> SQLiteStore:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                path, isolation_level=None, timeout=60, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit is on disk before a receipt is handed out, even if the power fails.
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA busy_timeout = 60000")
        except (OSError, sqlite3.Error) as error:
            raise DatabaseUnavailable(f"cannot open the database: {error}") from error
        return cls(connection)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self.connection.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise DatabaseUnavailable(f"the database failed: {error}") from error

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self.connection.executemany(sql, rows)
        except sqlite3.Error as error:
            raise DatabaseUnavailable(f"the database failed: {error}") from error

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

    def create_tables(self) -> None:
        for statement in _TABLES:
            self._run(statement)

    def upgrade(self, version: int) -> None:
        for statement in _UPGRADES[version]:
            self._run(statement)

    @contextmanager
    def appending(self) -> Iterator[int]:
        with self._transaction("BEGIN IMMEDIATE"):
            yield int(self._run("SELECT tree_size FROM ledger_state WHERE id = 1")[0][0])

    def add(
        self,
        first: int,
        entries: Sequence[str],
        nodes: Sequence[tuple[int, bytes]],
        head: TreeHead,
        issued_at: str,
    ) -> None:
        rows = [(first + offset, entry) for offset, entry in enumerate(entries)]
        self._run_many("INSERT INTO ledger_entry (leaf_index, entry) VALUES (?, ?)", rows)
        self._run_many("INSERT INTO ledger_node (id, hash) VALUES (?, ?)", nodes)
        self._run(
            "INSERT INTO ledger_head (tree_size, root_hash, checkpoint, issued_at)"
            " VALUES (?, ?, ?, ?)",
            (head.tree_size, head.root_hash, head.checkpoint, issued_at),
        )
        self._run(
            "UPDATE ledger_state SET tree_size = ?, root_hash = ?, checkpoint = ? WHERE id = 1",
            (head.tree_size, head.root_hash, head.checkpoint),
        )

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        # A read transaction in WAL mode sees the database as it was at its first read.
        self._run("BEGIN")
        try:
            yield
        finally:
            self._run("ROLLBACK")

    def current(self) -> CurrentHead:
        size, root, checkpoint = self._run(_HEAD)[0]
        return int(size), root, checkpoint

    def current_and_entry(self, index: int) -> tuple[CurrentHead, str | None]:
        size, root, checkpoint, entry = self._run(
            "SELECT tree_size, root_hash, checkpoint,"
            " (SELECT entry FROM ledger_entry WHERE leaf_index = ?)"
            " FROM ledger_state WHERE id = 1",
            (index,),
        )[0]
        return (int(size), root, checkpoint), entry

    def last_issued(self) -> TreeHead | None:
        rows = self._run(
            "SELECT tree_size, root_hash, checkpoint FROM ledger_head"
            " ORDER BY tree_size DESC LIMIT 1"
        )
        return TreeHead(int(rows[0][0]), bytes(rows[0][1]), rows[0][2]) if rows else None

    def entry(self, index: int) -> str | None:
        rows = self._run("SELECT entry FROM ledger_entry WHERE leaf_index = ?", (index,))
        return str(rows[0][0]) if rows else None

    def nodes(self, keys: Collection[int]) -> dict[int, bytes]:
        marks = ", ".join("?" * len(keys))
        rows = self._run(f"SELECT id, hash FROM ledger_node WHERE id IN ({marks})", [*keys])
        return {int(key): bytes(digest) for key, digest in rows}

    def entry_page(self, start: int, limit: int) -> list[tuple[int, str]]:
        return [
            (int(index), str(entry))
            for index, entry in self._run(
                "SELECT leaf_index, entry FROM ledger_entry WHERE leaf_index >= ?"
                " ORDER BY leaf_index LIMIT ?",
                (start, limit),
            )
        ]

    def head_page(self, start: int, limit: int) -> list[TreeHead]:
        return [
            TreeHead(int(size), bytes(root), str(checkpoint))
            for size, root, checkpoint in self._run(
                "SELECT tree_size, root_hash, checkpoint FROM ledger_head WHERE tree_size >= ?"
                " ORDER BY tree_size LIMIT ?",
                (start, limit),
            )
        ]

    def node_page(self, start: int, last: int, limit: int) -> list[tuple[int, bytes]]:
        return [
            (int(key), bytes(digest))
            for key, digest in self._run(
                "SELECT id, hash FROM ledger_node WHERE id >= ? AND id <= ? ORDER BY id LIMIT ?",
                (start, last, limit),
            )
        ]

    def close(self) -> None:
        self.connection.close()
