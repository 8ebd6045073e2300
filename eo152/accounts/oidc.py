"""Signing in with the City's account (OpenID Connect, through ``mozilla-django-oidc``).

Only on when ``EO152_OIDC_CLIENT_ID`` is set (``docs/accounts.md``). The City's provider
says who the person is (its ``sub``) and their role, in the claim the
``EO152_OIDC_ROLE_CLAIM`` setting names; ``EO152_OIDC_ROLES`` maps the provider's words to
ours. A claim that maps to none of our roles refuses the sign-in: nobody gets an account
with no role or a guessed one. The account keeps the provider's ``sub`` as its name and
nothing else about the person (no e-mail, no name), and its role follows the provider at
every sign-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User

#: The account name of a person signed in by the City: ``oidc:`` and the provider's ``sub``.
USERNAME_PREFIX = "oidc:"


def role_of(claims: Mapping[str, Any], claim: str, mapping: Mapping[str, str]) -> str | None:
    """Our role for the claims, or None. A claim holding a list must map to exactly one
    role: two different roles is a directory mistake, not a choice for us to make."""
    value = claims.get(claim)
    values = value if isinstance(value, list) else [value]
    roles = {mapping[v] for v in values if isinstance(v, str) and v in mapping}
    return roles.pop() if len(roles) == 1 else None


class CityAccountBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, finding accounts by ``sub`` and setting the role."""

    def _role(self, claims: Mapping[str, Any]) -> str | None:
        return role_of(claims, settings.EO152_OIDC_ROLE_CLAIM, settings.EO152_OIDC_ROLES)

    def verify_claims(self, claims: Mapping[str, Any]) -> bool:
        return bool(claims.get("sub")) and self._role(claims) is not None

    def filter_users_by_claims(self, claims: Mapping[str, Any]) -> Any:
        return User.objects.filter(username=f"{USERNAME_PREFIX}{claims.get('sub')}")

    def get_or_create_user(self, access_token: str, id_token: str, payload: Any) -> User | None:
        """As the library does, but a refused claim is an ordinary failed sign-in (the
        sign-in page says so), not the library's "suspicious operation" error."""
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            return None
        found = self.filter_users_by_claims(claims).first()
        if found is not None:
            return self.update_user(found, claims)
        return self.create_user(claims)

    def create_user(self, claims: Mapping[str, Any]) -> User:
        role = self._role(claims)
        assert role is not None, "verify_claims let only a known role through"
        user = User(username=f"{USERNAME_PREFIX}{claims['sub']}", role=role)
        user.set_unusable_password()  # the City's sign-on only: no local password
        user.save()
        return user

    def update_user(self, user: User, claims: Mapping[str, Any]) -> User:
        role = self._role(claims)
        if role is not None and role != user.role:
            user.role = role
            user.save(update_fields=["role"])
        return user
