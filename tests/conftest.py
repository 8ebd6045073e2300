"""Shared fixtures and settings.

Every test gets its own data folder, so runs never share state. Django's settings are read
once, at start: they get a throwaway data folder of their own, set here before Django reads
them, so no test writes to a real data folder.

Hypothesis profiles: ``ci`` (what ``make test`` and CI use) is derandomized, so a run is
reproducible and a red build is red for everyone, with no example database. ``dev`` (the
default for a bare ``pytest``) draws random examples and remembers failures in
``.hypothesis/``, so a failure found once is tried first the next time. Choose with
``HYPOTHESIS_PROFILE``; ``EO152_EXAMPLES`` multiplies every property test's number of
examples (``EO152_EXAMPLES=20 pytest tests/rules/test_properties.py`` for a long hunt).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from eo152.config import Settings

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

os.environ["EO152_DATA_DIR"] = tempfile.mkdtemp(prefix="eo152-test-")
atexit.register(shutil.rmtree, os.environ["EO152_DATA_DIR"], ignore_errors=True)
# WhiteNoise looks for the collected files as soon as the app is built (the schema tests build
# it while collecting); the folder exists from the start so it does not warn.
Path(os.environ["EO152_DATA_DIR"], "static").mkdir()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eo152.site.settings")


def pytest_configure(config: pytest.Config) -> None:
    # pytest-django looked for the settings before this file set them: set Django up now.
    import django

    django.setup()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    monkeypatch.setenv("EO152_DATA_DIR", str(folder))
    yield folder


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
) -> Iterator[None]:
    """A test database of our own on PostgreSQL, so runs from several checkouts never meet.

    Django would name it ``test_<NAME>`` (``test_test`` for the CI's database ``test``), a
    name another checkout's run on the same server could be using at the same moment.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        database.setdefault("TEST", {})["NAME"] = f"test_eo152_{os.getpid()}"
    yield


@pytest.fixture(scope="session")
def collected_static() -> None:
    """The static files collected once, as ``eo152 serve`` does: pages link their hashed names."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The real Denver layers beside the checkout (``EO152_SHARED_DATA`` to look elsewhere)."""
    configured = os.environ.get("EO152_SHARED_DATA")
    folder = Path(configured) if configured else SHARED / "data" / "denver"
    assert (folder / "ATTRIBUTION.md").exists(), f"the shared Denver data is missing: {folder}"
    return folder


@pytest.fixture(scope="session")
def denver_settings(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Settings:
    """A data folder with the default Denver layers imported, once per run; read it only."""
    from eo152 import places

    data_dir = tmp_path_factory.mktemp("denver-data")
    denver = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir}/db.sqlite3")
    reports = places.import_config(places.default_config_path(), denver, shared_dir=shared_dir)
    assert [r.status for r in reports] == ["imported"] * len(reports), reports
    return denver


@pytest.fixture
def denver_data(denver_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The current data folder is the one with the Denver layers (for the web and the API)."""
    monkeypatch.setenv("EO152_DATA_DIR", str(denver_settings.data_dir))
    return denver_settings


@pytest.fixture
def no_connection_checks() -> Iterator[None]:
    """What Django's test client does around each request: a request that starts or finishes
    does not check the database connection an earlier test opened (pytest-django refuses that
    check in a test without the database). For tests that call the WSGI application
    themselves."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def ledger_ready(data_dir: Path) -> Iterator[Path]:
    """This test's data folder with its ledger made (key, evidence folder, tables), as
    ``eo152 init`` makes it; the ledgers the records apps opened are closed afterwards."""
    from eo152.ledger import LedgerSettings, initialize
    from eo152.services.records import close_ledgers

    settings = Settings.from_env()
    initialize(LedgerSettings.from_env(settings.data_dir, settings.database_url))
    yield data_dir
    close_ledgers()
