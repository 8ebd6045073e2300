"""Properties of the decision engine, checked on situations generated from the contract.

Each test is one law of ``CONTRACT.md`` ("Readings and open questions", "Combining
instruments") stated over every situation the contract allows, not over hand-picked cases.
The semantics they rest on: a situation describes a set of *worlds*, one for each way of
resolving its unknown facts and its open questions. The combined outcome of an (actor,
action) is determinate when it is the same in every world (with precedence applied), the
pair is absent when no rule speaks to it in any world, and it is indeterminate otherwise.
Learning a fact, or answering a question, only removes worlds.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import rfc8785
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from eo152 import contract
from eo152.contract.actions import ACTIONS
from eo152.rules import (
    DEFAULT_POLICY_DIR,
    Decision,
    Engine,
    InvalidSituation,
    default_engine,
)
from eo152.rules.conditions import DEFAULTS, IMPLIED
from eo152.rules.engine import DENVER
from eo152.rules.readings import load_readings

from .strategies import (
    EARLIEST,
    LATEST,
    Broken,
    Generator,
    Situation,
    around,
    contract_path,
    fill,
    holes,
    invalid_situations,
    silent_about,
    situations,
)

ENGINE = default_engine()
POLICY = ENGINE.policy

#: The days instruments come into or go out of force, between 2017 and 2027.
BOUNDARIES = tuple(
    sorted(
        {
            datetime.combine(day, time())
            for rule in POLICY.rules
            for day in (rule.in_force_from, rule.in_force_until)
            if EARLIEST.date() <= day <= LATEST.date()
        }
    )
)


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def _seeds() -> tuple[Situation, ...]:
    """The situations of the policy's own test cases: realistic ones, where rules apply."""
    found = []
    for path in sorted(DEFAULT_POLICY_DIR.glob("*/tests.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            situation = _json_ready(case.get("situation") or {})
            try:
                found.append(contract.validate(situation))
            except InvalidSituation:
                continue
    return tuple(found)


SEEDS = _seeds()
#: Any situation the contract allows, or one near a policy test case (where rules apply).
SITUATIONS = st.one_of(situations(BOUNDARIES), around(SEEDS, BOUNDARIES))

ABSENT = "absent"  # the law in force does not speak to the pair
DETERMINATE = ("required", "prohibited", "permitted")

#: The (actor, action) pairs about City property.
CITY_PROPERTY = (
    "federal_agents/use_city_property",
    "city_agencies/permit_property_use",
    "city_agencies/lend_vehicles_or_equipment",
    "city_agencies/grant_non_public_access",
    "federal_agents/enter_non_public_area",
)
#: Those of them that depend on the place.
ABOUT_A_PLACE = (
    "federal_agents/use_city_property",
    "city_agencies/permit_property_use",
    "federal_agents/enter_non_public_area",
)


def examples(n: int) -> int:
    """``n`` examples, times ``EO152_EXAMPLES`` (see ``tests/conftest.py``)."""
    return n * int(os.environ.get("EO152_EXAMPLES", "1"))


def outcomes(decision: Decision) -> dict[str, str]:
    return {f"{d.actor}/{d.action}": d.outcome for d in decision.duties}


def outcome(decision: Decision, pair: str) -> str:
    return outcomes(decision).get(pair, ABSENT)


# -- the strategies cover the contract -------------------------------------------------------


def test_the_generated_situations_draw_every_field_and_every_value_of_the_contract() -> None:
    """The strategies' source schema has every path of ``contract.FIELDS`` with its kind, and
    every enumerated value (and true and false) is among the values drawn. ``Generator``
    records each field as it builds the strategy that draws it, so this is what is drawn;
    a field of a kind it cannot generate fails the build itself."""
    generator = Generator()
    generator.obj(contract.SITUATION)
    assert generator.kinds == {path: f.kind for path, f in contract.FIELDS.items()}
    for path, field in contract.FIELDS.items():
        if field.kind in ("enum", "enum_list"):
            assert generator.values[path] == frozenset(field.values), path
        if field.kind == "bool":
            assert generator.values[path] == {True, False}, path


# -- 1. unknown is "either value", never false ------------------------------------------------


def _filled(situation: Situation, data: st.DataObject) -> Iterator[tuple[str, Situation]]:
    """Each way of learning one unknown fact of the situation: every value of a scalar or of
    an element of a list, or one generated list or object."""
    found = holes(situation)
    assume(found)
    hole = data.draw(st.sampled_from(found), label="unknown fact")
    for filler in data.draw(hole.fills(), label="values it is given"):
        yield f"{hole.path} = {json.dumps(filler)}", fill(situation, hole, filler)


@settings(max_examples=examples(40))
@given(situation=SITUATIONS, data=st.data())
def test_a_determinate_outcome_stays_the_same_whatever_an_unknown_fact_turns_out_to_be(
    situation: Situation, data: st.DataObject
) -> None:
    """A determinate outcome holds in every world of the situation. Learning an unknown fact
    keeps only some of those worlds, so the outcome must hold in all that remain: if it
    changed, the engine would have read the unknown as one particular value (as false).
    Likewise a violation the situation already shows (or rules out) stays shown."""
    before = ENGINE.decide(situation)
    for learned, filled in _filled(situation, data):
        after = ENGINE.decide(filled)
        for duty in before.duties:
            pair, was = f"{duty.actor}/{duty.action}", duty.outcome
            if was in DETERMINATE and not _rebuts(learned, pair):
                assert outcome(after, pair) == was, f"{pair} was {was}; with {learned}"
                now = after.duty(duty.actor, duty.action)
                if duty.violation is not None and now is not None:
                    assert now.violation == duty.violation, f"{pair} violation; with {learned}"


@settings(max_examples=examples(40))
@given(situation=SITUATIONS, data=st.data())
def test_a_pair_the_law_does_not_speak_to_stays_silent_whatever_an_unknown_fact_turns_out_to_be(
    situation: Situation, data: st.DataObject
) -> None:
    """A pair is absent when no rule speaks to it in any world of the situation; the worlds
    left once a fact is learned are among them. (The converse does not hold: an indeterminate
    pair may become absent, when the fact rules out every world where the law speaks.)"""
    before = outcomes(ENGINE.decide(situation))
    silent = [f"{actor}/{action}" for actor, acts in ACTIONS.items() for action in acts]
    silent = [pair for pair in silent if pair not in before]
    for learned, filled in _filled(situation, data):
        after = outcomes(ENGINE.decide(filled))
        for pair in silent:
            assert pair not in after, f"{pair} was absent; with {learned} it is {after[pair]}"


#: The facts each pair presumes until told otherwise (CONTRACT.md, Presumptions): learning one
#: may rebut the presumption, which is the one way learning a fact changes a settled outcome.
PRESUMED = {
    rule.pair: rule.presumes.fact for rule in ENGINE.policy.rules if rule.presumes is not None
}


def _rebuts(learned: str, pair: str) -> bool:
    """Whether ``learned`` (``path = value``) may rebut a presumption of ``pair``: the fact
    itself, or one that implies it (``force.kind: none``)."""
    fact = PRESUMED.get(pair)
    return fact is not None and _related(learned.split(" = ")[0], fact)


def _related(hole: str, fact: str) -> bool:
    """Whether learning ``hole`` (a contract path) is learning ``fact``, part of it, or an
    object or list that holds it; a fact another one implies (``force.kind: none`` settles
    ``force.excessive``) is learned with it."""
    implied = {f"{path.rsplit('.', 1)[0]}.{sibling}" for path, (sibling, _, _) in IMPLIED.items()}
    if hole in implied and fact in IMPLIED:
        return True
    return any(
        a == b or a.startswith(b + ".") or a.startswith(b + "[]")
        for a, b in ((hole, fact), (fact, hole))
    )


@settings(max_examples=examples(40))
@given(situation=SITUATIONS, data=st.data())
def test_an_indeterminate_outcome_is_decided_only_by_the_facts_it_names(
    situation: Situation, data: st.DataObject
) -> None:
    """``missing_facts`` lists the unknown facts that would decide an indeterminate duty (a
    field officer asks for them). Learning a fact it does not name must leave it undecided:
    otherwise the list left out a fact that decides it."""
    found = holes(situation)
    assume(found)
    hole = data.draw(st.sampled_from(found), label="unknown fact")
    learned = contract_path(hole.where)
    before = ENGINE.decide(situation)
    unrelated = [
        d
        for d in before.duties
        if d.outcome == "indeterminate" and not any(_related(learned, m) for m in d.missing_facts)
    ]
    for filler in data.draw(hole.fills(), label="values it is given"):
        after = outcomes(ENGINE.decide(fill(situation, hole, filler)))
        for duty in unrelated:
            pair = f"{duty.actor}/{duty.action}"
            if _rebuts(f"{learned} = ", pair):
                continue
            assert after.get(pair, ABSENT) == "indeterminate", (
                f"{pair} depended on {list(duty.missing_facts)} and "
                f"{[q['id'] for q in duty.open_questions]}; "
                f"{hole.path} = {json.dumps(filler)} made it {after.get(pair, ABSENT)}"
            )


@pytest.mark.parametrize("path", sorted(DEFAULTS))
@settings(max_examples=examples(15))
@given(situation=SITUATIONS)
def test_a_fact_with_a_documented_default_reads_as_that_default_when_absent(
    path: str, situation: Situation
) -> None:
    """``conditions.DEFAULTS`` (``location.within_city_limits``: a Denver situation is inside
    the city unless it says otherwise) is the one exception to "absent is unknown"; absent
    and null must then decide exactly as the default does."""
    parent, name = path.rsplit(".", 1)
    around = {k: v for k, v in (situation.get(parent) or {}).items() if k != name}
    absent = {**situation, parent: around}
    given_default = {**situation, parent: {**around, name: DEFAULTS[path]}}
    assert outcomes(ENGINE.decide(absent)) == outcomes(ENGINE.decide(given_default))


# -- 2. a judicial warrant --------------------------------------------------------------------


def with_judicial_warrant(situation: Situation) -> Situation:
    authority = dict(situation.get("authority") or {})
    authority["kind"] = "judicial_warrant"
    return {**situation, "authority": authority}


@settings(max_examples=examples(40))
@given(SITUATIONS)
def test_adding_a_judicial_warrant_never_makes_the_use_of_city_property_prohibited(
    situation: Situation,
) -> None:
    """A judicial warrant is an exception to P1 and P3 in every reading, and nothing else
    forbids the use of City property: with one, the use is permitted, absent, or (where other
    facts are unknown) indeterminate between those, never prohibited."""
    decision = ENGINE.decide(with_judicial_warrant(situation))
    for pair in ("federal_agents/use_city_property", "city_agencies/permit_property_use"):
        assert outcome(decision, pair) != "prohibited", pair


@settings(max_examples=examples(25))
@given(SITUATIONS)
def test_a_judicial_warrant_opens_every_non_public_area(situation: Situation) -> None:
    """The Fourth Amendment, the jail-access rules of the 2017 ordinance and SB25-276 all
    yield to a judicial warrant: with one, neither entering a non-public area nor granting
    access to it is prohibited."""
    decision = ENGINE.decide(with_judicial_warrant(situation))
    for pair in ("federal_agents/enter_non_public_area", "city_agencies/grant_non_public_access"):
        assert outcome(decision, pair) != "prohibited", pair


# -- 3. every field unknown ------------------------------------------------------------------


def _nothing_determinate(decision: Decision, pairs: tuple[str, ...]) -> None:
    for pair in pairs:
        assert outcome(decision, pair) not in ("prohibited", "required"), pair


@pytest.mark.parametrize("at", [None, *(b.isoformat() for b in BOUNDARIES)])
@pytest.mark.parametrize("base", [{}, {"jurisdiction": "denver"}])
def test_a_situation_with_every_field_unknown_decides_nothing_about_city_property(
    base: Situation, at: str | None
) -> None:
    """With no facts, every rule about City property might or might not apply."""
    situation = base if at is None else {**base, "at": at}
    _nothing_determinate(ENGINE.decide(situation), CITY_PROPERTY)


@settings(max_examples=examples(30))
@given(silent_about(SITUATIONS, "agents", "location"))
@example({"agents": {"purpose": "unknown", "agencies": None}, "location": {"kind": "unknown"}})
def test_a_situation_silent_about_the_agents_and_the_place_decides_nothing_about_city_property(
    situation: Situation,
) -> None:
    """Whoever the agents are and wherever they are is unknown, so any rule about City
    property might not apply (other agents, another place), whatever else is known."""
    _nothing_determinate(ENGINE.decide(situation), CITY_PROPERTY)


@settings(max_examples=examples(20))
@given(silent_about(SITUATIONS, "agents"))
def test_a_situation_silent_about_the_agents_decides_nothing_about_city_property(
    situation: Situation,
) -> None:
    """Every rule about City property is about immigration enforcement agents; unknown agents
    might be others."""
    _nothing_determinate(ENGINE.decide(situation), CITY_PROPERTY)


@settings(max_examples=examples(20))
@given(silent_about(SITUATIONS, "location"))
def test_a_situation_silent_about_the_place_decides_nothing_about_using_it(
    situation: Situation,
) -> None:
    """The rules on using City property and entering non-public areas depend on the place;
    an unknown place might be private or public. (Lending vehicles and granting jail access
    do not depend on where the agents are, so they may be decided.)"""
    _nothing_determinate(ENGINE.decide(situation), ABOUT_A_PLACE)


# -- 4. answering an open question -------------------------------------------------------------


ANSWERS = [(q.id, answer) for q in POLICY.questions.values() for answer in q.answers]


@pytest.fixture(scope="module")
def readings_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("readings")


@cache
def engine_answering(folder: Path, question: str, answer: str) -> Engine:
    """The policy with a readings file that answers one question (written, then loaded as a
    deployment loads it)."""
    path = folder / f"{question}--{answer}.yaml"
    path.write_text(
        "readings:\n"
        f"  - question: {question}\n"
        f"    answer: {answer}\n"
        "    by: Property tests\n"
        "    date: 2026-04-01\n"
        "    basis: Any answer will do; the property holds for each.\n",
        encoding="utf-8",
    )
    return Engine(POLICY, load_readings(path, POLICY.questions))


@settings(max_examples=examples(40))
@given(situation=SITUATIONS, answered=st.sampled_from(ANSWERS))
def test_answering_an_open_question_never_undecides_and_decides_what_it_alone_left_open(
    readings_dir: Path, situation: Situation, answered: tuple[str, str]
) -> None:
    """A reading keeps only the worlds where the question has its answer. So a determinate
    outcome stays, an absent pair stays absent, and a duty that was indeterminate only
    because of this question (no other question, no missing fact) becomes determinate (or
    absent, when under this answer no rule speaks), citing the reading when it has a duty."""
    question, answer = answered
    before = ENGINE.decide(situation)
    after = engine_answering(readings_dir, question, answer).decide(situation)
    now = outcomes(after)
    for duty in before.duties:
        pair = f"{duty.actor}/{duty.action}"
        if duty.outcome != "indeterminate":
            assert now.get(pair, ABSENT) == duty.outcome, pair
        elif [q["id"] for q in duty.open_questions] == [question] and not duty.missing_facts:
            assert now.get(pair, ABSENT) != "indeterminate", pair
            decided = after.duty(duty.actor, duty.action)
            if decided is not None:
                assert any(f"reading: {question} = {answer}" in b for b in decided.because), pair
    assert set(now) <= set(outcomes(before))


@settings(max_examples=examples(30))
@given(situation=SITUATIONS, answered=st.sampled_from(ANSWERS))
def test_an_indeterminate_outcome_is_decided_only_by_the_questions_it_names(
    readings_dir: Path, situation: Situation, answered: tuple[str, str]
) -> None:
    """``open_questions`` lists the legal questions that would decide an indeterminate duty
    (what the City Attorney is asked). Answering one it does not name leaves it undecided."""
    question, answer = answered
    after = outcomes(engine_answering(readings_dir, question, answer).decide(situation))
    for duty in ENGINE.decide(situation).duties:
        pair = f"{duty.actor}/{duty.action}"
        if duty.outcome == "indeterminate" and question not in {
            q["id"] for q in duty.open_questions
        }:
            assert after.get(pair, ABSENT) == "indeterminate", (
                f"{pair} depended on {list(duty.missing_facts)} and "
                f"{[q['id'] for q in duty.open_questions]}; answering {question} = {answer} "
                f"made it {after.get(pair, ABSENT)}"
            )


# -- 5. valid input, well-formed output ---------------------------------------------------------

DECISION_KEYS = {"engine", "policy", "situation_sha256", "duties", "missing_facts", "conflicts"}
DUTY_KEYS = {
    "actor",
    "action",
    "outcome",
    "rules",
    "cites",
    "because",
    "open_questions",
    "violation",
    "plain",
}
CONFLICT_KEYS = {"actor", "action", "prevailing", "overridden", "basis"}


@settings(max_examples=examples(40))
@given(SITUATIONS)
def test_every_situation_the_contract_allows_gets_a_decision_of_the_contracts_shape(
    situation: Situation,
) -> None:
    """Validation accepts it unchanged, the engine does not alter it, and the decision has
    the contract's keys and vocabulary, the hash of the input as given, and a sentence in
    English and in Spanish for every duty."""
    given_situation = copy.deepcopy(situation)
    assert contract.validate(situation) == given_situation
    decision = ENGINE.decide(situation)
    assert situation == given_situation
    data = json.loads(json.dumps(decision.to_dict(), allow_nan=False))
    assert set(data) >= DECISION_KEYS
    assert re.fullmatch(r"[0-9a-f]{64}", data["situation_sha256"])
    assert data["situation_sha256"] == hashlib.sha256(rfc8785.dumps(situation)).hexdigest()
    paths = set(contract.FIELDS)
    for duty in data["duties"]:
        assert set(duty) >= DUTY_KEYS
        assert duty["action"] in ACTIONS[duty["actor"]]
        assert duty["outcome"] in (*DETERMINATE, "indeterminate")
        assert duty["violation"] in (True, False, None)
        for q in duty["open_questions"]:
            assert set(q) >= {"id", "question", "answers"} and q["id"] in POLICY.questions
        assert set(duty["missing_facts"]) <= paths
        en, es = duty["plain"]["en"], duty["plain"]["es"]
        assert en.strip() and es.strip() and en != es, duty["action"]
        if duty["changes_if"] is not None:
            assert duty["changes_if"]["en"] != duty["changes_if"]["es"], duty["action"]
    for conflict in data["conflicts"]:
        assert set(conflict) >= CONFLICT_KEYS
        for side in ("prevailing", "overridden"):
            assert set(conflict[side]) == {"instrument", "rule", "outcome"}
    listed = [f for d in data["duties"] for f in d["missing_facts"]]
    assert set(data["missing_facts"]) == set(listed)


@settings(max_examples=examples(40))
@given(SITUATIONS)
def test_an_indeterminate_duty_says_what_would_decide_it_and_only_unknown_facts(
    situation: Situation,
) -> None:
    """Indeterminate means "depends on an unknown fact or an open question": at least one is
    named, and every missing fact named is unknown in the situation. A determinate duty
    names none."""
    unknown = {contract_path(h.where) for h in holes(situation)}
    for duty in ENGINE.decide(situation).duties:
        pair = f"{duty.actor}/{duty.action}"
        if duty.outcome == "indeterminate":
            assert duty.missing_facts or duty.open_questions, pair
            for path in duty.missing_facts:
                assert _unknown(path, unknown), f"{pair}: {path} is known"
        else:
            assert not duty.missing_facts and not duty.open_questions, pair


def _unknown(path: str, unknown: set[str]) -> bool:
    """A path is unknown when it, an object holding it, or a field below it is."""
    return any(
        path == u or path.startswith(u + ".") or path.startswith(u + "[]") or u.startswith(path)
        for u in unknown
    )


@settings(max_examples=examples(30))
@given(SITUATIONS)
def test_every_conflict_is_a_higher_instrument_overriding_a_lower_one_that_says_otherwise(
    situation: Situation,
) -> None:
    """Precedence: federal over state over City ordinance over executive order, the later
    over the earlier within a level; an override is reported only between two different
    determinate outcomes, and on a determinate duty the prevailing outcome is the duty's."""
    decision = ENGINE.decide(situation)
    ranks = {i.id: i.rank for i in POLICY.instruments}
    for conflict in decision.conflicts:
        (high, _, high_outcome), (low, _, low_outcome) = conflict.prevailing, conflict.overridden
        assert ranks[high] > ranks[low], conflict
        assert high_outcome != low_outcome and {high_outcome, low_outcome} <= set(DETERMINATE)
        duty = decision.duty(conflict.actor, conflict.action)
        assert duty is not None, conflict
        if duty.outcome != "indeterminate":
            assert duty.outcome == high_outcome, conflict


@settings(max_examples=examples(30))
@given(SITUATIONS)
def test_only_rules_in_force_on_the_day_in_denver_are_applied(situation: Situation) -> None:
    """The law applied is the law in force on the situation's day in Denver (a time without
    an offset is Denver time; ``at`` absent means today)."""
    at = situation.get("at")
    moment = datetime.now(DENVER) if at is None else datetime.fromisoformat(at)
    day = (
        moment.replace(tzinfo=DENVER) if moment.tzinfo is None else moment.astimezone(DENVER)
    ).date()
    in_force = {r.id for r in POLICY.rules if r.in_force_from <= day <= r.in_force_until}
    decision = ENGINE.decide(situation)
    for duty in decision.duties:
        assert set(duty.rules) <= in_force, (day, duty.rules)
    for conflict in decision.conflicts:
        assert {conflict.prevailing[1], conflict.overridden[1]} <= in_force, (day, conflict)


@settings(max_examples=examples(30))
@given(situation=SITUATIONS, data=st.data())
def test_the_order_of_list_items_does_not_change_any_outcome(
    situation: Situation, data: st.DataObject
) -> None:
    """Lists (agencies, activities, requests, injuries, personnel, alleged crimes) are sets of
    facts: shuffling them, at any depth, changes no outcome and no missing fact."""
    shuffled = data.draw(_shuffled(situation), label="shuffled")
    before, after = ENGINE.decide(situation), ENGINE.decide(shuffled)
    assert outcomes(before) == outcomes(after)
    for duty in before.duties:
        other = after.duty(duty.actor, duty.action)
        assert other is not None and set(other.missing_facts) == set(duty.missing_facts)


def _shuffled(value: Any) -> st.SearchStrategy[Any]:
    if isinstance(value, dict):
        return st.fixed_dictionaries({k: _shuffled(v) for k, v in value.items()})
    if isinstance(value, list):
        return st.tuples(*(_shuffled(v) for v in value)).flatmap(st.permutations)
    return st.just(value)


@settings(max_examples=examples(20))
@given(SITUATIONS)
def test_a_decision_is_a_function_of_the_situation_alone(situation: Situation) -> None:
    """Deciding again, and deciding without the engine's memo of earlier resolutions, gives
    the same decision, word for word."""
    fresh = Engine(POLICY)
    fresh.memo = None
    decisions = [ENGINE.decide(situation), ENGINE.decide(situation), fresh.decide(situation)]
    texts = [{k: v for k, v in d.to_dict().items() if k != "as_of"} for d in decisions]
    assert texts[0] == texts[1] == texts[2]


# -- 6. invalid input ---------------------------------------------------------------------------


@settings(max_examples=examples(150))
@given(invalid_situations())
def test_invalid_input_is_always_rejected_with_the_field_named(broken: Broken) -> None:
    """Broken in one place, at any depth, a situation is rejected with exactly one error,
    naming that place as a path (``force.kind``, ``city_personnel[0].role``,
    ``agents.agencies[1]``) and, where a vocabulary applies, the allowed values."""
    with pytest.raises(InvalidSituation) as raised:
        ENGINE.decide(broken.situation)
    errors = raised.value.errors
    assert [e.path for e in errors] == [broken.path], broken.how
    if broken.allowed:
        assert ", ".join(broken.allowed) in errors[0].message
