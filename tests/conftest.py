"""Shared fixtures and settings.

Every test gets its own data folder, so runs never share state.

Hypothesis profiles: ``ci`` (what ``make test`` and CI use) is derandomized, so a run is
reproducible and a red build is red for everyone, with no example database. ``dev`` (the
default for a bare ``pytest``) draws random examples and remembers failures in
``.hypothesis/``, so a failure found once is tried first the next time. Choose with
``HYPOTHESIS_PROFILE``; ``EO152_EXAMPLES`` multiplies every property test's number of
examples (``EO152_EXAMPLES=20 pytest tests/rules/test_properties.py`` for a long hunt).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

SHARED = Path(os.environ.get("EO152_SHARED", Path(__file__).resolve().parents[2] / "shared"))

# Deciding can take long on a situation with many unknown facts: no deadline. The data
# folder below is per test, not per example, which is what the property tests want.
_COMMON = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile("ci", _COMMON, derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", _COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    monkeypatch.setenv("EO152_DATA_DIR", str(folder))
    yield folder
