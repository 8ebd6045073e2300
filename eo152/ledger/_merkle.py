"""RFC 9162 Merkle tree hashing, proofs as lists of subtree ranges, and proof verification.

The log keeps only *perfect* subtrees (a power-of-two number of leaves, aligned on that
power). Every hash an RFC 9162 proof needs is either such a subtree or a subtree on the
tree's right edge, which folds from at most log2(n) perfect ones. So a proof is planned
here as ranges of leaves, the storage fetches the perfect subtrees those ranges name in
one query, and :func:`fold` combines them. Nothing here touches storage.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ._errors import InvalidProof

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""MTH({}): the hash of an empty tree is the hash of the empty string (RFC 9162 2.1.1)."""

Range = tuple[int, int]
"""Leaves ``[start, end)`` of one subtree."""

Node = tuple[int, int]
"""A perfect subtree as ``(level, index)``: leaves ``[index << level, (index + 1) << level)``."""


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than ``size`` (``size`` > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def perfect_nodes(start: int, end: int) -> list[Node]:
    """The perfect subtrees whose fold is MTH(D[start:end]), left to right.

    Valid for every subtree of an RFC 9162 tree: its left part is always a perfect
    subtree aligned on its own size, and the rest recurses the same way.
    """
    nodes: list[Node] = []
    while end - start > 0:
        size = end - start
        part = size if size & (size - 1) == 0 else _split(size)
        level = part.bit_length() - 1
        nodes.append((level, start >> level))
        start += part
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """Fold the hashes of :func:`perfect_nodes` (right to left) into one subtree hash."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The subtrees of PATH(index, D[size]) (RFC 9162 2.1.3.1), leaf to root."""
    return [span for span, _, _ in shared_inclusion_ranges(index, index + 1, size)]


def shared_inclusion_ranges(first: int, end: int, size: int) -> list[tuple[Range, int, int]]:
    """The inclusion paths of leaves ``[first, end)`` at once, as ``(span, lo, hi)``.

    Each span belongs, in order, to the paths of leaves ``lo`` to ``hi - 1``. Level by
    level, the sibling of a leaf's ancestor covers the next ``2**level`` leaves on the
    other side, cut at the tree's end; an ancestor with no sibling (on the right edge) is
    not a node of an RFC 9162 tree, so that level adds nothing. Consecutive leaves share
    ancestors, so a batch of appends plans each shared subtree once.
    """
    if not 0 <= first < end <= size:
        raise ValueError(f"leaves {first} to {end - 1} are not in a tree of {size} entries")
    shared: list[tuple[Range, int, int]] = []
    level = 0
    while (1 << level) < size:
        width = 1 << level
        for ancestor in range(first >> level, ((end - 1) >> level) + 1):
            start = (ancestor ^ 1) << level
            if start < size:
                lo, hi = ancestor << level, (ancestor + 1) << level
                span = (start, start + width if start + width < size else size)
                shared.append((span, lo if lo > first else first, hi if hi < end else end))
        level += 1
    return shared


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """The subtrees of PROOF(old_size, D[new_size]) (RFC 9162 2.1.4.1), in proof order."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} entries to {new_size}")
    if old_size in (0, new_size):
        return []
    ranges: list[Range] = []
    start, end, whole = 0, new_size, True
    m = old_size
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


class Frontier:
    """The perfect subtrees on the right edge of a growing tree: appends in O(log n).

    ``push`` returns the perfect subtrees the new leaf completes, so storage can keep them.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != size.bit_count():
            raise ValueError("a frontier needs one hash per set bit of the tree size")
        self.size = size
        self.hashes = list(hashes)

    def push(self, leaf: bytes) -> list[tuple[Node, bytes]]:
        index = self.size
        completed: list[tuple[Node, bytes]] = [((0, index), leaf)]
        current, level = leaf, 0
        while index & 1:
            current = node_hash(self.hashes.pop(), current)
            level, index = level + 1, index >> 1
            completed.append(((level, index), current))
        self.hashes.append(current)
        self.size += 1
        return completed

    def root(self) -> bytes:
        return fold(self.hashes) if self.hashes else EMPTY_ROOT

    @staticmethod
    def nodes_for(size: int) -> list[Node]:
        """The perfect subtrees a frontier of ``size`` leaves holds, left to right."""
        return perfect_nodes(0, size)


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 2.1.3.2; raises :class:`InvalidProof` unless ``leaf`` is at ``index``."""
    if not 0 <= index < size:
        raise InvalidProof(f"leaf index {index} is outside a tree of {size} entries")
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            raise InvalidProof("the inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidProof("the inclusion proof is shorter than the tree is deep")
    if result != root:
        raise InvalidProof("the inclusion proof does not lead to the root hash")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 2.1.4.2; raises :class:`InvalidProof` unless the old tree is a prefix."""
    if not 0 <= old_size <= new_size:
        raise InvalidProof(f"a tree of {new_size} entries cannot follow one of {old_size}")
    if old_size in (0, new_size):
        if proof:
            raise InvalidProof("the consistency proof should be empty")
        if old_size == new_size and old_root != new_root:
            raise InvalidProof("two tree heads of the same size have different root hashes")
        return
    if not proof:
        raise InvalidProof("the consistency proof is empty")
    nodes = list(proof)
    if old_size & (old_size - 1) == 0:
        nodes.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            raise InvalidProof("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidProof("the consistency proof is too short")
    if fr != old_root:
        raise InvalidProof("the consistency proof does not lead to the old root hash")
    if sr != new_root:
        raise InvalidProof("the consistency proof does not lead to the new root hash")
