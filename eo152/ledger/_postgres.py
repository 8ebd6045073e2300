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
from ._sql import SQLStore

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


# A fixed advisory-lock key, so two processes creating or upgrading the tables take turns.
_SCHEMA_LOCK = 152_5


class PostgresStore(SQLStore):
    TABLES = _TABLES
    MARK = "%s"

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection

    @classmethod
    def connect(cls, url: str, read_only: bool = False) -> PostgresStore:
        try:
            connection = psycopg.connect(url, autocommit=True)
            if read_only:  # a check: the server refuses any write this session tries
                connection.execute("SET default_transaction_read_only = on")
            return cls(connection)
        except psycopg.Error as error:
            raise DatabaseUnavailable(f"cannot open the database: {error}").because(
                error
            ) from error

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        except psycopg.Error as error:
            raise DatabaseUnavailable(f"the database failed: {error}").because(error) from error

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.executemany(sql, rows)
        except psycopg.Error as error:
            raise DatabaseUnavailable(f"the database failed: {error}").because(error) from error

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

    @contextmanager
    def appending(self) -> Iterator[int]:
        with self._transaction():
            yield int(self._run("SELECT tree_size FROM ledger_state WHERE id = 1 FOR UPDATE")[0][0])

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        self._run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield
        finally:
            self._run("ROLLBACK")

    def nodes(self, keys: Collection[int]) -> dict[int, bytes]:
        rows = self._run(
            "SELECT id, hash FROM ledger_node WHERE id = ANY(%s::bigint[])", ([*keys],)
        )
        return {int(key): bytes(digest) for key, digest in rows}

    def close(self) -> None:
        self.connection.close()
