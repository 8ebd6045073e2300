"""Security from the first page: headers, CSRF, secure cookies, no debug output."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from eo152.web.permalink import pack

PAGES = ["/all?lang=en", "/all?lang=es", "/api/v1/docs", f"/decision?s={pack({})}", "/missing"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_forbids_inline_scripts_and_framing(url):
    response = Client().get(url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<script" not in response.content.decode()


def test_debug_is_off_by_default():
    assert settings.DEBUG is False


def test_a_form_posted_without_its_csrf_token_is_refused_with_a_page_of_ours():
    response = Client(enforce_csrf_checks=True).post("/all", {"surge": "true", "lang": "es"})
    assert response.status_code == 403
    assert "El formulario caducó" in response.content.decode()


def test_the_form_carries_a_csrf_token():
    page = Client().get("/all").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_cookies_are_secure_over_https_and_only_there():
    over_https = Client().get("/all", secure=True)
    over_http = Client().get("/all")
    assert over_https.cookies["csrftoken"]["secure"] is True
    assert not over_http.cookies["csrftoken"]["secure"]
    assert over_https.cookies["csrftoken"]["httponly"] is True


def test_a_missing_page_is_ours_in_the_visitors_language():
    response = Client().get("/nowhere", headers={"Accept-Language": "es"})
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_a_failure_shows_an_apology_not_a_traceback(monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("eo152.web.views.decide_all", broken)
    response = Client(raise_request_exception=False).get(f"/decision?s={pack({})}")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_an_unknown_host_is_refused():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
