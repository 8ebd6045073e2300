"""The engine's speed-ups decide exactly as the plain path does.

Each shortcut has a plain counterpart, and these tests run both on a generated mix of
situations (``benchmarks/situations.py``: sparse, partial and fully described scenes drawn
from the contract's vocabulary) and compare what they say:

- memoized resolutions, duty templates and duties, with the unknown fields of list items
  looked into once for every template that lists them, against an engine with no memo
  (``engine.memo = None``);
- atoms compiled to closures against ``evaluate_atom``, and lists of objects read once as
  their items' truths (``items``) against ``evaluate_atom`` and ``missing_paths``;
- the search that walks each residual state once, and says from the same walk what each value
  of a deciding variable would make the pair, against the exhaustive depth-first search it
  replaced, run again with each such value (kept here, as the specification);
- the compiled validity check against the full validation walk;
- canonical JSON by ``json`` against ``rfc8785``;
- a decision's JSON joined from texts written once against ``json.dumps`` of ``to_dict()``,
  byte for byte, as the API (compact) and the CLI (``indent=2``) write it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.situations import generated
from eo152 import contract
from eo152.contract import validation
from eo152.rules import Decision, Engine, items
from eo152.rules import resolve as search
from eo152.rules.compile import Compiled, CompiledRule, Pair, Variable
from eo152.rules.conditions import Atom, Node, Truth, evaluate_atom, missing_paths
from eo152.rules.decision import canonical_json
from eo152.rules.engine import _moment
from eo152.rules.policy import DEFAULT_POLICY_DIR
from eo152.rules.resolve import Leaf, Resolution, Settled, Verdict, resolve
from eo152.services.decisions import to_json

from .strategies import situations
from .test_properties import examples

MIX = generated(300, seed=20260226)
DEFAULT = Engine.load()
#: The plain path resolves every pair from scratch: a smaller sample keeps the suite quick.
SAMPLE = MIX[:120]


@pytest.fixture(scope="module")
def answered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A readings file answering every open question (answers spread over the choices)."""
    policy = Engine.load().policy
    lines = ["readings:"]
    for number, (qid, question) in enumerate(sorted(policy.questions.items())):
        answer = question.answers[number % len(question.answers)]
        lines += [
            f"  - question: {qid}",
            f"    answer: {answer}",
            "    by: test",
            "    date: 2026-04-01",
        ]
    path = tmp_path_factory.mktemp("readings") / "answers.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _comparable(decision: dict[str, Any]) -> dict[str, Any]:
    # "As of now" is read from the clock, which may tick between the two calls.
    if decision["as_of"]["source"] == "now":
        decision["as_of"]["at"] = "now"
    return decision


@pytest.mark.parametrize("with_readings", [False, True])
def test_memoized_decisions_are_the_plain_decisions(with_readings: bool, answered: Path) -> None:
    readings = answered if with_readings else None
    fast, plain = (
        Engine.load(DEFAULT_POLICY_DIR, readings),
        Engine.load(DEFAULT_POLICY_DIR, readings),
    )
    plain.memo = None
    first = [_comparable(fast.decide(s).to_dict()) for s in SAMPLE]
    again = [_comparable(fast.decide(s).to_dict()) for s in SAMPLE]  # every memo hit now
    expected = [_comparable(plain.decide(s).to_dict()) for s in SAMPLE]
    assert first == expected
    assert again == expected


PLAIN = Engine.load()
PLAIN.memo = None


@settings(max_examples=examples(100))
@given(situation=situations())
def test_memoized_decisions_of_any_situations_are_the_plain_decisions(
    situation: dict[str, Any],
) -> None:
    # ``DEFAULT`` keeps its memos across examples: a key that missed a fact would show here.
    expected = _comparable(PLAIN.decide(situation).to_dict())
    assert _comparable(DEFAULT.decide(situation).to_dict()) == expected


def test_a_decision_as_a_dict_is_the_callers_own() -> None:
    engine = Engine.load()
    situation = next(s for s in MIX if any(d.open_questions for d in engine.decide(s).duties))
    mine = engine.decide(situation).to_dict()
    for duty in mine["duties"]:
        duty["plain"]["en"] = "changed"
        for question in duty["open_questions"]:
            question["question"]["en"] = "changed"
    again = _comparable(engine.decide(situation).to_dict())
    assert again == _comparable(Engine.load().decide(situation).to_dict())


def test_compiled_atoms_give_the_interpreted_truths(answered: Path) -> None:
    engine = Engine.load(DEFAULT_POLICY_DIR, answered)
    compiled, tests = engine.compiled, engine.compiled.tests(engine.answers)
    read = compiled.reader(engine.answers)
    for situation in MIX:
        facts = read(situation)
        for atom, test in zip(compiled.atoms, tests, strict=True):
            assert test(facts) is evaluate_atom(atom, situation, engine.answers), atom


def test_compiled_missing_paths_are_the_interpreted_ones(answered: Path) -> None:
    engine = Engine.load(DEFAULT_POLICY_DIR, answered)
    compiled = engine.compiled
    read = compiled.reader(engine.answers)
    for situation in MIX:
        facts = read(situation)
        for index, missing in compiled.items_missing.items():
            expected = tuple(missing_paths(compiled.atoms[index], situation))
            assert missing(facts) == expected, compiled.atoms[index]


def test_lists_tested_on_an_open_question_are_read_as_interpreted() -> None:
    # No rule of the policy asks an open question about each item of a list; the language
    # allows it, and ``missing_paths`` then counts the question unknown whatever the answer.
    question = next(iter(DEFAULT.policy.questions.values()))
    asked = Atom("question", question.id, frozenset(question.answers[:1]))
    kind = Atom("value", "requests[].kind", frozenset({"data"}))
    where = Node("or", (Node("atom", atom=asked), Node("atom", atom=kind)))
    atom = Atom("some", "requests", frozenset(), Node("and", (Node("atom", atom=kind), where)))
    tested = items.item_atoms([atom])
    for answers in ({}, {question.id: question.answers[0]}, {question.id: question.answers[-1]}):
        read, test = items.reader("requests", tested, answers), items.some_test(atom, tested)
        missing = items.missing(atom, tested)
        for situation in MIX:
            assert test(read(situation)) is evaluate_atom(atom, situation, answers)
            assert missing(read(situation)) == tuple(missing_paths(atom, situation))


# -- the search ----------------------------------------------------------------------------

#: Pairs whose exhaustive search would meet more leaves than this are left out (it is
#: exponential in the unknowns; that is why the engine no longer runs it).
LEAF_BUDGET = 1000


class _TooMany(Exception):
    pass


def _verdict(rule: CompiledRule, values: list[Truth]) -> Verdict | tuple[int, ...] | None:
    """What the rule says (None: it does not apply), or, while it is undecided, the atoms to
    split on: its condition's, else the first undecided exception's."""
    applies = rule.when(values)
    if applies is None:
        return rule.atoms
    if not applies:
        return None
    for exception in rule.unless:
        holds = exception.test(values)
        if holds is None:
            return exception.atoms
        if holds:
            found = exception.exception
            return Verdict(rule, found.outcome, found.id, found.permission != "floor")
    return Verdict(rule, rule.rule.outcome, None, rule.rule.permission != "floor")


def _leaf_or_split(compiled: Compiled, pair: Pair, values: list[Truth]) -> Leaf | Variable:
    """The world's leaf, or the variable of the first unknown atom of the first undecided rule."""
    spoken: list[list[Verdict]] = []
    for _instrument, rules in pair.groups:
        verdicts: list[Verdict] = []
        for rule in rules:
            found = _verdict(rule, values)
            if isinstance(found, tuple):
                index = next(i for i in found if values[i] is None)
                return compiled.variable_of[index]
            if found is not None:
                verdicts.append(found)
        if verdicts:
            spoken.append(verdicts)
    return search.leaf(spoken)


def _unique(verdicts: Iterable[Verdict]) -> tuple[Verdict, ...]:
    """The first verdict of each rule."""
    found: dict[str, Verdict] = {}
    for verdict in verdicts:
        found.setdefault(verdict.rule.rule.id, verdict)
    return tuple(found.values())


def _exhaustive(
    compiled: Compiled, pair: Pair, values: list[Truth], settle: bool = True
) -> Resolution:
    """The search as first written: every leaf, depth first; then, for an undecided pair, the
    same search again with each value of each deciding variable."""
    leaves: list[Leaf] = []
    relevant: list[Variable] = []

    def explore(values: list[Truth]) -> frozenset[str | None]:
        split = _leaf_or_split(compiled, pair, values)
        if isinstance(split, Leaf):
            leaves.append(split)
            if len(leaves) > LEAF_BUDGET:
                raise _TooMany
            return frozenset({split.outcome})
        seen = []
        for truths in split.domain:
            seen.append(explore(_with(values, split, truths)))
        if len(set(seen)) > 1 and split not in relevant:
            relevant.append(split)
        return frozenset().union(*seen)

    outcomes = explore(values)
    outcome = next(iter(outcomes)) if len(outcomes) == 1 else "indeterminate"
    cited = _unique(v for leaf in leaves for v in leaf.prevailing)
    if outcome not in (None, "indeterminate"):
        always = frozenset.intersection(*(leaf.agreeing for leaf in leaves))
        chosen = tuple(
            v
            for v in _unique(v for leaf in leaves for v in leaf.verdicts)
            if v.rule.rule.id in always
        )
        cited = chosen or cited
    conflicts: dict[tuple[str, str], Any] = {}
    seen_in: dict[tuple[str, str], int] = {}
    for leaf in leaves:
        for low in leaf.overridden:
            high = leaf.prevailing[0]
            key = (high.rule.rule.id, low.rule.rule.id)
            conflicts.setdefault(key, (high, low))
            seen_in[key] = seen_in.get(key, 0) + 1
    everywhere = len(outcomes) == 1
    settled = []
    if outcome == "indeterminate" and settle:
        for variable in relevant:
            for choice, truths in enumerate(variable.domain):
                branch = _exhaustive(compiled, pair, _with(values, variable, truths), False)
                if branch.outcome != "indeterminate":
                    settled.append(Settled(variable, choice, branch.outcome))
    return Resolution(
        outcome,
        cited if outcome is not None else (),
        tuple(relevant),
        tuple(v for k, v in conflicts.items() if everywhere or seen_in[k] == len(leaves)),
        _unique(v for leaf in leaves for v in leaf.verdicts),
        tuple(settled),
    )


def _with(values: list[Truth], variable: Variable, truths: tuple[bool, ...]) -> list[Truth]:
    branch = list(values)
    for index, truth in zip(variable.atoms, truths, strict=True):
        branch[index] = truth
    return branch


def test_the_search_resolves_as_the_exhaustive_search() -> None:
    engine = Engine.load()
    compiled, tests = engine.compiled, engine.compiled.tests({})
    read = compiled.reader({})
    compared = 0
    for situation in SAMPLE[:60]:
        plan = compiled.plan(_moment(situation.get("at"))[0])
        facts = read(situation)
        values = [test(facts) for test in tests]
        for pair in plan.pairs:
            try:
                expected = _exhaustive(compiled, pair, pair.presume(values))
            except _TooMany:
                continue
            assert resolve(compiled, pair, pair.presume(values)) == expected, pair.name
            compared += 1
    assert compared > 500


# -- validation and canonical JSON ---------------------------------------------------------


def _spoiled(rng: random.Random, situation: dict[str, Any]) -> dict[str, Any]:
    """The situation with one field given a wrong type, a value outside its vocabulary, or an
    unknown name."""
    spoiled = dict(situation)
    field = rng.choice(list(contract.SITUATION.fields))
    spoiled[rng.choice([field.name, "not_a_field"])] = rng.choice(
        [
            "not_a_value",
            7,
            2.5,
            float("nan"),
            True,
            [],
            ["staging", 3],
            [{"kind": "data"}],
            {"kind": "not_a_kind"},
            {"present": "yes"},
            {"lat": 120.0},
            "2026-13-40T00:00:00",
            "x" * 2001,
        ]
    )
    return spoiled


def test_the_compiled_check_accepts_exactly_the_valid_situations() -> None:
    rng = random.Random(152)
    candidates = MIX + [_spoiled(rng, rng.choice(MIX)) for _ in range(2000)]
    rejected = 0
    for candidate in candidates:
        errors: list[contract.FieldError] = []
        validation._check_object(candidate, contract.SITUATION, "", errors)
        assert validation._VALID(candidate) is (not errors), candidate
        rejected += bool(errors)
    assert rejected > 1000


@pytest.mark.parametrize(
    "value",
    [
        {"é": 1, "e": 2, "z": [True, False, None]},
        {"a": '\x00\x1f\u2028\u00e9\U0001f600"\\'},
        {"lat": 40.0, "lon": -104.9},
        {"n": 2**53 - 1, "m": -(2**53) + 1},
        [1, "two", {"three": [3]}],
    ],
)
def test_canonical_json_is_rfc8785(value: Any) -> None:
    assert canonical_json(value) == rfc8785.dumps(value)


def test_canonical_json_of_the_mix_is_rfc8785() -> None:
    for situation in MIX:
        assert canonical_json(situation) == rfc8785.dumps(situation)


@pytest.mark.parametrize(
    "value",
    [
        {"lat": 39.7392, "lon": -104.99031},
        {"lat": 40.0, "lon": -105.0},
        {"lat": 0.00001, "lon": -0.0001},
        {"lat": -0.0, "lon": 1e-300},
        {"x": [1e15 + 0.5, 123456.789, 5e-324]},
    ],
)
def test_canonical_json_of_coordinates_is_rfc8785(value: Any) -> None:
    assert canonical_json(value) == rfc8785.dumps(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_canonical_json_of_any_float_is_rfc8785(number: float) -> None:
    assert canonical_json({"lat": number}) == rfc8785.dumps({"lat": number})


# -- decision JSON -------------------------------------------------------------------------


#: A decision with a conflict (8 U.S.C. 1373 over EO 152 P4): the mix rarely has one.
FEDERAL_LAW_PREVAILS = {
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "requests": [{"kind": "data", "data_categories": ["immigration_status"]}],
    "authority": {"kind": "none"},
}


def _dumped(value: Any, indent: int | None) -> bytes:
    """What the API (``JsonResponse``, ``ensure_ascii=False``) and the CLI wrote before."""
    return json.dumps(value, ensure_ascii=False, indent=indent).encode("utf-8")


def _assert_written_as_dumped(decisions: list[Decision], indent: int | None) -> None:
    for decision in decisions:
        assert decision.to_json(indent) == _dumped(decision.to_dict(), indent)
    assert to_json(decisions, indent) == _dumped([d.to_dict() for d in decisions], indent)


@pytest.mark.parametrize("with_readings", [False, True])
def test_decision_json_is_json_dumps_of_the_decision_dict(
    with_readings: bool, answered: Path
) -> None:
    engine = Engine.load(DEFAULT_POLICY_DIR, answered if with_readings else None)
    decisions = [engine.decide(s) for s in [*MIX, FEDERAL_LAW_PREVAILS]]
    assert decisions[-1].conflicts
    assert all(bool(d.readings) is with_readings for d in decisions)
    place = {"id": "p-1", "name": 'Parque “Cívico” \u2028 \\ "', "kind": "park", "ownership": "x"}
    decisions += [replace(d, place=place) for d in decisions[:10]]
    for indent in (None, 2, 4, None):  # compact again: from the texts already written
        _assert_written_as_dumped(decisions, indent)


@settings(max_examples=examples(60))
@given(
    batch=st.lists(situations(), min_size=1, max_size=3),
    indent=st.sampled_from([None, 2]),
)
def test_decision_json_of_any_situations_is_json_dumps_of_the_decision_dicts(
    batch: list[dict[str, Any]], indent: int | None
) -> None:
    _assert_written_as_dumped([DEFAULT.decide(s) for s in batch], indent)
