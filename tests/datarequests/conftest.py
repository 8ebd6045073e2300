"""Accounts for the desk, a library clerk's ICE subpoena, and small files to attach."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # Django is set up after this file is read
    from eo152.accounts.models import User

#: An ICE administrative subpoena for a library patron's address, as the API takes it.
SUBPOENA: dict[str, Any] = {
    "agencies": ["ICE_ERO"],
    "purpose": "civil_immigration",
    "received_at": "2026-11-20T09:30:00-07:00",
    "channel": "in_person",
    "data_categories": ["address"],
    "authority": {"kind": "administrative_subpoena", "form": "I-138"},
    "process": {"issuer": "ICE ERO Denver Field Office", "date": "2026-11-18"},
    "concerning": "Library card 2231: home address",
    "deadline": "2026-12-04",
    "external_id": "ERO-DEN-2026-0412",
}

#: The smallest PDF a process document can be, and a text file that is not one.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def make_user(db: None, ledger_ready: Path) -> Callable[..., User]:
    from eo152.accounts.models import User

    made: dict[str, int] = {}

    def make(role: str, office: str = "") -> User:
        made[role] = made.get(role, 0) + 1
        return User.objects.create_user(
            f"{role}{made[role]}", password=None, role=role, office=office
        )

    return make


@pytest.fixture
def pdf_file(tmp_path: Path) -> Path:
    path = tmp_path / "subpoena.pdf"
    path.write_bytes(PDF_BYTES)
    return path


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a PDF")
    return path
