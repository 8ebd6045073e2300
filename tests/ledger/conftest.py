"""Fixtures for the ledger's tests: a fresh data folder and database for each test.

On PostgreSQL (``DATABASE_URL=postgresql://...``) each test gets its own schema, named at
random and dropped afterwards, so parallel runs never see each other's tables.

``any_ledger`` runs a test once on each store: memory, SQLite, and PostgreSQL (marked
``db``, so it runs in the PostgreSQL pass and is skipped when DATABASE_URL is not
PostgreSQL).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from eo152.cli import app
from eo152.ledger import Ledger, LedgerSettings, MemoryStore, initialize, open_store

SQL_STORES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.db)]
STORES = ["memory", *SQL_STORES]


@contextmanager
def postgres_schema(base: str) -> Iterator[str]:
    """A database URL whose tables go to a fresh schema, dropped afterwards."""
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
def database_url(tmp_path: Path) -> Iterator[str]:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'eo152.sqlite3'}"
        return
    with postgres_schema(base) as url:
        yield url


@contextmanager
def fresh_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh database of ``kind``; "memory" stands for the memory store."""
    base = os.environ.get("DATABASE_URL", "")
    if kind == "postgresql":
        if not base.startswith("postgres"):
            pytest.skip("DATABASE_URL is not PostgreSQL: this runs in the PostgreSQL pass")
        with postgres_schema(base) as url:
            yield url
    else:
        yield "memory" if kind == "memory" else f"sqlite:///{tmp_path / 'eo152.sqlite3'}"


@pytest.fixture(params=STORES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database of each kind in turn."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(params=SQL_STORES)
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite database, then a fresh PostgreSQL schema."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def any_ledger(store_url: str, tmp_path: Path) -> Iterator[Ledger]:
    """A fresh ledger on each store in turn."""
    settings = LedgerSettings(tmp_path / "data", store_url, max_bytes=1 << 20)
    store = MemoryStore() if store_url == "memory" else open_store(store_url)
    initialize(settings, origin="eo152.test/ledger", log_store=store)
    opened = Ledger.open(settings, store)
    yield opened
    opened.close()


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
