"""What a replay from a checkpoint reads: event records by fold order, and corrections.

A :class:`FoldSource` answers the questions the snapshot cache asks of a log:
which position was the head at an instant; which event records come after a
place in the fold order, up to a day; what is the least fold key among the
event records appended between two positions (did anything land before a
checkpoint?); and which corrections were appended between two positions. SQL
stores answer with their fold-order index; :class:`MemoryFoldIndex` answers for
any store from an index it keeps in memory and brings up to date on each use.

:class:`CorrectionIndex` keeps the corrections themselves: which one is in force
for an event at a position, which replacements land in a range of the fold
order, and how far back in the fold order each correction reaches.
"""

from __future__ import annotations

import bisect
import datetime
import operator
from collections.abc import Callable, Iterator
from typing import Any, Protocol, cast
from uuid import UUID

from chronicle._errors import CorruptLog
from chronicle._event import Corrected, Correction, Event
from chronicle._fold import Key, key_of
from chronicle._log import Log
from chronicle._record import Record

__all__ = ["CorrectionIndex", "FoldSource", "Item", "MemoryFoldIndex", "RangeMin"]

Item = tuple[datetime.date, datetime.date, int, Record]
"""An event record behind its own fold key: ``(latest, earliest, position, record)``.

Positions are unique, so items compare by their key and never reach the record.
"""

_ONE_DAY = datetime.timedelta(days=1)


def day_after(day: datetime.date) -> tuple[datetime.date] | None:
    """A probe that sorts after every key whose latest day is ``day`` (None past the calendar)."""
    return None if day >= datetime.date.max else (day + _ONE_DAY,)


class FoldSource(Protocol):
    """What the snapshot cache reads from a log."""

    def refresh(self) -> None:
        """Take in whatever was appended since the last call (a no-op for indexed stores)."""
        ...

    def head(self) -> tuple[int, UUID | None]:
        """The last position and the id of its record (0 and None for an empty log)."""
        ...

    def head_at(self, known_at: datetime.datetime) -> int:
        """The last position appended by ``known_at``."""
        ...

    def events_after(
        self,
        stream: str | None,
        after: Key | None,
        *,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
        head: int,
    ) -> Iterator[Item]:
        """Event records with a key after ``after``, in fold order of their own events.

        Only those at or before position ``head``, with ``latest <= latest_max`` and
        ``earliest <= earliest_max`` (each bound if given), in ``stream`` (all if None).
        Corrections are not applied: that is :class:`CorrectionIndex`'s part.
        """
        ...

    def least_event_key(self, stream: str | None, low: int, high: int) -> Key | None:
        """The least key among the event records at positions in ``(low, high]``."""
        ...

    def corrections(self, low: int, high: int) -> Iterator[tuple[Record, Key]]:
        """The correction records at positions in ``(low, high]``, each with its target's key."""
        ...


class RangeMin:
    """Items added in position order, and the least of them between two positions.

    The items are cut into blocks whose least item is kept, so a query reads at
    most two partial blocks and one least item per block between them.

    Args:
        position: Where an item keeps its position.
    """

    BLOCK = 256

    def __init__(self, position: Callable[[Any], int]) -> None:
        self._position = position
        self._items: list[Any] = []
        self._least: list[Any] = []

    def __len__(self) -> int:
        return len(self._items)

    def append(self, item: Any) -> None:
        """Add an item after all the others (its position is the greatest so far)."""
        if len(self._items) % self.BLOCK:
            self._least[-1] = min(self._least[-1], item)
        else:
            self._least.append(item)
        self._items.append(item)

    def least(self, low: int, high: int) -> Any | None:
        """The least item at a position in ``(low, high]``, or None."""
        items, block = self._items, self.BLOCK
        start = bisect.bisect_right(items, low, key=self._position)
        stop = bisect.bisect_right(items, high, key=self._position)
        if stop - start <= 2 * block:
            return min(items[start:stop], default=None)
        first, last = -(-start // block), stop // block
        return min(
            *items[start : first * block], *self._least[first:last], *items[last * block : stop]
        )


class _Ordered:
    """The event records of one stream (or all): in fold order, and by position."""

    def __init__(self) -> None:
        self.fold: list[Item] = []
        self.arrival = RangeMin(operator.itemgetter(2))

    def add(self, new: list[Item]) -> None:
        for item in new:
            self.arrival.append(item)
        fresh = sorted(new)
        fold = self.fold
        if not fold or fresh[0] > fold[-1]:
            fold.extend(fresh)
        elif len(fresh) <= 32:
            for item in fresh:
                bisect.insort(fold, item)
        else:
            fold.extend(fresh)
            fold.sort()


class MemoryFoldIndex:
    """A :class:`FoldSource` for any store, from an index of the log kept in memory.

    It holds a reference to every event record (the records themselves stay
    where the store keeps them) in fold order and in position order, per stream
    as streams are asked for, and reads what was appended since on every
    :meth:`refresh`.
    """

    def __init__(self, log: Log) -> None:
        self._log = log
        self._seen = 0
        self._head_id: UUID | None = None
        self._all = _Ordered()
        self._streams: dict[str, _Ordered] = {}
        self._times: list[datetime.datetime] = []
        self._ends: list[int] = []
        self._corrections: list[tuple[Record, Key]] = []
        self._span = datetime.timedelta(0)

    def refresh(self) -> None:
        """Index the records appended since the last refresh."""
        new: list[Item] = []
        for record in self._log.read(from_position=self._seen + 1):
            if self._times and self._times[-1] == record.recorded_at:
                self._ends[-1] = record.position
            else:
                self._times.append(record.recorded_at)
                self._ends.append(record.position)
            entry = record.event
            if isinstance(entry, Correction):
                target = self._log.get(entry.target)
                if target is None or not isinstance(target.event, Event):
                    raise CorruptLog(f"record {record.position} corrects {entry.target}, not found")
                self._corrections.append((record, key_of(target.event, target.position)))
            else:
                occurred = entry.occurred
                new.append((occurred.latest, occurred.earliest, record.position, record))
                self._span = max(self._span, occurred.latest - occurred.earliest)
            self._seen, self._head_id = record.position, record.id
        if new:
            self._all.add(new)
            for stream, ordered in self._streams.items():
                mine = [item for item in new if item[3].stream == stream]
                if mine:
                    ordered.add(mine)

    def head(self) -> tuple[int, UUID | None]:
        """The last position indexed, and its record's id."""
        return self._seen, self._head_id

    def head_at(self, known_at: datetime.datetime) -> int:
        """The last position appended by ``known_at``."""
        index = bisect.bisect_right(self._times, known_at)
        return self._ends[index - 1] if index else 0

    def _ordered(self, stream: str | None) -> _Ordered:
        if stream is None:
            return self._all
        ordered = self._streams.get(stream)
        if ordered is None:
            ordered = self._streams[stream] = _Ordered()
            mine = [item for item in self._all.fold if item[3].stream == stream]
            if mine:
                ordered.add(sorted(mine, key=operator.itemgetter(2)))
        return ordered

    def events_after(
        self,
        stream: str | None,
        after: Key | None,
        *,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
        head: int,
    ) -> Iterator[Item]:
        """Event records after ``after`` in fold order (see :class:`FoldSource`)."""
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
        probe = None if bound is None else day_after(bound)
        stop = len(items) if probe is None else bisect.bisect_left(items, probe)
        for index in range(start, stop):
            item = items[index]
            if item[2] <= head and (earliest_max is None or item[1] <= earliest_max):
                yield item

    def least_event_key(self, stream: str | None, low: int, high: int) -> Key | None:
        """The least key among the event records at positions in ``(low, high]``."""
        item = self._ordered(stream).arrival.least(low, high)
        return None if item is None else item[:3]

    def corrections(self, low: int, high: int) -> Iterator[tuple[Record, Key]]:
        """The correction records at positions in ``(low, high]`` with their targets' keys."""
        start = bisect.bisect_right(self._corrections, low, key=_record_position)
        for record, key in self._corrections[start:]:
            if record.position > high:
                break
            yield record, key


def _record_position(pair: tuple[Record, Key]) -> int:
    return pair[0].position


class CorrectionIndex:
    """The corrections of a log, as a replay from a checkpoint needs them.

    For each correction it keeps its *reach*: the least fold key its target has
    had, originally or by any replacement up to this correction. A correction
    can change the fold only at or after its reach, so a checkpoint before every
    reach of the corrections appended since it is still exact.
    """

    def __init__(self) -> None:
        self.seen = 0
        """The position up to which corrections have been taken in."""
        self._by_target: dict[int, list[tuple[int, Correction]]] = {}
        self._reach: dict[UUID, Key] = {}
        self._touches: dict[str | None, RangeMin] = {None: RangeMin(operator.itemgetter(3))}
        self._replacements: list[tuple[Key, int, str, Event]] = []

    def add(self, record: Record, target_key: Key) -> None:
        """Take in a correction record (in position order) with its target's original key."""
        correction = cast("Correction", record.event)
        target_position = target_key[2]
        reach = min(self._reach.get(correction.target, target_key), target_key)
        if isinstance(correction, Corrected):
            new_key = key_of(correction.replacement, target_position)
            reach = min(reach, new_key)
            bisect.insort(
                self._replacements,
                (new_key, record.position, record.stream, correction.replacement),
                key=operator.itemgetter(0, 1),
            )
        self._reach[correction.target] = reach
        self._by_target.setdefault(target_position, []).append((record.position, correction))
        touch = (*reach, record.position)
        self._touches[None].append(touch)
        self._touches.setdefault(record.stream, RangeMin(operator.itemgetter(3))).append(touch)

    @property
    def targets(self) -> dict[int, list[tuple[int, Correction]]]:
        """The corrections of each corrected event, by its position, in position order."""
        return self._by_target

    def in_force(self, target_position: int, head: int) -> tuple[int, Correction] | None:
        """The last correction of the event at ``target_position`` appended by ``head``.

        Returns:
            The correction's position and the correction, or None if there is none.
        """
        found = None
        for fix in self._by_target.get(target_position, ()):
            if fix[0] > head:
                break
            found = fix
        return found

    def least_reach(self, stream: str | None, low: int, high: int) -> Key | None:
        """The least reach of the corrections at positions in ``(low, high]``."""
        touches = self._touches.get(stream)
        touch = None if touches is None else touches.least(low, high)
        return None if touch is None else touch[:3]

    def replacements_after(
        self,
        stream: str | None,
        after: Key | None,
        *,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
        head: int,
    ) -> Iterator[tuple[Key, Event]]:
        """Replacements in force at ``head`` whose key lies after ``after``, within the bounds."""
        start = 0 if after is None else bisect.bisect_right(self._replacements, after, key=_first)
        for key, position, where, replacement in self._replacements[start:]:
            if latest_max is not None and key[0] > latest_max:
                break
            if (
                position <= head
                and (stream is None or where == stream)
                and (earliest_max is None or key[1] <= earliest_max)
            ):
                fix = self.in_force(key[2], head)
                if fix is not None and fix[0] == position:
                    yield key, replacement


def _first(entry: tuple[Key, int, str, Event]) -> Key:
    return entry[0]
