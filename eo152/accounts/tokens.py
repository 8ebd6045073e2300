"""API tokens: ``eo152_<id>_<secret>``; the id finds the row, the secret's SHA-256 checks it.

The secret is 256 random bits, so a plain SHA-256 is as safe as a slow hash would be (no
dictionary to try) and costs nothing per API call.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, User

PREFIX = "eo152"
#: How long a token lasts unless its maker says otherwise: a year, so a forgotten token
#: of a system nobody runs any more stops working by itself.
DEFAULT_DAYS = 365
MAX_DAYS = 3 * 365


class TokenRefused(Exception):
    """A token that is malformed, unknown, revoked, expired, or whose account is disabled."""


@dataclass(frozen=True)
class IssuedToken:
    token_id: str
    token: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(user: User, days: int = DEFAULT_DAYS) -> IssuedToken:
    """Make a token for ``user`` lasting ``days``; the returned text is the only copy."""
    if not 1 <= days <= MAX_DAYS:
        raise TokenRefused(f"a token lasts from 1 to {MAX_DAYS} days (not {days})")
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        token_id=token_id,
        user=user,
        secret_sha256=_digest(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return IssuedToken(token_id, f"{PREFIX}_{token_id}_{secret}")


def authenticate(token: str) -> User:
    """The active account a token stands for; TokenRefused says why it does not."""
    prefix, _, rest = token.strip().partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not token_id or not secret:
        raise TokenRefused("this is not an eo152 token (eo152_<id>_<secret>)")
    row = ApiToken.objects.select_related("user").filter(token_id=token_id).first()
    # Compared even for an unknown id, so the answer takes as long either way.
    expected = row.secret_sha256 if row else _digest("")
    if not hmac.compare_digest(expected, _digest(secret)) or row is None:
        raise TokenRefused("this token is not known")
    if row.revoked_at is not None:
        raise TokenRefused(f"token {token_id} was revoked")
    if row.expires_at <= timezone.now():
        raise TokenRefused(f"token {token_id} expired on {row.expires_at.date().isoformat()}")
    if not row.user.is_active:
        raise TokenRefused(f"the account of token {token_id} is disabled")
    return row.user


def revoke(token_id: str) -> ApiToken:
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().filter(token_id=token_id).first()
        if row is None:
            raise TokenRefused(f"no token has the id {token_id}")
        if row.revoked_at is None:
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
    return row
