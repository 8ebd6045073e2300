"""A signed tree head: the size of the log, its root hash, and the checkpoint that signs them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TreeHead:
    tree_size: int
    root_hash: bytes
    checkpoint: str

    def to_dict(self) -> dict[str, object]:
        return {
            "tree_size": self.tree_size,
            "root_hash": self.root_hash.hex(),
            "checkpoint": self.checkpoint,
        }
