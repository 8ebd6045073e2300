"""The secret key a deployment did not set: made once, kept in the data folder.

A key generated at every start would invalidate every CSRF token on a restart (and differ
between server workers), so it is written once, readable only by its owner.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_FILE_NAME = "secret_key"


def load_or_create_secret_key(data_dir: Path) -> str:
    path = data_dir / _FILE_NAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker wrote it first
            pass
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
