"""The pages' own words in each language: ``texts.yaml`` here, and each records app's own
catalogue beside its code (one file per part, so that one key means one thing)."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..contract.vocabulary import LANGUAGES

_PACKAGE = Path(__file__).resolve().parents[1]

#: Every catalogue, in the order read; a key may appear in only one of them.
TEXT_FILES = (
    _PACKAGE / "web" / "texts.yaml",
    _PACKAGE / "accounts" / "texts.yaml",
    _PACKAGE / "incidents" / "texts_public.yaml",
    _PACKAGE / "incidents" / "texts_staff.yaml",
    _PACKAGE / "incidents" / "texts_case.yaml",
    _PACKAGE / "referrals" / "texts.yaml",
    _PACKAGE / "referrals" / "texts_packet.yaml",
    _PACKAGE / "datarequests" / "texts_desk.yaml",
    _PACKAGE / "datarequests" / "texts_reports.yaml",
    _PACKAGE / "exercises" / "texts_run.yaml",
    _PACKAGE / "exercises" / "texts_report.yaml",
)


def catalogue_entries() -> dict[str, dict[str, str]]:
    """Every entry of every catalogue (present ones), refusing a key defined twice."""
    entries: dict[str, dict[str, str]] = {}
    for path in TEXT_FILES:
        if not path.exists():
            continue
        found: dict[str, dict[str, str]] = yaml.safe_load(path.read_text("utf-8")) or {}
        twice = sorted(entries.keys() & found.keys())
        if twice:
            raise ValueError(f"{path} defines again what another catalogue has: {twice}")
        entries.update(found)
    return entries


def _load() -> dict[str, dict[str, str]]:
    entries = catalogue_entries()
    return {lang: {key: entry[lang] for key, entry in entries.items()} for lang in LANGUAGES}


TEXTS = _load()
