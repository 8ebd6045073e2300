"""A policy that is wrong never runs: every problem is named with its file and line."""

from __future__ import annotations

from pathlib import Path

from eo152.rules import load_policy
from eo152.rules.check import check
from eo152.rules.policytest import run

from .policy_copy import edit, line_of, problems


def test_the_shipped_policy_passes_its_own_check() -> None:
    report = check()
    assert report.problems == []
    assert report.combinations > 0


def test_every_instrument_test_passes() -> None:
    results = run(load_policy())
    assert results.failed == []
    assert len(results.results) > 50


def test_a_fact_that_is_not_in_the_contract_is_named_with_file_and_line(policy_dir: Path) -> None:
    rules = policy_dir / "denver-eo-152" / "rules.yaml"
    edit(rules, "    - force.ongoing is true\n", "    - agents.uniform is blue\n")
    (found,) = problems(policy_dir)
    assert found.startswith(
        f"policies/denver-eo-152/rules.yaml:{line_of(rules, 'action: intervene') + 4}: when:"
    )
    assert "'agents.uniform' is not a fact of the contract" in found


def test_an_enum_value_not_in_the_contract_lists_the_allowed_values(policy_dir: Path) -> None:
    definitions = policy_dir / "denver-eo-152" / "definitions.yaml"
    edit(definitions, "location.ownership is leased_to_city", "location.ownership is rented")
    (found,) = problems(policy_dir)
    assert found.startswith(
        f"policies/denver-eo-152/definitions.yaml:{line_of(definitions, 'city_held:')}: city_held"
    )
    assert "rented not a value of location.ownership; allowed: city_owned" in found


def test_a_citation_of_a_missing_section_is_refused(policy_dir: Path) -> None:
    rules = policy_dir / "denver-eo-152" / "rules.yaml"
    edit(rules, "cites: [P7]", "cites: [P77]")
    (found,) = problems(policy_dir)
    assert f"denver-eo-152/rules.yaml:{line_of(rules, 'cites: [P77]')}:" in found
    assert "cites section 'P77', which denver-eo-152 does not have" in found


def test_broken_yaml_is_reported_at_its_line(policy_dir: Path) -> None:
    questions = policy_dir / "denver-eo-152" / "questions.yaml"
    edit(questions, "- id: p8-trigger", "- id: [p8-trigger")
    found = problems(policy_dir)
    where, _, message = found[0].partition(": ")
    assert where.startswith("policies/denver-eo-152/questions.yaml:")
    assert int(where.rsplit(":", 1)[1]) in (
        line_of(questions, "[p8-trigger"),
        line_of(questions, "[p8-trigger") + 1,
    )
    assert message.startswith("not valid YAML")


def test_an_outcome_outside_the_contract_is_refused(policy_dir: Path) -> None:
    rules = policy_dir / "denver-eo-152" / "rules.yaml"
    edit(
        rules,
        "  action: intervene\n  outcome: required",
        "  action: intervene\n  outcome: encouraged",
    )
    (found,) = problems(policy_dir)
    assert "outcome must be one of required, prohibited, permitted" in found


def test_a_rule_no_test_exercises_fails_the_check(policy_dir: Path) -> None:
    rules = policy_dir / "colorado-crs-13-1-403" / "rules.yaml"
    rules.write_text(
        rules.read_text()
        + """
- id: no-civil-questioning-at-courthouse
  actor: federal_agents
  action: enter_non_public_area
  outcome: prohibited
  cites: ["13-1-403"]
  subject: [location]
  when:
    - location.kind is courthouse
    - location.area is non_public
  plain: {en: No questioning for a civil arrest here., es: Aquí no se interroga para un arresto civil.}
"""
    )
    report = check(policy_dir)
    assert [what for _, what in report.problems] == [
        "rule colorado-crs-13-1-403/no-civil-questioning-at-courthouse is exercised by no test"
    ]
    assert (
        str(report.problems[0][0])
        == f"policies/colorado-crs-13-1-403/rules.yaml:{line_of(rules, 'id: no-civil-q')}"
    )


def test_a_section_with_no_rule_and_no_reason_fails_the_check(policy_dir: Path) -> None:
    instrument = policy_dir / "denver-eo-152" / "instrument.yaml"
    edit(instrument, "    not_encoded: Encouragement imposes no obligation", "    note_removed: x")
    found = problems(policy_dir)
    assert any("unknown key 'note_removed'" in p for p in found)
    edit(
        instrument,
        "    note_removed: x on anyone; there is no duty to encode. Private property is outside P1 (a test says so).\n",
        "",
    )
    report = check(policy_dir)
    assert any(
        "section P11 of denver-eo-152 has no rule and no stated reason" in w
        for _, w in report.problems
    )


def test_an_ambiguity_of_the_research_with_no_question_and_no_reading_fails(
    policy_dir: Path,
) -> None:
    rules = policy_dir / "denver-eo-152" / "rules.yaml"
    edit(rules, 'about: "§2.2(a)"', 'about: "elsewhere"')
    report = check(policy_dir)
    assert any(
        "§2.2(a): rule denver-eo-152/p1-no-staging-on-city-property has no reading" in w
        for _, w in report.problems
    )


def test_two_contradicting_rules_of_one_instrument_are_found_with_a_witness(
    policy_dir: Path,
) -> None:
    rules = policy_dir / "denver-mask-id-ordinance-2026" / "rules.yaml"
    rules.write_text(
        rules.read_text()
        + """
- id: masks-allowed-at-protests
  actor: federal_agents
  action: conceal_identity
  outcome: permitted
  permission: floor
  cites: [masks]
  subject: [protest]
  when:
    - protest.present is true
    - activities has any of [detention]
  plain: {en: Masks are allowed at protests., es: Las máscaras se permiten en protestas.}
"""
    )
    tests = policy_dir / "denver-mask-id-ordinance-2026" / "tests.yaml"
    tests.write_text(
        tests.read_text()
        + """
- name: exercise the contradicting rule
  situation: {protest: {present: true}, activities: [detention], agents: {agencies: [DEA]}}
  expect: {}
"""
    )
    report = check(policy_dir)
    contradictions = [w for _, w in report.problems if "contradict" in w]
    assert len(contradictions) == 1
    assert (
        "no-concealed-identity and denver-mask-id-ordinance-2026/masks-allowed-at-protests"
        in contradictions[0]
    )
    assert "protest.present = true" in contradictions[0]


def test_rules_that_never_overlap_are_not_contradictions() -> None:
    # The 2017 ordinance prohibits sharing personal data and permits sharing status alone:
    # the two rules read the same facts but can never both apply.
    report = check()
    assert not [w for _, w in report.problems if "contradict" in w]


def test_a_permission_not_marked_grant_or_floor_is_refused(policy_dir: Path) -> None:
    # CONTRACT.md, Combining instruments: only a grant (express preemption, 8 U.S.C. §1373)
    # overrides a lower prohibition, so every permission must say which it is.
    rules = policy_dir / "us-8-usc-1373" / "rules.yaml"
    edit(rules, "  permission: grant\n", "")
    (found,) = problems(policy_dir)
    assert found.startswith("policies/us-8-usc-1373/rules.yaml:1: a permitted outcome says")
    assert "'permission: grant'" in found and "'permission: floor'" in found


def test_a_permission_on_an_outcome_that_is_not_permitted_is_refused(policy_dir: Path) -> None:
    rules = policy_dir / "denver-eo-152" / "rules.yaml"
    edit(rules, "  outcome: required\n", "  outcome: required\n  permission: floor\n")
    (found,) = problems(policy_dir)
    assert "only a permitted outcome has a 'permission'" in found


def test_a_rule_without_a_subject_is_refused(policy_dir: Path) -> None:
    rules = policy_dir / "denver-eo-152" / "rules.yaml"
    edit(rules, "  subject: [force]\n", "")
    (found,) = problems(policy_dir)
    assert found.startswith(f"policies/denver-eo-152/rules.yaml:{line_of(rules, 'id: p7-')}")
    assert "missing 'subject'" in found


def test_a_rule_whose_outcome_depends_on_the_conduct_is_refused(policy_dir: Path) -> None:
    # CONTRACT.md, standing rules: "police must not profile by race" is prohibited whether or
    # not profiling happened; whether it did is the violation, never part of the condition.
    rules = policy_dir / "denver-eo-152" / "rules.yaml"
    edit(
        rules,
        "  subject: [profiling]\n  when: []\n",
        "  subject: [profiling]\n  when: racial_profiling_alleged\n",
    )
    report = check(policy_dir)
    (found,) = [f"{where}: {what}" for where, what in report.problems if "conduct" in what]
    assert found.startswith(
        f"policies/denver-eo-152/rules.yaml:{line_of(rules, 'id: p10-police')}: rule "
        "denver-eo-152/p10-police-no-racial-profiling: its condition tests the conduct"
    )
    assert "profiling.alleged" in found


def test_a_floor_never_overrides_a_lower_prohibition() -> None:
    # The Fourth Amendment's consent exception only means it does not forbid the entry; the
    # City's jail provision still does (CONTRACT.md, floors and grants).
    from eo152.rules import decide

    duty = decide(
        {
            "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
            "activities": ["interview"],
            "authority": {"kind": "consent"},
            "location": {"ownership": "city_owned", "kind": "jail", "area": "non_public"},
        }
    ).duty("federal_agents", "enter_non_public_area")
    assert duty is not None and duty.outcome == "prohibited"
    assert duty.rules == ("denver-drmc-28-250/jail-agents-no-entry-without-judicial-warrant",)
