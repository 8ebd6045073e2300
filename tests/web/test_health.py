"""The health check really reaches the database: SQLite by default, PostgreSQL by DATABASE_URL.

Marked ``db``: ``make test`` runs it again with ``DATABASE_URL`` on PostgreSQL.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection
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
