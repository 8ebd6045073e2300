"""Creating a data folder: ``eo152 init``, safe to run twice."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Settings
from ..ledger import LedgerSettings
from ..ledger import initialize as initialize_ledger

if TYPE_CHECKING:
    from .. import places


def init(settings: Settings) -> list[str]:
    """Create what a data folder needs; return one line per thing done or already present."""
    done: list[str] = []
    for folder in (settings.data_dir, settings.readings_dir):
        existed = folder.exists()
        folder.mkdir(mode=OWNER_ONLY, parents=True, exist_ok=True)
        done.append(f"{'kept' if existed else 'created'} {folder}")
    done.extend(_owner_only(settings.data_dir))
    # The ledger's signing key, evidence folder and tables; the log itself stays empty.
    done.extend(
        initialize_ledger(LedgerSettings.from_env(settings.data_dir, settings.database_url))
    )

    done.extend(migrate_records(settings))

    from .. import places  # here, so that commands other than init start without numpy & co.

    done.extend(_places_lines(places.import_defaults(settings)))
    return done


#: The data folder holds evidence, the database and the log's signing key: readable by its
#: owner only, whatever the umask (under 022 every local user could read them).
OWNER_ONLY = 0o700


def _owner_only(folder: Path) -> list[str]:
    """Make ``folder`` its owner's alone (what is inside is then out of others' reach)."""
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode & 0o077 == 0 and mode & OWNER_ONLY == OWNER_ONLY:
        return []
    os.chmod(folder, OWNER_ONLY)
    return [f"made {folder} readable by its owner only (it was {mode:o})"]


def _places_lines(reports: list[places.LayerReport]) -> list[str]:
    """The Denver layers, when the shared data folder is there (unchanged ones are kept)."""
    verbs = {"imported": "imported", "unchanged": "kept", "failed": "could not import"}
    lines = []
    for report in reports:
        line = f"{verbs[report.status]} places layer {report.layer}"
        if report.error:
            line += f": {report.error}"
        else:
            line += f" ({report.loaded} places, {report.rejected} rejected)"
        lines.append(line)
    return lines


class MigrationFailed(Exception):
    """The records tables could not be brought up to date; the message says why."""


def migrate_records(settings: Settings) -> list[str]:
    """The records apps' tables (accounts, incidents...) in ``settings``' database, created
    or brought up to date.

    Django's own ``migrate`` runs in a child process given this data folder and database:
    Django reads its settings once per process, and the caller's may name another folder.
    """
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eo152.site.settings",
        "EO152_DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.database_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "1"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise MigrationFailed(f"cannot bring the records tables up to date: {reason}")
    applied = sum("Applying" in line for line in done.stdout.splitlines())
    if applied:
        return [f"applied {applied} database migrations"]
    return ["kept the records tables (up to date)"]
