"""The JSON Lines store's fold-order reader: a few numbers per record, records read by offset.

A JSON Lines file holds its records in append order, and replay folds them in
fold order (``occurred.latest``, ``occurred.earliest``, position). The reader
reads the file once, decoding each record to find its place in that order, and
keeps only numbers: each record's two days (as ordinals) and stream (as a
number), and the positions of the event records sorted in fold order, in
arrays of machine integers (about 20 bytes a record). It decodes the records
again, from their offsets, as it yields them, so a replay holds one record at a
time, not the log. Corrections are few: their positions and what their targets
are stay in a list.

The least key between two positions, which the snapshot cache asks for when the
log grows, comes from the least event of each block of positions, kept per
stream as it is asked for.
"""

from __future__ import annotations

import bisect
import datetime
import heapq
import itertools
from array import array
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, cast
from uuid import UUID

from chronicle._event import Correction, Event
from chronicle._record import Record
from chronicle._stores._base import FoldItem, FoldKey, TargetOf

if TYPE_CHECKING:
    from chronicle._stores._jsonl import JsonlStore

__all__ = ["JsonlFoldReader"]

_DAY_BITS = 22
"""Bits of a day's ordinal (``date.max`` is day 3,652,059 < 2**22)."""

_CHUNK = 1 << 16
"""Positions sorted at a time when new records are put in fold order: the runs are then
merged, so that sorting never holds a Python object for every record of a large log."""

_BLOCK = 256
"""Positions per block whose least event is kept for :meth:`JsonlFoldReader.least_event_key`."""


def _packed(latest: datetime.date, earliest: datetime.date) -> int:
    """The days of a fold key as one integer that sorts as the pair does."""
    return latest.toordinal() << _DAY_BITS | earliest.toordinal()


class JsonlFoldReader:
    """A :class:`~chronicle.stores.FoldReader` of a JSON Lines log, holding numbers only.

    Args:
        store: The store it reads (it decodes the store's lines through it).
    """

    def __init__(self, store: JsonlStore) -> None:
        self._store = store
        self._seen = 0
        self._head_id: UUID | None = None
        self._latest = array("i")
        """Per position (less one): ``occurred.latest`` as an ordinal, 0 for a correction."""
        self._earliest = array("i")
        """Per position (less one): ``occurred.earliest`` as an ordinal, 0 for a correction."""
        self._stream_of = array("i")
        """Per position (less one): the number of its stream in :attr:`_streams`."""
        self._streams: dict[str, int] = {}
        self._order = array("q")
        """The positions of the event records, in fold order."""
        self._fix_positions = array("q")
        self._fix_targets: list[TargetOf] = []
        self._span = 0
        """The widest ``occurred.latest - occurred.earliest`` seen, in days."""
        self._blocks: dict[int | None, array[int]] = {}
        """Per stream number (None: every stream), the least event's position per full block."""

    def _days(self, position: int) -> int:
        """The packed days of the event record at ``position``."""
        return self._latest[position - 1] << _DAY_BITS | self._earliest[position - 1]

    def _key(self, position: int) -> tuple[int, int]:
        """What fold order compares for the event record at ``position``."""
        return self._days(position), position

    def refresh(self) -> None:
        """Index the records appended since the last refresh."""
        head = self._store.head()[0]
        if head <= self._seen:
            return
        # Made to their new size at once: arrays grown a record at a time leave their
        # old copies behind them in the process's heap.
        grown = bytes(4 * (head - self._seen))
        latest_of, earliest_of, stream_of = self._latest, self._earliest, self._stream_of
        for days in (latest_of, earliest_of, stream_of):
            days.frombytes(grown)
        runs: list[array[int]] = []
        pending: list[int] = []
        try:
            for record in self._store.read(from_position=self._seen + 1):
                if record.position > head:  # appended since: the next refresh takes it in
                    break
                at, entry = record.position - 1, record.event
                stream_of[at] = self._streams.setdefault(record.stream, len(self._streams))
                if isinstance(entry, Correction):
                    self._fix_positions.append(record.position)
                    self._fix_targets.append(self._target(entry))
                else:
                    occurred = entry.occurred
                    latest, earliest = occurred.latest.toordinal(), occurred.earliest.toordinal()
                    latest_of[at], earliest_of[at] = latest, earliest
                    self._span = max(self._span, latest - earliest)
                    pending.append(record.position)
                    if len(pending) == _CHUNK:
                        runs.append(array("q", sorted(pending, key=self._days)))
                        pending.clear()
                self._seen, self._head_id = record.position, record.id
        finally:  # what was read is indexed, even if a record did not decode
            for days in (latest_of, earliest_of, stream_of):
                del days[self._seen :]
            if pending:
                runs.append(array("q", sorted(pending, key=self._days)))
            if runs:
                self._put_in_order(runs)

    def _put_in_order(self, runs: list[array[int]]) -> None:
        """Merge runs of new positions, each in fold order, into the fold order.

        The runs come in position order, and so does the fold order before them.
        """
        days = self._days
        order = self._order
        if order:
            runs.insert(0, order)
        if len(runs) == 1:
            self._order = runs[0]
            return
        if all(days(a[-1]) <= days(b[0]) for a, b in itertools.pairwise(runs)):
            merged = runs[0]
            for run in runs[1:]:
                merged.extend(run)
            self._order = merged
            return
        # Equal days keep the order of the runs, which is the order of positions.
        self._order = array("q", heapq.merge(*runs, key=days))

    def _target(self, correction: Correction) -> TargetOf:
        target = self._store.get(correction.target)
        if target is None or not isinstance(target.event, Event):
            return None
        occurred = target.event.occurred
        return (occurred.latest, occurred.earliest, target.position), target.stream

    def head(self) -> tuple[int, UUID | None]:
        """The last position indexed, and its record's id."""
        return self._seen, self._head_id

    def head_at(self, known_at: datetime.datetime) -> int:
        """The last position appended by ``known_at``."""
        return min(self._seen, self._store.head_at(known_at))

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
        order = self._order
        start = (
            0
            if after is None
            else bisect.bisect_left(
                order, (_packed(after[0], after[1]), after[2] + 1), key=self._key
            )
        )
        # An event's latest day is at most its earliest plus the widest span seen.
        span = datetime.timedelta(days=self._span)
        bound = (
            latest_max
            if latest_max is not None
            else None
            if earliest_max is None or earliest_max > datetime.date.max - span
            else earliest_max + span
        )
        stop = (
            len(order)
            if bound is None or bound >= datetime.date.max
            else bisect.bisect_left(order, ((bound.toordinal() + 1) << _DAY_BITS, 0), key=self._key)
        )
        only = None if stream is None else self._streams.get(stream, -1)
        most = None if earliest_max is None else earliest_max.toordinal()
        stream_of, earliest = self._stream_of, self._earliest
        positions = (
            position
            for position in (order[index] for index in range(start, stop))
            if position <= head
            and (only is None or stream_of[position - 1] == only)
            and (most is None or earliest[position - 1] <= most)
        )
        for record in self._store.records_at(positions):
            occurred = cast("Event", record.event).occurred  # the position of an event record
            yield occurred.latest, occurred.earliest, record.position, record

    def least_event_key(self, stream: str | None, low: int, high: int) -> FoldKey | None:
        """The least key among the event records at positions in ``(low, high]``."""
        only = None if stream is None else self._streams.get(stream, -1)
        if only == -1:
            return None
        first, last = max(low, 0) + 1, min(high, self._seen)
        if last - first < 2 * _BLOCK:
            best = self._least(first, last, only)
        else:
            blocks = self._blocks_of(only)
            inner, outer = -(-(first - 1) // _BLOCK), last // _BLOCK
            best = min(
                (
                    position
                    for position in (
                        self._least(first, inner * _BLOCK, only),
                        *blocks[inner:outer],
                        self._least(outer * _BLOCK + 1, last, only),
                    )
                    if position
                ),
                key=self._key,
                default=0,
            )
        if not best:
            return None
        return (
            datetime.date.fromordinal(self._latest[best - 1]),
            datetime.date.fromordinal(self._earliest[best - 1]),
            best,
        )

    def _least(self, first: int, last: int, only: int | None) -> int:
        """The position of the least event record from ``first`` to ``last`` (0 if none)."""
        return min(self._events(range(first, last + 1), only), key=self._key, default=0)

    def _events(self, positions: Iterable[int], only: int | None) -> Iterator[int]:
        """The positions among ``positions`` of event records (of the stream numbered ``only``)."""
        latest, stream_of = self._latest, self._stream_of
        for position in positions:
            if latest[position - 1] and (only is None or stream_of[position - 1] == only):
                yield position

    def _blocks_of(self, only: int | None) -> array[int]:
        """The least event's position (0 if none) of each full block, for one stream or all."""
        blocks = self._blocks.setdefault(only, array("q"))
        for block in range(len(blocks), self._seen // _BLOCK):
            blocks.append(self._least(block * _BLOCK + 1, (block + 1) * _BLOCK, only))
        return blocks

    def corrections(
        self, low: int, high: int, stream: str | None = None
    ) -> Iterator[tuple[Record, TargetOf]]:
        """The correction records at positions in ``(low, high]`` (of ``stream``), with targets."""
        positions, targets = self._fix_positions, self._fix_targets
        start = bisect.bisect_right(positions, low)
        stop = bisect.bisect_right(positions, high)
        only = -1 if stream is None else self._streams.get(stream, -1)
        stream_of = self._stream_of
        chosen = [
            at
            for at in range(start, stop)
            if stream is None or stream_of[positions[at] - 1] == only
        ]
        records = self._store.records_at([positions[at] for at in chosen])
        yield from zip(records, (targets[at] for at in chosen), strict=True)
