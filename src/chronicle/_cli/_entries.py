"""Files of entries in and out of a log: what ``append``, ``import`` and ``export`` read and write.

Two JSON Lines forms are read:

- **entries** (``append``): one ``{"stream", "type", "v", "data"}`` object a line, the
  stored form of an event or correction plus the stream it goes to (``stream`` may
  be left out when the command names a default). The log gives ids, positions and
  record times.
- **records** (``import``): the form ``export --format jsonl`` writes, one whole record
  a line. Importing it copies a log: the same streams, order and record times,
  corrections pointed at the new ids of their targets.

A file is read and checked in full before anything is appended, so a file with a
bad line changes nothing. Errors name the file and the line.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar
from uuid import UUID

import attrs

from chronicle._codec import decode, parse_json, record_from_dict, record_to_dict
from chronicle._errors import (
    ChronicleError,
    CorrectionError,
    CorruptLog,
    RecordTimeError,
    StoreError,
    UnknownEventType,
    UpcastError,
    shorten,
)
from chronicle._event import Correction, Entry
from chronicle._log import Log
from chronicle._record import Record

__all__ = [
    "Batch",
    "appends",
    "check_targets",
    "copy_records",
    "read_entries",
    "read_records",
    "write_jsonl",
]

_ENTRY_KEYS = frozenset({"stream", "type", "v", "data"})
_DECODE_ERRORS = (CorruptLog, UnknownEventType, UpcastError)

T = TypeVar("T")


@attrs.frozen
class Batch:
    """Entries bound for one stream, with the file lines they came from.

    Attributes:
        stream: The stream they are appended to.
        entries: The decoded entries, in file order.
        lines: The line number of each entry (1-based), for error messages.
    """

    stream: str
    entries: tuple[Entry, ...]
    lines: tuple[int, ...]


def _lines(path: Path, advance: Callable[[int], None]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, JSON object) for each non-blank line; ``advance`` gets the bytes read."""
    with path.open("rb") as file:
        for number, raw in enumerate(file, 1):
            advance(len(raw))
            if not raw.strip():
                continue
            try:
                value = parse_json(raw)
            except CorruptLog as error:
                raise CorruptLog(f"{path}, line {number}: {error}") from None
            if not isinstance(value, dict):
                raise CorruptLog(f"{path}, line {number}: not a JSON object: {shorten(raw)}")
            yield number, value


_UNKNOWN_HINT = (
    " (if a module of yours declares it, give it with --module, and check that its class"
    " is declared with @chronicle.event)"
)


def _at(path: Path, number: int, read: Callable[[], T]) -> T:
    """``read()``, with its decoding error prefixed by the file and line it is about.

    An unknown type is most often a module not given with ``--module``, or an event
    class whose ``@chronicle.event`` was forgotten: the message says so.
    """
    try:
        return read()
    except _DECODE_ERRORS as error:
        hint = _UNKNOWN_HINT if isinstance(error, UnknownEventType) else ""
        raise type(error)(f"{path}, line {number}: {error}{hint}") from error


def read_entries(
    path: Path, *, stream: str | None, advance: Callable[[int], None] = lambda _: None
) -> list[Batch]:
    """The entries of a JSON Lines file, grouped by stream in order of first appearance.

    Args:
        path: The file.
        stream: The stream of lines that name none (None: every line must name one).
        advance: Told how many bytes each line holds, to drive a progress bar.

    Raises:
        CorruptLog: a line is not a JSON object of the entry form, or does not decode.
        UnknownEventType: a line's type is unknown to this program (decoding is strict).
        UpcastError: an old schema version cannot be brought up to date.
    """
    grouped: dict[str, tuple[list[Entry], list[int]]] = {}
    for number, line in _lines(path, advance):
        extra = sorted(line.keys() - _ENTRY_KEYS)
        if extra:
            hint = " (a file of exported records? use `chronicle import`)" if "id" in extra else ""
            raise CorruptLog(f"{path}, line {number}: unexpected keys {extra}{hint}")
        target = line.get("stream", stream)
        if not isinstance(target, str) or not target.strip():
            raise CorruptLog(
                f"{path}, line {number}: no stream (give one in the line, or --stream)"
                if target is None
                else f"{path}, line {number}: stream must be a non-empty string, not {target!r}"
            )
        entry = _at(path, number, functools.partial(decode, line, strict=True))
        entries, numbers = grouped.setdefault(target, ([], []))
        entries.append(entry)
        numbers.append(number)
    return [
        Batch(name, tuple(entries), tuple(numbers)) for name, (entries, numbers) in grouped.items()
    ]


def check_targets(log: Log, path: Path, batches: Iterable[Batch]) -> None:
    """Check every correction of ``batches`` against the log before anything is appended.

    The log checks them again on append; checking all of them first is what keeps
    a file of several streams from being appended in part for a bad target.

    Raises:
        CorrectionError: a target is not in the log, is a correction, or is in
            another stream than the correction's.
    """
    for batch in batches:
        for entry, number in zip(batch.entries, batch.lines, strict=True):
            if not isinstance(entry, Correction):
                continue
            target = log.get(entry.target)
            where = f"{path}, line {number}: {type(entry).__name__} of {entry.target}"
            if target is None:
                raise CorrectionError(f"{where}: no such record in the log")
            if isinstance(target.event, Correction):
                raise CorrectionError(f"{where}: the target is itself a correction")
            if target.stream != batch.stream:
                raise CorrectionError(
                    f"{where}: the target is in stream {target.stream!r}, not {batch.stream!r}"
                )


def read_records(path: Path, advance: Callable[[int], None] = lambda _: None) -> list[Record]:
    """The records of a file written by ``export --format jsonl``, checked to be importable.

    Raises:
        CorruptLog: a line does not decode, positions do not increase, or a
            correction targets a record that is not earlier in the file.
        RecordTimeError: record time goes back from one line to the next.
        UnknownEventType: a line's type is unknown to this program.
    """
    records: list[Record] = []
    seen: set[UUID] = set()
    for number, line in _lines(path, advance):
        record = _at(path, number, functools.partial(record_from_dict, line, strict=True))
        if records and record.position <= records[-1].position:
            raise CorruptLog(
                f"{path}, line {number}: position {record.position} does not follow"
                f" {records[-1].position}"
            )
        if records and record.recorded_at < records[-1].recorded_at:
            raise RecordTimeError(
                f"{path}, line {number}: recorded_at {record.recorded_at.isoformat()} is before"
                f" the previous line's {records[-1].recorded_at.isoformat()}"
            )
        entry = record.event
        if isinstance(entry, Correction) and entry.target not in seen:
            raise CorruptLog(
                f"{path}, line {number}: {type(entry).__name__} of {entry.target},"
                " which is not an earlier record of the file"
            )
        seen.add(record.id)
        records.append(record)
    return records


def appends(records: list[Record]) -> Iterator[list[Record]]:
    """The records grouped as they were appended: runs of one stream and one record time."""
    run: list[Record] = []
    for record in records:
        if run and (record.stream, record.recorded_at) != (run[0].stream, run[0].recorded_at):
            yield run
            run = []
        run.append(record)
    if run:
        yield run


def copy_records(
    log: Log, records: list[Record], advance: Callable[[int], None] = lambda _: None
) -> int:
    """Append ``records`` to ``log`` as they were appended to theirs; return how many.

    Each run of one stream and one record time is one append, backdated to that
    time; corrections are pointed at the new ids of their targets.

    Raises:
        RecordTimeError: the log already holds records from after the first record time.
        StoreError: an append after the first failed (a concurrent writer, a lost
            connection); the message says why and how many records were copied. When
            the first append fails, its own error is raised.
    """
    head = log.head_recorded_at
    if records and head is not None and records[0].recorded_at <= head:
        raise RecordTimeError(
            f"the log's last record time {head.isoformat()} is not before the file's first"
            f" {records[0].recorded_at.isoformat()}: import into a new log"
        )
    new_ids: dict[UUID, UUID] = {}
    copied = 0
    for run in appends(records):
        entries = [
            attrs.evolve(record.event, target=new_ids[record.event.target])
            if isinstance(record.event, Correction)
            else record.event
            for record in run
        ]
        try:
            appended = log.append(run[0].stream, entries, recorded_at=run[0].recorded_at)
        except ChronicleError as error:
            if not copied:
                raise  # nothing was imported: the error as it is
            raise StoreError(
                f"import stopped after {copied} of {len(records)} records, which the log keeps:"
                f" {error}"
            ) from error
        new_ids.update((old.id, new.id) for old, new in zip(run, appended, strict=True))
        copied += len(run)
        advance(len(run))
    return copied


def write_jsonl(records: Iterable[Record], out: IO[str]) -> int:
    """Write the records in their stored form, one JSON object a line; return how many."""
    count = 0
    for record in records:
        out.write(json.dumps(record_to_dict(record), ensure_ascii=False) + "\n")
        count += 1
    return count
