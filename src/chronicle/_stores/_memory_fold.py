"""A fold-order reader for any log: an index of its records kept in memory.

Replay uses it for a store that does not read itself in fold order (a store of
your own, for the time of one replay) and the memory store keeps one for as long
as it lives: it reads the log once, keeps a reference to every event record in
fold order and in position order (per stream as streams are asked for), and
takes in what was appended since on every :meth:`~MemoryFoldReader.refresh`.

One reader may serve several threads. A refresh holds its lock; a read holds
none, and sees the index as it stood when the read began: an index list only
grows at its end, and a record that falls before its end makes a new list
rather than moving the items of the one a read may be going through.
"""

from __future__ import annotations

import bisect
import datetime
import operator
import threading
from collections.abc import Iterator
from typing import Any, Protocol
from uuid import UUID

from chronicle._event import Correction, Event
from chronicle._record import Record
from chronicle._stores._base import EventItem, FoldItem, FoldKey, TargetOf, key_of
from chronicle._stores._range_min import RangeMin

__all__ = ["MemoryFoldReader"]


_ONE_DAY = datetime.timedelta(days=1)


def _day_after(day: datetime.date) -> tuple[datetime.date] | None:
    """A probe that sorts after every key whose latest day is ``day`` (None past the calendar)."""
    return None if day >= datetime.date.max else (day + _ONE_DAY,)


class _Ordered:
    """The event records of one stream (or all): in fold order, and by position."""

    def __init__(self) -> None:
        self.fold: list[FoldItem] = []
        self.arrival = RangeMin(operator.itemgetter(2))

    def add(self, new: list[FoldItem]) -> None:
        self.arrival.extend(new)
        fresh = sorted(new)
        fold = self.fold
        if not fold or fresh[0] > fold[-1]:
            fold.extend(fresh)  # after every item: a read going through fold is unaffected
        else:
            merged = fold + fresh
            merged.sort()  # two sorted runs: merged in one pass
            self.fold = merged


class Source(Protocol):
    """What the reader reads: a log, or a store."""

    def read(self, *, from_position: int = ...) -> Iterator[Record]: ...
    def get(self, record_id: UUID, /) -> Record | None: ...


class MemoryFoldReader:
    """A :class:`~chronicle.stores.FoldReader` for any log, from an index kept in memory.

    It holds a reference to every event record (the records themselves stay
    where the store keeps them) and a few numbers per append.
    """

    def __init__(self, log: Source) -> None:
        self._log = log
        self._lock = threading.Lock()
        self._head: tuple[int, UUID | None] = (0, None)
        """The last position indexed and its record's id: one value, read whole by other threads."""
        self._all = _Ordered()
        self._streams: dict[str, _Ordered] = {}
        self._times: list[datetime.datetime] = []
        self._ends: list[int] = []
        self._corrections: list[tuple[Record, TargetOf]] = []
        self._span = datetime.timedelta(0)

    def refresh(self) -> None:
        """Index the records appended since the last refresh.

        All or nothing: if reading the log fails midway, the index stays as it was,
        and the next refresh reads those records again.
        """
        with self._lock:
            self._refresh()

    def _refresh(self) -> None:
        new: list[FoldItem] = []
        corrections: list[tuple[Record, TargetOf]] = []
        times: list[datetime.datetime] = []
        ends: list[int] = []
        span, last = self._span, None
        for record in self._log.read(from_position=self._head[0] + 1):
            position = record.position
            if times and times[-1] == record.recorded_at:
                ends[-1] = position
            else:
                times.append(record.recorded_at)
                ends.append(position)
            entry = record.event
            if isinstance(entry, Correction):
                corrections.append((record, self._target(entry)))
            else:
                latest, earliest = entry.occurred.latest, entry.occurred.earliest
                if latest != earliest:
                    span = max(span, latest - earliest)
                new.append((latest, earliest, position, record))
            last = record
        if last is None:
            return
        # Ends before times: head_at, in another thread, indexes ends by a search of times.
        if self._times and self._times[-1] == times[0]:  # the rest of an append seen before
            self._ends[-1] = ends[0]
            del times[0], ends[0]
        self._ends += ends
        self._times += times
        self._corrections += corrections
        self._span, self._head = span, (last.position, last.id)
        if new:
            self._all.add(new)
            for stream, ordered in self._streams.items():
                mine = [item for item in new if item[3].stream == stream]
                if mine:
                    ordered.add(mine)

    def _target(self, correction: Correction) -> TargetOf:
        target = self._log.get(correction.target)
        if target is None or not isinstance(target.event, Event):
            return None
        return key_of(target.event, target.position), target.stream

    def head(self) -> tuple[int, UUID | None]:
        """The last position indexed, and its record's id."""
        return self._head

    def head_at(self, known_at: datetime.datetime) -> int:
        """The last position appended by ``known_at``."""
        index = bisect.bisect_right(self._times, known_at)
        return self._ends[index - 1] if index else 0

    def _ordered(self, stream: str | None) -> _Ordered:
        if stream is None:
            return self._all
        ordered = self._streams.get(stream)
        if ordered is None:
            with self._lock:
                ordered = self._streams.get(stream)
                if ordered is None:
                    ordered = _Ordered()
                    mine = [item for item in self._all.fold if item[3].stream == stream]
                    if mine:
                        ordered.add(sorted(mine, key=operator.itemgetter(2)))
                    self._streams[stream] = ordered
        return ordered

    def _between(
        self,
        stream: str | None,
        after: FoldKey | None,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
    ) -> tuple[list[FoldItem], int, int]:
        """The items of ``stream`` in fold order, and the range of them a read looks at."""
        items = self._ordered(stream).fold
        start = 0 if after is None else bisect.bisect_left(items, (*after[:2], after[2] + 1))
        # An event's latest day is at most its earliest plus the widest span seen.
        bound = (
            latest_max
            if latest_max is not None
            else None
            if earliest_max is None or earliest_max > datetime.date.max - self._span
            else earliest_max + self._span
        )
        probe = None if bound is None else _day_after(bound)
        return items, start, len(items) if probe is None else bisect.bisect_left(items, probe)

    def events_after(
        self,
        stream: str | None,
        after: FoldKey | None,
        *,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
        head: int,
    ) -> Iterator[FoldItem]:
        """Event records after ``after`` in fold order (see ``FoldReader.events_after``)."""
        items, start, stop = self._between(stream, after, latest_max, earliest_max)
        for index in range(start, stop):
            item = items[index]
            if item[2] <= head and (earliest_max is None or item[1] <= earliest_max):
                yield item

    def events_only_after(
        self,
        stream: str | None,
        after: FoldKey | None,
        *,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
        head: int,
    ) -> Iterator[EventItem]:
        """As :meth:`events_after`, each event behind its key: what replay folds."""
        items, start, stop = self._between(stream, after, latest_max, earliest_max)
        for index in range(start, stop):
            latest, earliest, position, record = items[index]
            if position <= head and (earliest_max is None or earliest <= earliest_max):
                event: Any = record.event  # an event: only event records are in fold order
                yield (latest, earliest, position), event

    def least_event_key(self, stream: str | None, low: int, high: int) -> FoldKey | None:
        """The least key among the event records at positions in ``(low, high]``."""
        item = self._ordered(stream).arrival.least(low, high)
        return None if item is None else item[:3]

    def corrections(
        self, low: int, high: int, stream: str | None = None
    ) -> Iterator[tuple[Record, TargetOf]]:
        """The correction records at positions in ``(low, high]`` (of ``stream``), with targets."""
        start = bisect.bisect_right(self._corrections, low, key=_record_position)
        for record, target in self._corrections[start:]:
            if record.position > high:
                break
            if stream is None or record.stream == stream:
                yield record, target


def _record_position(pair: tuple[Record, TargetOf]) -> int:
    return pair[0].position
