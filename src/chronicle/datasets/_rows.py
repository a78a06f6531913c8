"""What a log holds of a dataset, row by row, and how a file's rows match it.

A dataset's events cite their row (:mod:`._source`): ``"<name> <version>, row
<n>"``. The log's rows of a dataset are its events grouped by that title, as the
dataset's own imports left them: an import's corrections (those whose sources
cite the dataset) are applied, any other correction is not. So a row retracted
or corrected by hand stays the dataset's row, and an import re-run does not
bring it back.

Rows of two releases are matched by what they are about, since row numbers
shift from one release to the next: the stream, and the kind and date of the
row's first event (a coup in Mali on 1968-11-19; a leader installed in Mali on
2013-09-04). Rows with the same key are paired equal ones first, then in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

import attrs

from chronicle._event import Corrected, Correction, Event, Source
from chronicle._log import Log
from chronicle.datasets._source import Dataset, DatasetRow

if TYPE_CHECKING:
    from chronicle.datasets._append import MappedRow

__all__ = ["LoggedRow", "Matched", "match_rows", "read_dataset"]


@attrs.frozen
class LoggedRow:
    """One row of a dataset as the log holds it.

    Attributes:
        stream: Its stream.
        title: The title of the source its events cite (``"... 2021-08, row 12"``).
        release: The release it belongs to (a :attr:`Dataset.title`).
        members: Its events in force, each with the id of the record it replaces
            or is, in position order.
    """

    stream: str
    title: str
    release: str
    members: tuple[tuple[UUID, Event], ...]


@attrs.frozen
class Matched:
    """A file's rows against the log's rows of its dataset.

    Attributes:
        present: File rows the log holds as they are.
        changed: (log row, file row) pairs about the same thing, with other events.
        new: File rows the log lacks.
        dropped: Log rows of other releases that the file lacks.
    """

    present: list[MappedRow]
    changed: list[tuple[LoggedRow, MappedRow]]
    new: list[MappedRow]
    dropped: list[LoggedRow]


def _citing(sources: Iterable[Source], dataset: Dataset) -> Source | None:
    """The first of ``sources`` citing a release of ``dataset``, if any."""
    prefix = f"{dataset.name} "
    return next(
        (s for s in sources if s.publisher == dataset.publisher and s.title.startswith(prefix)),
        None,
    )


def read_dataset(log: Log, dataset: Dataset) -> tuple[list[LoggedRow], dict[str, int]]:
    """The log's rows of ``dataset`` (any release), and each stream's version, in one read."""
    versions: dict[str, int] = {}
    events: dict[UUID, tuple[str, Event]] = {}
    fixes: dict[UUID, Correction] = {}
    for record in log.read():
        versions[record.stream] = record.version
        entry = record.event
        if isinstance(entry, Correction):
            if entry.target in events and _citing(entry.sources, dataset) is not None:
                fixes[entry.target] = entry
        elif _citing(entry.sources, dataset) is not None:
            events[record.id] = (record.stream, entry)
    rows: dict[tuple[str, str], list[tuple[UUID, Event]]] = {}
    for record_id, (stream, original) in events.items():
        fix = fixes.get(record_id)
        if fix is not None and not isinstance(fix, Corrected):
            continue
        event = original if fix is None else fix.replacement
        source = _citing(event.sources, dataset)
        if source is not None:
            rows.setdefault((stream, source.title), []).append((record_id, event))
    logged = []
    for (stream, title), members in rows.items():
        cited = DatasetRow.of(Source(publisher=dataset.publisher, title=title))
        release = title if cited is None else cited.dataset
        logged.append(LoggedRow(stream, title, release, tuple(members)))
    return logged, versions


def _key(stream: str, events: Sequence[Event]) -> tuple[Any, ...]:
    first = events[0]
    return stream, type(first), first.occurred


def _content(events: Iterable[Event]) -> tuple[Event, ...]:
    """The events without their sources: what a row says, whichever release says it."""
    return tuple(attrs.evolve(cast("Any", event), sources=()) for event in events)


def match_rows(
    logged: Sequence[LoggedRow], mapped: Sequence[MappedRow], *, keep: set[str]
) -> Matched:
    """Match the file's rows to the log's, by key (see the module docstring).

    Args:
        logged: The log's rows of the dataset.
        mapped: The file's rows.
        keep: The file's releases: log rows of these are never dropped.
    """
    waiting: dict[tuple[Any, ...], list[LoggedRow]] = {}
    for old in logged:
        waiting.setdefault(_key(old.stream, [event for _, event in old.members]), []).append(old)
    present: list[MappedRow] = []
    unmatched: list[MappedRow] = []
    for row in mapped:
        candidates = waiting.get(_key(row.stream, row.events), [])
        content = _content(row.events)
        same = next((c for c in candidates if _content(e for _, e in c.members) == content), None)
        if same is None:
            unmatched.append(row)
        else:
            candidates.remove(same)
            present.append(row)
    changed: list[tuple[LoggedRow, MappedRow]] = []
    new: list[MappedRow] = []
    for row in unmatched:
        candidates = waiting.get(_key(row.stream, row.events), [])
        if candidates:
            changed.append((candidates.pop(0), row))
        else:
            new.append(row)
    dropped = [old for olds in waiting.values() for old in olds if old.release not in keep]
    return Matched(present, changed, new, dropped)
