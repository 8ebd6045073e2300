"""Creating a data folder: ``eo152 init``, safe to run twice."""

from __future__ import annotations

from .config import Settings


def init(settings: Settings) -> list[str]:
    """Create what a data folder needs; return one line per thing done or already present."""
    done: list[str] = []
    for folder in (settings.data_dir, settings.readings_dir):
        existed = folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        done.append(f"{'kept' if existed else 'created'} {folder}")
    return done
