"""Recomputing the log from its entries and checking everything stored against it.

The same replay serves the database (``eo152 ledger verify``) and an exported bundle
(``eo152 ledger verify --bundle``): entries are read in order, hashed, folded into the tree
one at a time (memory O(log n)), and every signed tree head is compared with the tree as
it was at that size. A head that matches the replayed tree at its size is consistent
with the current tree, whatever happened in between.

Each signed head names the size of the head before it (``previous``, inside what the key
signs), so a head deleted from the middle of the sequence is named. Heads signed before
eo152 wrote that line carry none; they may come only before the first head that does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import _merkle as merkle
from ._entries import registered_file
from ._errors import BadDocument, InvalidSignature, LogInconsistent
from ._head import TreeHead
from ._note import Checkpoint, Verifier, open_checkpoint

FileCheck = Callable[[int, str, int], None]
"""Called with (entry index, sha256, size) for every file an entry registers."""


@dataclass
class Report:
    """What a verification looked at; it is returned only when everything recorded matched."""

    tree_size: int = 0
    root_hash: bytes = merkle.EMPTY_ROOT
    heads: int = 0
    files: int = 0
    checks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """What is not as it should be but is no tampering (a partial upload left by a crash)."""
    last_head: TreeHead | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": True,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash.hex(),
            "tree_heads_checked": self.heads,
            "files_checked": self.files,
            "checks": self.checks,
            "warnings": self.warnings,
        }


def check_head(head: TreeHead, verifier: Verifier) -> Checkpoint:
    try:
        checkpoint = open_checkpoint(head.checkpoint, verifier)
    except (InvalidSignature, BadDocument) as error:
        raise InvalidSignature(f"tree head of {head.tree_size} entries: {error}") from error
    if (checkpoint.tree_size, checkpoint.root_hash) != (head.tree_size, head.root_hash):
        raise LogInconsistent(
            f"tree head of {head.tree_size} entries: its signed checkpoint says "
            f"{checkpoint.tree_size} entries and root {checkpoint.root_hash.hex()}"
        )
    return checkpoint


def _registered(index: int, entry: str) -> tuple[str, int] | None:
    # Most entries are custody events; only parse those that can register a file.
    if '"evidence.registered"' not in entry:
        return None
    try:
        return registered_file(entry)
    except LogInconsistent as error:
        raise LogInconsistent(f"entry {index} is not a valid evidence entry: {error}") from error


def replay(
    entries: Iterable[tuple[int, str]],
    heads: Iterable[TreeHead],
    verifier: Verifier,
    on_leaf: Callable[[int, list[tuple[merkle.Node, bytes]]], None] | None = None,
    on_file: FileCheck | None = None,
) -> Report:
    """Check entries and heads together; raise at the first thing that does not match.

    ``on_leaf`` sees each entry's index and the perfect subtrees its leaf completes.
    """
    report = Report()
    frontier = merkle.Frontier()
    pending = iter(heads)
    chain = HeadChain()
    head = _next_head(pending, verifier, report, chain)
    for index, entry in entries:
        if index != frontier.size:
            raise LogInconsistent(f"entry {frontier.size} is missing (next stored is {index})")
        completed = frontier.push(merkle.leaf_hash(entry.encode()))
        if on_leaf:
            on_leaf(index, completed)
        registered = _registered(index, entry) if on_file else None
        if registered and on_file:
            on_file(index, *registered)
            report.files += 1
        while head and head.tree_size == frontier.size:
            _compare(head, frontier)
            head = _next_head(pending, verifier, report, chain)
        if head and head.tree_size < frontier.size:
            raise LogInconsistent(f"the tree head of {head.tree_size} entries is out of order")
    if head and head.tree_size == 0:
        _compare(head, frontier)
        head = _next_head(pending, verifier, report, chain)
    if head:
        raise LogInconsistent(
            f"a signed tree head covers {head.tree_size} entries; "
            f"only {frontier.size} entries are stored"
        )
    report.tree_size, report.root_hash = frontier.size, frontier.root()
    return report


class HeadChain:
    """Follows the signed heads in order; each must name the one before it as ``previous``."""

    def __init__(self) -> None:
        self.size: int | None = None  # the last head's tree size; None before the first
        self.named = False  # whether a head so far named its predecessor

    def follow(self, checkpoint: Checkpoint) -> None:
        size, previous = checkpoint.tree_size, checkpoint.previous
        if previous is None:
            if self.named:
                raise LogInconsistent(
                    f"the signed tree head of {size} entries does not name the head before "
                    "it, though earlier heads do"
                )
        elif previous != (self.size or 0):
            if previous > (self.size or 0):
                raise LogInconsistent(
                    f"the signed tree head of {previous} entries is missing (the head of "
                    f"{size} entries follows it): it was deleted"
                )
            raise LogInconsistent(
                f"the signed tree head of {size} entries follows one of {previous} entries, "
                f"but the head before it is of {self.size}"
            )
        else:
            self.named = True
        self.size = size


def _next_head(
    pending: Iterator[TreeHead], verifier: Verifier, report: Report, chain: HeadChain
) -> TreeHead | None:
    head = next(pending, None)
    if head is not None:
        chain.follow(check_head(head, verifier))
        report.heads += 1
        report.last_head = head
    return head


def _compare(head: TreeHead, frontier: merkle.Frontier) -> None:
    if head.root_hash != frontier.root():
        raise LogInconsistent(
            f"the tree head of {head.tree_size} entries does not match the entries stored: "
            "an entry up to that point was changed, removed or reordered"
        )
