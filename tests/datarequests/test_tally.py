"""The public tally: counted from the ledger's ``data_request.*`` entries alone, the same
numbers on the page as from an exported bundle's entries.jsonl (with eo152's tally or with
jq), in plain words in English and Spanish, and never whom a request concerns."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from eo152.datarequests.tally import JQ_BY_AGENCY, read_entries, tally

from .conftest import SUBPOENA

LOGGED = {"kind": "data_request.logged", "channel": "email", "purpose": "civil_immigration"}

ENTRIES: list[dict[str, Any]] = [
    {"kind": "record.read", "record_type": "data_request", "record_id": "DR-AAAA-AAAA"},
    {
        **LOGGED,
        "reference": "DR-AAAA-AAAA",
        "agencies": ["ICE_ERO"],
        "data_categories": ["address"],
        "process": "administrative_subpoena",
        "received_on": "2026-11-20",
        "engine": "refuse",
    },
    {
        **LOGGED,
        "reference": "DR-BBBB-BBBB",
        "agencies": ["CBP", "ICE_ERO"],
        "data_categories": ["address", "immigration_status"],
        "process": "court_issued_subpoena",
        "received_on": "2026-12-01",
        "engine": "partial",
    },
    {
        **LOGGED,
        "reference": "DR-CCCC-CCCC",
        "agencies": ["FBI"],
        "data_categories": ["criminal_history"],
        "process": "none",
        "received_on": "2026-12-02",
        "engine": "review",
    },
    {
        **LOGGED,
        "reference": "DR-DDDD-DDDD",
        "agencies": ["ICE_ERO"],
        "data_categories": ["address"],
        "process": "court_issued_subpoena",
        "received_on": "2026-12-02",
        "engine": "release",
    },
    {"kind": "data_request.determined", "reference": "DR-AAAA-AAAA", "determination": "refuse",
     "against_engine": False},
    {"kind": "data_request.proposed", "reference": "DR-BBBB-BBBB", "determination": "partial",
     "against_engine": True},
    {"kind": "data_request.released", "reference": "DR-BBBB-BBBB", "determination": "partial",
     "against_engine": True},
    {"kind": "data_request.determined", "reference": "DR-CCCC-CCCC", "determination": "review",
     "against_engine": False},
    # Proposed, not yet checked: still open.
    {"kind": "data_request.proposed", "reference": "DR-DDDD-DDDD", "determination": "release",
     "against_engine": False},
]  # fmt: skip


def test_the_tally_counts_the_data_request_entries_only() -> None:
    assert tally(ENTRIES) == {
        "requests": 4,
        "by_agency": {"ICE_ERO": 3, "CBP": 1, "FBI": 1},
        "by_category": {"address": 3, "criminal_history": 1, "immigration_status": 1},
        "by_process": {"court_issued_subpoena": 2, "administrative_subpoena": 1, "none": 1},
        "by_month": {"2026-11": 1, "2026-12": 3},
        "answered": {"refuse": 1, "partial": 1, "release": 0},
        "open": 2,
        "against_engine": 1,
    }
    assert tally([]) == {
        "requests": 0,
        "by_agency": {},
        "by_category": {},
        "by_process": {},
        "by_month": {},
        "answered": {"refuse": 0, "partial": 0, "release": 0},
        "open": 0,
        "against_engine": 0,
    }


def test_read_entries_takes_the_file_or_the_bundles_folder(tmp_path: Path) -> None:
    lines = "".join(json.dumps(entry) + "\n" for entry in ENTRIES)
    (tmp_path / "entries.jsonl").write_text(lines, encoding="utf-8")
    assert list(read_entries(tmp_path / "entries.jsonl")) == ENTRIES
    assert tally(read_entries(tmp_path)) == tally(ENTRIES)


@pytest.fixture
def _static(collected_static: None) -> None:
    """Pages link the hashed names of the collected static files."""


def _desk(make_user: Callable[..., Any], tmp_path: Path) -> set[str]:
    """Three requests: one refused, one released in part, one open. Their references."""
    from eo152.datarequests import services

    from .test_letter import partly_released, refused_request

    refused = refused_request(make_user)
    partial, _ = partly_released(make_user, tmp_path)
    waiting = services.log_request(
        make_user("records_clerk"),
        services.read_body({**SUBPOENA, "agencies": ["CBP"], "authority": {"kind": "none"}}),
    )
    return {refused.reference, partial.reference, waiting.reference}


@pytest.mark.db
@pytest.mark.usefixtures("_static")
def test_the_page_counts_the_site_ledger_and_an_export_recounts_the_same(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    from eo152.config import Settings
    from eo152.ledger import verify_bundle
    from eo152.services.records import site_ledger
    from eo152.web.texts import TEXTS

    mine = _desk(make_user, tmp_path)
    answer = Client().get("/data-requests/tally?lang=en")
    assert answer.status_code == 200, "no sign-in"
    shown, size = answer.context["counted"], answer.context["entries"]
    page = answer.content.decode()
    assert f'<span id="tally-requests">{shown["requests"]}</span>' in page
    assert TEXTS["en"]["resident_tally_size"].format(size=size) in page
    assert "ICE Enforcement and Removal Operations" in page
    assert "Library card" not in page, "never whom a request concerns"
    for command in ("eo152 ledger export DIR", "eo152 data-requests tally --entries"):
        assert command in page

    bundle = tmp_path / "bundle"
    site_ledger().export(bundle, False, "account:1")
    if Settings.from_env().database_url.startswith("sqlite"):
        # On PostgreSQL the tests share one ledger, its heads signed by each test's own key.
        verify_bundle(bundle)
    # The page counted the log's first `size` lines; the bundle holds them and any since.
    assert tally(islice(read_entries(bundle / "entries.jsonl"), size)) == shown
    # This test's requests alone (a shared PostgreSQL ledger holds other tests' too).
    ours = tally(e for e in read_entries(bundle) if e.get("reference") in mine)
    assert ours["requests"] == 3 and ours["open"] == 1
    assert ours["answered"] == {"refuse": 1, "partial": 1, "release": 0}
    assert ours["by_agency"] == {"ICE_ERO": 2, "CBP": 1}

    if shutil.which("jq") is not None:
        whole = tally(read_entries(bundle))
        by_agency, answers = (_jq(line, bundle) for line in JQ_LINES)
        assert by_agency == whole["by_agency"]
        assert answers == {kind: n for kind, n in whole["answered"].items() if n}


#: The jq lines docs/data-requests.md gives; the page shows the first.
JQ_LINES = [
    line.strip()
    for line in (Path(__file__).parents[2] / "docs" / "data-requests.md")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.startswith("    jq -s ")
]


def test_the_page_and_the_docs_give_the_same_jq_line() -> None:
    assert len(JQ_LINES) == 2 and JQ_LINES[0] == JQ_BY_AGENCY


def _jq(line: str, bundle: Path) -> Any:
    command = shlex.split(line.replace("DIR", str(bundle)))
    counted = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(counted.stdout)


@pytest.mark.db
@pytest.mark.usefixtures("_static")
def test_the_counts_are_kept_for_one_state_of_the_ledger(
    make_user: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache

    from eo152.datarequests import services

    counted: list[int] = []

    def counting(entries: Any) -> dict[str, Any]:
        counted.append(1)
        return tally(entries)

    monkeypatch.setattr(services, "tally", counting)
    # On PostgreSQL the ledger outlives each test, and so may its counts in the cache.
    cache.clear()
    first, size = services.site_tally()
    second, same = services.site_tally()
    if same == size:  # another run on a shared PostgreSQL ledger may append in between
        assert second == first and len(counted) == 1, "counted once"
    services.log_request(make_user("records_clerk"), services.read_body(SUBPOENA))
    again, later = services.site_tally()
    assert later > size and again["requests"] >= first["requests"] + 1


@pytest.mark.db
@pytest.mark.usefixtures("_static")
def test_the_page_speaks_spanish(make_user: Callable[..., Any], tmp_path: Path) -> None:
    _desk(make_user, tmp_path)
    page = Client().get("/data-requests/tally?lang=es").content.decode()
    assert 'lang="es"' in page
    assert "Compruebe estos números usted mismo" in page and "Dijimos que no" in page
