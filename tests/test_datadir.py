"""``eo152 init`` makes the data folder its owner's alone: it holds evidence, the database and
the log's signing key, which other local users must not read whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from eo152.config import Settings
from eo152.services.datadir import init


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> object:
    previous = os.umask(0o022)
    yield None
    os.umask(previous)


def test_a_new_data_folder_is_the_owners_alone_under_umask_022(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: object
) -> None:
    monkeypatch.setenv("EO152_SHARED_DATA", str(data_dir.parent / "no-layers"))
    init(Settings.from_env())
    assert _mode(data_dir) == 0o700


def test_an_existing_open_data_folder_is_tightened_and_says_so(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: object
) -> None:
    monkeypatch.setenv("EO152_SHARED_DATA", str(data_dir.parent / "no-layers"))
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)
    lines = init(Settings.from_env())
    assert _mode(data_dir) == 0o700
    assert f"made {data_dir} readable by its owner only (it was 755)" in lines
    assert not any("readable by its owner" in line for line in init(Settings.from_env()))
