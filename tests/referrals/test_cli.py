"""``eo152 referrals``: make, sign off, send, list and export by token; the offenses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eo152.accounts import tokens
from eo152.cli import app
from eo152.referrals.models import Referral
from eo152.referrals.offenses import offenses

pytestmark = [pytest.mark.db]


def eo152(*args: str, **env: str) -> Any:
    return CliRunner().invoke(app, list(args), env=env or None)


def token_of(user: Any) -> str:
    return tokens.create(user).token


def create(case: Any, token: str, *extra: str) -> Any:
    return eo152(
        "referrals", "create", case.incident.reference, "--office", "denver_da",
        "--offense", "assault_first_degree", "--evidence", case.files[0].sha256,
        "--do-not-disclose", case.files[1].sha256, "--token", token, *extra,
    )  # fmt: skip


def test_made_signed_off_by_a_second_person_sent_and_listed(
    case: Any, make_user: Callable[..., Any]
) -> None:
    investigator, supervisor = token_of(case.investigator), token_of(case.supervisor)
    made = create(case, investigator, "--json", "--language", "es")
    assert made.exit_code == 0, made.output
    answer = json.loads(made.stdout)
    reference = answer["reference"]
    assert answer["state"] == "draft" and answer["language"] == "es"
    assert answer["evidence"] == [case.files[0].sha256] and answer["withheld"] == 1
    assert answer["receipt"] == Referral.objects.get().receipt

    early = eo152("referrals", "send", reference, "--token", investigator)
    assert early.exit_code == 2 and "after a second person signs it off" in early.stderr
    own = eo152("referrals", "sign-off", reference, "--token", investigator)
    assert own.exit_code == 2 and "cannot sign it off" in own.stderr
    assert Referral.objects.get().state == "draft"

    signed = eo152("referrals", "sign-off", reference, "--token", supervisor)
    assert signed.exit_code == 0, signed.output
    assert f"{reference}: signed_off" in signed.stdout
    sent = eo152("referrals", "send", reference.lower(), EO152_TOKEN=investigator)
    assert sent.exit_code == 0 and f"{reference}: sent" in sent.stdout
    case.incident.refresh_from_db()
    assert case.incident.state == "referred"

    row = {
        "reference": reference,
        "state": "sent",
        "office": "denver_da",
        "offense": "assault_first_degree",
        "incident": case.incident.reference,
    }
    listed = eo152("referrals", "list", "--token", supervisor, "--json")
    assert listed.exit_code == 0 and json.loads(listed.stdout) == [row]
    da, ag = make_user("prosecutor", "denver_da"), make_user("prosecutor", "colorado_ag")
    assert json.loads(eo152("referrals", "list", "--json", EO152_TOKEN=token_of(da)).stdout) == [
        row
    ]
    assert json.loads(eo152("referrals", "list", "--json", "--token", token_of(ag)).stdout) == []
    refused = eo152("referrals", "list", "--token", token_of(make_user("officer")))
    assert refused.exit_code == 2 and "may not list referrals" in refused.stderr
    table = eo152("referrals", "list", "--token", supervisor)
    assert reference in table.stdout and "assault_first_degree" in table.stdout


def test_refusals_are_one_clear_line(case: Any, make_user: Callable[..., Any]) -> None:
    investigator = token_of(case.investigator)
    for args, words in (
        (["--offense", "jaywalking"], "offense: must be one of"),
        (["--evidence", "0" * 64], "not one of this incident's files"),
        (["--language", "fr"], "language: must be one of"),
    ):
        run = eo152(
            "referrals", "create", case.incident.reference, "--office", "denver_da",
            "--offense", "robbery", *args, "--token", investigator,
        )  # fmt: skip
        assert run.exit_code == 2 and words in run.stderr, run.output
        assert "Traceback" not in run.output
    officer = create(case, token_of(case.officer))
    assert officer.exit_code == 2 and "may not make this referral" in officer.stderr
    clerk = create(case, token_of(make_user("records_clerk")))
    assert clerk.exit_code == 2 and "yours to read" in clerk.stderr
    monitor = create(case, token_of(make_user("monitor")))
    assert monitor.exit_code == 2 and "may not make this referral" in monitor.stderr
    assert not Referral.objects.exists()
    assert "--token or EO152_TOKEN" in eo152("referrals", "list").stderr
    unknown = eo152("referrals", "send", "RF-AAAA-AAAA", "--token", investigator)
    assert unknown.exit_code == 2 and "no referral RF-AAAA-AAAA is yours" in unknown.stderr
    reference = json.loads(create(case, investigator, "--json").stdout)["reference"]
    refused = eo152("referrals", "sign-off", reference, "--token", token_of(make_user("monitor")))
    assert refused.exit_code == 2 and "may not sign off" in refused.stderr


def test_the_offenses_with_their_sources() -> None:
    run = eo152("referrals", "offenses", "--json")
    assert run.exit_code == 0, run.output
    listed = json.loads(run.stdout)
    assert [o["code"] for o in listed["offenses"]] == list(offenses())
    assert "Colorado Revised Statutes" in listed["source"]["statutes"]
    assert "NIBRS" in listed["source"]["codes"]
    table = eo152("referrals", "offenses").stdout
    assert "18-3-202" in table and "13A" in table and "C.R.S." in table and "NIBRS" in table


def test_export_writes_the_packet_of_a_sent_referral(case: Any, tmp_path: Path) -> None:
    investigator, supervisor = token_of(case.investigator), token_of(case.supervisor)
    reference = json.loads(create(case, investigator, "--json").stdout)["reference"]
    eo152("referrals", "sign-off", reference, "--token", supervisor)
    eo152("referrals", "send", reference, "--token", investigator)
    folder = tmp_path / "packet"
    run = eo152("referrals", "export", reference, str(folder), "--token", supervisor, "--json")
    assert run.exit_code == 0, run.output
    done = json.loads(run.stdout)
    assert done["reference"] == reference and done["included"] == [case.files[0].sha256]
    assert (folder / "bagit.txt").exists()
    verified = eo152("packet", "verify", str(folder))
    assert verified.exit_code == 0, verified.output
    again = eo152("referrals", "export", reference, str(folder), "--token", supervisor)
    assert again.exit_code == 2 and "not empty" in again.stderr
    officer = eo152("referrals", "export", reference, str(tmp_path / "x"), "--token",
                    token_of(case.officer))  # fmt: skip
    assert officer.exit_code == 2 and "yours to read" in officer.stderr
