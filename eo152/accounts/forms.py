"""The sign-in form's fields, checked in the page's language."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict

from ..web.texts import TEXTS

#: Longer than any account name or password anyone types; refused before any hashing.
MAX_LENGTH = 200


@dataclass
class SignIn:
    username: str = ""
    password: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, data: QueryDict, lang: str) -> SignIn:
        texts = TEXTS[lang]
        form = cls(data.get("username", "").strip(), data.get("password", ""))
        if not form.username:
            form.errors["username"] = texts["sign_in_error_username"]
        elif len(form.username) > MAX_LENGTH:
            form.errors["username"] = texts["sign_in_error_too_long"]
        if not form.password:
            form.errors["password"] = texts["sign_in_error_password"]
        elif len(form.password) > MAX_LENGTH:
            form.errors["password"] = texts["sign_in_error_too_long"]
        return form
