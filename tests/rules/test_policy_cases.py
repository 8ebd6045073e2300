"""Every case of every instrument's ``tests.yaml`` as a pytest item of its own, named by its
instrument and its sentence, so a failing legal test shows in pytest as itself
(``eo152 policy test`` runs the same cases for a lawyer)."""

from __future__ import annotations

from typing import Any

import pytest

from eo152.rules import load_policy
from eo152.rules.engine import Engine
from eo152.rules.errors import Location
from eo152.rules.policy import Instrument
from eo152.rules.policytest import TestRun, cases, run_case

POLICY = load_policy()
CASES = [
    pytest.param(instrument, case, where, id=f"{instrument.id}: {case.get('name', '?')}")
    for instrument in POLICY.instruments
    for case, where in cases(instrument)
]
ENGINES: dict[frozenset[tuple[str, str]], Engine] = {}


@pytest.mark.parametrize(("instrument", "case", "where"), CASES)
def test_policy_case(instrument: Instrument, case: dict[str, Any], where: Location) -> None:
    result = run_case(POLICY, instrument, case, where, ENGINES, TestRun())
    assert result.problems == [], f"{where}: {'; '.join(result.problems)}"
