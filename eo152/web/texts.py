"""The pages' own words in each language, from ``texts.yaml``."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..contract.vocabulary import LANGUAGES


def _load() -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = yaml.safe_load(
        (Path(__file__).parent / "texts.yaml").read_text("utf-8")
    )
    return {lang: {key: entry[lang] for key, entry in entries.items()} for lang in LANGUAGES}


TEXTS = _load()
