"""The JSON Lines store's fold-order reader: a few numbers per record, records read by offset.

A JSON Lines file holds its records in append order, and replay folds them in
fold order (``occurred.latest``, ``occurred.earliest``, position). The reader
reads the file once, placing each record from the ``occurred`` text of its line
without decoding it (:mod:`._jsonl_place`), and keeps only numbers: each
record's two days (as ordinals), and the positions of the event records sorted
in fold order, in arrays of machine integers (12 bytes a record); each record's
stream it reads from the store's index. It decodes the records, from their
offsets, as it yields them: once each, and one at a time, not the log.
Corrections are few: their positions and what their targets are stay in a list.

The least key between two positions, which the snapshot cache asks for when the
log grows, comes from the least event of each block of positions, kept per
stream as it is asked for.
"""

from __future__ import annotations

import bisect
import datetime
import heapq
import json
from array import array
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from uuid import UUID

from chronicle._errors import CorruptLog
from chronicle._event import Event
from chronicle._record import Record
from chronicle._stores._base import FoldItem, FoldKey, TargetOf
from chronicle._stores._jsonl_place import place

if TYPE_CHECKING:
    from chronicle._stores._jsonl import JsonlStore

__all__ = ["JsonlFoldReader"]

_DAY_BITS = 22
"""Bits of a day's ordinal (``date.max`` is day 3,652,059 < 2**22)."""

_DISTINCT = 1 << 16
"""The most distinct pairs of days that new records are sorted by counting (see
:meth:`JsonlFoldReader._sorted`)."""

_CHUNK = 1 << 16
"""Positions sorted at a time when new records have more distinct days than counting
takes: the runs are then merged, so that sorting never holds a Python object for every
record of a large log."""

_BLOCK = 256
"""Positions per block whose least event is kept for :meth:`JsonlFoldReader.least_event_key`."""


def _id_of(line: bytes) -> UUID:
    """The id of the record on an indexed ``line``, read as the index read it on opening."""
    return UUID(json.loads(line)["id"])


def _dates(latest: int, earliest: int) -> str:
    """Two day ordinals, as a text for a message."""
    day = datetime.date.fromordinal
    return str(day(latest)) if latest == earliest else f"{day(earliest)}/{day(latest)}"


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
        self._index = store._index  # read as it stands: it only grows
        self._seen = 0
        self._head_id: UUID | None = None
        self._latest = array("i")
        """Per position (less one): ``occurred.latest`` as an ordinal, 0 for a correction."""
        self._earliest = array("i")
        """Per position (less one): ``occurred.earliest`` as an ordinal, 0 for a correction."""
        self._order = array("I")
        """The positions of the event records, in fold order."""
        self._fix_positions = array("I")
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
        """Place the records appended since the last refresh, reading each line's dates only.

        Each line is placed from its event's ``occurred`` text (:mod:`._jsonl_place`),
        not decoded: the records are decoded once, as :meth:`events_after` and
        :meth:`corrections` yield them.
        """
        store = self._store
        head = store.head()[0]
        first = self._seen + 1
        if head < first:
            return
        # Made to their new size at once: arrays grown a record at a time leave their
        # old copies behind them in the process's heap.
        grown = bytes(4 * (head - self._seen))
        latest_of, earliest_of = self._latest, self._earliest
        latest_of.frombytes(grown)
        earliest_of.frombytes(grown)
        fixes: list[tuple[int, UUID]] = []
        span, done, last = self._span, self._seen, b""
        try:
            decode = store._decode
            for position, line in enumerate(store._raw_lines(first, head), start=first):
                placed = place(line, position, decode)
                if isinstance(placed, UUID):
                    fixes.append((position, placed))
                else:
                    latest, earliest = placed
                    latest_of[position - 1], earliest_of[position - 1] = latest, earliest
                    span = max(span, latest - earliest)
                done, last = position, line
        finally:  # what was read is placed, even if a record did not decode
            del latest_of[done:]
            del earliest_of[done:]
            self._span = span
            if done >= first:
                self._seen, self._head_id = done, _id_of(last)
                self._put_in_order(first, done)
                self._take_fixes(fixes)

    def _take_fixes(self, fixes: list[tuple[int, UUID]]) -> None:
        """Keep the corrections just placed, with what their targets are."""
        for position, target_id in fixes:
            self._fix_positions.append(position)
            target = self._store._position_of(target_id)
            self._fix_targets.append(None if target is None else self._target(target))

    def _target(self, position: int) -> TargetOf:
        """What the record at ``position`` is as a correction's target."""
        if position > self._seen:  # appended since the head this refresh read to: decoded
            record = next(self._store.records_at([position]))
            if not isinstance(record.event, Event):
                return None
            occurred = record.event.occurred
            return (occurred.latest, occurred.earliest, position), record.stream
        latest = self._latest[position - 1]
        if not latest:  # a correction
            return None
        day = datetime.date.fromordinal
        stream = self._index.stream_names[self._index.stream_of[position - 1]]
        return (day(latest), day(self._earliest[position - 1]), position), stream

    def _put_in_order(self, first: int, last: int) -> None:
        """Put the event records from ``first`` to ``last`` (just placed) in the fold order.

        They come after every position in it, so that of two equal keys' days the
        older position stays first: only the tail of the fold order that sorts after
        the least new key is merged with them (little of it, when a log grows at its
        recent end).
        """
        new = self._sorted(first, last)
        order, days = self._order, self._days
        if not order:
            self._order = new
        elif not new or days(order[-1]) <= days(new[0]):
            order.extend(new)
        else:
            cut = bisect.bisect_right(order, days(new[0]), key=days)
            tail = order[cut:]
            del order[cut:]
            order.extend(heapq.merge(tail, new, key=days))

    def _sorted(self, first: int, last: int) -> array[int]:
        """The positions of the event records from ``first`` to ``last``, in fold order.

        Sorted by counting: a log has few distinct pairs of days for its number of
        records (every day of 35 years is some 13,000), so each position goes straight
        to its place in an array of the final size, which holds no Python object per
        record.
        With more than :data:`_DISTINCT` pairs, sorted in runs instead.
        """
        latest, earliest = self._latest, self._earliest
        counts: dict[int, int] = {}
        for at in range(first - 1, last):
            day = latest[at]
            if day:
                key = day << _DAY_BITS | earliest[at]
                count = counts.get(key)
                if count is None:
                    if len(counts) == _DISTINCT:
                        return self._sorted_in_runs(first, last)
                    counts[key] = 1
                else:
                    counts[key] = count + 1
        start = 0
        for key in sorted(counts):
            counts[key], start = start, start + counts[key]
        order = array("I", bytes(4 * start))
        for at in range(first - 1, last):
            day = latest[at]
            if day:
                key = day << _DAY_BITS | earliest[at]
                index = counts[key]
                order[index] = at + 1
                counts[key] = index + 1
        return order

    def _sorted_in_runs(self, first: int, last: int) -> array[int]:
        """The positions of the event records from ``first`` to ``last``, in fold order.

        Sorted :data:`_CHUNK` at a time, then merged: sorting never holds a Python
        object for every record of a large log.
        """
        latest, days = self._latest, self._days
        runs: list[array[int]] = []
        for start in range(first, last + 1, _CHUNK):
            stop = min(start + _CHUNK, last + 1)
            events = [position for position in range(start, stop) if latest[position - 1]]
            runs.append(array("I", sorted(events, key=days)))
        if len(runs) == 1:
            return runs[0]
        return array("I", heapq.merge(*runs, key=days))

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
        only = self._stream_number(stream)
        most = None if earliest_max is None else earliest_max.toordinal()
        stream_of, latest, earliest = self._index.stream_of, self._latest, self._earliest
        positions = (
            position
            for position in (order[index] for index in range(start, stop))
            if position <= head
            and (only is None or stream_of[position - 1] == only)
            and (most is None or earliest[position - 1] <= most)
        )
        for record in self._store.records_at(positions):
            at, entry = record.position, record.event
            occurred = entry.occurred if isinstance(entry, Event) else None
            if occurred is None or (
                occurred.latest.toordinal() != latest[at - 1]
                or occurred.earliest.toordinal() != earliest[at - 1]
            ):
                raise CorruptLog(
                    f"{self._store.path}, line {at}: the record read now is not the one"
                    f" placed in fold order (dated {_dates(latest[at - 1], earliest[at - 1])}"
                    " by its text): the file or the event types changed under the reader"
                )
            yield occurred.latest, occurred.earliest, at, record

    def _stream_number(self, stream: str | None) -> int | None:
        """The number of ``stream`` in the index (-1 if it has none; None for every stream)."""
        return None if stream is None else self._index.stream_numbers.get(stream, -1)

    def least_event_key(self, stream: str | None, low: int, high: int) -> FoldKey | None:
        """The least key among the event records at positions in ``(low, high]``."""
        only = self._stream_number(stream)
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
        latest, stream_of = self._latest, self._index.stream_of
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
        only, stream_of = self._stream_number(stream), self._index.stream_of
        chosen = [
            at for at in range(start, stop) if only is None or stream_of[positions[at] - 1] == only
        ]
        records = self._store.records_at([positions[at] for at in chosen])
        yield from zip(records, (targets[at] for at in chosen), strict=True)
