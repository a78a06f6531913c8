"""The JSON Lines store's index: where each record's line is, and what the log holds.

Built by one streaming pass over the file when it is opened, and extended as
the file grows. It keeps, for each line, its byte offset, its stream's number (a
byte while there are at most 256 streams) and a hash of its record's id, plus
each stream's version and the record time of one line in 64: enough to start a
read at a position or a record time, to skip other streams' lines without
decoding them, and to check an append, without holding any event in memory. Ids
and record times that memory does not hold are read from their lines when asked
for (see :mod:`._jsonl_ids` and :meth:`Index.known_count`): a few lines a query.

Opening checks every line's record header (the position is the line number,
versions run on from 1 in each stream, record times never go back, ids are
unique), so a file edited by hand into an impossible log is refused with the
line at fault. The event payloads are decoded when they are read.
"""

from __future__ import annotations

import bisect
import datetime
import json
from array import array
from collections.abc import Callable, Sequence
from typing import Any, NoReturn
from uuid import UUID

from chronicle._errors import CorruptLog
from chronicle._record import Record
from chronicle._stores._files import to_micros
from chronicle._stores._jsonl_ids import IdIndex

__all__ = ["Index"]


_EVERY = 64
"""Positions between two record times kept in memory: the others are read from their lines."""


class Index:
    """What a JSON Lines log holds, line by line (line n holds the record at position n).

    Args:
        path: The file, named in error messages.
        line_at: The line of a position already indexed, read from the file.
    """

    def __init__(self, path: str, line_at: Callable[[int], bytes]) -> None:
        self.path = path
        self._line_at = line_at
        self.offsets = array("q")
        self._times = array("q")
        """The record time of every :data:`_EVERY`-th position from 1, in microseconds."""
        self.stream_of = array("B")
        """Per position (less one): the number of its stream, in as few bytes as they take."""
        self.stream_numbers: dict[str, int] = {}
        self.stream_names: list[str] = []
        """The name of each stream, by its number."""
        self.versions: dict[str, int] = {}
        self.ids = IdIndex(self._id_at)
        self.last_time: datetime.datetime | None = None
        """The record time of the last record (None if there is none)."""
        self.last_micros = 0
        """That time in microseconds since 1970 (UTC)."""
        self.end = 0
        """The byte offset just after the last record's line."""
        self.newline = True
        """Whether that line ends with a newline (a hand-written last line may not)."""

    @property
    def count(self) -> int:
        """The number of records: the last position."""
        return len(self.offsets)

    def span(self, position: int) -> tuple[int, int]:
        """The byte offset and length of the line of the record at ``position``."""
        start = self.offsets[position - 1]
        stop = self.offsets[position] if position < self.count else self.end
        return start, stop - start

    def known_count(self, known_at: datetime.datetime) -> int:
        """How many records were appended by ``known_at`` (they come first).

        Record times never go back: the times kept in memory give the block of
        :data:`_EVERY` positions where they pass ``known_at``, and a binary search
        reads a few lines of it.
        """
        moment = to_micros(known_at)
        if not self.count or moment >= self.last_micros:
            return self.count
        block = bisect.bisect_right(self._times, moment)
        if not block:
            return 0
        low, high = (block - 1) * _EVERY + 1, min(block * _EVERY, self.count)
        while low < high:  # the time of low is at most moment; of those after high, above
            middle = (low + high + 1) // 2
            if self._time_at(middle) <= moment:
                low = middle
            else:
                high = middle - 1
        return low

    def _record(self, position: int) -> dict[str, Any]:
        """The line of the record at ``position``, parsed as on opening."""
        stored: dict[str, Any] = json.loads(self._line_at(position))
        return stored

    def _time_at(self, position: int) -> int:
        """The record time of ``position``, read from its line, in microseconds."""
        return to_micros(datetime.datetime.fromisoformat(self._record(position)["recorded_at"]))

    def _id_at(self, position: int) -> UUID:
        """The id of the record at ``position``, read from its line."""
        return UUID(self._record(position)["id"])

    def add(self, line: bytes, offset: int) -> None:
        """Index the record on ``line``, which starts at byte ``offset``.

        Raises:
            CorruptLog: the line is not a record, or not the one that comes next.
        """
        number = self.count + 1
        stream, version, moment, record_id = self._header(line, number)
        micros = to_micros(moment)
        if self.count and micros < self.last_micros:
            self._fail(number, f"recorded_at {moment.isoformat()} is before the line above")
        found = self.ids.add(record_id, number)  # adds nothing if the id is there
        if found:
            self._fail(number, f"id {record_id} is already the id of line {found}")
        self.offsets.append(offset)
        if (number - 1) % _EVERY == 0:
            self._times.append(micros)
        stream_number = self._number(stream)  # first: it may widen the array
        self.stream_of.append(stream_number)
        self.versions[stream] = version
        self.end = offset + len(line)
        self.newline = line.endswith(b"\n")
        self.last_time, self.last_micros = moment, micros

    def add_appended(self, records: Sequence[Record], lengths: Sequence[int], offset: int) -> None:
        """Index the records of an append this process just wrote, their lines from ``offset``.

        The lines were made from ``records``, which the append checked (positions and
        versions run on, the time is after the last, the ids are new): nothing to parse
        or check again. The records of one append share their stream and record time.
        """
        stream, moment = records[0].stream, records[0].recorded_at
        micros = to_micros(moment)
        stream_number = self._number(stream)  # first: it may widen the array
        first = self.count + 1
        for length in lengths:
            self.offsets.append(offset)
            offset += length
        self.end = offset
        self.newline = True
        kept = range(first + (1 - first) % _EVERY, self.count + 1, _EVERY)
        self._times.extend([micros] * len(kept))
        self.stream_of.extend([stream_number] * len(records))
        self.versions[stream] = records[-1].version
        self.ids.extend([record.id for record in records])  # their lines are all there
        self.last_time, self.last_micros = moment, micros

    def _number(self, stream: str) -> int:
        """The number of ``stream``, given it now if it is new."""
        number = self.stream_numbers.get(stream)
        if number is None:
            number = self.stream_numbers[stream] = len(self.stream_names)
            self.stream_names.append(stream)
            if number == 1 << 8 * self.stream_of.itemsize:  # one byte more for each number
                self.stream_of = array("H" if number == 1 << 8 else "I", self.stream_of)
        return number

    def fits(self, line: bytes) -> bool:
        """Whether ``line`` holds the record that comes next (it would be indexed)."""
        try:
            self._header(line, self.count + 1)
        except CorruptLog:
            return False
        return True

    def _header(self, line: bytes, number: int) -> tuple[str, int, datetime.datetime, UUID]:
        try:
            stored: Any = json.loads(line)
        except ValueError as error:  # also invalid UTF-8
            self._fail(number, f"not JSON ({error})")
        if not isinstance(stored, dict):
            self._fail(number, f"not a JSON object: {line[:80]!r}")
        try:
            position, stream, version = stored["position"], stored["stream"], stored["version"]
            moment = datetime.datetime.fromisoformat(stored["recorded_at"])
            record_id = UUID(stored["id"])
            kind, schema, data = stored["type"], stored["v"], stored["data"]
        except (KeyError, TypeError, ValueError) as error:
            self._fail(number, f"not a stored record ({type(error).__name__}: {error})")
        if not (isinstance(kind, str) and type(schema) is int and isinstance(data, dict)):
            self._fail(
                number, "malformed entry: needs a string 'type', an int 'v' and a 'data' object"
            )
        if not isinstance(stream, str) or not stream.strip():
            self._fail(number, f"stream must be a non-empty string, not {stream!r}")
        if moment.utcoffset() is None:
            self._fail(number, f"recorded_at {moment.isoformat()} has no time zone")
        if type(position) is not int or position != number:
            self._fail(number, f"position {position!r}, but line {number} holds position {number}")
        expected = self.versions.get(stream, 0) + 1
        if type(version) is not int or version != expected:
            self._fail(number, f"version {version!r} of stream {stream!r}, expected {expected}")
        return stream, version, moment, record_id

    def _fail(self, number: int, problem: str) -> NoReturn:
        raise CorruptLog(f"{self.path}, line {number}: {problem}")
