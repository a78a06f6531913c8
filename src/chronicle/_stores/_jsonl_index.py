"""The JSON Lines store's index: where each record's line is, and what the log holds.

Built by one streaming pass over the file when it is opened, and extended as
the file grows. It keeps, for each line, its byte offset, its record time and
its stream, plus each stream's version and each record's id: enough to start a
read at a position or a record time, to skip other streams' lines without
decoding them, and to check an append, without holding any event in memory.

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
from collections.abc import Sequence
from typing import Any, NoReturn
from uuid import UUID

from chronicle._errors import CorruptLog
from chronicle._record import Record
from chronicle._stores._files import to_micros
from chronicle._stores._jsonl_ids import IdIndex

__all__ = ["Index"]


class Index:
    """What a JSON Lines log holds, line by line (line n holds the record at position n).

    Args:
        path: The file, named in error messages.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.offsets = array("q")
        self.times = array("q")
        self.stream_of = array("i")
        self.stream_numbers: dict[str, int] = {}
        self.versions: dict[str, int] = {}
        self.ids = IdIndex()
        self.last_time: datetime.datetime | None = None
        """The record time of the last record (None if there is none)."""
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
        """How many records were appended by ``known_at`` (they come first)."""
        return bisect.bisect_right(self.times, to_micros(known_at))

    def add(self, line: bytes, offset: int) -> None:
        """Index the record on ``line``, which starts at byte ``offset``.

        Raises:
            CorruptLog: the line is not a record, or not the one that comes next.
        """
        number = self.count + 1
        stream, version, moment, record_id = self._header(line, number)
        if record_id in self.ids:
            self._fail(number, f"id {record_id} is already the id of line {self.ids[record_id]}")
        micros = to_micros(moment)
        if self.times and micros < self.times[-1]:
            self._fail(number, f"recorded_at {moment.isoformat()} is before the line above")
        self.offsets.append(offset)
        self.times.append(micros)
        self.stream_of.append(self.stream_numbers.setdefault(stream, len(self.stream_numbers)))
        self.versions[stream] = version
        self.ids[record_id] = number
        self.last_time = moment
        self.end = offset + len(line)
        self.newline = line.endswith(b"\n")

    def add_appended(self, records: Sequence[Record], lengths: Sequence[int], offset: int) -> None:
        """Index the records of an append this process just wrote, their lines from ``offset``.

        The lines were made from ``records``, which the append checked (positions and
        versions run on, the time is after the last, the ids are new): nothing to parse
        or check again. The records of one append share their stream and record time.
        """
        stream, moment = records[0].stream, records[0].recorded_at
        stream_number = self.stream_numbers.setdefault(stream, len(self.stream_numbers))
        self.ids.add_new([record.id for record in records], self.count + 1)
        offsets = self.offsets
        for length in lengths:
            offsets.append(offset)
            offset += length
        self.times.extend([to_micros(moment)] * len(records))
        self.stream_of.extend([stream_number] * len(records))
        self.versions[stream] = records[-1].version
        self.last_time = moment
        self.end = offset
        self.newline = True

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
