"""RFC 6962 / RFC 9162 known answers, and the proof checks failing on every kind of damage.

The vectors below are the known-answer tests published with Certificate Transparency's
reference implementation: google/certificate-transparency, file
cpp/merkletree/merkle_tree_test.cc (kInputs, kSHA256Roots, kSHA256Paths, kSHA256Proofs).
That file counts leaves from 1; the indexes here count from 0, as RFC 9162 does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eo152.ledger import InvalidProof, verify_consistency, verify_inclusion
from eo152.ledger._merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_ranges,
    fold,
    inclusion_ranges,
    leaf_hash,
    node_hash,
    perfect_nodes,
    shared_inclusion_ranges,
)

INPUTS = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index from 0, tree size, path leaf to root)
PATHS = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (0, 1, []),
]
# (old size, new size, proof)
PROOFS = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]


def range_hash(span: tuple[int, int], lookup: Callable[[tuple[int, int]], bytes]) -> bytes:
    """The hash of a subtree, from the perfect subtrees the log stores."""
    return fold([lookup(node) for node in perfect_nodes(*span)])


def _tree(inputs: list[bytes]) -> tuple[list[bytes], dict[tuple[int, int], bytes]]:
    """Roots after each append, and every perfect subtree, built as the log builds them."""
    frontier, nodes, roots = Frontier(), {}, []
    for data in inputs:
        nodes.update(frontier.push(leaf_hash(data)))
        roots.append(frontier.root())
    return roots, nodes


def _reference_root(leaves: list[bytes]) -> bytes:
    """MTH as RFC 9162 2.1.1 defines it, recursively, for cross-checking."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(_reference_root(leaves[:k]), _reference_root(leaves[k:]))


def test_the_empty_tree_hashes_to_the_hash_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == hashlib.sha256(b"").hexdigest()
    assert Frontier().root() == EMPTY_ROOT


def test_root_hashes_reproduce_the_certificate_transparency_vectors() -> None:
    roots, _ = _tree(INPUTS)
    assert [r.hex() for r in roots] == ROOTS


@pytest.mark.parametrize(("index", "size", "path"), PATHS)
def test_inclusion_proofs_reproduce_the_certificate_transparency_vectors(
    index: int, size: int, path: list[str]
) -> None:
    _, nodes = _tree(INPUTS)
    proof = [range_hash(span, nodes.__getitem__) for span in inclusion_ranges(index, size)]
    assert [p.hex() for p in proof] == path
    verify_inclusion(leaf_hash(INPUTS[index]), index, size, proof, bytes.fromhex(ROOTS[size - 1]))


@pytest.mark.parametrize(("old", "new", "expected"), PROOFS)
def test_consistency_proofs_reproduce_the_certificate_transparency_vectors(
    old: int, new: int, expected: list[str]
) -> None:
    _, nodes = _tree(INPUTS)
    proof = [range_hash(span, nodes.__getitem__) for span in consistency_ranges(old, new)]
    assert [p.hex() for p in proof] == expected
    old_root, new_root = bytes.fromhex(ROOTS[old - 1]), bytes.fromhex(ROOTS[new - 1])
    verify_consistency(old, new, old_root, new_root, proof)


Damaged = tuple[bytes, int, int, list[bytes], bytes]


def _inclusion_damage(
    leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes
) -> Iterator[tuple[str, Damaged]]:
    yield "wrong index", (leaf, index + 1, size, proof, root)
    yield "index beyond", (leaf, size, size, proof, root)
    yield "wrong size", (leaf, index, size * 2, proof, root)
    yield "wrong leaf", (leaf_hash(b"WrongLeaf"), index, size, proof, root)
    yield "wrong root", (leaf, index, size, proof, EMPTY_ROOT)
    yield "extra node", (leaf, index, size, [*proof, root], root)
    yield "leading garbage", (leaf, index, size, [EMPTY_ROOT, *proof], root)
    if proof:
        yield "missing node", (leaf, index, size, proof[:-1], root)
        for j in range(len(proof)):
            changed = list(proof)
            changed[j] = EMPTY_ROOT
            yield f"node {j} changed", (leaf, index, size, changed, root)


@pytest.mark.parametrize(("index", "size", "path"), PATHS[:4])
def test_a_damaged_inclusion_proof_is_refused(index: int, size: int, path: list[str]) -> None:
    proof = [bytes.fromhex(p) for p in path]
    args = (leaf_hash(INPUTS[index]), index, size, proof, bytes.fromhex(ROOTS[size - 1]))
    for damage, damaged in _inclusion_damage(*args):
        with pytest.raises(InvalidProof):
            verify_inclusion(*damaged)
            pytest.fail(f"accepted an inclusion proof with {damage}")


@pytest.mark.parametrize(("old", "new", "expected"), PROOFS[1:])
def test_a_damaged_consistency_proof_is_refused(old: int, new: int, expected: list[str]) -> None:
    proof = [bytes.fromhex(p) for p in expected]
    old_root, new_root = bytes.fromhex(ROOTS[old - 1]), bytes.fromhex(ROOTS[new - 1])
    cases = [
        (old - 1, new, old_root, new_root, proof),
        (old + 1, new, old_root, new_root, proof),
        (old, new * 2, old_root, new_root, proof),
        (old, new, new_root, old_root, proof),
        (old, new, old_root, EMPTY_ROOT, proof),
        (old, new, old_root, new_root, []),
        (old, new, old_root, new_root, proof[:-1]),
        (old, new, old_root, new_root, [*proof, proof[-1]]),
        (old, new, old_root, new_root, [EMPTY_ROOT, *proof]),
        *[
            (old, new, old_root, new_root, [*proof[:j], EMPTY_ROOT, *proof[j + 1 :]])
            for j in range(len(proof))
        ],
    ]
    for case in cases:
        with pytest.raises(InvalidProof):
            verify_consistency(*case)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=130), st.data())
def test_every_proof_over_a_grown_tree_checks_out(size: int, data: st.DataObject) -> None:
    inputs = [i.to_bytes(2, "big") for i in range(size)]
    roots, nodes = _tree(inputs)
    assert roots[-1] == _reference_root([leaf_hash(x) for x in inputs])
    index = data.draw(st.integers(0, size - 1))
    proof = [range_hash(s, nodes.__getitem__) for s in inclusion_ranges(index, size)]
    verify_inclusion(leaf_hash(inputs[index]), index, size, proof, roots[-1])
    old = data.draw(st.integers(1, size))
    proof = [range_hash(s, nodes.__getitem__) for s in consistency_ranges(old, size)]
    verify_consistency(old, size, roots[old - 1], roots[-1], proof)


def _reference_path(index: int, start: int, end: int) -> list[tuple[int, int]]:
    """PATH(m, D[n]) exactly as RFC 9162 2.1.3.1 writes it, as subtree ranges."""
    if end - start <= 1:
        return []
    k = 1 << ((end - start - 1).bit_length() - 1)
    if index < start + k:
        return [*_reference_path(index, start, start + k), (start + k, end)]
    return [*_reference_path(index, start + k, end), (start, start + k)]


def _reference_subproof(m: int, start: int, end: int, whole: bool) -> list[tuple[int, int]]:
    """SUBPROOF(m, D[n], b) exactly as RFC 9162 2.1.4.1 writes it."""
    if m == end - start:
        return [] if whole else [(start, end)]
    k = 1 << ((end - start - 1).bit_length() - 1)
    if m <= k:
        return [*_reference_subproof(m, start, start + k, whole), (start + k, end)]
    return [*_reference_subproof(m - k, start + k, end, False), (start, start + k)]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=5000), st.data())
def test_proof_plans_follow_the_rfc_recursion(size: int, data: st.DataObject) -> None:
    first = data.draw(st.integers(0, size - 1))
    end = data.draw(st.integers(first + 1, min(size, first + 64)))
    paths: dict[int, list[tuple[int, int]]] = {i: [] for i in range(first, end)}
    for span, lo, hi in shared_inclusion_ranges(first, end, size):
        for leaf in range(lo, hi):
            paths[leaf].append(span)
    assert paths == {i: _reference_path(i, 0, size) for i in range(first, end)}
    old = data.draw(st.integers(1, size))
    assert consistency_ranges(old, size) == _reference_subproof(old, 0, size, True)
