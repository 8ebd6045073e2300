"""Putting one mistake into a copy of the shipped policy (the ``policy_dir`` fixture of
``conftest.py``), and reading what loading says of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from eo152.rules import PolicyError, load_policy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def problems(policy_dir: Path) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(policy_dir)
    return [f"{where}: {what}" for where, what in caught.value.problems]
