"""The append-only Merkle log in the database: appends, signed tree heads and proofs.

Stored per entry: its canonical JSON text and the perfect subtrees it completes (two
rows on average). An append reads the right edge of the tree (at most log2(n) hashes),
so appending is O(log n) and memory never grows with the log; a proof reads the
O(log n) perfect subtrees it needs in one query. Every append signs a new tree head and
keeps it, so later checks can show that every head ever issued belongs to today's tree.
Each head's checkpoint names the size of the head before it, so a head deleted from the
middle shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from . import _merkle as merkle
from ._errors import LogInconsistent, NoSuchEntry, RefusedEntry
from ._head import TreeHead
from ._note import Signer, Verifier, sign_checkpoint
from ._receipt import Receipt
from ._store import LogStore, node_key

PAGE = 5000
"""Rows read per query when streaming the log, so memory stays flat."""

Row = TypeVar("Row")


@dataclass(frozen=True)
class ConsistencyProof:
    """Proof that the tree of ``old_size`` entries is a prefix of ``head``'s tree."""

    old_size: int
    head: TreeHead
    hashes: list[bytes]

    def to_dict(self) -> dict[str, object]:
        return {
            "old_size": self.old_size,
            **self.head.to_dict(),
            "consistency_proof": [h.hex() for h in self.hashes],
        }


class MerkleLog:
    """The log in one store; ``signer`` is needed only to append."""

    def __init__(self, store: LogStore, verifier: Verifier, signer: Signer | None = None) -> None:
        self.store = store
        self.verifier = verifier
        self.signer = signer

    def append(self, entry: str) -> Receipt:
        return self.append_many([entry])[0]

    def append_many(self, entries: Sequence[str]) -> list[Receipt]:
        """Append in one transaction; each receipt proves its entry in the new tree head."""
        if self.signer is None:
            raise LogInconsistent("this log was opened without its signing key")
        if not entries:
            raise RefusedEntry("nothing to append")
        with self.store.appending() as size:
            frontier = merkle.Frontier(size, self._hashes(merkle.Frontier.nodes_for(size)))
            completed: dict[merkle.Node, bytes] = {}
            for entry in entries:
                completed.update(frontier.push(merkle.leaf_hash(entry.encode())))
            new_size = frontier.size
            root = frontier.root()
            # Each head names the one before it (this append's starting size), signed.
            checkpoint = sign_checkpoint(self.signer, new_size, root, previous=size)
            head = TreeHead(new_size, root, checkpoint)
            nodes = [(node_key(*node), digest) for node, digest in completed.items()]
            self.store.add(size, entries, nodes, head, datetime.now(UTC).isoformat())
            receipts = self._receipts(size, entries, head, completed)
        return receipts

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
        found = {keys[key]: digest for key, digest in self.store.nodes(keys).items()}
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
        return self.store.current()[0]

    def head(self) -> TreeHead:
        """The latest signed tree head (an empty log's head is signed on the fly)."""
        return self._head(*self.store.current())

    def _head(self, size: int, root: bytes | None, checkpoint: str | None) -> TreeHead:
        if size and root is not None and checkpoint is not None:
            return TreeHead(int(size), bytes(root), checkpoint)
        if size:
            raise LogInconsistent("the log's current tree head is missing")
        if self.signer is None:
            raise LogInconsistent("an empty log has no tree head to show without its key")
        return TreeHead(0, merkle.EMPTY_ROOT, sign_checkpoint(self.signer, 0, merkle.EMPTY_ROOT))

    def last_issued_head(self) -> TreeHead | None:
        return self.store.last_issued()

    def entry(self, index: int) -> str:
        entry = self.store.entry(index)
        if entry is None:
            raise NoSuchEntry(f"the log has no entry {index}")
        return entry

    def prove(self, index: int) -> Receipt:
        """A receipt for entry ``index`` against the latest tree head."""
        current, entry = self.store.current_and_entry(index)
        head = self._head(*current)
        if entry is None or not 0 <= index < head.tree_size:
            raise NoSuchEntry(f"the log has no entry {index} (it holds {head.tree_size})")
        return self._receipts(index, [entry], head, {})[0]

    def consistency(self, old_size: int) -> ConsistencyProof:
        head = self.head()
        if not 0 <= old_size <= head.tree_size:
            raise NoSuchEntry(f"no tree of {old_size} entries (the log holds {head.tree_size})")
        spans = merkle.consistency_ranges(old_size, head.tree_size)
        hashes = self._span_hashes(spans)
        return ConsistencyProof(old_size, head, [hashes[span] for span in spans])

    def entries(self, start: int = 0) -> Iterator[tuple[int, str]]:
        """Every stored entry from ``start``, in index order, a page at a time."""
        return _pages(self.store.entry_page, start, lambda row: row[0])

    def heads(self) -> Iterator[TreeHead]:
        return _pages(self.store.head_page, 0, lambda head: head.tree_size)

    def stored_nodes(self, first_key: int, last_key: int) -> Iterator[tuple[int, bytes]]:
        def page(start: int, limit: int) -> list[tuple[int, bytes]]:
            return self.store.node_page(start, last_key, limit)

        return _pages(page, first_key, lambda row: row[0])


def _pages(
    page: Callable[[int, int], list[Row]], start: int, key: Callable[[Row], int]
) -> Iterator[Row]:
    # Keyset paging: each page starts after the last key seen.
    while True:
        rows = page(start, PAGE)
        yield from rows
        if len(rows) < PAGE:
            return
        start = key(rows[-1]) + 1
