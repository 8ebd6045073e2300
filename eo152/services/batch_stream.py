"""A batch of any size, read as a stream: CONTRACT.md gives the CLI no size limit.

Input up to 1 MB is read whole and parsed as always. Past that it must be a JSON array (one
situation is never that large), and it is read in pieces: ``array_items`` cuts the text of
each item out as it arrives, and each item is parsed by ``parse_json`` (the same limits and
the same words as everywhere, an item at most 1 MB). The batch is read twice: once to find
every bad item (nothing is decided unless all are valid), once to decide; standard input is
copied to a temporary file on the first reading. Memory stays that of one item, whatever
the size; anything that is not an array stops the reading at once (``/dev/zero`` is refused
at its first byte).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from typing import IO, Any, Protocol

from ..contract import MAX_INPUT_BYTES, collect_errors
from ..rules import Decision, FieldError, InvalidSituation
from .decisions import decide_located, engine_for, locate, parse_json

_PIECE = 1 << 16
#: Outside a string, what changes the structure; inside one, what may end it.
_STRUCTURE = re.compile(rb'["\[\]{},]')
_IN_STRING = re.compile(rb'["\\]')
_SPACE = b" \t\r\n"


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class NotABatch(InvalidSituation):
    """Input over 1 MB that is not a JSON array."""


def array_items(source: Readable, head: bytes = b"") -> Iterator[bytes]:
    """The text of each item of the JSON array ``head`` + ``source`` holds, in order.

    Only the array's own structure is checked here (brackets, commas, strings); each item's
    text is JSON for ``parse_json`` to judge. Raises InvalidSituation naming the byte offset.
    """
    buffer = bytearray(head)
    offset = 0  # of buffer[0] in the whole input
    position = _skip_space(buffer, 0)
    while position == len(buffer):
        piece = source.read(_PIECE)
        if not piece:
            raise _error(offset + position, "empty input")
        buffer += piece
        position = _skip_space(buffer, position)
    if buffer[position : position + 1] != b"[":
        raise NotABatch(
            [FieldError("(input)", "larger than 1 MB: only a batch (a JSON array) may be")]
        )
    start = position + 1
    position, depth, in_string, index = start, 1, False, 0
    while True:
        pattern = _IN_STRING if in_string else _STRUCTURE
        found = pattern.search(buffer, position)
        if found is None:
            if start > _PIECE:  # keep only the item being read
                del buffer[:start]
                offset, position, start = offset + start, position - start, 0
            if len(buffer) - start > MAX_INPUT_BYTES:
                raise _error(offset + start, f"item [{index}] is larger than 1 MB")
            piece = source.read(_PIECE)
            if not piece:
                raise _error(offset + len(buffer), "the array does not end")
            # Nothing to find before the end; past it when an escape's character is still to come.
            position = max(position, len(buffer))
            buffer += piece
            continue
        byte = buffer[found.start()]
        position = found.end()
        if in_string:
            if byte == ord("\\"):
                position += 1  # the escaped character, whatever it is
            else:
                in_string = False
        elif byte == ord('"'):
            in_string = True
        elif byte in b"[{":
            depth += 1
        elif byte in b"]}":
            depth -= 1
            if depth == 0:
                item = _item(buffer, start, found.start(), index, offset)
                if item.strip(_SPACE) or index:
                    yield item
                _expect_end(buffer[position:], source, offset + position)
                return
        elif depth == 1:  # a comma between items
            yield _item(buffer, start, found.start(), index, offset)
            start, index = position, index + 1


def _item(buffer: bytearray, start: int, end: int, index: int, offset: int) -> bytes:
    if end - start > MAX_INPUT_BYTES:
        raise _error(offset + start, f"item [{index}] is larger than 1 MB")
    return bytes(buffer[start:end])


def _skip_space(buffer: bytearray, position: int) -> int:
    while position < len(buffer) and buffer[position] in _SPACE:
        position += 1
    return position


def _expect_end(rest: bytearray | bytes, source: Readable, at: int) -> None:
    while True:
        if rest.strip(_SPACE):
            raise _error(at, "text after the end of the array")
        at += len(rest)
        rest = source.read(_PIECE)
        if not rest:
            return


def _error(at: int, message: str) -> InvalidSituation:
    return InvalidSituation([FieldError("(input)", f"{message} (byte {at:,})")])


class StreamedBatch:
    """A batch over 1 MB: checked item by item, then decided item by item."""

    def __init__(self, head: bytes, source: IO[bytes], readings: Any = None) -> None:
        self._head = head
        self._source = source
        self._readings = readings
        self._copy: IO[bytes] | None = None

    def errors(self) -> Iterator[FieldError]:
        """Every bad field of every item, as found (the first reading)."""
        reading: Readable = self._source
        if self._needs_copy():
            reading = _Copying(self._source, self._head)
            self._copy = reading.copy
        for index, text in enumerate(array_items(reading, self._head)):
            try:
                item = parse_json(text)
            except InvalidSituation as invalid:
                yield from (FieldError(f"[{index}] {e.path}", e.message) for e in invalid.errors)
                continue
            found: list[FieldError] = []
            collect_errors(item, found, f"[{index}]")
            yield from found
            if not found:
                try:
                    locate(item, index)  # a point the registry refuses is a bad field too
                except InvalidSituation as invalid:
                    yield from invalid.errors

    def decisions(self) -> Iterator[Decision]:
        """The decisions, in order (the second reading; ``errors`` must have found none)."""
        engine = engine_for(self._readings)
        source = self._copy if self._copy is not None else self._source
        source.seek(0)
        for index, text in enumerate(array_items(source)):
            yield decide_located(engine, locate(parse_json(text), index))

    def close(self) -> None:
        if self._copy is not None:
            self._copy.close()

    def __enter__(self) -> StreamedBatch:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _needs_copy(self) -> bool:
        try:
            return not self._source.seekable()
        except OSError:
            return True


class _Copying:
    """Standard input, copied to a temporary file as it is read (for the second reading)."""

    def __init__(self, source: Readable, head: bytes) -> None:
        self._source = source
        # Kept open past this call: StreamedBatch reads it again, then closes it.
        self.copy: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self.copy.write(head)  # read before it was known that a copy is needed

    def read(self, size: int = -1) -> bytes:
        piece = self._source.read(size)
        self.copy.write(piece)
        return piece
