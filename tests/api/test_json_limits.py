"""The limits on what JSON is read (``eo152.services.decisions``): nesting, and numbers no
double holds; the words are the same everywhere (``test_same_answer_everywhere.py``)."""

from __future__ import annotations

import json

import pytest

from eo152.contract import InvalidSituation, validate
from eo152.services.decisions import MAX_NESTING, InputBeyondLimits, parse_json


def _nested(levels: int) -> str:
    return json.dumps({"unknown": json.loads("[" * (levels - 1) + "]" * (levels - 1))})


def test_json_nested_to_the_limit_is_read_and_one_level_more_is_refused():
    assert parse_json(_nested(MAX_NESTING))
    with pytest.raises(InputBeyondLimits):
        parse_json(_nested(MAX_NESTING + 1))


def test_brackets_in_strings_do_not_count_as_nesting():
    text = json.dumps({"id": "[{" * 1000, "notes": ['\\"[[[' * 100]})
    assert parse_json(text)["id"] == "[{" * 1000


def test_the_largest_numbers_a_double_holds_are_read_and_no_larger():
    largest = 2**1023 * (2 - 2**-52)
    read = parse_json(f"[{largest!r}, {-largest!r}, {int(largest)}, 1e-400]")
    assert read == [largest, -largest, int(largest), 0.0]
    for past in (f"{int(largest) + 1}", f"-{int(largest) + 1}", "1.8e308", "-1e309"):
        with pytest.raises(InputBeyondLimits):
            parse_json(past)


def test_an_api_body_nested_to_the_limit_gets_field_errors_not_a_refusal(post_json):
    response = post_json(_nested(MAX_NESTING).encode())
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "unknown"


@pytest.mark.parametrize("value", [10**400, -(10**5000)], ids=["401 digits", "-5001 digits"])
def test_validation_refuses_an_integer_past_a_double_instead_of_crashing(value):
    # validate() takes Python values, not only parsed JSON: no OverflowError, no huge message.
    with pytest.raises(InvalidSituation) as refused:
        validate({"location": {"lat": value}, "id": value})
    assert [str(e) for e in refused.value.errors] == [
        "location.lat: a number of more than 40 digits is out of range -90 to 90",
        "id: expected a string, got a number of more than 40 digits",
    ]
