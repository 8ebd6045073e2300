"""``eo152 decide`` reads a batch of any size as a stream (CONTRACT.md, "Interfaces": the CLI has
no size limit). Issue 11: it read its whole input before refusing it (5 GB of /dev/zero)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import IO, Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eo152.contract import MAX_INPUT_BYTES
from eo152.rules import InvalidSituation
from eo152.services.batch_stream import NotABatch, StreamedBatch, array_items
from eo152.services.decisions import decide_all, to_json

STAGING = {
    "at": "2026-03-10T14:30:00-07:00",
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "activities": ["staging"],
    "location": {"ownership": "city_owned", "kind": "library", "area": "public"},
}


class _Trickle(io.RawIOBase):
    """A stream handing out a few bytes a read, so items straddle every boundary."""

    def __init__(self, data: bytes, step: int = 3) -> None:
        self._data, self._at, self._step, self.read_bytes = data, 0, step, 0

    def read(self, size: int = -1) -> bytes:
        piece = self._data[self._at : self._at + self._step]
        self._at += len(piece)
        self.read_bytes += len(piece)
        return piece


class _Endless(io.RawIOBase):
    """/dev/zero: counts what was read of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 65_536 if size < 0 else size
        self.read_bytes += size
        return b"\0" * size


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(st.lists(json_values, max_size=6), st.sampled_from([None, 0, 2]), st.integers(1, 7))
def test_the_items_cut_out_are_the_items_of_the_array(
    items: list[Any], indent: Any, step: int
) -> None:
    text = json.dumps(items, indent=indent, ensure_ascii=False).encode()
    assert [json.loads(item) for item in array_items(_Trickle(text, step))] == items


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"[1, 2", "the array does not end"),
        (b"[1] 2", "text after the end of the array"),
        (b"", "empty input"),
        (b'{"a": 1}', "only a batch"),
    ],
)
def test_a_broken_array_is_named_with_its_byte(text: bytes, message: str) -> None:
    with pytest.raises(InvalidSituation, match=message):
        list(array_items(io.BytesIO(text)))


def test_an_item_over_one_megabyte_is_refused_without_reading_on() -> None:
    text = b'[{"id": "' + b"x" * (MAX_INPUT_BYTES + 10) + b'"}, {}]' + b" " * 10_000_000
    source = _Trickle(text, 65_536)
    with pytest.raises(InvalidSituation, match=r"item \[0\] is larger than 1 MB"):
        list(array_items(source))
    assert source.read_bytes < MAX_INPUT_BYTES + 200_000


def test_what_is_not_an_array_is_refused_at_its_first_byte() -> None:
    source = _Endless()
    head = source.read(MAX_INPUT_BYTES + 1)
    with pytest.raises(NotABatch):
        list(StreamedBatch(head, cast(IO[bytes], source)).errors())
    assert source.read_bytes == MAX_INPUT_BYTES + 1


def _eo152(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "eo152", *args], input=stdin, capture_output=True, timeout=300
    )


@pytest.fixture(scope="module")
def big_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    batch = [{**STAGING, "id": f"item-{index}"} for index in range(4_000)]
    path = tmp_path_factory.mktemp("batch") / "batch.json"
    path.write_text(json.dumps(batch, indent=1))
    assert path.stat().st_size > MAX_INPUT_BYTES
    return path, batch


def test_a_batch_over_one_megabyte_is_decided_from_a_file_and_from_standard_input(
    big_batch: tuple[Path, list[dict[str, Any]]],
) -> None:
    path, batch = big_batch
    expected = to_json(decide_all(batch), indent=2) + b"\n"
    from_file = _eo152(["decide", "--json", str(path)])
    assert from_file.returncode == 0, from_file.stderr
    assert from_file.stdout == expected
    from_stdin = _eo152(["decide", "--json", "-"], stdin=path.read_bytes())
    assert from_stdin.stdout == expected


def test_a_bad_item_in_a_large_batch_is_named_and_nothing_is_decided(
    big_batch: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    _, batch = big_batch
    batch = [dict(item) for item in batch]
    batch[3_100]["force"] = {"kind": "laser"}
    batch[3_999] = "not a situation"  # type: ignore[call-overload]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(batch))
    run = _eo152(["decide", "--json", "-"], stdin=path.read_bytes())
    assert run.returncode == 2
    assert run.stdout == b""
    errors = run.stderr.decode()
    assert "[3100].force.kind: 'laser' is not allowed" in errors
    assert "[3999]" in errors and "Traceback" not in errors
