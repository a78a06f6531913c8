"""Checking a log from end to end: what ``chronicle verify`` reports.

A store keeps its invariants on append; this reads everything back and checks
them again, record by record, as a reader who trusts nothing would: every
entry decodes (strictly: a type this program does not know is a problem),
positions run 1, 2, 3... without gaps, each stream's versions likewise, record
time never goes back and differs from one append to the next, and every
correction amends an earlier event of its own stream.
"""

from __future__ import annotations

import datetime
from array import array
from collections.abc import Callable, Iterable, Iterator
from uuid import UUID

import attrs

from chronicle._errors import ChronicleError
from chronicle._event import Corrected, Correction, Entry, UnknownEvent
from chronicle._log import Log
from chronicle._record import Record
from chronicle._stores._jsonl import JsonlStore
from chronicle._stores._jsonl_ids import IdIndex

__all__ = ["Problem", "check_records", "verify"]


@attrs.frozen
class Problem:
    """Something wrong in a log.

    Attributes:
        position: The position of the record at fault, or of the first record that
            could not be read.
        message: What is wrong, naming the values involved.
    """

    position: int
    message: str

    def __str__(self) -> str:
        return f"position {self.position}: {self.message}"


class _Entries:
    """Of each distinct record id read so far: its stream, and whether it is a correction.

    In arrays of machine integers (under 50 bytes a record, where a dict of ``UUID``
    to a tuple took over 200): ``verify`` reads a log of any size in bounded memory.
    """

    def __init__(self) -> None:
        self._high = array("Q")
        """Per ordinal (1 for the first distinct id read, ...; less one): the id's upper half."""
        self._low = array("Q")
        """Per ordinal (less one): the id's lower half."""
        self._ids = IdIndex(self._id_at)
        """The ordinals by id."""
        self._stream_of = array("i")
        self._corrections = bytearray()
        self._streams: dict[str, int] = {}
        self._names: list[str] = []

    def _id_at(self, ordinal: int) -> UUID:
        return UUID(int=self._high[ordinal - 1] << 64 | self._low[ordinal - 1])

    def __contains__(self, record_id: UUID) -> bool:
        return record_id in self._ids

    def get(self, record_id: UUID) -> tuple[str, bool] | None:
        """The stream of the record with this id and whether it is a correction, or None."""
        ordinal = self._ids.get(record_id)
        if ordinal is None:
            return None
        return self._names[self._stream_of[ordinal - 1]], bool(self._corrections[ordinal - 1])

    def add(self, record_id: UUID, stream: str, correction: bool) -> None:
        """Remember a record, unless its id was read before (the first record keeps it)."""
        if record_id in self._ids:
            return
        number = self._streams.get(stream)
        if number is None:
            number = self._streams[stream] = len(self._names)
            self._names.append(stream)
        self._ids[record_id] = len(self._ids) + 1
        self._high.append(record_id.int >> 64)
        self._low.append(record_id.int & 0xFFFF_FFFF_FFFF_FFFF)
        self._stream_of.append(number)
        self._corrections.append(correction)


@attrs.define
class _Seen:
    """What the checks remember of the records read so far."""

    position: int = 0
    previous: Record | None = None
    versions: dict[str, int] = attrs.Factory(dict)
    entries: _Entries = attrs.Factory(_Entries)


def _unknown(entry: Entry) -> str | None:
    """Why ``entry`` would not decode strictly, if it would not."""
    if isinstance(entry, UnknownEvent):
        return f"unknown event type {entry.type_name!r} v{entry.schema_version}"
    if isinstance(entry, Corrected) and isinstance(entry.replacement, UnknownEvent):
        replacement = entry.replacement
        return (
            f"the replacement is of unknown event type {replacement.type_name!r}"
            f" v{replacement.schema_version}"
        )
    return None


def _order(record: Record, seen: _Seen) -> Iterator[str]:
    if record.position != seen.position + 1:
        yield (
            f"position {record.position} follows position {seen.position}:"
            " positions must run 1, 2, 3..."
        )
    version = seen.versions.get(record.stream, 0)
    if record.version != version + 1:
        yield (
            f"stream {record.stream!r} version {record.version} follows version {version}:"
            " versions must run 1, 2, 3... in each stream"
        )
    if record.id in seen.entries:
        yield f"id {record.id} is used by an earlier record"


def _time(record: Record, previous: Record | None) -> Iterator[str]:
    moment = record.recorded_at
    if moment.tzinfo is None or moment.utcoffset() != datetime.timedelta(0):
        yield f"recorded_at {moment.isoformat()} is not in UTC"
        return
    if previous is None or previous.recorded_at.tzinfo is None:
        return
    if moment < previous.recorded_at:
        yield (
            f"recorded_at {moment.isoformat()} is before {previous.recorded_at.isoformat()}"
            f" (position {previous.position}): record time must not go back"
        )
    elif moment == previous.recorded_at and record.stream != previous.stream:
        yield (
            f"recorded_at {moment.isoformat()} equals that of position {previous.position},"
            f" in stream {previous.stream!r}: appends (one stream each) must have distinct times"
        )


def _target(record: Record, correction: Correction, seen: _Seen) -> Iterator[str]:
    kind = type(correction).__name__
    found = seen.entries.get(correction.target)
    if found is None:
        yield f"{kind} targets {correction.target}, which is not an earlier record"
        return
    stream, is_correction = found
    if is_correction:
        yield f"{kind} targets {correction.target}, which is itself a correction"
    if stream != record.stream:
        yield f"{kind} targets {correction.target}, a record of another stream ({stream!r})"


def check_records(records: Iterable[Record]) -> Iterator[Problem]:
    """Every problem of a sequence of records read in position order, lazily.

    Each problem is reported once, at the record it is found in; checks then go on
    from what that record says (a gap in positions is one problem, not one a record).
    """
    seen = _Seen()
    for record in records:
        entry = record.event
        messages = [*_order(record, seen), *_time(record, seen.previous)]
        if (unknown := _unknown(entry)) is not None:
            messages.append(unknown)
        if isinstance(entry, Correction):
            messages += _target(record, entry, seen)
        yield from (Problem(record.position, message) for message in messages)
        seen.position = record.position
        seen.previous = record
        seen.versions[record.stream] = record.version
        seen.entries.add(record.id, record.stream, isinstance(entry, Correction))


def verify(
    log: Log, *, track: Callable[[Iterable[Record]], Iterable[Record]] = lambda records: records
) -> Iterator[Problem]:
    """Every problem of ``log``, read from its first record to its last.

    A record the store cannot read (a line that is not JSON, a payload that does
    not decode) ends the check with one problem at the position after the last
    record read, since what follows it cannot be trusted to be in place. A JSON
    Lines log that ends in a torn append has a problem at that line, which names
    the command that repairs it (``chronicle repair FILE``). ``track`` sees the
    records as they are read (to count them for a progress display).
    """
    last = 0

    def positions() -> Iterator[Record]:
        nonlocal last
        for record in track(log.read()):
            last = record.position
            yield record

    try:
        yield from check_records(positions())
    except ChronicleError as error:
        yield Problem(last + 1, f"cannot read the log here: {error}")
        return
    if isinstance(log.store, JsonlStore) and (torn := log.store.torn) is not None:
        yield Problem(torn.line, torn.command_line_message)
