"""Error pages stay pages: a refused request gets the project's 400 page with its security
headers, never a bare 500, however it was refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from eo152.web.texts import TEXTS


@pytest.mark.parametrize("path", ["/", "/decision", "/places", "/api/v1/places/lookup"])
def test_more_query_parameters_than_django_takes_get_a_400_with_security_headers(path: str) -> None:
    query = "&".join(f"a{i}=1" for i in range(1100))
    answer = Client(raise_request_exception=False).get(f"{path}?{query}")
    assert answer.status_code == 400
    assert "Content-Security-Policy" in answer.headers


def test_a_client_error_writes_no_log_line(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            Client().get("/no-such-page")
            Client().post("/api/v1/decisions", b"{", content_type="application/json")
    assert [r for r in caplog.records if r.name.startswith("django")] == []


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_head_on_the_api_documents_is_answered_like_get(path: str) -> None:
    got, head = Client().get(path), Client().head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""


def test_a_point_while_the_places_layers_are_damaged_is_a_503_page(data_dir: Path) -> None:
    # Issue 11: the places pages answered 503, but a decision with a point was a 500.
    from eo152.web.permalink import pack

    store = data_dir / "places"
    store.mkdir(parents=True)
    (store / "parkland.npz").write_bytes(b"not a layer")
    packed = pack({"location": {"lat": 39.7365, "lon": -104.9903}})
    for lang in ("en", "es"):
        response = Client().get("/decision", {"s": packed, "lang": lang})
        assert response.status_code == 503
        page = response.content.decode()
        assert TEXTS[lang]["places_unavailable_title"] in page
        assert str(store) not in page
