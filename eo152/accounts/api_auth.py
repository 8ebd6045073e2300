"""Bearer-token authentication for the API: ``Authorization: Bearer <token>``, nothing else.

No cookie ever authenticates an API call, so the API needs no CSRF token and a page's
session cannot be used to call it. A refusal says which of missing, malformed, unknown,
revoked or disabled it was (RFC 6750's ``WWW-Authenticate`` challenge goes with it).
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import User
from .tokens import TokenRefused, authenticate

#: RFC 6750's challenge for a request that sent no token.
CHALLENGE = 'Bearer realm="eo152"'

#: Longer than any token ``eo152 tokens create`` makes; a longer one is not looked up.
MAX_TOKEN_LENGTH = 256


class BearerRefused(Exception):
    """No usable token: ``str()`` says why, ``challenge`` is the ``WWW-Authenticate`` value."""

    def __init__(self, message: str, challenge: str) -> None:
        super().__init__(message)
        self.challenge = challenge


def _invalid(message: str) -> BearerRefused:
    return BearerRefused(message, f'{CHALLENGE}, error="invalid_token"')


def bearer_user(request: HttpRequest) -> User:
    """The account the request's bearer token stands for (BearerRefused if none).

    A header that cannot hold a token is refused before the database is asked.
    """
    header = request.headers.get("Authorization", "")
    if not header.strip():
        raise BearerRefused(
            "This needs an API token: send 'Authorization: Bearer <token>' "
            "(an administrator makes one with 'eo152 tokens create').",
            CHALLENGE,
        )
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise BearerRefused(
            "The Authorization header must be 'Bearer <token>'.",
            f'{CHALLENGE}, error="invalid_request"',
        )
    if len(token) > MAX_TOKEN_LENGTH or not token.isascii() or not token.isprintable():
        raise _invalid("This is not an eo152 token (eo152_<id>_<secret>).")
    try:
        return authenticate(token)
    except TokenRefused as refused:
        message = str(refused)
        raise _invalid(message[:1].upper() + message[1:] + ".") from None
