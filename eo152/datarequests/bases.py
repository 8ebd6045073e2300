"""The catalogue of legal bases (bases.yaml), read once and checked against the policy."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .models import Kind


@dataclass(frozen=True)
class Basis:
    code: str
    determination: str
    title: dict[str, str]  # {"en", "es"}: the desk's pages
    cites: tuple[str, ...]
    rules: tuple[str, ...]
    letter: str

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title["en"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "determination": self.determination,
            "title": self.title,
            "cites": list(self.cites),
            "rules": list(self.rules),
            "letter": self.letter,
        }


@cache
def catalogue() -> dict[str, Basis]:
    """Every basis by code, in the file's order."""
    text = resources.files(__package__).joinpath("bases.yaml").read_text(encoding="utf-8")
    found: dict[str, Basis] = {}
    for item in yaml.safe_load(text):
        basis = Basis(
            code=item["code"],
            determination=item["determination"],
            title=dict(item["title"]),
            cites=tuple(item["cites"]),
            rules=tuple(item["rules"]),
            letter=" ".join(item["letter"].split()),
        )
        if basis.determination not in Kind.values:
            raise ValueError(f"bases.yaml: {basis.code} names no determination we know")
        found[basis.code] = basis
    return found


def for_kind(kind: str) -> list[Basis]:
    """The bases a determination of ``kind`` may rest on (a partial release: both a
    release's and a refusal's)."""
    wanted = {Kind.REFUSE, Kind.RELEASE} if kind == Kind.PARTIAL else {kind}
    return [basis for basis in catalogue().values() if basis.determination in wanted]


def suggested(kind: str, rules: list[str]) -> list[Basis]:
    """The bases of ``kind`` whose law the engine applied (its duty's ``rules``)."""
    applied = set(rules)
    return [basis for basis in for_kind(kind) if applied & set(basis.rules)]
