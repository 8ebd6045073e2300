"""The append-only Merkle log in the database: appends, signed tree heads and proofs.

Stored per entry: its canonical JSON text and the perfect subtrees it completes (two
rows on average). An append reads the right edge of the tree (at most log2(n) hashes),
so appending is O(log n) and memory never grows with the log; a proof reads the
O(log n) perfect subtrees it needs in one query. Every append signs a new tree head and
keeps it, so later checks can show that every head ever issued belongs to today's tree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from . import _merkle as merkle
from ._db import Database, node_key
from ._errors import LogInconsistent
from ._note import Signer, Verifier, sign_checkpoint
from ._receipt import Receipt

PAGE = 5000
"""Rows read per query when streaming the log, so memory stays flat."""


@dataclass(frozen=True)
class TreeHead:
    tree_size: int
    root_hash: bytes
    checkpoint: str

    def to_json(self) -> dict[str, object]:
        return {
            "tree_size": self.tree_size,
            "root_hash": self.root_hash.hex(),
            "checkpoint": self.checkpoint,
        }


@dataclass(frozen=True)
class ConsistencyProof:
    """Proof that the tree of ``old_size`` entries is a prefix of ``head``'s tree."""

    old_size: int
    head: TreeHead
    hashes: list[bytes]

    def to_json(self) -> dict[str, object]:
        return {
            "old_size": self.old_size,
            **self.head.to_json(),
            "consistency_proof": [h.hex() for h in self.hashes],
        }


class MerkleLog:
    """The log in one database; ``signer`` is needed only to append."""

    def __init__(self, db: Database, verifier: Verifier, signer: Signer | None = None) -> None:
        self.db = db
        self.verifier = verifier
        self.signer = signer

    def append(self, entry: str) -> Receipt:
        return self.append_many([entry])[0]

    def append_many(self, entries: Sequence[str]) -> list[Receipt]:
        """Append in one transaction; each receipt proves its entry in the new tree head."""
        if self.signer is None:
            raise LogInconsistent("this log was opened without its signing key")
        if not entries:
            raise ValueError("nothing to append")
        with self.db.transaction(write=True):
            size = self.db.lock_tree_size()
            frontier = merkle.Frontier(size, self._hashes(merkle.Frontier.nodes_for(size)))
            completed: dict[merkle.Node, bytes] = {}
            for entry in entries:
                completed.update(frontier.push(merkle.leaf_hash(entry.encode())))
            new_size = frontier.size
            root = frontier.root()
            head = TreeHead(new_size, root, sign_checkpoint(self.signer, new_size, root))
            self._store(size, entries, completed, head)
            receipts = self._receipts(size, entries, head, completed)
        return receipts

    def _store(
        self,
        size: int,
        entries: Sequence[str],
        completed: dict[merkle.Node, bytes],
        head: TreeHead,
    ) -> None:
        db = self.db
        rows = [(size + offset, entry) for offset, entry in enumerate(entries)]
        db.executemany("INSERT INTO ledger_entry (leaf_index, entry) VALUES (?, ?)", rows)
        nodes = [(node_key(*node), digest) for node, digest in completed.items()]
        db.executemany("INSERT INTO ledger_node (id, hash) VALUES (?, ?)", nodes)
        db.execute(
            "INSERT INTO ledger_head (tree_size, root_hash, checkpoint, issued_at)"
            " VALUES (?, ?, ?, ?)",
            (head.tree_size, head.root_hash, head.checkpoint, datetime.now(UTC).isoformat()),
        )
        # The latest head also sits in the one-row state table: a proof reads it there,
        # together with its entry, in one query.
        db.execute(
            "UPDATE ledger_state SET tree_size = ?, root_hash = ?, checkpoint = ? WHERE id = 1",
            (head.tree_size, head.root_hash, head.checkpoint),
        )

    def _receipts(
        self, first: int, entries: Sequence[str], head: TreeHead, known: dict[merkle.Node, bytes]
    ) -> list[Receipt]:
        """Receipts for consecutive entries; subtrees their proofs share are hashed once."""
        end = first + len(entries)
        shared = merkle.shared_inclusion_ranges(first, end, head.tree_size)
        hashes = self._span_hashes([span for span, _, _ in shared], known)
        proofs: list[list[bytes]] = [[] for _ in entries]
        for span, lo, hi in shared:
            digest = hashes[span]
            for proof in proofs[lo - first : hi - first]:
                proof.append(digest)
        log_key = self.verifier.encode()
        return [
            Receipt(
                leaf_index=first + offset,
                entry=entry,
                leaf_hash=known.get((0, first + offset)) or merkle.leaf_hash(entry.encode()),
                tree_size=head.tree_size,
                root_hash=head.root_hash,
                inclusion_proof=proof,
                checkpoint=head.checkpoint,
                log_key=log_key,
            )
            for offset, (entry, proof) in enumerate(zip(entries, proofs, strict=True))
        ]

    def _hashes(self, nodes: Sequence[merkle.Node]) -> list[bytes]:
        found = self._fetch(nodes)
        return [found[node] for node in nodes]

    def _fetch(self, nodes: Sequence[merkle.Node]) -> dict[merkle.Node, bytes]:
        if not nodes:
            return {}
        keys = {node_key(*node): node for node in nodes}
        marks = ", ".join("?" * len(keys))
        rows = self.db.execute(f"SELECT id, hash FROM ledger_node WHERE id IN ({marks})", [*keys])
        found = {keys[key]: bytes(digest) for key, digest in rows}
        missing = [node for node in nodes if node not in found]
        if missing:
            raise LogInconsistent(f"the stored tree lacks the subtree {missing[0]}")
        return found

    def _span_hashes(
        self, spans: Iterable[merkle.Range], known: dict[merkle.Node, bytes] | None = None
    ) -> dict[merkle.Range, bytes]:
        """Hashes of the subtrees ``spans``, reading every missing perfect subtree in one query."""
        known = known or {}
        plans = {span: merkle.perfect_nodes(*span) for span in spans}
        needed = {node for plan in plans.values() for node in plan if node not in known}
        lookup = {**known, **self._fetch(sorted(needed))}
        return {span: merkle.fold([lookup[node] for node in plan]) for span, plan in plans.items()}

    @property
    def tree_size(self) -> int:
        return int(self.db.execute("SELECT tree_size FROM ledger_state WHERE id = 1")[0][0])

    def head(self) -> TreeHead:
        """The latest signed tree head (an empty log's head is signed on the fly)."""
        rows = self.db.execute("SELECT tree_size, root_hash, checkpoint FROM ledger_state")
        return self._head(*rows[0])

    def _head(self, size: int, root: bytes | None, checkpoint: str | None) -> TreeHead:
        if size and root is not None and checkpoint is not None:
            return TreeHead(int(size), bytes(root), checkpoint)
        if size:
            raise LogInconsistent("the log's current tree head is missing")
        if self.signer is None:
            raise LogInconsistent("an empty log has no tree head to show without its key")
        return TreeHead(0, merkle.EMPTY_ROOT, sign_checkpoint(self.signer, 0, merkle.EMPTY_ROOT))

    def last_issued_head(self) -> TreeHead | None:
        rows = self.db.execute(
            "SELECT tree_size, root_hash, checkpoint FROM ledger_head"
            " ORDER BY tree_size DESC LIMIT 1"
        )
        return TreeHead(int(rows[0][0]), bytes(rows[0][1]), rows[0][2]) if rows else None

    def entry(self, index: int) -> str:
        rows = self.db.execute("SELECT entry FROM ledger_entry WHERE leaf_index = ?", (index,))
        if not rows:
            raise IndexError(f"the log has no entry {index}")
        return str(rows[0][0])

    def prove(self, index: int) -> Receipt:
        """A receipt for entry ``index`` against the latest tree head."""
        size, root, checkpoint, entry = self.db.execute(
            "SELECT tree_size, root_hash, checkpoint,"
            " (SELECT entry FROM ledger_entry WHERE leaf_index = ?) FROM ledger_state",
            (index,),
        )[0]
        head = self._head(size, root, checkpoint)
        if entry is None or not 0 <= index < head.tree_size:
            raise IndexError(f"the log has no entry {index} (it holds {head.tree_size})")
        return self._receipts(index, [entry], head, {})[0]

    def consistency(self, old_size: int) -> ConsistencyProof:
        head = self.head()
        if not 0 <= old_size <= head.tree_size:
            raise IndexError(f"no tree of {old_size} entries (the log holds {head.tree_size})")
        spans = merkle.consistency_ranges(old_size, head.tree_size)
        hashes = self._span_hashes(spans)
        return ConsistencyProof(old_size, head, [hashes[span] for span in spans])

    def entries(self, start: int = 0) -> Iterator[tuple[int, str]]:
        """Every stored entry from ``start``, in index order, a page at a time."""
        sql = "SELECT leaf_index, entry FROM ledger_entry WHERE leaf_index >= ?"
        yield from self._pages(sql + " ORDER BY leaf_index LIMIT ?", start)

    def heads(self) -> Iterator[TreeHead]:
        sql = "SELECT tree_size, root_hash, checkpoint FROM ledger_head WHERE tree_size >= ?"
        for size, root, checkpoint in self._pages(sql + " ORDER BY tree_size LIMIT ?", 0):
            yield TreeHead(int(size), bytes(root), checkpoint)

    def stored_nodes(self, first_key: int, last_key: int) -> Iterator[tuple[int, bytes]]:
        sql = "SELECT id, hash FROM ledger_node WHERE id >= ? AND id <= ?"
        for key, digest in self._pages(sql + " ORDER BY id LIMIT ?", first_key, last_key):
            yield int(key), bytes(digest)

    def _pages(self, sql: str, start: int, *extra: int) -> Iterator[tuple[Any, ...]]:
        # Keyset paging: each page starts after the last key seen, so a page costs the same
        # at the end of a million-entry log as at its start.
        while True:
            rows = self.db.execute(sql, (start, *extra, PAGE))
            yield from rows
            if len(rows) < PAGE:
                return
            start = int(rows[-1][0]) + 1
