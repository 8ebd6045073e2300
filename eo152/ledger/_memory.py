"""The log in this process's memory: for tests, and for trying the ledger without a database.

It keeps what the SQL stores keep, with the same transactions: an append that fails leaves
nothing behind, and one lock stands in for the database's write lock. Nothing survives the
process.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager

from ._head import TreeHead
from ._store import CurrentHead, LogStore


class MemoryStore(LogStore):
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._version: int | None = None
        self._entries: list[str] = []
        self._nodes: dict[int, bytes] = {}
        self._heads: list[TreeHead] = []
        self._written: list[int] = []  # node keys added by the open append, to undo it

    def schema_version(self) -> int | None:
        return self._version

    @contextmanager
    def migrating(self) -> Iterator[None]:
        with self._lock:
            saved = self._version
            try:
                yield
            except BaseException:
                self._version = saved
                raise

    def create_tables(self) -> None:
        self._version = 0

    def upgrade(self, version: int) -> None:
        self._version = version + 1

    @contextmanager
    def appending(self) -> Iterator[int]:
        with self._lock:
            entries, heads = len(self._entries), len(self._heads)
            self._written = []
            try:
                yield entries
            except BaseException:
                del self._entries[entries:], self._heads[heads:]
                for key in self._written:
                    del self._nodes[key]
                raise

    def add(
        self,
        first: int,
        entries: Sequence[str],
        nodes: Sequence[tuple[int, bytes]],
        head: TreeHead,
        issued_at: str,
    ) -> None:
        self._entries.extend(entries)
        self._nodes.update(nodes)
        self._written.extend(key for key, _ in nodes)
        self._heads.append(head)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        with self._lock:
            yield

    def current(self) -> CurrentHead:
        if not self._heads:
            return 0, None, None
        head = self._heads[-1]
        return head.tree_size, head.root_hash, head.checkpoint

    def current_and_entry(self, index: int) -> tuple[CurrentHead, str | None]:
        return self.current(), self.entry(index)

    def last_issued(self) -> TreeHead | None:
        return self._heads[-1] if self._heads else None

    def entry(self, index: int) -> str | None:
        return self._entries[index] if 0 <= index < len(self._entries) else None

    def nodes(self, keys: Collection[int]) -> dict[int, bytes]:
        return {key: self._nodes[key] for key in keys if key in self._nodes}

    def entry_page(self, start: int, limit: int) -> list[tuple[int, str]]:
        start = max(start, 0)
        return list(enumerate(self._entries[start : start + limit], start))

    def head_page(self, start: int, limit: int) -> list[TreeHead]:
        return [head for head in self._heads if head.tree_size >= start][:limit]

    def node_page(self, start: int, last: int, limit: int) -> list[tuple[int, bytes]]:
        keys = sorted(key for key in self._nodes if start <= key <= last)[:limit]
        return [(key, self._nodes[key]) for key in keys]

    def close(self) -> None:
        """Nothing to release: the rows go when the store does."""
