"""What each library may import: the engine and the places registry stay free of Django, the
database and the front ends, so they can be reused, tested and reasoned about alone.

The ledger's own boundary test is in ``tests/ledger/test_docs.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "eo152"

#: For each library, the modules of ours outside it that it may import (relative imports
#: resolved), and the third-party packages it must never import.
CONTRACT = {
    "eo152.contract",
    *(f"eo152.contract.{m.stem}" for m in (ROOT / "contract").glob("*.py")),
}
BOUNDARIES = {
    "contract": (set(), ("django", "sqlite3", "psycopg", "numpy", "shapely")),
    "rules": ({"eo152", *CONTRACT}, ("django", "sqlite3", "psycopg", "numpy")),
    "places": ({"eo152.config", *CONTRACT}, ("django",)),
}


def imports_of(module: Path, package: str) -> set[str]:
    """Every module ``module`` imports, relative imports made absolute."""
    here = f"eo152.{package}"
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                found.add(node.module or "")
                continue
            base = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
            found.add(f"{base}.{node.module}" if node.module else base)
    return found


@pytest.mark.parametrize("package", sorted(BOUNDARIES))
def test_a_library_imports_only_what_its_boundary_allows(package: str) -> None:
    allowed, forbidden = BOUNDARIES[package]
    for module in sorted((ROOT / package).glob("*.py")):
        for name in imports_of(module, package):
            assert not name.startswith(forbidden), f"{module.name} imports {name}"
            if name.startswith("eo152") and not name.startswith(f"eo152.{package}"):
                assert name in allowed, f"{package}/{module.name} imports {name}"


def test_the_boundary_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from ..web import views\nimport django.db\n")
    assert imports_of(module, "rules") == {"eo152.web", "django.db"}


#: The front ends are siblings: none imports another. Only the Django project (``site``)
#: brings the pages and the API together.
FRONT_ENDS = ("cli", "api", "web")


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_a_front_end_never_imports_another_or_the_project(front_end: str) -> None:
    others = tuple(f"eo152.{name}" for name in (*FRONT_ENDS, "site") if name != front_end)
    for module in sorted((ROOT / front_end).rglob("*.py")):
        for name in imports_of(module, front_end):
            assert not name.startswith(others), f"{front_end}/{module.name} imports {name}"


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_a_front_end_uses_only_the_public_names_of_a_library(front_end: str) -> None:
    for module in sorted((ROOT / front_end).rglob("*.py")):
        for name in imports_of(module, front_end):
            private = [part for part in name.split(".")[1:] if part.startswith("_")]
            if name.startswith(f"eo152.{front_end}"):
                continue  # its own helpers (``cli._output``) are its business
            assert not private, f"{front_end}/{module.name} reaches into {name}"
