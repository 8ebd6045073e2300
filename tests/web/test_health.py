"""The health check really reaches the database: SQLite by default, PostgreSQL by DATABASE_URL.

Marked ``db``: ``make test`` runs it again with ``DATABASE_URL`` on PostgreSQL.
"""

from __future__ import annotations

import os

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_the_health_check_queries_the_configured_database():
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": expected}


def test_the_tests_run_in_a_database_of_their_own():
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        assert name == f"test_eo152_{os.getpid()}"
    else:
        assert connection.is_in_memory_db()


def test_head_gets_the_health_check_without_a_body():
    response = Client().head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


def test_a_database_that_does_not_answer_gets_a_json_503_that_leaks_nothing(monkeypatch, caplog):
    def refuse(self: object) -> object:
        raise OperationalError("could not connect to server at 10.0.0.7: password for eo152")

    monkeypatch.setattr(type(connections["default"]), "cursor", refuse)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "unavailable", "database": connection.vendor}
    assert "10.0.0.7" not in response.content.decode()
    assert "10.0.0.7" in caplog.text, "why goes to the server's log"
