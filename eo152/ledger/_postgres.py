"""The log in PostgreSQL (psycopg 3), for a deployment: ``DATABASE_URL=postgresql://…``.

Appends lock the one state row (``SELECT … FOR UPDATE``) before reading the tree size, so
several processes appending at once get consecutive indexes. Parameters are ``%s``, as
psycopg wants them; a ``?`` in a query or a value is only a question mark.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from ._errors import DatabaseUnavailable
from ._head import TreeHead
from ._store import CurrentHead, LogStore

_TABLES = (
    """CREATE TABLE IF NOT EXISTS ledger_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        tree_size BIGINT NOT NULL,
        root_hash BYTEA,
        checkpoint TEXT
    )""",
    "CREATE TABLE IF NOT EXISTS ledger_entry (leaf_index BIGINT PRIMARY KEY, entry TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ledger_node (id BIGINT PRIMARY KEY, hash BYTEA NOT NULL)",
    """CREATE TABLE IF NOT EXISTS ledger_head (
        tree_size BIGINT PRIMARY KEY,
        root_hash BYTEA NOT NULL,
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

# A fixed advisory-lock key, so two processes creating or upgrading the tables take turns.
_SCHEMA_LOCK = 152_5

_HEAD = "SELECT tree_size, root_hash, checkpoint FROM ledger_state WHERE id = 1"


class PostgresStore(LogStore):
    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection

    @classmethod
    def connect(cls, url: str) -> PostgresStore:
        try:
            return cls(psycopg.connect(url, autocommit=True))
        except psycopg.Error as error:
            raise DatabaseUnavailable(f"cannot open the database: {error}") from error

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        except psycopg.Error as error:
            raise DatabaseUnavailable(f"the database failed: {error}") from error

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.executemany(sql, rows)
        except psycopg.Error as error:
            raise DatabaseUnavailable(f"the database failed: {error}") from error

    @contextmanager
    def _transaction(self, begin: str = "BEGIN") -> Iterator[None]:
        self._run(begin)
        try:
            yield
        except BaseException:
            self._run("ROLLBACK")
            raise
        self._run("COMMIT")

    def schema_version(self) -> int | None:
        state, schema = self._run(
            "SELECT to_regclass('ledger_state'), to_regclass('ledger_schema')"
        )[0]
        if state is None:
            return None
        if schema is None:
            return 0
        rows = self._run("SELECT version FROM ledger_schema WHERE id = 1")
        return int(rows[0][0]) if rows else 0

    @contextmanager
    def migrating(self) -> Iterator[None]:
        with self._transaction():
            self._run("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            yield

    def create_tables(self) -> None:
        for statement in _TABLES:
            self._run(statement)

    def upgrade(self, version: int) -> None:
        for statement in _UPGRADES[version]:
            self._run(statement)

    @contextmanager
    def appending(self) -> Iterator[int]:
        with self._transaction():
            yield int(self._run("SELECT tree_size FROM ledger_state WHERE id = 1 FOR UPDATE")[0][0])

    def add(
        self,
        first: int,
        entries: Sequence[str],
        nodes: Sequence[tuple[int, bytes]],
        head: TreeHead,
        issued_at: str,
    ) -> None:
        rows = [(first + offset, entry) for offset, entry in enumerate(entries)]
        self._run_many("INSERT INTO ledger_entry (leaf_index, entry) VALUES (%s, %s)", rows)
        self._run_many("INSERT INTO ledger_node (id, hash) VALUES (%s, %s)", nodes)
        self._run(
            "INSERT INTO ledger_head (tree_size, root_hash, checkpoint, issued_at)"
            " VALUES (%s, %s, %s, %s)",
            (head.tree_size, head.root_hash, head.checkpoint, issued_at),
        )
        self._run(
            "UPDATE ledger_state SET tree_size = %s, root_hash = %s, checkpoint = %s WHERE id = 1",
            (head.tree_size, head.root_hash, head.checkpoint),
        )

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        self._run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
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
            " (SELECT entry FROM ledger_entry WHERE leaf_index = %s)"
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
        rows = self._run("SELECT entry FROM ledger_entry WHERE leaf_index = %s", (index,))
        return str(rows[0][0]) if rows else None

    def nodes(self, keys: Collection[int]) -> dict[int, bytes]:
        rows = self._run(
            "SELECT id, hash FROM ledger_node WHERE id = ANY(%s::bigint[])", ([*keys],)
        )
        return {int(key): bytes(digest) for key, digest in rows}

    def entry_page(self, start: int, limit: int) -> list[tuple[int, str]]:
        return [
            (int(index), str(entry))
            for index, entry in self._run(
                "SELECT leaf_index, entry FROM ledger_entry WHERE leaf_index >= %s"
                " ORDER BY leaf_index LIMIT %s",
                (start, limit),
            )
        ]

    def head_page(self, start: int, limit: int) -> list[TreeHead]:
        return [
            TreeHead(int(size), bytes(root), str(checkpoint))
            for size, root, checkpoint in self._run(
                "SELECT tree_size, root_hash, checkpoint FROM ledger_head WHERE tree_size >= %s"
                " ORDER BY tree_size LIMIT %s",
                (start, limit),
            )
        ]

    def node_page(self, start: int, last: int, limit: int) -> list[tuple[int, bytes]]:
        return [
            (int(key), bytes(digest))
            for key, digest in self._run(
                "SELECT id, hash FROM ledger_node WHERE id >= %s AND id <= %s ORDER BY id LIMIT %s",
                (start, last, limit),
            )
        ]

    def close(self) -> None:
        self.connection.close()
