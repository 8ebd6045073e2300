"""Creating a data folder: ``eo152 init``, safe to run twice."""

from __future__ import annotations

from .config import Settings
from .ledger import LedgerSettings
from .ledger import initialize as initialize_ledger


def init(settings: Settings) -> list[str]:
    """Create what a data folder needs; return one line per thing done or already present."""
    done: list[str] = []
    for folder in (settings.data_dir, settings.readings_dir):
        existed = folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        done.append(f"{'kept' if existed else 'created'} {folder}")
    # The ledger's signing key, evidence folder and tables; the log itself stays empty.
    ledger = LedgerSettings.from_env(settings.data_dir, settings.database_url)
    done.extend(initialize_ledger(ledger))
    return done
