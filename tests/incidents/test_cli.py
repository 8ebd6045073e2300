"""``eo152 users``, ``tokens`` and ``incidents``: accounts, tokens shown once, listing by token."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from eo152.accounts import tokens
from eo152.accounts.models import ApiToken, User
from eo152.cli import app
from eo152.incidents import services
from eo152.incidents.models import Finding

pytestmark = [pytest.mark.db]

SHOOTING = {
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "force": {"kind": "firearm", "target": "observer", "ongoing": False},
    "injuries": [{"person": "observer", "severity": "serious"}],
    "location": {"ownership": "city_owned", "kind": "recreation_center", "area": "public"},
}
PASSWORD = "correct horse battery staple 152"


def eo152(*args: str, stdin: str | None = None, **env: str) -> Any:
    return CliRunner().invoke(app, list(args), input=stdin, env=env or None)


@pytest.fixture
def ready(make_user: Callable[[str], User]) -> Callable[[str], User]:
    """The test database and ledger, and a way to make accounts of any role."""
    return make_user


def test_users_add_reads_the_password_from_standard_input(ready) -> None:
    run = eo152("users", "add", "rosa", "--role", "investigator", stdin=PASSWORD + "\n")
    assert run.exit_code == 0, run.output
    user = User.objects.get(username="rosa")
    assert user.role == "investigator" and user.check_password(PASSWORD)
    assert PASSWORD not in user.password
    listed = json.loads(eo152("users", "list", "--json").stdout)
    assert {"username": "rosa", "role": "investigator", "active": True}.items() <= listed[0].items()


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["rosa", "--role", "sheriff"], PASSWORD, "the roles are: officer, supervisor"),
        (["rosa", "--role", "officer"], "short", "too short"),
        (["rosa", "--role", "officer"], "", "standard input"),
        (["bad name!", "--role", "officer"], PASSWORD, "username"),
    ],
    ids=["bad role", "weak password", "no password", "bad name"],
)
def test_users_add_refuses_with_one_clear_line(ready, args, stdin: str, words: str) -> None:
    run = eo152("users", "add", *args, stdin=stdin + "\n")
    assert run.exit_code == 2
    assert words in run.stderr.lower() and "Traceback" not in run.output
    assert not User.objects.exists()


def test_users_add_refuses_a_name_taken(ready) -> None:
    ready("officer")
    run = eo152("users", "add", "officer1", "--role", "officer", stdin=PASSWORD + "\n")
    assert run.exit_code == 2 and "already exists" in run.stderr


def test_a_token_is_printed_once_alone_on_the_last_line_and_stored_hashed(ready) -> None:
    user = ready("intake")
    run = eo152("tokens", "create", user.username)
    assert run.exit_code == 0, run.output
    token = run.stdout.rstrip("\n").splitlines()[-1]
    assert token.startswith("eo152_") and " " not in token
    assert tokens.authenticate(token) == user
    row = ApiToken.objects.get()
    secret = token.split("_", 2)[2]
    assert row.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    listed = eo152("tokens", "list", "--json")
    assert secret not in listed.stdout and token not in eo152("tokens", "list").stdout
    (entry,) = json.loads(listed.stdout)
    assert entry == {
        "id": row.token_id,
        "account": user.username,
        "role": "intake",
        "created": entry["created"],
        "expires": row.expires_at.isoformat(timespec="seconds"),
        "revoked": None,
    }
    assert round((row.expires_at - row.created_at).total_seconds() / 86400) == 365


def test_a_revoked_token_is_refused_by_the_api_and_the_cli(ready) -> None:
    user = ready("monitor")
    token = tokens.create(user).token
    token_id = token.split("_")[1]
    run = eo152("tokens", "revoke", token_id)
    assert run.exit_code == 0 and f"revoked token {token_id}" in run.stdout
    response = Client().get("/api/v1/incidents/EO-AAAA-AAAA", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
    listed = eo152("incidents", "list", "--token", token)
    assert listed.exit_code == 2 and "revoked" in listed.stderr
    assert json.loads(eo152("tokens", "list", "--json").stdout)[0]["revoked"]
    assert eo152("tokens", "revoke", "000000000000").exit_code == 2


def test_tokens_create_refuses_an_unknown_account(ready) -> None:
    run = eo152("tokens", "create", "nobody")
    assert run.exit_code == 2 and "no account is named 'nobody'" in run.stderr


def _file(by: User | None, **changes: Any) -> str:
    intake = services.Intake(
        **{"source": "officer", "situation": SHOOTING, "narrative": "x", **changes}
    )
    return services.file_incident(intake, by=by).incident.reference


def test_incidents_list_shows_what_the_tokens_account_may_see(ready) -> None:
    officer, other = ready("officer"), ready("officer")
    mine = _file(officer)
    theirs = _file(other)
    public = _file(None, source="public", reporting="anonymous")
    token_of = {role: tokens.create(ready(role)).token for role in ("monitor", "records_clerk")}

    def listed(token: str, **env: str) -> list[dict[str, Any]]:
        run = eo152("incidents", "list", "--json", *(["--token", token] if token else []), **env)
        assert run.exit_code == 0, run.output
        return json.loads(run.stdout)  # type: ignore[no-any-return]

    assert {row["reference"] for row in listed(token_of["monitor"])} == {mine, theirs, public}
    officer_rows = listed("", EO152_TOKEN=tokens.create(officer).token)
    assert [row["reference"] for row in officer_rows] == [mine]
    (row,) = officer_rows
    assert row["source"] == "officer" and row["state"] == "received"
    assert sum(row["duties"].values()) > 0
    refused = eo152("incidents", "list", "--token", token_of["records_clerk"])
    assert refused.exit_code == 2 and "may not list incidents" in refused.stderr
    table = eo152("incidents", "list", "--token", token_of["monitor"])
    assert mine in table.stdout and "indeterminate" in table.stdout


def test_incidents_list_needs_a_token(ready) -> None:
    run = eo152("incidents", "list")
    assert run.exit_code == 2 and "--token or EO152_TOKEN" in run.stderr
    run = eo152("incidents", "list", "--token", "eo152_nope")
    assert run.exit_code == 2 and "token refused" in run.stderr


def test_redecide_lists_each_changed_incident_with_its_changes(ready) -> None:
    officer = ready("officer")
    changed, same = _file(officer), _file(officer)
    assert json.loads(eo152("incidents", "redecide", "--json").stdout) == []
    # As if the policy had said otherwise when this incident was filed.
    finding = Finding.objects.filter(incident__reference=changed).latest()
    decision = finding.decision
    duty = decision["duties"][0]
    was = duty["outcome"]
    duty["outcome"] = "permitted" if was != "permitted" else "prohibited"
    finding.decision_json = json.dumps(decision)
    finding.save()
    run = eo152("incidents", "redecide", "--json")
    assert run.exit_code == 0, run.output
    (entry,) = json.loads(run.stdout)
    assert entry["reference"] == changed and same not in run.stdout
    assert entry["changes"] == [f"{duty['actor']} {duty['action']}: {duty['outcome']} → {was}"]
    assert eo152("incidents", "redecide").stdout.strip() == "no incident changed"
