"""Where a fact is asked: the one link the answer page, the flow and the form all use.

"Find out" and "What you told us" link each fact back to its question, with the situation's
answers filled in, so a person changes one answer and sees the answer again.
"""

from __future__ import annotations

from functools import cache

from .language import url_with
from .questions import build_groups


def question_url(path: str, lang: str, packed: str) -> str:
    """The form, filled with the packed situation, at the question of ``path``."""
    return f"{url_with('/all', lang, s=packed)}#{_anchors().get(path, 'main-content')}"


@cache
def _anchors() -> dict[str, str]:
    """Each fact's anchor on the form: its first choice, or the field itself."""
    found: dict[str, str] = {}
    for group in build_groups({}, {}, "en"):
        for question in group.questions:
            found[question.name] = question.anchor
            found.update((item.name, item.anchor) for item in question.items)
    return found
