"""Fixtures for the places tests: the real Denver layers, imported once per test session."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eo152 import places
from eo152.config import Settings


@pytest.fixture(autouse=True)
def _shared_env(monkeypatch: pytest.MonkeyPatch, shared_dir: Path) -> None:
    monkeypatch.setenv("EO152_SHARED_DATA", str(shared_dir))


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
