from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _static(collected_static: None) -> None:
    """Pages link the hashed names of the collected static files."""
