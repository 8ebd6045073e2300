"""Decisions follow CONTRACT.md: three-valued facts, open questions, precedence, explanations."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import rfc8785

from eo152.rules import (
    Decision,
    ReadingsError,
    decide,
    default_engine,
    engine_with_readings,
)

STAGING = {
    "at": "2026-03-10T14:30:00-07:00",
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "activities": ["staging"],
    "authority": {"kind": "administrative_warrant", "form": "I-205"},
    "location": {"ownership": "city_owned", "kind": "library"},
}


def outcome(decision: Decision, pair: str) -> str:
    actor, action = pair.split("/")
    duty = decision.duty(actor, action)
    return duty.outcome if duty else "absent"


def test_an_administrative_warrant_does_not_permit_staging_on_city_property() -> None:
    decision = decide(STAGING)
    duty = decision.duty("federal_agents", "use_city_property")
    assert duty is not None and duty.outcome == "prohibited"
    assert duty.rules == ("denver-eo-152/p1-no-staging-on-city-property",)
    assert duty.cites == ("EO 152 P1",)
    assert "location.ownership = city_owned" in duty.because
    assert any("administrative_warrant is not a judicial warrant" in b for b in duty.because)
    assert duty.violation is True
    assert duty.changes_if is not None and "judicial warrant" in duty.changes_if["en"]


def test_an_unknown_fact_is_unknown_not_false() -> None:
    situation = {**STAGING, "location": {"kind": "parking_lot"}}
    decision = decide(situation)
    duty = decision.duty("federal_agents", "use_city_property")
    assert duty is not None and duty.outcome == "indeterminate"
    assert "location.ownership" in duty.missing_facts
    assert "location.ownership" in decision.missing_facts
    assert "who owns or controls the place" in duty.plain["en"]
    assert "quién es propietario del lugar" in duty.plain["es"]


def test_an_answered_question_decides_the_duty_and_the_decision_cites_the_reading(
    tmp_path: Path,
) -> None:
    street = {**STAGING, "location": {"ownership": "city_owned", "kind": "street"}}
    open_duty = decide(street).duty("federal_agents", "use_city_property")
    assert open_duty is not None and open_duty.outcome == "indeterminate"
    assert [q["id"] for q in open_duty.open_questions] == ["p1-streets"]
    readings = tmp_path / "readings.yaml"
    readings.write_text(
        "readings:\n  - {question: p1-streets, answer: city_property, by: City Attorney,"
        " date: 2026-04-01, basis: test}\n"
    )
    decided = decide(street, readings=readings).duty("federal_agents", "use_city_property")
    assert decided is not None and decided.outcome == "prohibited"
    assert "reading: p1-streets = city_property (City Attorney, 2026-04-01)" in decided.because


def test_a_readings_file_must_answer_a_known_question_with_a_known_answer(tmp_path: Path) -> None:
    readings = tmp_path / "readings.yaml"
    readings.write_text("readings:\n  - {question: p1-streets, answer: maybe}\n")
    with pytest.raises(
        ReadingsError, match=re.escape("readings.yaml:2: p1-streets has the answers")
    ):
        engine_with_readings(readings)


def test_federal_law_overrides_the_order_and_the_conflict_is_reported() -> None:
    decision = decide(
        {
            "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
            "requests": [{"kind": "data", "data_categories": ["immigration_status"]}],
            "authority": {"kind": "none"},
        }
    )
    assert outcome(decision, "city_agencies/share_data") == "permitted"
    overridden = {c.overridden[1] for c in decision.conflicts}
    assert "denver-eo-152/p4-no-data-sharing-without-process" in overridden
    conflict = next(c for c in decision.conflicts if c.overridden[0] == "denver-eo-152")
    assert conflict.prevailing == (
        "us-8-usc-1373",
        "us-8-usc-1373/status-information-may-be-sent",
        "permitted",
    )
    assert conflict.basis.startswith("federal law")


def test_the_law_in_force_is_the_law_on_the_situation_s_date() -> None:
    before = decide({**STAGING, "at": "2026-02-25T23:00:00-07:00"})
    after = decide({**STAGING, "at": "2026-02-26T00:30:00-07:00"})
    assert outcome(before, "federal_agents/use_city_property") == "absent"
    assert outcome(after, "federal_agents/use_city_property") == "prohibited"
    assert "denver-eo-152" not in {i["id"] for i in before.instruments}


def test_a_moment_given_in_utc_is_read_in_denver_time() -> None:
    # 2026-02-26T05:00Z is still Feb. 25 in Denver: the order is not yet in force.
    decision = decide({**STAGING, "at": "2026-02-26T05:00:00Z"})
    assert outcome(decision, "federal_agents/use_city_property") == "absent"


def test_without_a_date_the_decision_is_made_as_of_now_and_says_so() -> None:
    decision = decide({k: v for k, v in STAGING.items() if k != "at"})
    assert decision.as_of_source == "now"
    assert decision.to_dict()["as_of"]["source"] == "now"


def test_the_situation_hash_is_sha256_of_rfc_8785_canonical_json() -> None:
    decision = decide(STAGING)
    assert (
        decision.to_dict()["situation_sha256"] == hashlib.sha256(rfc8785.dumps(STAGING)).hexdigest()
    )


def test_duties_are_listed_most_urgent_first() -> None:
    decision = decide(
        {
            "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
            "activities": ["arrest"],
            "force": {
                "kind": "firearm",
                "could_cause_death_or_serious_bodily_injury": True,
                "ongoing": True,
            },
            "injuries": [{"person": "subject", "severity": "serious"}],
            "city_personnel": [
                {
                    "role": "dpd_officer",
                    "on_duty": True,
                    "present": True,
                    "responding": True,
                    "body_camera": "off",
                }
            ],
        }
    )
    first = [f"{d.actor}/{d.action}" for d in decision.duties[:3]]
    assert first == ["police/intervene", "police/render_aid", "first_responders/render_aid"]


def test_every_duty_of_every_outcome_has_a_spanish_sentence_that_is_not_the_english() -> None:
    engine = default_engine()
    situations = [STAGING, {}, {**STAGING, "authority": {"kind": "judicial_warrant"}}]
    for situation in situations:
        for duty in engine.decide(situation).duties:
            assert duty.plain["es"].strip() and duty.plain["es"] != duty.plain["en"]
            if duty.changes_if:
                assert duty.changes_if["es"] != duty.changes_if["en"]


def test_every_rule_and_exception_sentence_is_translated() -> None:
    for rule in default_engine().policy.rules:
        texts = [rule.plain, *(e.plain for e in rule.unless), *(e.label for e in rule.unless)]
        for text in texts:
            assert text["es"] != text.en, rule.id


def test_memoized_and_fresh_resolution_give_the_same_decision() -> None:
    engine = default_engine()
    fresh = type(engine)(engine.policy)
    fresh.memo = None
    for situation in (STAGING, {}, {**STAGING, "location": {"kind": "street"}}):
        assert engine.decide(situation).to_dict() == fresh.decide(situation).to_dict()


@pytest.mark.parametrize("at", ["0001-01-01T01:00:00Z", "9999-12-31T23:00:00-12:00"])
def test_the_first_and_last_days_a_date_can_hold_are_decided(at: str) -> None:
    decision = decide({**STAGING, "at": at})
    assert outcome(decision, "federal_agents/use_city_property") in ("absent", "prohibited")


def test_one_rules_exception_is_not_offered_as_changing_a_duty_another_rule_also_gives() -> None:
    # C.R.S. 24-31-902 does not require a camera in a fixed-camera jail area, but EO 152 P8
    # still does at an immigration scene: "It would be permitted with ..." would be false.
    duty = decide(
        {
            "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
            "activities": ["arrest"],
            "location": {"ownership": "city_owned", "kind": "parking_lot"},
            "city_personnel": [
                {"role": "dpd_officer", "on_duty": True, "responding": True, "body_camera": "off"}
            ],
        }
    ).duty("police", "record_body_camera")
    assert duty is not None and duty.outcome == "required" and len(duty.rules) == 2
    assert duty.changes_if is None or "fixed cameras" not in duty.changes_if["en"]


def test_a_third_language_is_catalogue_work() -> None:
    # The engine names no language: every sentence it builds comes from vocabulary.yaml's
    # phrases and labels and from the policy's texts, over the one list of languages. A new
    # language is then a column in those catalogues (the loader refuses a text without it).
    import ast
    from pathlib import Path

    import eo152.rules
    from eo152.contract.vocabulary import LANGUAGES, PHRASES

    for module in Path(eo152.rules.__file__).parent.glob("*.py"):
        if module.name == "glossary.py":
            continue  # the Spanish glossary's checker is about Spanish by nature
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in LANGUAGES[1:]:
                raise AssertionError(f"{module.name}:{node.lineno} names the language {node.value}")
    assert all(set(LANGUAGES) <= set(entry) for entry in PHRASES.values())


def test_a_spanish_if_line_agrees_with_its_plural_actor() -> None:
    """Every actor is plural in Spanish ("La policía y los ayudantes del sheriff"), so the
    outcome after it is too: "deben prestar ayuda", never "debe prestar ayuda"."""
    decision = decide({**STAGING, "activities": ["arrest"]})
    duty = decision.duty("police", "render_aid")
    assert duty is not None and duty.outcome == "indeterminate"
    lines = [line.plain["es"] for line in duty.if_then if line.then == "required"]
    assert lines and all("sheriff deben prestar ayuda" in line for line in lines), lines
