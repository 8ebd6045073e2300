"""Every word of the pages exists in both languages; every setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

import eo152.web
from eo152.web.texts import TEXTS, catalogue_entries

WEB = Path(eo152.web.__file__).parent
ROOT = WEB.parents[1]
_OPTIONAL_IN_ENGLISH = {"api_docs_english_only"}  # a note only a Spanish reader needs


def test_every_text_has_both_languages():
    for key, entry in catalogue_entries().items():
        assert set(entry) == {"en", "es"}, key
        assert entry["es"].strip(), key
        assert entry["en"].strip() or key in _OPTIONAL_IN_ENGLISH, key


def test_every_text_a_template_uses_exists():
    templates = [*ROOT.glob("eo152/*/templates/**/*.html")]
    used = {key for t in templates for key in re.findall(r"\bt\.(\w+)", t.read_text("utf-8"))}
    assert used, "the templates use the catalogue"
    assert used <= set(TEXTS["en"]), used - set(TEXTS["en"])


def test_every_setting_is_documented():
    settings = (ROOT / "eo152" / "site" / "settings.py").read_text("utf-8")
    names = set(re.findall(r'environ\.get\("([A-Z0-9_]+)"', settings))
    names |= {"EO152_DATA_DIR", "DATABASE_URL"}
    docs = (ROOT / "docs" / "web.md").read_text("utf-8")
    assert {"EO152_SECRET_KEY", "EO152_ALLOWED_HOSTS", "EO152_DEBUG"} <= names
    for name in names:
        assert f"`{name}`" in docs, f"{name} is not in docs/web.md"
