"""The policy format's own words: levels of law (for precedence) and how much we trust the
words we have for a section."""

from __future__ import annotations

#: Levels of law, highest first: federal over state over City ordinance over executive order.
LEVELS = ("federal", "state", "city_ordinance", "executive_order")

#: Sources of the words we have for a section, most to least authoritative.
CONFIDENCE = (
    "statute_text",
    "order_quote",
    "official_summary",
    "statute_summary",
    "paraphrase",
    "press_remark",
)
