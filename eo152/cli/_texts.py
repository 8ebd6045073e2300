"""The CLI's words in every language (``texts.yaml``): adding a language is catalogue work."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..contract.vocabulary import LANGUAGES


def _load() -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = yaml.safe_load(
        (Path(__file__).parent / "texts.yaml").read_text("utf-8")
    )
    for key, entry in entries.items():
        missing = [lang for lang in LANGUAGES if not entry.get(lang)]
        if missing:
            raise ValueError(f"eo152/cli/texts.yaml: {key} has no {', '.join(missing)}")
    return entries


WORDS = _load()


def word(key: str, lang: str) -> str:
    return WORDS[key][lang]
