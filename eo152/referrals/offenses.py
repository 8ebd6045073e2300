"""The offense vocabulary (``offenses.yaml``): a statute and its NIBRS code, never free text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Offense:
    code: str
    crs: str
    nibrs: str
    label: dict[str, str]
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "crs": f"C.R.S. {self.crs}",
            "nibrs": self.nibrs,
            "label": dict(self.label),
            "note": self.note or None,
        }


@cache
def offenses() -> dict[str, Offense]:
    data = yaml.safe_load((Path(__file__).parent / "offenses.yaml").read_text("utf-8"))
    return {
        code: Offense(code, entry["crs"], entry["nibrs"], entry["label"], entry.get("note", ""))
        for code, entry in data["offenses"].items()
    }


@cache
def sources() -> dict[str, str]:
    data = yaml.safe_load((Path(__file__).parent / "offenses.yaml").read_text("utf-8"))
    return dict(data["source"])
