"""A batch's answer is written a decision at a time (issue 11, "amplification"): the bytes are
those of the whole answer, but a worker never holds them all. A body sent in chunks is read,
and a point or address while the places layers are damaged gets 503, not 500."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path
from typing import Any

from django.test import Client, RequestFactory

from eo152.api.decisions import decisions
from eo152.api.gate import LARGE_BATCH
from eo152.services.decisions import decide_all, to_json

from .conftest import read_whole

# Each dated: a situation without `at` is decided as of now, and the answer written a
# decision at a time is written a moment after the one it is compared with.
AT = "2026-03-10T14:30:00-06:00"
BATCH: list[dict[str, Any]] = [
    {"id": "empty", "at": AT},
    {
        "at": AT,
        "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
        "activities": ["staging"],
        "location": {"ownership": "city_owned", "kind": "library", "area": "public"},
    },
    {"at": AT, "force": {"kind": "firearm", "ongoing": True}, "agents": {"agencies": ["CBP"]}},
]


def _post(body: bytes) -> Any:
    return Client().post("/api/v1/decisions", body, content_type="application/json")


def test_a_batch_answer_is_streamed_with_the_bytes_of_the_whole_answer() -> None:
    response = _post(json.dumps(BATCH).encode())
    assert response.streaming
    assert read_whole(response).content == to_json(decide_all(BATCH))


def test_an_empty_batch_is_an_empty_array_and_one_situation_is_not_streamed() -> None:
    assert read_whole(_post(b"[]")).content == b"[]"
    single = _post(json.dumps(BATCH[1]).encode())
    assert not single.streaming
    assert single.content == to_json(decide_all(BATCH[1]))


def test_a_worker_never_holds_a_whole_batch_answer() -> None:
    # 200 decisions are about 13 MB of JSON; written in 64 kB pieces, the peak stays small.
    batch = [{**BATCH[index % 3], "id": f"item-{index}"} for index in range(200)]
    response = _post(json.dumps(batch).encode())
    answer_size = 0
    tracemalloc.start()
    try:
        for chunk in response.streaming_content:
            answer_size += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer_size > 5_000_000
    assert peak < answer_size / 4, f"held {peak:,} bytes for a {answer_size:,}-byte answer"


def test_a_body_sent_in_chunks_is_read() -> None:
    # Transfer-Encoding: chunked has no Content-Length; Django alone would read an empty body.
    body = json.dumps(BATCH[1]).encode()
    request = RequestFactory().generic(
        "POST", "/api/v1/decisions", b"", content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
    )  # fmt: skip
    request.META.pop("CONTENT_LENGTH", None)
    request.META["wsgi.input"] = io.BytesIO(body)
    response = decisions(request)
    assert response.status_code == 200
    assert response.content == to_json(decide_all(BATCH[1]))


def test_a_point_while_the_places_layers_are_damaged_is_a_503_without_the_path(
    data_dir: Path,
) -> None:
    store = Path(str(data_dir)) / "places"
    store.mkdir(parents=True)
    (store / "parkland.npz").write_bytes(b"not a layer")
    point = {"location": {"lat": 39.7365, "lon": -104.9903}}
    for body in (point, [BATCH[0], point]):
        response = _post(json.dumps(body).encode())
        assert response.status_code == 503, body
        problem = response.json()
        assert problem["title"] == "Places unavailable"
        assert str(store) not in problem["detail"]
    # A situation that says what the place is needs no layer, and is still decided.
    assert _post(json.dumps(BATCH[1]).encode()).status_code == 200


def test_one_large_batch_at_a_time_the_next_is_told_to_send_again() -> None:
    large = json.dumps([{}] * (LARGE_BATCH + 1)).encode()
    first = _post(large)
    assert first.status_code == 200
    pieces = iter(first.streaming_content)
    next(pieces)  # the first answer is being written: it holds the gate
    second = _post(large)
    assert second.status_code == 503
    assert second["Retry-After"] == "1"
    assert "Busy with another large batch" in second.json()["title"]
    # A batch of at most LARGE_BATCH situations never waits.
    assert _post(json.dumps([{}] * LARGE_BATCH).encode()).status_code == 200
    # The caller went away: the answer's iterator is closed, as a WSGI server closes it (the
    # test client's own wrapper of the iterator does the rest of what close() does).
    first._iterator.close()
    assert read_whole(_post(large)).status_code == 200


def test_the_gate_is_released_when_the_answer_is_read_and_when_the_batch_is_invalid() -> None:
    large = [{}] * (LARGE_BATCH + 1)
    assert read_whole(_post(json.dumps(large).encode())).status_code == 200
    invalid = _post(json.dumps([*large, {"force": {"kind": "laser"}}]).encode())
    assert invalid.status_code == 422
    assert read_whole(_post(json.dumps(large).encode())).status_code == 200


def test_an_answer_never_read_holds_no_gate() -> None:
    large = json.dumps([{}] * (LARGE_BATCH + 1)).encode()
    unread = _post(large)
    assert unread.status_code == 200
    assert read_whole(_post(large)).status_code == 200
