"""The default Denver layers and where their files are.

The files are never copied into the repository: they are read from the shared data folder,
``EO152_SHARED_DATA`` or ``../shared/data/denver`` relative to the current directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..config import Settings
from ._config import load_config
from ._importer import LayerReport, Progress, import_layers
from ._store import store_dir


def default_config_path() -> Path:
    """The Denver layer config shipped with the package (copy it to edit it)."""
    return Path(__file__).parent / "layers" / "denver.yaml"


def shared_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env.get("EO152_SHARED_DATA") or "../shared/data/denver").expanduser().absolute()


def import_config(
    config: Path,
    settings: Settings,
    *,
    force: bool = False,
    progress: Progress | None = None,
    shared_dir: Path | None = None,
) -> list[LayerReport]:
    """Import every layer of ``config`` into the data folder of ``settings``."""
    layers = load_config(config, shared_dir or shared_data_dir())
    return import_layers(layers, store_dir(settings.data_dir), force=force, progress=progress)


def import_defaults(settings: Settings, progress: Progress | None = None) -> list[LayerReport]:
    """Import the Denver layers when the shared folder exists (unchanged layers are kept)."""
    if not shared_data_dir().is_dir():
        return []
    return import_config(default_config_path(), settings, progress=progress)
