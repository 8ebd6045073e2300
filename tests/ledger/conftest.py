"""Fixtures for the ledger's tests: a fresh data folder and database for each test.

On PostgreSQL (``DATABASE_URL=postgresql://...``) each test gets its own schema, named at
random and dropped afterwards, so parallel runs never see each other's tables.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from eo152.cli import app
from eo152.ledger import Ledger, LedgerSettings, initialize


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'eo152.sqlite3'}"
        return
    schema = f"ledger_test_{secrets.token_hex(6)}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> LedgerSettings:
    return LedgerSettings(tmp_path / "data", database_url, max_bytes=1 << 20)


@pytest.fixture
def ledger(settings: LedgerSettings) -> Iterator[Ledger]:
    initialize(settings, origin="eo152.test/ledger")
    opened = Ledger.open(settings)
    yield opened
    opened.close()


@pytest.fixture
def env(settings: LedgerSettings) -> dict[str, str]:
    """The environment the ``eo152`` command sees in CLI tests."""
    return {
        "EO152_DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.database_url,
        "EO152_EVIDENCE_MAX_BYTES": str(settings.max_bytes),
        # No Denver layers: `eo152 init` then skips the places import, which these tests
        # do not need and which takes seconds.
        "EO152_SHARED_DATA": str(settings.data_dir.parent / "no-shared-data"),
    }


class Eo152:
    """Runs ``eo152`` in this process, as a user would type it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.runner = CliRunner()

    def __call__(self, *args: str | Path) -> tuple[int, str, str]:
        result = self.runner.invoke(app, [str(a) for a in args], env=self.env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def eo152_with() -> type[Eo152]:
    """Runs ``eo152`` with another environment (another machine, a fresh data folder)."""
    return Eo152


@pytest.fixture
def eo152(env: dict[str, str]) -> Eo152:
    runner = Eo152(env)
    code, _, err = runner("init")
    assert code == 0, err
    return runner
