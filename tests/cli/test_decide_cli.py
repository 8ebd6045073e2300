"""``eo152 decide`` and ``eo152 policy``: exit status 0 for a decision, 2 for bad input, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "staging-with-i205.json"


def eo152(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
    data = stdin.decode() if isinstance(stdin, bytes) else stdin
    return subprocess.run(
        [sys.executable, "-m", "eo152", *args],
        input=data,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_decide_prints_a_decision_for_a_person() -> None:
    run = eo152("decide", str(EXAMPLE))
    assert run.returncode == 0, run.stderr
    assert "Must not" in run.stdout and "EO 152 P1" in run.stdout


def test_decide_prints_spanish_on_request() -> None:
    run = eo152("decide", "--lang", "es", str(EXAMPLE))
    assert run.returncode == 0
    assert "No debe" in run.stdout and "propiedad de la Ciudad" in run.stdout


def test_spanish_output_has_no_english_headings() -> None:
    run = eo152("decide", "--lang", "es", str(EXAMPLE))
    assert run.returncode == 0
    for english in ("Decision", "law in force", "because:", "Must not", "Also keep in mind"):
        assert english not in run.stdout
    assert "Decisión" in run.stdout and "ley vigente" in run.stdout and "porque:" in run.stdout


def test_every_cli_word_is_in_every_language() -> None:
    from eo152.cli._texts import WORDS
    from eo152.contract.vocabulary import LANGUAGES

    for key, entry in WORDS.items():
        assert all(entry.get(lang) for lang in LANGUAGES), key


STAGING = {
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "activities": ["staging"],
    "authority": {"kind": "administrative_warrant", "form": "I-205"},
    "location": {"ownership": "city_owned", "kind": "parking_lot"},
}


def test_a_staging_situation_leads_with_what_it_raises_and_folds_force_and_aid() -> None:
    run = eo152("decide", "-", stdin=json.dumps(STAGING))
    assert run.returncode == 0, run.stderr
    out = " ".join(run.stdout.split())
    folded = out.index("Also keep in mind")
    assert out.index("Must not") < out.index("use City property") < folded
    undecided = out[out.index("Not decided yet") : out.index("Does not apply here")]
    for raised_by_force_or_aid in ("intervene", "give aid", "detain a federal agent"):
        assert raised_by_force_or_aid not in undecided
        assert raised_by_force_or_aid in out[folded:]


def test_an_undecided_duty_prints_what_each_value_would_make_it() -> None:
    situation = dict(STAGING, location={"kind": "parking_lot"})
    run = eo152("decide", "-", stdin=json.dumps(situation))
    assert run.returncode == 0, run.stderr
    out = " ".join(run.stdout.split())
    assert "If the answer to “who owns or controls the place” is private" in out
    assert "this does not apply" in out


def test_values_that_lead_to_the_same_outcome_are_said_in_one_line() -> None:
    situation = {k: v for k, v in STAGING.items() if k != "authority"}
    run = eo152("decide", "-", stdin=json.dumps(situation))
    out = " ".join(run.stdout.split())
    assert (
        "is a warrant signed by a judge or a court order or a duty imposed by law: federal" in out
    )
    assert out.count("What legal paper") + out.count("“what legal paper") <= 4


def test_a_ruled_out_rule_the_situation_raised_says_why() -> None:
    situation = dict(STAGING, location={"ownership": "private", "kind": "business"})
    run = eo152("decide", "-", stdin=json.dumps(situation))
    out = " ".join(run.stdout.split())
    assert "Does not apply here" in out
    assert "(EO 152 P1): location.ownership = private" in out


def test_decide_json_prints_the_contract_decision() -> None:
    run = eo152("decide", "--json", "-", stdin=EXAMPLE.read_text())
    decision = json.loads(run.stdout)
    assert set(decision) >= {
        "engine",
        "policy",
        "situation_sha256",
        "duties",
        "missing_facts",
        "conflicts",
        "place",
    }
    assert {
        "actor": "federal_agents",
        "action": "use_city_property",
        "outcome": "prohibited",
    }.items() <= next(d for d in decision["duties"] if d["action"] == "use_city_property").items()


def test_an_array_in_gives_an_array_out_in_the_same_order() -> None:
    situations = [{"surge": True}, json.loads(EXAMPLE.read_text()), {}]
    run = eo152("decide", "--json", "-", stdin=json.dumps(situations))
    decisions = json.loads(run.stdout)
    assert len(decisions) == 3
    assert decisions[0]["duties"][0]["action"] == "de_escalate"
    assert any(d["action"] == "use_city_property" for d in decisions[1]["duties"])


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '{"force": {"kind": "laser"}}',
            "force.kind: 'laser' is not allowed; allowed values: none,",
        ),
        ('{"force": {"kind": "firearm",}}', "invalid JSON at line 1"),
        ('{"agents": {"agency": "ICE"}}', "agents.agency: unknown field"),
        ('{"surge": "yes"}', "surge: expected true, false or null"),
        (
            '[{}, {"injuries": [{"severity": "bad"}]}]',
            "[1].injuries[0].severity: 'bad' is not allowed",
        ),
        ("[1]", "[0]: expected an object"),
        ('"just text"', "(situation): expected an object"),
    ],
)
def test_bad_input_exits_2_naming_the_field_without_a_traceback(body: str, expected: str) -> None:
    run = eo152("decide", "--json", "-", stdin=body)
    assert run.returncode == 2
    assert expected in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_one_situation_over_one_megabyte_exits_2_only_a_batch_may_be_larger() -> None:
    run = eo152("decide", "-", stdin='{"id": "' + "x" * (1024 * 1024) + '"}')
    assert run.returncode == 2 and "larger than 1 MB: only a batch" in run.stderr


def test_a_missing_file_exits_2_with_a_message() -> None:
    run = eo152("decide", "/nonexistent/situation.json")
    assert run.returncode == 2 and "cannot read /nonexistent/situation.json" in run.stderr


def test_a_bad_readings_file_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    readings = tmp_path / "r.yaml"
    readings.write_text("readings:\n  - {question: no-such-question, answer: yes}\n")
    run = eo152("decide", "--readings", str(readings), str(EXAMPLE))
    assert run.returncode == 2 and "r.yaml:2: no open question 'no-such-question'" in run.stderr


def test_policy_check_passes_and_policy_test_runs_every_case() -> None:
    check = eo152("policy", "check")
    assert check.returncode == 0, check.stdout
    assert "policy ok" in check.stdout
    tests = eo152("policy", "test", "--json")
    results = json.loads(tests.stdout)
    assert results and all(not r["problems"] for r in results)


def test_policy_show_lets_a_lawyer_read_every_section_rule_and_question() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "eo152", "policy", "show", "denver-eo-152"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    for needle in (
        "P1",
        "P13",
        "not encoded",
        "p7-intervene",
        "p1-scope",
        "Open questions",
        "order quote",
    ):
        assert needle in run.stdout


def test_policy_show_refuses_an_unknown_instrument() -> None:
    run = eo152("policy", "show", "denver-eo-999")
    assert run.returncode == 2 and "no instrument 'denver-eo-999'" in run.stderr


def test_init_is_safe_to_run_twice(data_dir: Path) -> None:
    first, second = eo152("init"), eo152("init")
    assert first.returncode == second.returncode == 0
    assert f"created {data_dir}" in first.stdout and f"kept {data_dir}" in second.stdout


def test_init_prints_what_it_did_as_json(data_dir: Path) -> None:
    run = eo152("init", "--json")
    assert run.returncode == 0, run.stderr
    assert f"created {data_dir}" in json.loads(run.stdout)["done"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://eo152@localhost/eo152", "DATABASE_URL is neither sqlite:/// nor postgresql://"),
        ("postgresql://nobody@127.0.0.1:1/eo152", "cannot open the database"),
    ],
)
def test_init_with_an_unusable_database_url_exits_2_saying_why(
    url: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    run = eo152("init")
    assert run.returncode == 2
    assert expected in run.stderr and "internal error" not in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.skipif(
    not (SHARED / "scenarios").exists(), reason="../shared is not beside the project"
)
def test_the_public_scenarios_pass_through_the_cli() -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "check_scenarios.py"),
            str(SHARED / "scenarios" / "denver-eo-152.json"),
            "--cmd",
            f"{sys.executable} -m eo152 decide --json -",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout
    assert " 0 failed" in run.stdout


def test_an_if_line_in_spanish_agrees_with_its_plural_actor() -> None:
    # "los agentes federales pueden", not "Los agentes federales puede": the If-lines end in the
    # duty's sentence, as the answer page's do (one function, contract.vocabulary.duty_sentence).
    situation = {k: v for k, v in STAGING.items() if k != "authority"}
    run = eo152("decide", "--lang", "es", "-", stdin=json.dumps(situation))
    out = " ".join(run.stdout.split())
    assert "por la ley: los agentes federales pueden usar propiedad de la Ciudad" in out
