"""The HTTP limits of CONTRACT.md ("Interfaces"): a batch of at most 1,000 situations, a body
of at most 1 MB (beyond either, 413 stating the limit), and at most 100 field errors listed
in a problem document, the rest counted, without the error path amplifying a bad body."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from django.test import Client

from eo152.api.limits import (
    MAX_BATCH_SITUATIONS,
    MAX_BODY_BYTES,
    MAX_ERROR_TEXT,
    MAX_LISTED_ERRORS,
)
from eo152.api.problems import field_problem
from eo152.rules import InvalidSituation
from eo152.services.decisions import decide_all, not_listed

# Three bad fields, found in this order: surge, force.kind, id.
THREE_BAD_FIELDS = {"surge": 1, "force": {"kind": "laser"}, "id": 5}


def _problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    return problem


def test_the_limits_are_those_of_the_contract():
    assert (MAX_BATCH_SITUATIONS, MAX_BODY_BYTES, MAX_LISTED_ERRORS) == (1_000, 1_048_576, 100)


def test_a_batch_of_1001_situations_gets_413_naming_the_limit(post_json):
    problem = _problem(post_json([{}] * 1_001), 413)
    assert problem["title"] == "Batch too large"
    assert problem["detail"] == "A batch holds at most 1,000 situations; this one has 1,001."
    assert problem["errors"] == []


def test_a_batch_over_the_limit_is_refused_before_any_item_is_looked_at(post_json):
    # 20,000 bad items: the answer is the limit, not 20,000 field errors.
    response = post_json([{"surge": "yes"}] * 20_000)
    problem = _problem(response, 413)
    assert "this one has 20,000" in problem["detail"]
    assert len(response.content) < 1_000


def test_a_batch_of_1000_situations_is_decided(post_json):
    response = post_json([{"id": str(index)} for index in range(1_000)])
    assert response.status_code == 200
    decisions = response.json()
    assert len(decisions) == 1_000
    assert all("duties" in decision for decision in decisions)


def test_a_body_over_one_megabyte_gets_413_stating_the_limit_and_its_size(post_json):
    body = json.dumps({"id": "x" * MAX_BODY_BYTES}).encode()
    problem = _problem(post_json(body), 413)
    assert problem["title"] == "Body too large"
    assert problem["detail"] == (
        f"A body holds at most 1 MB (1,048,576 bytes); this one has {len(body):,} bytes."
    )


def test_a_body_one_byte_over_the_limit_gets_413(post_json):
    body = b'{"id": ""}'
    response = post_json(body + b" " * (MAX_BODY_BYTES + 1 - len(body)))
    assert _problem(response, 413)["title"] == "Body too large"


def test_a_batch_of_1000_items_with_three_bad_fields_lists_100_errors_and_counts_2900(post_json):
    response = post_json([THREE_BAD_FIELDS] * 1_000)
    problem = _problem(response, 422)
    paths = [error["path"] for error in problem["errors"]]
    assert len(paths) == 100
    assert paths[:4] == ["[0].surge", "[0].force.kind", "[0].id", "[1].surge"]
    assert paths[-1] == "[33].surge", "the first 100 errors, in the order they are found"
    assert problem["errors_not_listed"] == 2_900
    lines = problem["detail"].split("\n")
    assert len(lines) == 101
    assert lines[0] == "[0].surge: expected true, false or null, got 1"
    assert lines[-1] == (
        "... and 2,900 more field errors, not listed: a problem document lists at most 100."
    )


def test_a_single_situation_with_many_bad_fields_is_capped_too(post_json):
    problem = _problem(post_json({"agents": {"agencies": ["NASA"] * 500}}), 422)
    paths = [error["path"] for error in problem["errors"]]
    assert paths == [f"agents.agencies[{index}]" for index in range(100)]
    assert problem["errors_not_listed"] == 400
    assert "400 more field errors" in problem["detail"]


def test_every_error_is_listed_up_to_the_cap(post_json):
    problem = _problem(post_json([THREE_BAD_FIELDS] * 33 + [{"surge": 1}]), 422)
    assert len(problem["errors"]) == 100
    assert problem["errors_not_listed"] == 0
    assert "more field error" not in problem["detail"]


def test_one_error_past_the_cap_is_said_in_the_singular(post_json):
    problem = _problem(post_json({"agents": {"agencies": ["NASA"] * 101}}), 422)
    assert problem["errors_not_listed"] == 1
    assert problem["detail"].endswith(
        "\n... and 1 more field error, not listed: a problem document lists at most 100."
    )


def test_a_megabyte_of_bad_values_gets_a_small_answer(post_json):
    count = (MAX_BODY_BYTES - 40) // 2
    body = ('{"agents": {"agencies": [' + ",".join(["1"] * count) + "]}}").encode()
    assert len(body) <= MAX_BODY_BYTES
    response = post_json(body)
    problem = _problem(response, 422)
    assert len(problem["errors"]) == 100
    assert problem["errors_not_listed"] == count - 100
    assert len(response.content) < 64_000, "was 176 MB before the cap"


def test_the_error_path_does_not_keep_every_error_in_memory(post_json):
    # 100,000 bad values took some 70 MB as field errors; capped, the messages past the
    # hundredth are counted and dropped as they are found.
    body = ('{"agents": {"agencies": [' + ",".join(["1"] * 100_000) + "]}}").encode()
    post_json(body)  # the first call builds the engine and Django's caches: not measured
    tracemalloc.start()
    try:
        response = post_json(body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert _problem(response, 422)["errors_not_listed"] == 99_900
    assert peak < 8_000_000, f"the error path held {peak:,} bytes at its peak"


@pytest.mark.parametrize("key", ["k" * 100_000, "\U0001f600" * 100_000, "\ud800" * 50_000])
def test_a_long_unknown_field_name_is_cut_in_the_answer(post_json, key):
    # Sent as UTF-8 where it can be (4 bytes an emoji); the answer escapes it (12 bytes).
    body = json.dumps({"agents": {key: 1}}, ensure_ascii="\ud800" in key)
    response = post_json(body.encode())
    problem = _problem(response, 422)
    [error] = problem["errors"]
    assert len(error["path"]) == MAX_ERROR_TEXT
    assert error["path"].startswith("agents." + key[:10])
    assert error["path"].endswith("…")
    assert len(problem["detail"]) < 2 * MAX_ERROR_TEXT
    assert len(response.content) < 2 * 12 * MAX_ERROR_TEXT + 1_000


def test_a_problem_document_lists_at_most_100_field_errors_whoever_builds_it():
    errors = [(f"[{index}].surge", "expected true, false or null, got 1") for index in range(250)]
    problem = json.loads(field_problem(422, "Invalid situation", errors, not_listed=7).content)
    assert [e["path"] for e in problem["errors"]] == [f"[{i}].surge" for i in range(100)]
    assert problem["errors_not_listed"] == 157
    assert "157 more field errors" in problem["detail"]


def test_every_problem_document_says_how_many_errors_it_left_out(post_json):
    assert _problem(post_json({"surge": 1}), 422)["errors_not_listed"] == 0
    assert _problem(post_json(b"{"), 400)["errors_not_listed"] == 0
    response = Client().get("/api/v1/decisions")
    assert _problem(response, 405)["errors_not_listed"] == 0


def test_the_service_has_no_cap_unless_asked_for_one():
    # The CLI calls decide_all without a cap and names every bad item.
    with pytest.raises(InvalidSituation) as uncapped:
        decide_all([{"surge": 1}] * 150)
    assert len(uncapped.value.errors) == 150
    assert not_listed(uncapped.value) == 0
    with pytest.raises(InvalidSituation) as capped:
        decide_all([{"surge": 1}] * 150, max_errors=100)
    assert len(capped.value.errors) == 100
    assert not_listed(capped.value) == 50
    assert str(capped.value).count("\n") == 99


def test_the_openapi_document_states_the_limits():
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/decisions"]["post"]
    batch = operation["requestBody"]["content"]["application/json"]["schema"]["oneOf"][1]
    assert batch["maxItems"] == 1_000
    assert "1,000 situations" in operation["responses"]["413"]["description"]
    assert "1,048,576 bytes" in operation["responses"]["413"]["description"]
    assert "errors_not_listed" in operation["responses"]["422"]["description"]
    problem = document["components"]["schemas"]["Problem"]
    assert problem["properties"]["errors"]["maxItems"] == 100
    assert problem["properties"]["errors_not_listed"]["type"] == "integer"
    assert "errors_not_listed" in problem["required"]
