"""Situations are checked against the contract; every problem names its field path."""

from __future__ import annotations

import pytest

from eo152 import contract
from eo152.contract import InvalidSituation
from eo152.contract.schema import situation_json_schema
from eo152.services.decisions import decide_all, parse_json


def errors_of(situation: object) -> list[str]:
    with pytest.raises(InvalidSituation) as caught:
        contract.validate(situation)
    return [str(e) for e in caught.value.errors]


def test_a_value_outside_the_vocabulary_names_the_field_and_the_allowed_values() -> None:
    (message,) = errors_of({"force": {"kind": "laser"}})
    assert message.startswith(
        "force.kind: 'laser' is not allowed; allowed values: none, control_hold"
    )


def test_an_unknown_field_is_refused_with_the_fields_allowed_there() -> None:
    (message,) = errors_of({"agents": {"agency": "ICE_ERO"}})
    assert message.startswith(
        "agents.agency: unknown field; allowed fields here: agencies, purpose"
    )


def test_a_wrong_type_says_what_was_expected() -> None:
    (message,) = errors_of({"aid_blocked": "yes"})
    assert message == "aid_blocked: expected true, false or null, got 'yes'"


def test_fields_of_list_items_are_named_with_their_index() -> None:
    messages = errors_of({"city_personnel": [{"role": "dpd_officer"}, {"role": "mayor"}]})
    assert messages[0].startswith("city_personnel[1].role: 'mayor' is not allowed")


def test_every_problem_is_reported_not_only_the_first() -> None:
    messages = errors_of({"surge": 1, "location": {"lat": 91, "kind": "moon"}, "at": "yesterday"})
    assert {m.split(":")[0] for m in messages} == {"surge", "location.lat", "location.kind", "at"}


def test_null_means_unknown_and_is_always_allowed() -> None:
    assert contract.validate({"force": None, "agents": {"purpose": None}}) is not None


def test_a_batch_names_each_bad_item_by_its_index_and_decides_nothing() -> None:
    with pytest.raises(InvalidSituation) as caught:
        decide_all([{}, {"force": {"kind": "laser"}}, {"surge": "no"}])
    assert [e.path for e in caught.value.errors] == ["[1].force.kind", "[2].surge"]


def test_input_over_one_megabyte_is_refused_before_parsing() -> None:
    with pytest.raises(InvalidSituation, match="larger than 1 MB"):
        parse_json(b" " * (contract.MAX_INPUT_BYTES + 1))


def test_invalid_json_says_where() -> None:
    with pytest.raises(InvalidSituation, match="invalid JSON at line 2, column 1"):
        parse_json('{"surge": true,\n}')


def test_the_json_schema_lists_every_contract_field() -> None:
    schema = situation_json_schema()
    assert set(schema["properties"]) == {f.name for f in contract.SITUATION.fields}
    force = schema["properties"]["force"]["anyOf"][0]["properties"]
    assert force["kind"]["anyOf"][0]["enum"] == list(contract.field_at("force.kind").values)  # type: ignore[union-attr]
