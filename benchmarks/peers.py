"""The toy rule of ``rules-anchors.md`` §3.2 in eo152 and in its peers, each with its explanation.

The rule: entering a non-public area of City property for civil immigration enforcement
without a judicial warrant is forbidden; otherwise it is allowed. Every engine reads the same
facts of a situation written in eo152's contract (``location.area``, ``agents.purpose``,
``authority.kind``), converted once, before timing, into the engine's own input form, and
must pass ``CASES`` before it is timed.

Each ``Contender.call`` is the timed call; ``Contender.allowed`` reads its answer for the
legal test table (not timed). ``Contender.includes`` says what the timed call does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eo152.rules import Decision, Engine

TOY_POLICY = Path(__file__).resolve().parent / "toy_policy"
CITATION = (
    "EO 3a: no entry to a non-public area for civil immigration enforcement "
    "without a judicial warrant"
)


def _case(agency: str, area: str, purpose: str, authority: str) -> dict[str, Any]:
    return {
        "agents": {"agencies": [agency], "purpose": purpose},
        "location": {"area": area},
        "authority": {"kind": authority},
    }


#: The legal test table of §3.2 in the contract's vocabulary: (situation, allowed?).
CASES: list[tuple[dict[str, Any], bool]] = [
    (_case("ICE_ERO", "non_public", "civil_immigration", "administrative_warrant"), False),
    (_case("ICE_ERO", "non_public", "civil_immigration", "judicial_warrant"), True),
    (_case("ICE_ERO", "public", "civil_immigration", "administrative_warrant"), True),
    (_case("FBI", "non_public", "non_immigration", "administrative_warrant"), True),
]


def _flat(situation: dict[str, Any]) -> dict[str, str]:
    """The three facts the rule reads, for engines that take flat records."""
    return {
        "area": situation["location"]["area"],
        "purpose": situation["agents"]["purpose"],
        "authority": situation["authority"]["kind"],
    }


@dataclass
class Contender:
    name: str
    includes: str  # what one timed call does, in words
    prepare: Callable[[dict[str, Any]], Any]  # situation -> the engine's input (not timed)
    call: Callable[[Any], Any]  # the timed call: a decision with its explanation
    allowed: Callable[[Any], bool]  # the answer, for the test table (not timed)


def ours(memoize: bool = True) -> Contender:
    engine = Engine.load(TOY_POLICY)
    if not memoize:
        engine.memo = None

    def allowed(decision: Decision) -> bool:
        duty = decision.duty("federal_agents", "enter_non_public_area")
        assert duty is not None and duty.because and duty.plain["es"] and duty.cites
        return duty.outcome == "permitted"

    memo = "warm memo" if memoize else "memo off"
    return Contender(
        name=f"eo152 ({memo})",
        includes=(
            "Engine.decide(situation dict): contract validation, the law in force on today's "
            "date, a Decision whose duty has outcome, rules, cites, because, plain en/es, "
            f"changes_if, violation ({memo})"
        ),
        prepare=lambda situation: situation,
        call=engine.decide,
        allowed=allowed,
    )


def ours_json() -> Contender:
    engine = Engine.load(TOY_POLICY)
    return Contender(
        name="eo152 + to_dict + json.dumps",
        includes="as above, plus Decision.to_dict() (situation SHA-256 included) and json.dumps",
        prepare=lambda situation: situation,
        call=lambda situation: json.dumps(engine.decide(situation).to_dict()),
        allowed=lambda text: json.loads(text)["duties"][0]["outcome"] == "permitted",
    )


_REGO = f"""package toy
import rego.v1

deny contains "{CITATION}" if {{
  input.location.area == "non_public"
  input.agents.purpose == "civil_immigration"
  input.authority.kind != "judicial_warrant"
}}
"""


def regorus() -> Contender:
    import regorus as rego

    program = rego.Program.compile_from_modules("{}", [("toy.rego", _REGO)], ["data.toy.deny"])
    vm = rego.Rvm()
    vm.load_program(program)

    def call(input_json: str) -> list[str]:
        # JSON text in, never a dict: a dict input is where an older regorus turned False
        # into 0.0 (rules-anchors.md §3.1).
        vm.set_input_json(input_json)
        reasons: list[str] = json.loads(vm.execute())
        return reasons

    return Contender(
        name="regorus 0.13.0 (Rego, RVM bytecode)",
        includes="set_input_json(JSON text made before timing), execute data.toy.deny, "
        "json.loads of the deny-reason set",
        prepare=json.dumps,
        call=call,
        allowed=lambda reasons: not reasons,
    )


_CEDAR = """@id("EO-3a")
forbid (principal, action == Action::"enter", resource)
when { context.area == "non_public" && context.purpose == "civil_immigration" }
unless { context.authority == "judicial_warrant" };

@id("otherwise-allowed")
permit (principal, action == Action::"enter", resource);
"""


def cedar() -> Contender:
    import cedarpy

    policies = cedarpy.PolicySet.from_str(_CEDAR)
    entities = cedarpy.Entities.from_json_str("[]")

    def request(situation: dict[str, Any]) -> dict[str, Any]:
        return {
            "principal": f'Agency::"{situation["agents"]["agencies"][0]}"',
            "action": 'Action::"enter"',
            "resource": 'Place::"city-property"',
            "context": _flat(situation),
        }

    def call(req: dict[str, Any]) -> tuple[bool, dict[str, str]]:
        result = cedarpy.is_authorized(req, policies, entities)
        return result.allowed, result.diagnostics.id_annotations_by_reason

    return Contender(
        name="cedarpy 4.12.2 (Cedar)",
        includes="is_authorized(request dict made before timing, parsed PolicySet and "
        "Entities), with the @id of each determining policy",
        prepare=request,
        call=call,
        allowed=lambda result: result[0],
    )


def rule_engine() -> Contender:
    import rule_engine as re_

    rules = [
        (
            CITATION,
            re_.Rule(
                'area == "non_public" and purpose == "civil_immigration" '
                'and authority != "judicial_warrant"'
            ),
        )
    ]

    def call(facts: dict[str, Any]) -> list[str]:
        return [citation for citation, rule in rules if rule.matches(facts)]

    return Contender(
        name="rule-engine 5.1.0",
        includes="Rule.matches on a flat dict of the three facts made before timing, "
        "collecting the citation of each deny rule that matches",
        prepare=_flat,
        call=call,
        allowed=lambda reasons: not reasons,
    )


def openfisca() -> Contender:
    from openfisca_core.entities import build_entity
    from openfisca_core.periods import DAY
    from openfisca_core.simulations import SimulationBuilder
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    request = build_entity(
        key="request", plural="requests", label="A request to enter City property", is_person=True
    )

    def fact(name: str) -> type[Variable]:
        attributes = {"value_type": str, "entity": request, "definition_period": DAY}
        return type(name, (Variable,), {**attributes, "label": name})

    class entry_denied(Variable):  # OpenFisca names variables by class
        value_type = bool
        entity = request
        definition_period = DAY
        label = "Entry to a non-public area is denied"
        reference = CITATION

        def formula(requests: Any, period: Any) -> Any:
            return (
                (requests("area", period) == "non_public")
                * (requests("purpose", period) == "civil_immigration")
                * (requests("authority", period) != "judicial_warrant")
            )

    system = TaxBenefitSystem([request])
    for name in ("area", "purpose", "authority"):
        system.add_variable(fact(name))
    system.add_variable(entry_denied)
    day = "2026-03-10"

    def entities(situation: dict[str, Any]) -> dict[str, Any]:
        facts = _flat(situation).items()
        return {"requests": {"r": {name: {day: value} for name, value in facts}}}

    def call(data: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
        simulation = SimulationBuilder().build_from_entities(system, data)
        simulation.trace = True
        denied = bool(simulation.calculate("entry_denied", day)[0])
        return denied, simulation.tracer.get_flat_trace()

    return Contender(
        name="openfisca-core 46.0.1",
        includes="one simulation per decision (build_from_entities on an input dict made "
        "before timing, calculate with trace=True), with the flat trace",
        prepare=entities,
        call=call,
        allowed=lambda result: not result[0],
    )


PEERS: list[Callable[[], Contender]] = [regorus, cedar, rule_engine, openfisca]
