"""Creating a data folder: ``eo152 init``, safe to run twice."""

from __future__ import annotations

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
        folder.mkdir(parents=True, exist_ok=True)
        done.append(f"{'kept' if existed else 'created'} {folder}")
    # The ledger's signing key, evidence folder and tables; the log itself stays empty.
    done.extend(
        initialize_ledger(LedgerSettings.from_env(settings.data_dir, settings.database_url))
    )

    from .. import places  # here, so that commands other than init start without numpy & co.

    done.extend(_places_lines(places.import_defaults(settings)))
    return done


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
