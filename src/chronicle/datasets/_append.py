"""The write side shared by the importers: what a file adds, changes and drops, appended per stream.

An importer first reads and maps every row (building an event validates it), so
every problem of the data is found before anything is written. Then this module
reads the log once, to learn what it holds of the dataset (:mod:`._rows`) and
each stream's version, and turns the file into appends:

- a row the log already holds, event for event (sources aside), is *present*;
- a row the log holds otherwise (same stream, same kind and date of its first
  event, different events) is *corrected*: each of its events is replaced by a
  ``Corrected`` citing the new row, events it no longer has are retracted, and
  events it gained are appended;
- a row the log lacks is *imported*: its events are appended;
- a row of an earlier release that the file's release no longer has is
  *retracted*. Rows of the file's own release are never retracted, so a file cut
  down to a few rows, or an import re-run, completes the log and removes nothing.

Each stream's appends go in one ``append``, in stream order, each expecting the
version read: each stream's changes go in all together or not at all, a
concurrent writer makes the append fail with a ``ConcurrencyError`` rather than
interleave, and an import cut short between two streams is completed, not
duplicated, by running it again.

Record time: by default the log's clock. An import may be recorded at the
release's publication instead (the start of its first day, UTC), so that
``known_at`` that day replays what the release said; each stream's append is
then a microsecond after the one before, and the first must come after the
log's head.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import attrs

from chronicle._errors import RecordTimeError
from chronicle._event import Corrected, Entry, Event, Retracted
from chronicle._log import Log
from chronicle.datasets._report import ImportReport, RowNote, SkippedRow
from chronicle.datasets._rows import LoggedRow, match_rows, read_dataset
from chronicle.datasets._source import Dataset

__all__ = ["MappedRow", "RecordedAt", "append_rows"]

RecordedAt = datetime.datetime | Literal["release"] | None
"""When an import is recorded: the log's clock (None), the release's publication, or a time."""

_MICROSECOND = datetime.timedelta(microseconds=1)


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


def release_time(release: Dataset) -> datetime.datetime:
    """When an import of ``release`` is recorded: its publication's first day, 00:00 UTC."""
    return datetime.datetime.combine(release.published.earliest, datetime.time(), datetime.UTC)


def _start(
    log: Log, recorded_at: RecordedAt, releases: Sequence[Dataset]
) -> datetime.datetime | None:
    """The record time of the first append, checked against the log's head."""
    if recorded_at is None:
        return None
    if recorded_at == "release":
        if not releases:
            return None
        latest = max(releases, key=lambda release: release.published.earliest)
        moment = release_time(latest)
        what = f"the publication of {latest.title} ({moment.isoformat()})"
    else:
        moment, what = recorded_at, f"recorded_at {recorded_at.isoformat()}"
    head = log.head_recorded_at
    if head is not None and moment <= head:
        raise RecordTimeError(
            f"cannot record the import at {what}: the log's last append is at {head.isoformat()},"
            " and record time only moves forward (import releases oldest first, into a log"
            " whose records are older)"
        )
    return moment


def _corrections(old: LoggedRow, new: MappedRow, release: Dataset) -> tuple[list[Entry], int]:
    """The entries that turn ``old`` into ``new``, and how many of them are new events."""
    reason = f"{release.title}, row {new.row}, revises this row"
    sources = (new.events[0].sources[0],)
    entries: list[Entry] = [
        Corrected(target=target, reason=reason, replacement=event, sources=sources)
        for (target, _), event in zip(old.members, new.events, strict=False)
    ]
    entries += [
        Retracted(target=target, reason=reason, sources=sources)
        for target, _ in old.members[len(new.events) :]
    ]
    gained = list(new.events[len(old.members) :])
    return entries + gained, len(gained)


def append_rows(
    log: Log,
    *,
    dataset: str,
    releases: Sequence[Dataset],
    path: str | Path,
    rows_read: int,
    mapped: Sequence[MappedRow],
    skipped: Sequence[SkippedRow],
    recorded_at: RecordedAt = None,
) -> ImportReport:
    """Append what the file adds, changes and drops (see the module docstring), and report.

    Args:
        log: The log to import into.
        dataset: The dataset's name and version(s), for the report.
        releases: The release(s) the file's rows belong to (one dataset).
        path: The file read, for the report.
        rows_read: How many rows the file has.
        mapped: The rows mapped to events.
        skipped: The rows that could not be mapped.
        recorded_at: None (the log's clock), ``"release"`` (the publication of the
            file's latest release) or a UTC datetime: when the import is recorded.

    Raises:
        ConcurrencyError: Another writer appended to a stream during the import.
        RecordTimeError: ``recorded_at`` is not after the log's last append.
    """
    start = _start(log, recorded_at, releases)
    logged, versions = read_dataset(log, releases[0]) if releases else ([], {})
    release = releases[-1] if releases else None
    matched = match_rows(logged, mapped, keep={r.title for r in releases})
    batches: dict[str, list[Entry]] = {}
    appended = 0
    for old, new in matched.changed:
        assert release is not None  # a changed row has a release
        entries, gained = _corrections(old, new, release)
        batches.setdefault(new.stream, []).extend(entries)
        appended += gained
    for old in matched.dropped:
        assert release is not None  # a dropped row is one the file's release lacks
        reason = f"{release.title} no longer has this row"
        retractions = [
            Retracted(target=target, reason=reason, sources=(release.release_source(),))
            for target, _ in old.members
        ]
        batches.setdefault(old.stream, []).extend(retractions)
    for row in sorted(matched.new, key=lambda row: row.row):
        batches.setdefault(row.stream, []).extend(row.events)
        appended += len(row.events)
    for number, stream in enumerate(sorted(batches)):
        moment = None if start is None else start + number * _MICROSECOND
        log.append(
            stream, batches[stream], expected_version=versions.get(stream, 0), recorded_at=moment
        )
    notes = [RowNote(row.row, note) for row in mapped for note in row.notes]
    return ImportReport(
        dataset=dataset,
        path=str(path),
        rows_read=rows_read,
        imported=len(matched.new),
        appended=appended,
        present=len(matched.present),
        corrected=len(matched.changed),
        retracted=len(matched.dropped),
        skipped=tuple(sorted(skipped, key=lambda skip: skip.row)),
        notes=tuple(sorted(notes, key=lambda note: note.row)),
        streams=tuple(sorted(batches)),
    )
