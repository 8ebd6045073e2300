"""Fixtures of the engine's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eo152.rules import DEFAULT_POLICY_DIR


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    """A copy of the shipped policy, to put one mistake into."""
    target = tmp_path / "policies"
    shutil.copytree(DEFAULT_POLICY_DIR, target)
    return target
