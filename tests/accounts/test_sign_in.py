"""Signing in and out: local accounts with Argon2, lockout after five wrong passwords,
CSRF on every form, both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from eo152.accounts.models import User
from eo152.web.texts import TEXTS

pytestmark = [pytest.mark.db]

PASSWORD = "a long enough passphrase 152"


@pytest.fixture
def officer(db: None, ledger_ready: Path) -> User:
    return User.objects.create_user("officer7", password=PASSWORD, role="officer")


def _sign_in(client: Client, username: str, password: str, lang: str = "en") -> object:
    return client.post("/sign-in", {"username": username, "password": password, "lang": lang})


def test_the_password_is_kept_with_argon2(officer: User) -> None:
    assert officer.password.startswith("argon2")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_page_speaks_the_language_asked(client: Client, lang: str) -> None:
    page = client.get(f"/sign-in?lang={lang}").content.decode()
    assert TEXTS[lang]["sign_in_title"] in page
    assert TEXTS[lang]["sign_in_city_account"] not in page, "no single sign-on configured"


def test_sign_in_then_out(client: Client, officer: User) -> None:
    answer = _sign_in(client, "officer7", PASSWORD)
    assert answer.status_code == 303 and answer["Location"] == "/incidents?lang=en"
    assert client.get("/incidents").status_code == 200
    assert client.get("/sign-out").status_code == 405, "signing out is a POST"
    out = client.post("/sign-out", {"lang": "es"})
    assert out.status_code == 303 and out["Location"].startswith("/sign-in?lang=es")
    assert TEXTS["es"]["sign_in_signed_out"] in client.get(out["Location"]).content.decode()
    assert client.get("/incidents").status_code == 302, "signed out: back to the sign-in page"


def test_a_wrong_password_says_so_and_keeps_the_name(client: Client, officer: User) -> None:
    answer = _sign_in(client, "officer7", "not it at all", "es")
    assert answer.status_code == 422
    page = answer.content.decode()
    assert TEXTS["es"]["sign_in_error_wrong"] in page and 'value="officer7"' in page
    assert TEXTS["es"]["error_summary_title"] in page


def test_empty_fields_are_named(client: Client) -> None:
    page = _sign_in(client, "", "").content.decode()
    assert TEXTS["en"]["sign_in_error_username"] in page
    assert TEXTS["en"]["sign_in_error_password"] in page


def test_only_this_sites_pages_are_where_a_sign_in_leads(client: Client, officer: User) -> None:
    data = {"username": "officer7", "password": PASSWORD, "next": "https://evil.example/"}
    assert client.post("/sign-in", data)["Location"] == "/incidents?lang=en"
    client.post("/sign-out")
    data["next"] = "/incidents/new?lang=es"
    assert client.post("/sign-in", data)["Location"] == "/incidents/new?lang=es"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_five_wrong_passwords_lock_the_account_for_an_hour(
    client: Client, officer: User, lang: str
) -> None:
    for _ in range(4):
        assert _sign_in(client, "officer7", "wrong password", lang).status_code == 422
    locked = _sign_in(client, "officer7", "wrong password", lang)
    assert locked.status_code == 429
    assert TEXTS[lang]["locked_title"] in locked.content.decode()
    right = _sign_in(client, "officer7", PASSWORD, lang)
    assert right.status_code == 429, "the right password does not open a locked account"
    assert "_auth_user_id" not in client.session


def test_every_post_needs_the_csrf_token(officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    refused = client.post("/sign-in", {"username": "officer7", "password": PASSWORD})
    assert refused.status_code == 403
    client.force_login(officer)
    assert client.post("/sign-out").status_code == 403
    assert "_auth_user_id" in client.session, "still signed in: the sign-out was refused"


def test_the_sign_in_form_carries_its_csrf_token(officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/sign-in")
    token = page.cookies["csrftoken"].value
    fields = {"username": "officer7", "password": PASSWORD, "csrfmiddlewaretoken": token}
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert client.post("/sign-in", fields).status_code == 303


def test_a_disabled_account_cannot_sign_in(client: Client, officer: User) -> None:
    officer.is_active = False
    officer.save()
    assert _sign_in(client, "officer7", PASSWORD).status_code == 422
