"""Fixtures for the places tests: the real Denver layers, imported once per test session."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eo152 import places
from eo152.config import Settings

REPO = Path(__file__).resolve().parents[2]


def _shared() -> Path:
    configured = os.environ.get("EO152_SHARED_DATA")
    return Path(configured) if configured else REPO.parent / "shared" / "data" / "denver"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    folder = _shared()
    assert (folder / "ATTRIBUTION.md").exists(), f"the shared Denver data is missing: {folder}"
    return folder


@pytest.fixture(autouse=True)
def _shared_env(monkeypatch: pytest.MonkeyPatch, shared_dir: Path) -> None:
    monkeypatch.setenv("EO152_SHARED_DATA", str(shared_dir))


@pytest.fixture(scope="session")
def denver_settings(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Settings:
    """A data folder with the default Denver layers imported (shared by read-only tests)."""
    data_dir = tmp_path_factory.mktemp("denver-data")
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir}/db.sqlite3")
    reports = places.import_config(places.default_config_path(), settings, shared_dir=shared_dir)
    assert [r.status for r in reports] == ["imported"] * len(reports), reports
    return settings


@pytest.fixture(scope="session")
def denver(denver_settings: Settings) -> places.Registry:
    return places.Registry.default(denver_settings)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """An empty data folder of its own."""
    return Settings(
        data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'data' / 'eo152.sqlite3'}"
    )


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[list[dict[str, Any]]], Path]:
    """Write a layer config (as JSON, which is YAML) into the test's folder."""

    def write(layers: list[dict[str, Any]]) -> Path:
        path = tmp_path / "layers.yaml"
        path.write_text(json.dumps({"layers": layers}), encoding="utf-8")
        return path

    return write
