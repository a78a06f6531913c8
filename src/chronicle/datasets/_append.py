"""The write side shared by the importers: skip what is present, append per stream, report.

An importer first reads and maps every row (building an event validates it), so
every problem of the data is found before anything is written. Then this module
reads the log once, to learn which rows are already present (see
:mod:`chronicle.datasets._source`) and each stream's version, and appends the new
events with one ``append`` per stream, in stream order, each expecting the version it
read.

What is promised: each stream's events go in all together or not at all; a
concurrent writer makes the append fail with a ``ConcurrencyError`` rather than
interleave; and since only the store can fail once writing starts (an I/O error,
a concurrent writer), an import cut short between two streams is completed, not
duplicated, by running it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from chronicle._event import Corrected, Event
from chronicle._log import Log
from chronicle.datasets._report import ImportReport, RowNote, SkippedRow

__all__ = ["MappedRow", "append_rows"]


@attrs.frozen(kw_only=True)
class MappedRow:
    """The events one row maps to, and where they go.

    Attributes:
        row: The row's number.
        stream: The stream they are appended to.
        events: The events, each citing the row as its source (at least one).
        notes: Caveats about the row, also in the events' source note.
    """

    row: int
    stream: str
    events: tuple[Event, ...]
    notes: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        """``(publisher, title)`` of the row's source: what makes it present in a log."""
        source = self.events[0].sources[0]
        return source.publisher, source.title


def _keys(event: Event) -> Iterable[tuple[str, str]]:
    return ((source.publisher, source.title) for source in event.sources)


def _scan(log: Log) -> tuple[set[tuple[str, str]], dict[str, int]]:
    """The source keys on the log's events, and each stream's version, in one read."""
    keys: set[tuple[str, str]] = set()
    versions: dict[str, int] = {}
    for record in log.read():
        versions[record.stream] = record.version
        entry = record.event
        if isinstance(entry, Corrected):
            keys.update(_keys(entry.replacement))
        elif isinstance(entry, Event):
            keys.update(_keys(entry))
    return keys, versions


def append_rows(
    log: Log,
    *,
    dataset: str,
    path: str | Path,
    rows_read: int,
    mapped: Sequence[MappedRow],
    skipped: Sequence[SkippedRow],
) -> ImportReport:
    """Append the rows not yet in ``log``, one append per stream, and report.

    Args:
        log: The log to import into.
        dataset: The dataset's name and version, for the report.
        path: The file read, for the report.
        rows_read: How many rows the file has.
        mapped: The rows mapped to events.
        skipped: The rows that could not be mapped.

    Raises:
        ConcurrencyError: Another writer appended to a stream during the import.
    """
    present, versions = _scan(log)
    new = [row for row in mapped if row.key not in present]
    batches: dict[str, list[Event]] = {}
    for row in sorted(new, key=lambda row: row.row):
        batches.setdefault(row.stream, []).extend(row.events)
    for stream in sorted(batches):
        log.append(stream, batches[stream], expected_version=versions.get(stream, 0))
    notes = [RowNote(row.row, note) for row in mapped for note in row.notes]
    return ImportReport(
        dataset=dataset,
        path=str(path),
        rows_read=rows_read,
        imported=len(new),
        appended=sum(len(events) for events in batches.values()),
        present=len(mapped) - len(new),
        skipped=tuple(sorted(skipped, key=lambda skip: skip.row)),
        notes=tuple(sorted(notes, key=lambda note: note.row)),
        streams=tuple(sorted(batches)),
    )
