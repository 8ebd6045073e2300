"""What the SQLite and PostgreSQL stores say alike: the same statements over the same tables.

Each statement is written once with ``{p}`` where a parameter goes, and each store fills in
its own driver's marker (``?`` for sqlite3, ``%s`` for psycopg) when the class is made: the
markers are ours, so nothing in a query or a value is ever rewritten. What differs between
the two (locking, snapshots, creating and upgrading tables, a set of node ids) stays in each.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

from ._head import TreeHead
from ._store import CurrentHead, LogStore

_STATEMENTS = {
    "add_entry": "INSERT INTO ledger_entry (leaf_index, entry) VALUES ({p}, {p})",
    "add_node": "INSERT INTO ledger_node (id, hash) VALUES ({p}, {p})",
    "add_head": "INSERT INTO ledger_head (tree_size, root_hash, checkpoint, issued_at)"
    " VALUES ({p}, {p}, {p}, {p})",
    "set_state": "UPDATE ledger_state SET tree_size = {p}, root_hash = {p}, checkpoint = {p}"
    " WHERE id = 1",
    "current": "SELECT tree_size, root_hash, checkpoint FROM ledger_state WHERE id = 1",
    "current_and_entry": "SELECT tree_size, root_hash, checkpoint,"
    " (SELECT entry FROM ledger_entry WHERE leaf_index = {p}) FROM ledger_state WHERE id = 1",
    "last_issued": "SELECT tree_size, root_hash, checkpoint FROM ledger_head"
    " ORDER BY tree_size DESC LIMIT 1",
    "entry": "SELECT entry FROM ledger_entry WHERE leaf_index = {p}",
    "entry_page": "SELECT leaf_index, entry FROM ledger_entry WHERE leaf_index >= {p}"
    " ORDER BY leaf_index LIMIT {p}",
    "head_page": "SELECT tree_size, root_hash, checkpoint FROM ledger_head"
    " WHERE tree_size >= {p} ORDER BY tree_size LIMIT {p}",
    "node_page": "SELECT id, hash FROM ledger_node WHERE id >= {p} AND id <= {p}"
    " ORDER BY id LIMIT {p}",
}


# The statements that take the tables from each version to the next (the same SQL for both
# drivers; only the column types of the first version differ, in each store's TABLES).
_UPGRADES = {
    0: (
        """CREATE TABLE ledger_schema (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        )""",
        "INSERT INTO ledger_schema (id, version) VALUES (1, 1)",
    ),
}


class SQLStore(LogStore):
    """A store over a DB-API connection; a subclass names its driver's ``MARK`` and the
    ``TABLES`` of the first schema version in its driver's column types."""

    MARK: ClassVar[str]
    TABLES: ClassVar[tuple[str, ...]]
    sql: ClassVar[dict[str, str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.sql = {name: text.format(p=cls.MARK) for name, text in _STATEMENTS.items()}

    @abstractmethod
    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...

    @abstractmethod
    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def create_tables(self) -> None:
        for statement in self.TABLES:
            self._run(statement)

    def upgrade(self, version: int) -> None:
        for statement in _UPGRADES[version]:
            self._run(statement)

    def add(
        self,
        first: int,
        entries: Sequence[str],
        nodes: Sequence[tuple[int, bytes]],
        head: TreeHead,
        issued_at: str,
    ) -> None:
        rows = [(first + offset, entry) for offset, entry in enumerate(entries)]
        self._run_many(self.sql["add_entry"], rows)
        self._run_many(self.sql["add_node"], nodes)
        state = (head.tree_size, head.root_hash, head.checkpoint)
        self._run(self.sql["add_head"], (*state, issued_at))
        self._run(self.sql["set_state"], state)

    def current(self) -> CurrentHead:
        size, root, checkpoint = self._run(self.sql["current"])[0]
        return int(size), root, checkpoint

    def current_and_entry(self, index: int) -> tuple[CurrentHead, str | None]:
        size, root, checkpoint, entry = self._run(self.sql["current_and_entry"], (index,))[0]
        return (int(size), root, checkpoint), entry

    def last_issued(self) -> TreeHead | None:
        rows = self._run(self.sql["last_issued"])
        return TreeHead(int(rows[0][0]), bytes(rows[0][1]), rows[0][2]) if rows else None

    def entry(self, index: int) -> str | None:
        rows = self._run(self.sql["entry"], (index,))
        return str(rows[0][0]) if rows else None

    def entry_page(self, start: int, limit: int) -> list[tuple[int, str]]:
        rows = self._run(self.sql["entry_page"], (start, limit))
        return [(int(index), str(entry)) for index, entry in rows]

    def head_page(self, start: int, limit: int) -> list[TreeHead]:
        rows = self._run(self.sql["head_page"], (start, limit))
        return [TreeHead(int(size), bytes(root), str(check)) for size, root, check in rows]

    def node_page(self, start: int, last: int, limit: int) -> list[tuple[int, bytes]]:
        rows = self._run(self.sql["node_page"], (start, last, limit))
        return [(int(key), bytes(digest)) for key, digest in rows]
