"""What every page's template needs: its language, its words and the language switch."""

from __future__ import annotations

from django.http import HttpRequest

from .language import LANGUAGE_NAMES, language_of, other_language, url_in
from .texts import TEXTS


def page_language(request: HttpRequest) -> dict[str, object]:
    lang = language_of(request)
    other = other_language(lang)
    return {
        "lang": lang,
        "t": TEXTS[lang],
        "other_lang": other,
        "other_lang_name": LANGUAGE_NAMES[other],
        "other_lang_url": url_in(request, other),
    }
