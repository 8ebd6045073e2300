"""Where the log's rows live: the ``LogStore`` interface, and the store a DATABASE_URL names.

The log needs few things from storage: append entries, subtrees and a signed head in one
transaction that holds the write lock, read them back by key or in key order, and a
snapshot that appends made meanwhile do not change. Each store (SQLite, PostgreSQL, memory)
does these in its own way and writes its own SQL in its own parameter style; nothing
rewrites one dialect into another.

The tables live outside Django's migrations (docs/architecture.md says why), so they carry
their own schema version: a store created today is at ``SCHEMA_VERSION``; an older one is
upgraded in one transaction when opened; a newer one is refused, untouched.

The database drivers are imported only by the store that needs them, so the offline
verifier (bundles, receipts) imports neither sqlite3 nor psycopg.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager

from ._errors import DatabaseUnavailable, LedgerNotInitialized, SchemaTooNew
from ._head import TreeHead

SCHEMA_VERSION = 1
"""Version 0 is the tables from before the version row; 1 adds the ``ledger_schema`` row."""

# One integer key per perfect subtree keeps SQLite on its fastest path (a rowid table).
# The key is the first leaf the subtree covers, then its level in the 6 low bits: the
# subtrees one proof needs lie close together, so a fresh process reads few pages.
_LEVEL_BITS = 6

CurrentHead = tuple[int, bytes | None, str | None]
"""The state row: tree size, and the latest head's root and checkpoint (none while empty)."""


def node_key(level: int, index: int) -> int:
    return ((index << level) << _LEVEL_BITS) | level


def node_from_key(key: int) -> tuple[int, int]:
    level = key & ((1 << _LEVEL_BITS) - 1)
    return level, (key >> _LEVEL_BITS) >> level


class LogStore(ABC):
    """The log's entries, stored subtrees (by ``node_key``) and signed heads."""

    # The tables and their version.

    @abstractmethod
    def schema_version(self) -> int | None:
        """None when there are no ledger tables; 0 for tables without the version row."""

    @abstractmethod
    def migrating(self) -> AbstractContextManager[None]:
        """A write transaction that other processes creating or upgrading wait for."""

    @abstractmethod
    def create_tables(self) -> None:
        """Create the tables at version 0; ``prepare`` then upgrades them like any others.

        So a new database and an upgraded one take the very same steps to the current layout.
        """

    @abstractmethod
    def upgrade(self, version: int) -> None:
        """Take the tables from ``version`` to the next, inside ``migrating``."""

    def prepare(self, create: bool, upgrade: bool = True) -> bool:
        """Bring the tables to ``SCHEMA_VERSION``, creating them if ``create``.

        Returns whether they existed. Tables of a newer version are refused and left as
        they are. Without ``upgrade`` (a check, which never writes) older tables are read
        as they are: every version so far keeps the log's rows in the same tables.
        """
        version = self.schema_version()
        if version == SCHEMA_VERSION:
            return True
        if not upgrade:
            _check_version(version)
            return True
        with self.migrating():
            version = self.schema_version()  # another process may have done it meanwhile
            existed = version is not None
            if version is None and create:
                self.create_tables()
                version = 0
            version = _check_version(version)
            for step in range(version, SCHEMA_VERSION):
                self.upgrade(step)
        return existed

    # Appending.

    @abstractmethod
    def appending(self) -> AbstractContextManager[int]:
        """A write transaction holding the log's write lock; yields the tree size.

        Appenders in other processes wait, so indexes never repeat or skip.
        """

    @abstractmethod
    def add(
        self,
        first: int,
        entries: Sequence[str],
        nodes: Sequence[tuple[int, bytes]],
        head: TreeHead,
        issued_at: str,
    ) -> None:
        """Store entries from index ``first``, the subtrees they complete, and their head.

        Called inside ``appending``; the head also becomes the current one.
        """

    # Reading.

    @abstractmethod
    def snapshot(self) -> AbstractContextManager[None]:
        """A read-only view that appends made meanwhile by others do not change."""

    @abstractmethod
    def current(self) -> CurrentHead: ...

    @abstractmethod
    def current_and_entry(self, index: int) -> tuple[CurrentHead, str | None]:
        """The state row and entry ``index`` together (one query where the store can)."""

    @abstractmethod
    def last_issued(self) -> TreeHead | None: ...

    @abstractmethod
    def entry(self, index: int) -> str | None: ...

    @abstractmethod
    def nodes(self, keys: Collection[int]) -> dict[int, bytes]:
        """The stored subtrees among ``keys``; absent ones are left out."""

    # Pages in key order, from ``start``, at most ``limit`` rows: keyset paging, so a page
    # costs the same at the end of a million-entry log as at its start.

    @abstractmethod
    def entry_page(self, start: int, limit: int) -> list[tuple[int, str]]: ...

    @abstractmethod
    def head_page(self, start: int, limit: int) -> list[TreeHead]: ...

    @abstractmethod
    def node_page(self, start: int, last: int, limit: int) -> list[tuple[int, bytes]]:
        """Stored subtrees with keys from ``start`` to ``last``."""

    @abstractmethod
    def close(self) -> None: ...


def _check_version(version: int | None) -> int:
    """``version`` if this code can read tables of it."""
    if version is None:
        raise LedgerNotInitialized("the ledger tables do not exist: run `eo152 init` first")
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the ledger tables are at schema version {version}; this eo152 knows "
            f"versions up to {SCHEMA_VERSION}: use a newer eo152"
        )
    return version


def open_store(url: str, read_only: bool = False) -> LogStore:
    """The store a ``DATABASE_URL`` names (``sqlite:///path`` or ``postgresql://…``).

    ``read_only`` opens it for checks: nothing is written, created or upgraded.
    """
    # Imported here, not at the top: only the store in use loads its driver.
    if url.startswith("sqlite:///"):
        from ._sqlite import SQLiteStore

        return SQLiteStore.connect(url[len("sqlite:///") :], read_only)
    if url.startswith(("postgresql://", "postgres://")):
        from ._postgres import PostgresStore

        return PostgresStore.connect(url, read_only)
    raise DatabaseUnavailable("DATABASE_URL is neither sqlite:/// nor postgresql://")
