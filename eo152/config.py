"""Where eo152 keeps its state: one data folder and one database, chosen by the environment.

Two data folders never share anything, so tests and several deployments run side by side.
``EO152_DATA_DIR`` picks the folder (default: ``$XDG_DATA_HOME/eo152`` or
``~/.local/share/eo152``); ``DATABASE_URL`` picks the database (default: SQLite in the data
folder, ``sqlite:///<data folder>/eo152.sqlite3``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("EO152_DATA_DIR") or _default_data_dir(env)).expanduser()
        database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'eo152.sqlite3'}"
        return cls(data_dir=data_dir.absolute(), database_url=database_url)

    @property
    def readings_dir(self) -> Path:
        """Readings files a deployment keeps (answers to open legal questions)."""
        return self.data_dir / "readings"


def _default_data_dir(env: dict[str, str] | os._Environ[str]) -> Path:
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "eo152"
