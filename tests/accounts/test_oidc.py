"""The City's single sign-on: configured by the EO152_OIDC_* settings, the role from a
claim, an unknown role refused. No provider is needed: the claims are handed in."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from eo152.accounts.models import User
from eo152.accounts.oidc import CityAccountBackend, role_of

PROVIDER = "https://sso.denvergov.example/oauth2"
SETTINGS = {
    "EO152_OIDC_CLIENT_ID": "eo152",
    "EO152_OIDC_CLIENT_SECRET": "not-a-real-secret",
    "EO152_OIDC_AUTHORIZATION_ENDPOINT": f"{PROVIDER}/authorize",
    "EO152_OIDC_TOKEN_ENDPOINT": f"{PROVIDER}/token",
    "EO152_OIDC_USER_ENDPOINT": f"{PROVIDER}/userinfo",
    "EO152_OIDC_JWKS_ENDPOINT": f"{PROVIDER}/keys",
    "EO152_OIDC_ROLE_CLAIM": "groups",
    "EO152_OIDC_ROLES": "DPD-Patrol=officer, OIM-Staff=monitor",
}
ROLES = {"officer": "officer", "DPD-Patrol": "officer", "OIM-Staff": "monitor"}
BACKEND = override_settings(
    OIDC_OP_TOKEN_ENDPOINT=f"{PROVIDER}/token",
    OIDC_OP_USER_ENDPOINT=f"{PROVIDER}/userinfo",
    OIDC_RP_CLIENT_ID="eo152",
    OIDC_RP_CLIENT_SECRET="not-a-real-secret",
    EO152_OIDC_ROLE_CLAIM="groups",
    EO152_OIDC_ROLES=ROLES,
)


def test_with_the_settings_the_city_sign_in_is_configured(tmp_path: Path) -> None:
    """A fresh process (settings are read once) with the EO152_OIDC_* settings set."""
    script = textwrap.dedent(
        """
        import django
        from django.conf import settings
        from django.contrib.auth import get_backends
        from django.test import Client
        from django.urls import resolve

        django.setup()
        names = [type(b).__name__ for b in get_backends()]
        assert "CityAccountBackend" in names, names
        assert "mozilla_django_oidc" in settings.INSTALLED_APPS
        assert settings.OIDC_OP_AUTHORIZATION_ENDPOINT.endswith("/authorize")
        assert settings.EO152_OIDC_ROLES["DPD-Patrol"] == "officer"
        assert settings.EO152_OIDC_ROLES["monitor"] == "monitor"
        assert resolve("/oidc/callback/").url_name == "oidc_authentication_callback"
        page = Client().get("/sign-in?lang=es", HTTP_HOST="localhost").content.decode()
        assert "Entrar con la cuenta de la Ciudad" in page and 'href="/oidc/authenticate/"' in page
        start = Client().get("/oidc/authenticate/", HTTP_HOST="localhost")
        assert start.status_code == 302, start.status_code
        assert start["Location"].startswith(settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
        print("configured")
        """
    )
    environment = {
        **os.environ,
        **SETTINGS,
        "EO152_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "eo152.site.settings",
    }
    environment.pop("DATABASE_URL", None)
    (tmp_path / "static").mkdir()
    for command in (["collectstatic", "--noinput"], ["migrate"]):
        subprocess.run(
            [sys.executable, "-m", "django", *command, "-v0"], env=environment, check=True
        )
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "configured"


def test_a_role_map_that_names_no_role_stops_the_start(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        **SETTINGS,
        "EO152_OIDC_ROLES": "Everyone=superuser",
        "EO152_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "eo152.site.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "EO152_OIDC_ROLES" in done.stderr


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"groups": "DPD-Patrol"}, "officer"),
        ({"groups": ["Staff", "OIM-Staff"]}, "monitor"),
        ({"groups": "officer"}, "officer"),
        ({"groups": ["DPD-Patrol", "OIM-Staff"]}, None),  # two roles: the directory's mistake
        ({"groups": "Everyone"}, None),
        ({}, None),
    ],
)
def test_the_role_comes_from_the_claim(claims: dict[str, Any], role: str | None) -> None:
    assert role_of(claims, "groups", ROLES) == role


class _Provider(CityAccountBackend):
    """The backend with the provider's answer given, not fetched."""

    def __init__(self, claims: dict[str, Any]) -> None:
        super().__init__()
        self.claims = claims

    def get_userinfo(self, access_token: str, id_token: str, payload: Any) -> dict[str, Any]:
        return self.claims


@pytest.mark.db
@BACKEND
def test_a_city_account_gets_its_role_and_keeps_nothing_else(db: None) -> None:
    claims = {"sub": "00u1abc", "groups": "DPD-Patrol", "email": "a@b.example", "name": "A B"}
    user = _Provider(claims).get_or_create_user("access", "id", {})
    assert user is not None
    assert (user.username, user.role, user.email, user.first_name) == (
        "oidc:00u1abc",
        "officer",
        "",
        "",
    )
    assert not user.has_usable_password()
    again = _Provider({**claims, "groups": "OIM-Staff"}).get_or_create_user("access", "id", {})
    assert again is not None and again.pk == user.pk and again.role == "monitor"
    assert User.objects.count() == 1


@pytest.mark.db
@BACKEND
def test_an_unknown_role_is_refused(db: None) -> None:
    claims = {"sub": "00u2xyz", "groups": "Parks-Staff"}
    assert _Provider(claims).get_or_create_user("access", "id", {}) is None
    assert _Provider({"groups": "DPD-Patrol"}).get_or_create_user("a", "i", {}) is None, "no sub"
    assert not User.objects.exists()
