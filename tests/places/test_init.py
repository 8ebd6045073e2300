"""``eo152 init`` brings the Denver layers in, so a fresh data folder answers at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from eo152 import places
from eo152.config import Settings
from eo152.services.datadir import init


def test_init_imports_the_denver_layers_once(settings: Settings) -> None:
    first = init(settings)
    assert "imported places layer parkland (370 places, 0 rejected)" in first
    second = init(settings)
    assert "kept places layer parkland (370 places, 0 rejected)" in second
    answer = places.Registry.default(settings).lookup(39.7390, -104.9877)
    assert answer.ownership == "city_owned"


def test_init_without_the_shared_folder_imports_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EO152_SHARED_DATA", str(tmp_path / "nowhere"))
    assert not any("places" in line for line in init(settings))
    assert places.Registry.default(settings).layers == ()
