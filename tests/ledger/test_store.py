"""The tables' schema version: written at creation, upgraded when opened, newer refused.

The ledger's tables live outside Django's migrations, so they carry their own version
(``ledger_schema``). Version 0 is the layout from before that row existed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eo152.ledger import (
    SCHEMA_VERSION,
    CustodyEvent,
    DatabaseUnavailable,
    Ledger,
    LedgerError,
    LedgerNotInitialized,
    LedgerSettings,
    LogStore,
    MemoryStore,
    MerkleLog,
    SchemaTooNew,
    Signer,
    initialize,
    open_store,
)

from .conftest import Eo152

DIGEST = "ab" * 32


def _settings(tmp_path: Path, url: str) -> LedgerSettings:
    return LedgerSettings(tmp_path / "data", url, max_bytes=1 << 20)


def _store(url: str) -> LogStore:
    return MemoryStore() if url == "memory" else open_store(url)


def _old_ledger(url: str, signer: Signer) -> list[str]:
    """Tables as eo152 wrote them before the version row, holding three entries."""
    store = open_store(url)
    with store.migrating():
        store.create_tables()
    assert store.schema_version() == 0
    log = MerkleLog(store, signer.verifier, signer)
    entries = [
        CustodyEvent("viewed", DIGEST, f"officer-{i}", "2026-03-01T00:00:00Z").to_entry()
        for i in range(3)
    ]
    log.append_many(entries[:2])
    log.append(entries[2])
    store.close()
    return entries


def test_a_new_store_is_created_at_the_current_version(store_url: str, tmp_path: Path) -> None:
    store = _store(store_url)
    assert store.schema_version() is None
    assert store.prepare(create=True) is False
    assert store.schema_version() == SCHEMA_VERSION
    assert store.prepare(create=True) is True  # a second `eo152 init` keeps the tables
    store.close()


def test_opening_a_store_without_tables_says_to_run_init(store_url: str, tmp_path: Path) -> None:
    settings = _settings(tmp_path, store_url)
    initialize(settings, log_store=MemoryStore())  # the key, but not these tables
    with pytest.raises(LedgerNotInitialized, match="eo152 init"):
        Ledger.open(settings, _store(store_url))


def test_old_tables_are_upgraded_when_opened(sql_url: str, tmp_path: Path) -> None:
    settings = _settings(tmp_path, sql_url)
    initialize(settings, origin="eo152.test/ledger", log_store=MemoryStore())
    signer = Signer.decode(settings.key_file.read_text())
    entries = _old_ledger(sql_url, signer)
    ledger = Ledger.open(settings)
    assert ledger.log.store.schema_version() == SCHEMA_VERSION
    assert [entry for _, entry in ledger.log.entries()] == entries
    assert [head.tree_size for head in ledger.log.heads()] == [2, 3]
    assert ledger.log.append(entries[0]).leaf_index == 3
    assert ledger.verify().tree_size == 4
    ledger.close()


def test_an_upgrade_that_fails_changes_nothing(
    sql_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signer = Signer.generate("eo152.test/ledger")
    _old_ledger(sql_url, signer)
    store = open_store(sql_url)
    upgrade = store.upgrade

    def upgrade_then_fail(version: int) -> None:
        upgrade(version)
        raise DatabaseUnavailable("the disk is full")

    monkeypatch.setattr(store, "upgrade", upgrade_then_fail)
    with pytest.raises(DatabaseUnavailable):
        store.prepare(create=False)
    assert store.schema_version() == 0  # the version row went with the rest of the transaction
    monkeypatch.undo()
    assert store.prepare(create=False) is True
    assert store.schema_version() == SCHEMA_VERSION
    store.close()


def test_a_newer_schema_version_is_refused_and_left_alone(sql_url: str, tmp_path: Path) -> None:
    settings = _settings(tmp_path, sql_url)
    initialize(settings, origin="eo152.test/ledger")
    store = open_store(sql_url)
    store.connection.execute("UPDATE ledger_schema SET version = 7")
    store.close()
    message = rf"schema version 7; this eo152 knows versions up to {SCHEMA_VERSION}"
    with pytest.raises(SchemaTooNew, match=message):
        Ledger.open(settings)
    with pytest.raises(SchemaTooNew, match=message):
        initialize(settings)
    store = open_store(sql_url)
    assert store.schema_version() == 7
    store.close()


@pytest.mark.db
def test_the_cli_refuses_a_newer_schema_with_status_2(
    eo152: Eo152, settings: LedgerSettings
) -> None:
    store = open_store(settings.database_url)
    store.connection.execute("UPDATE ledger_schema SET version = 7")
    store.close()
    code, _, err = eo152("ledger", "head")
    assert code == 2
    assert "schema version 7" in err


def test_a_database_that_fails_is_a_ledger_error(sql_url: str, tmp_path: Path) -> None:
    settings = _settings(tmp_path, sql_url)
    initialize(settings, origin="eo152.test/ledger")
    ledger = Ledger.open(settings)
    ledger.log.store.connection.execute("DROP TABLE ledger_node")
    event = CustodyEvent("viewed", DIGEST, "officer-1", "2026-03-01T00:00:00Z")
    with pytest.raises(DatabaseUnavailable, match="the database failed") as raised:
        ledger.record(event)
    assert isinstance(raised.value, LedgerError)
    ledger.close()


def test_an_unreadable_key_is_a_ledger_error(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "memory")
    settings.key_file.mkdir(parents=True)  # a folder where the key should be
    with pytest.raises(LedgerError, match="cannot read the ledger key"):
        Ledger.open(settings, MemoryStore())


def test_a_url_of_another_database_is_refused() -> None:
    with pytest.raises(DatabaseUnavailable, match="neither sqlite"):
        open_store("mysql://localhost/eo152")
