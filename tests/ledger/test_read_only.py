"""Checks never write: ``ledger verify`` runs on a read-only copy of a data folder.

The copy is made read-only and owned by an unprivileged user, who runs the check; as root
(CI runs as root, and root ignores file modes) the command is run as ``nobody`` through
``setpriv``. The copy must come out exactly as it went in: no write-ahead, journal or
lock file beside the database, no migration, no entry.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from eo152.ledger import DatabaseUnavailable, Ledger, LedgerSettings

from .conftest import Eo152

NOBODY = 65534
EO152 = Path(sys.executable).parent / "eo152"


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mode)
        for path in sorted(folder.rglob("*"))
    }


def _as_nobody(args: list[str]) -> list[str]:
    """``args`` run by an unprivileged user: ``nobody`` when we are root, else ourselves."""
    if os.geteuid() != 0:
        return args
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file modes cannot be tested as root")
    ids = [f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    return [setpriv, *ids, *args]


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder outside pytest's own (which is 700), so that ``nobody`` can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="eo152-read-only-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o700)
    shutil.rmtree(folder)


def _make_data_folder(eo152_with: type[Eo152], root: Path) -> dict[str, str]:
    env = {
        "EO152_DATA_DIR": str(root / "data"),
        "DATABASE_URL": f"sqlite:///{root / 'data' / 'eo152.sqlite3'}",
        "EO152_SHARED_DATA": str(root / "no-shared-data"),
    }
    eo152 = eo152_with(env)
    assert eo152("init")[0] == 0
    for name in ("a.txt", "b.txt"):
        (root / name).write_text(f"statement {name}")
        code, _, err = eo152("evidence", "add", root / name)
        assert code == 0, err
    return env


def _read_only_copy(source: Path, target: Path) -> None:
    shutil.copytree(source, target)
    if os.geteuid() == 0:
        for path in [target, *target.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
    for path in [target, *target.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full_env = {"PATH": os.environ["PATH"], "HOME": "/nonexistent", **env}
    return subprocess.run(
        _as_nobody([str(EO152), *args]), env=full_env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("writer", ["closed", "open"])
def test_verify_runs_on_a_read_only_copy_and_writes_nothing(
    eo152_with: type[Eo152], shared_tmp: Path, writer: str
) -> None:
    """Copied after every writer closed it (no -wal file), or while one had it open."""
    env = _make_data_folder(eo152_with, shared_tmp / "live")
    live = shared_tmp / "live" / "data"
    if writer == "open":
        ledger = Ledger.open(LedgerSettings(live, env["DATABASE_URL"]))
        ledger.log.append('{"kind":"note","text":"appended while the copy was made"}')
        assert (live / "eo152.sqlite3-wal").exists()
        _read_only_copy(live, shared_tmp / "copy")
        ledger.close()
    else:
        assert not (live / "eo152.sqlite3-wal").exists()
        _read_only_copy(live, shared_tmp / "copy")
    copy = shared_tmp / "copy"
    before = _listing(copy)
    copy_env = {
        **env,
        "EO152_DATA_DIR": str(copy),
        "DATABASE_URL": f"sqlite:///{copy / 'eo152.sqlite3'}",
    }
    for command in (["ledger", "verify", "--json"], ["ledger", "head", "--json"]):
        result = _run(copy_env, *command)
        assert result.returncode == 0, result.stderr
    report = json.loads(_run(copy_env, "ledger", "verify", "--json").stdout)
    assert (report["ok"], report["tree_size"]) == (True, 3 if writer == "open" else 2)
    assert _listing(copy) == before


def test_writing_to_a_read_only_copy_says_what_to_do(
    eo152_with: type[Eo152], shared_tmp: Path
) -> None:
    env = _make_data_folder(eo152_with, shared_tmp / "live")
    copy = shared_tmp / "copy"
    _read_only_copy(shared_tmp / "live" / "data", copy)
    before = _listing(copy)
    (shared_tmp / "new.txt").write_text("a new statement")
    (shared_tmp / "new.txt").chmod(0o644)
    copy_env = {
        **env,
        "EO152_DATA_DIR": str(copy),
        "DATABASE_URL": f"sqlite:///{copy / 'eo152.sqlite3'}",
    }
    result = _run(copy_env, "evidence", "add", str(shared_tmp / "new.txt"))
    assert result.returncode == 3, result.stderr
    assert "internal error" not in result.stderr
    assert "Nothing was changed" in result.stderr, result.stderr
    assert _listing(copy) == before


@pytest.mark.db
def test_a_ledger_opened_for_checking_cannot_write(
    ledger: Ledger, settings: LedgerSettings
) -> None:
    """On SQLite and PostgreSQL alike, the database itself refuses a check's writes."""
    ledger.log.append('{"kind":"note","text":"one entry"}')
    checking = Ledger.open(settings, read_only=True)
    with pytest.raises(DatabaseUnavailable) as raised:
        checking.log.append('{"kind":"note","text":"never stored"}')
    assert raised.value.condition == "read_only"
    assert checking.verify().tree_size == 1
    checking.close()


def test_a_read_only_bundle_is_checked_by_an_unprivileged_user(
    eo152_with: type[Eo152], shared_tmp: Path
) -> None:
    env = _make_data_folder(eo152_with, shared_tmp / "live")
    bundle = shared_tmp / "live" / "bundle"
    assert eo152_with(env)("ledger", "export", bundle, "--with-files")[0] == 0
    _read_only_copy(bundle, shared_tmp / "copy")
    before = _listing(shared_tmp / "copy")
    result = _run(env, "ledger", "verify", "--bundle", str(shared_tmp / "copy"), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["tree_size"] == 3
    assert _listing(shared_tmp / "copy") == before


def test_checking_a_database_that_is_not_there_creates_none(
    eo152_with: type[Eo152], env: dict[str, str], tmp_path: Path
) -> None:
    missing = tmp_path / "elsewhere" / "eo152.sqlite3"
    eo152 = eo152_with({**env, "DATABASE_URL": f"sqlite:///{missing}"})
    assert eo152("init")[0] == 0  # the key and the evidence folder; then the database moves
    missing.unlink()
    code, _, err = eo152("ledger", "verify")
    assert code == 2
    assert "run `eo152 init` first" in err
    assert not missing.exists()
