"""``eo152 data-requests``: log, show, determine, check by token; the letter, the tally and
the bases. Bad input exits 2 naming the field with nothing stored; a refused step exits 1;
a release takes two people and its file here as in the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eo152.cli import app

from .conftest import SUBPOENA

pytestmark = [pytest.mark.db]

COURT = {**SUBPOENA, "authority": {"kind": "court_issued_subpoena"}}


def eo152(*args: str, stdin: str | None = None, **env: str) -> Any:
    return CliRunner().invoke(app, list(args), input=stdin, env=env or None)


def token_of(user: Any) -> str:
    from eo152.accounts import tokens

    return tokens.create(user).token


def ledger_size() -> int:
    from eo152.services.records import site_ledger

    return site_ledger().log.tree_size


def body_file(tmp_path: Path, body: dict[str, Any], name: str = "request.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(body))
    return str(path)


def add(tmp_path: Path, token: str, body: dict[str, Any] = SUBPOENA) -> str:
    run = eo152("data-requests", "add", body_file(tmp_path, body), "--token", token, "--json")
    assert run.exit_code == 0, run.output
    return str(json.loads(run.stdout)["reference"])


def released_file(tmp_path: Path) -> str:
    path = tmp_path / "answer.pdf"
    path.write_bytes(b"%PDF-1.4\n% the records released\n%%EOF\n")
    return str(path)


def test_logged_with_its_process_document_and_shown(
    make_user: Callable[..., Any], tmp_path: Path, pdf_file: Path
) -> None:
    from eo152.datarequests.models import DataRequest

    clerk = token_of(make_user("records_clerk"))
    run = eo152(
        "data-requests", "add", body_file(tmp_path, SUBPOENA), "--process-document",
        str(pdf_file), "--token", clerk, "--json",
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    answer = json.loads(run.stdout)
    stored = DataRequest.objects.get()
    assert answer["reference"] == stored.reference and answer["state"] == "open"
    assert answer["findings"] == stored.findings and answer["receipt"] == stored.receipt
    (document,) = answer["files"]
    assert document["role"] == "process" and document["media_type"] == "application/pdf"

    shown = eo152("data-requests", "show", stored.reference.lower(), "--json", EO152_TOKEN=clerk)
    assert shown.exit_code == 0 and json.loads(shown.stdout)["concerning"]
    line = eo152("data-requests", "show", stored.reference, "--token", clerk).stdout
    assert f"{stored.reference}: open (engine: refuse" in line
    monitor = token_of(make_user("monitor"))
    seen = eo152("data-requests", "show", stored.reference, "--json", "--token", monitor)
    assert seen.exit_code == 0 and "concerning" not in json.loads(seen.stdout)
    officer = token_of(make_user("officer"))
    hidden = eo152("data-requests", "show", stored.reference, "--token", officer)
    assert hidden.exit_code == 2 and "is yours to read" in hidden.stderr

    piped = eo152("data-requests", "add", "-", "--token", clerk, stdin=json.dumps(COURT))
    assert piped.exit_code == 0, piped.output
    assert DataRequest.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"agencies": []}, "agencies"),
        ({"received_at": "2099-01-01T00:00:00-07:00"}, "received_at"),
        ({"deadline": "2026-11-19"}, "deadline"),
        ({"data_categories": ["shoe_size"]}, "data_categories"),
    ],
)
def test_bad_input_exits_2_naming_the_field_and_stores_nothing(
    make_user: Callable[..., Any], tmp_path: Path, changes: dict[str, Any], field: str
) -> None:
    from eo152.datarequests.models import DataRequest

    clerk = token_of(make_user("records_clerk"))
    before = ledger_size()
    run = eo152(
        "data-requests", "add", body_file(tmp_path, {**SUBPOENA, **changes}), "--token", clerk
    )
    assert run.exit_code == 2 and f"{field}" in run.stderr, run.output
    assert "Traceback" not in run.output
    assert DataRequest.objects.count() == 0 and ledger_size() == before


def test_a_process_document_that_is_not_a_pdf_or_image_stores_nothing(
    make_user: Callable[..., Any], tmp_path: Path, text_file: Path
) -> None:
    from eo152.datarequests.models import DataRequest

    clerk = token_of(make_user("records_clerk"))
    before = ledger_size()
    run = eo152(
        "data-requests", "add", body_file(tmp_path, SUBPOENA), "--process-document",
        str(text_file), "--token", clerk,
    )  # fmt: skip
    assert run.exit_code == 2 and "process.document" in run.stderr, run.output
    assert DataRequest.objects.count() == 0 and ledger_size() == before
    not_json = tmp_path / "bad.json"
    not_json.write_text("{agencies")
    bad = eo152("data-requests", "add", str(not_json), "--token", clerk)
    assert bad.exit_code == 2 and "not JSON" in bad.stderr
    monitor = eo152(
        "data-requests", "add", body_file(tmp_path, SUBPOENA),
        "--token", token_of(make_user("monitor")),
    )  # fmt: skip
    assert monitor.exit_code == 1 and "may not log data requests" in monitor.stderr
    assert DataRequest.objects.count() == 0


def test_a_refusal_by_one_person_and_its_letter(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    clerk = token_of(make_user("records_clerk"))
    reference = add(tmp_path, clerk)
    out = tmp_path / "letter.pdf"
    early = eo152("data-requests", "letter", reference, str(out), "--token", clerk)
    assert early.exit_code == 1 and "state" in early.stderr and not out.exists()
    wrong = eo152(
        "data-requests", "determine", reference, "--determination", "refuse",
        "--basis", "court-process", "--token", clerk,
    )  # fmt: skip
    assert wrong.exit_code == 2 and "bases" in wrong.stderr
    done = eo152(
        "data-requests", "determine", reference, "--determination", "refuse",
        "--basis", "no-court-process", "--token", clerk, "--json",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["state"] == "closed"
    again = eo152(
        "data-requests", "determine", reference, "--determination", "refuse",
        "--basis", "no-court-process", "--token", clerk,
    )  # fmt: skip
    assert again.exit_code == 1 and "state" in again.stderr
    monitor = token_of(make_user("monitor"))
    refused = eo152("data-requests", "letter", reference, str(out), "--token", monitor)
    assert refused.exit_code == 1 and "may not write the letter" in refused.stderr
    written = eo152("data-requests", "letter", reference, str(out), "--token", clerk)
    assert written.exit_code == 0, written.output
    assert out.read_bytes().startswith(b"%PDF")


def test_a_release_takes_two_people_and_the_files_hash(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    from eo152.datarequests.models import DataRequest

    logger = token_of(make_user("city_attorney"))
    maker = token_of(make_user("records_clerk"))
    checker = token_of(make_user("supervisor"))
    reference = add(tmp_path, logger, COURT)
    release = ("data-requests", "determine", reference, "--determination", "release",
               "--basis", "court-process")  # fmt: skip
    no_file = eo152(*release, "--token", maker)
    assert no_file.exit_code == 2 and "released_file" in no_file.stderr
    by_logger = eo152(*release, "--release-file", released_file(tmp_path), "--token", logger)
    assert by_logger.exit_code == 1 and "made_by" in by_logger.stderr
    by_supervisor = eo152(*release, "--release-file", released_file(tmp_path), "--token", checker)
    assert (
        by_supervisor.exit_code == 1 and "may not make this determination" in by_supervisor.stderr
    )
    assert DataRequest.objects.get().state == "open"

    made = eo152(*release, "--release-file", released_file(tmp_path), "--token", maker, "--json")
    assert made.exit_code == 0, made.output
    proposed = json.loads(made.stdout)
    assert proposed["state"] == "awaiting_check"
    sha256 = proposed["determinations"][0]["released_sha256"]
    assert sha256 in {item["sha256"] for item in proposed["files"] if item["role"] == "released"}

    own = eo152("data-requests", "check", reference, "--token", maker)
    assert own.exit_code == 1 and "may not check releases" in own.stderr
    logged_it = eo152("data-requests", "check", reference, "--token", logger)
    assert logged_it.exit_code == 1 and "checked_by" in logged_it.stderr
    assert DataRequest.objects.get().state == "awaiting_check"
    checked = eo152("data-requests", "check", reference, "--token", checker, "--json")
    assert checked.exit_code == 0, checked.output
    answer = json.loads(checked.stdout)
    assert answer["state"] == "closed" and answer["answer"] == "release"


def test_the_tally_from_this_ledger_and_from_an_export(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    from eo152.services.records import site_ledger

    def counts() -> dict[str, Any]:
        run = eo152("data-requests", "tally", "--json")
        assert run.exit_code == 0, run.output
        return json.loads(run.stdout)

    # On PostgreSQL the ledger outlives each test: count what this one adds.
    before = counts()
    clerk = token_of(make_user("records_clerk"))
    add(tmp_path, clerk)
    add(tmp_path, clerk, {**SUBPOENA, "agencies": ["CBP"]})
    counted = counts()
    assert counted["requests"] == before["requests"] + 2
    assert counted["by_agency"]["CBP"] == before["by_agency"].get("CBP", 0) + 1
    store = site_ledger().log.store
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "entries.jsonl").write_text(
        "".join(text + "\n" for _, text in store.entry_page(0, 100000))
    )
    exported = eo152("data-requests", "tally", "--entries", str(bundle / "entries.jsonl"), "--json")
    assert exported.exit_code == 0 and json.loads(exported.stdout) == counted
    missing = eo152("data-requests", "tally", "--entries", str(tmp_path / "none.jsonl"))
    assert missing.exit_code == 2 and "--entries" in missing.stderr


def test_the_bases_are_the_catalogue() -> None:
    from eo152.datarequests.bases import catalogue

    run = eo152("data-requests", "bases", "--json")
    assert run.exit_code == 0, run.output
    assert [basis["code"] for basis in json.loads(run.stdout)] == list(catalogue())
    grid = eo152("data-requests", "bases").stdout
    assert "no-court-process" in grid and "court-process" in grid
