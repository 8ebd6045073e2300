"""The account for the City Attorney, the Monitor and supervisors: counts for a period,
deadlines near and past, the determinations against the engine with their reason and who
made them, and a CSV of one row per request; never whom a request concerns. Bad dates are
refused in plain words."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from .conftest import SUBPOENA

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("_static")]


@pytest.fixture
def _static(collected_static: None) -> None:
    """Pages link the hashed names of the collected static files."""


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _received(days_ago: int) -> str:
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(day, time(9, 30), timezone.get_current_timezone()).isoformat()


def _log(user: Any, **changes: Any) -> Any:
    from eo152.datarequests import services

    return services.log_request(user, services.read_body({**SUBPOENA, **changes}))


def _desk(make_user: Callable[..., Any], tmp_path: Path) -> dict[str, Any]:
    """A request refused, one released in part, one due in a few business days, one past
    its deadline, and one the City Attorney released against the engine."""
    from eo152.datarequests import clock, services

    from .test_letter import partly_released, refused_request

    today = timezone.localdate()
    clerk, attorney = make_user("records_clerk"), make_user("city_attorney")
    refused = refused_request(make_user)
    partial, _ = partly_released(make_user, tmp_path)
    due = _log(
        clerk,
        received_at=_received(1),
        deadline=clock.add_business_days(today, 3).isoformat(),
    )
    overdue = _log(
        clerk,
        received_at=_received(30),
        deadline=(today - timedelta(days=5)).isoformat(),
    )
    against = _log(clerk, received_at=_received(2), deadline=None)
    path = tmp_path / "address.pdf"
    path.write_bytes(b"%PDF-1.4\n% an address released on a court's order\n%%EOF\n")
    released = services.add_file(
        attorney, against, "released", services.Upload(path, "application/pdf")
    )
    services.determine(
        attorney,
        against,
        services.Choice(
            "release",
            ("court-process",),
            reason="A federal court ordered compliance on 2026-11-25.",
            released_sha256=released.sha256,
        ),
    )
    return {
        "refused": refused,
        "partial": partial,
        "due": due,
        "overdue": overdue,
        "against": against,
        "attorney": attorney,
    }


def _range(made: dict[str, Any]) -> str:
    start = min(item.received_at for item in made.values() if hasattr(item, "received_at"))
    return f"from={timezone.localtime(start).date()}&to={timezone.localdate()}"


@pytest.mark.parametrize(
    ("role", "status"),
    [("city_attorney", 200), ("monitor", 200), ("supervisor", 200), ("records_clerk", 403)],
)
def test_the_account_is_for_the_city_attorney_the_monitor_and_supervisors(
    make_user: Callable[..., Any], role: str, status: int
) -> None:
    client = _client(make_user(role))
    assert client.get("/data-requests/account").status_code == status
    assert client.get("/data-requests/account.csv").status_code == status
    assert Client().get("/data-requests/account").status_code == 302, "sign in first"


def test_the_account_counts_lists_deadlines_and_disagreements(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    made = _desk(make_user, tmp_path)
    answer = _client(make_user("monitor")).get(f"/data-requests/account?{_range(made)}&lang=en")
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Requests received from" in page and ": 5." in page
    tables = dict(answer.context["tables"])
    assert dict(tables["By answer"]) == {
        "Not answered yet": 3,
        "Refused": 1,
        "Released in part": 1,
    }
    assert dict(tables["By agency"]) == {"ICE Enforcement and Removal Operations": 5}
    deadlines = {heading: [row["reference"] for row in rows] for heading, rows in answer.context["deadlines"]}  # fmt: skip
    assert made["overdue"].reference in deadlines["Past their deadline"]
    assert made["due"].reference in deadlines["Due in the next 10 business days"]
    assert made["overdue"].reference not in deadlines["Due in the next 10 business days"]
    (disagreement,) = answer.context["disagreements"]
    assert disagreement["reference"] == made["against"].reference
    assert disagreement["engine"] == "Refuse" and disagreement["determination"] == "Release"
    assert disagreement["reason"] == "A federal court ordered compliance on 2026-11-25."
    assert disagreement["made_by"] == made["attorney"].get_username()
    assert "Library card" not in page, "never whom a request concerns"


def test_the_csv_has_one_row_per_request_and_never_whom_it_concerns(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    from eo152.datarequests.account import CSV_COLUMNS
    from eo152.services.records import site_ledger

    made = _desk(make_user, tmp_path)
    attorney = make_user("city_attorney")
    start = site_ledger().log.tree_size
    answer = _client(attorney).get(f"/data-requests/account.csv?{_range(made)}")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert "attachment" in answer["Content-Disposition"]
    text = answer.content.decode()
    assert "Library card" not in text and "concerning" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_reference = {row["reference"]: row for row in rows}
    assert len(rows) == 5
    refused = by_reference[made["refused"].reference]
    assert refused["determination"] == "refuse" and refused["state"] == "closed"
    assert refused["agencies"] == "ICE_ERO" and refused["process"] == "administrative_subpoena"
    assert refused["engine_answer"] == "refuse" and refused["against_engine"] == "no"
    partial = by_reference[made["partial"].reference]
    assert partial["categories"] == "address;immigration_status"
    assert partial["determination"] == "partial" and partial["engine_answer"] == "partial"
    # Proposed against the engine, not yet checked: no determination in force yet.
    against = by_reference[made["against"].reference]
    assert against["determination"] == "" and against["state"] == "awaiting_check"
    # The export is logged as a read (a shared PostgreSQL ledger holds other runs' too).
    logged = [json.loads(text) for _, text in site_ledger().log.store.entry_page(start, 100000)]
    assert [e["part"] for e in logged if e.get("actor") == attorney.actor] == ["csv"]


def test_the_period_defaults_to_the_last_90_days(make_user: Callable[..., Any]) -> None:
    answer = _client(make_user("supervisor")).get("/data-requests/account")
    today = timezone.localdate()
    assert answer.context["values"] == {
        "from": (today - timedelta(days=90)).isoformat(),
        "to": today.isoformat(),
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-01", "Enter a date such as 2026-12-01."),
        ("to=yesterday", "Enter a date such as 2026-12-01."),
        ("from=2026-12-02&to=2026-12-01", "The first date must be on or before the second."),
    ],
)
def test_a_bad_date_range_is_refused_in_plain_words(
    make_user: Callable[..., Any], query: str, message: str
) -> None:
    client = _client(make_user("city_attorney"))
    answer = client.get(f"/data-requests/account?{query}&lang=en")
    assert answer.status_code == 422
    assert message in answer.content.decode()
    csv_answer = client.get(f"/data-requests/account.csv?{query}")
    assert csv_answer.status_code == 422
    assert "is not a date" in csv_answer.content.decode() or "comes first" in (
        csv_answer.content.decode()
    )
