"""Which correction is in force: decided here, once, for every way of reading a log.

A log's corrections, fed in position order, each with what its target is. The
rules, the same for replay, history, timeline and snapshots on every store:

- A correction applies only to an event record of its own stream, appended
  before it. One whose target is missing, is itself a correction, or lies in
  another stream or after it, corrects nothing (``chronicle verify`` reports
  it); so does an :class:`~chronicle.InapplicableCorrection`.
- Of the corrections of one event known at a position, the last applies: a
  retraction removes the event, a correction replaces it by its replacement,
  which takes its place in the fold order by its own valid time.

For the snapshot cache it also keeps each correction's *reach*: the least
fold key its target has had, originally or by any replacement up to this
correction. A correction can change the fold only at or after its reach, so a
checkpoint before every reach of the corrections appended since it is exact.
"""

from __future__ import annotations

import bisect
import datetime
import operator
from collections.abc import Iterator
from typing import cast
from uuid import UUID

from chronicle._event import Corrected, Event, Retracted
from chronicle._record import Record
from chronicle._replay._order import Key, key_of
from chronicle._stores._base import TargetOf
from chronicle._stores._range_min import RangeMin

__all__ = ["Corrections", "applies"]


def applies(record: Record, target: TargetOf) -> bool:
    """Whether the correction ``record`` applies to its target (see the module's rules)."""
    if not isinstance(record.event, (Retracted, Corrected)) or target is None:
        return False
    (_, _, position), stream = target
    return stream == record.stream and position < record.position


class Corrections:
    """The corrections of a log known so far, and what each decides."""

    def __init__(self) -> None:
        self.seen = 0
        """The position up to which corrections have been taken in."""
        self._by_target: dict[int, list[Record]] = {}
        self._reach: dict[UUID, Key] = {}
        self._touches: dict[str | None, RangeMin] = {None: RangeMin(operator.itemgetter(3))}
        self._replacements: list[tuple[Key, int, str, Event]] = []

    def add(self, record: Record, target: TargetOf) -> None:
        """Take in a correction record (in position order) with what its target is."""
        if not applies(record, target):
            return
        target_key = cast("tuple[Key, str]", target)[0]
        correction = record.event
        target_position = target_key[2]
        reach = min(self._reach.get(correction.target, target_key), target_key)  # type: ignore[union-attr]
        if isinstance(correction, Corrected):
            new_key = key_of(correction.replacement, target_position)
            reach = min(reach, new_key)
            bisect.insort(
                self._replacements,
                (new_key, record.position, record.stream, correction.replacement),
                key=operator.itemgetter(0, 1),
            )
        self._reach[correction.target] = reach  # type: ignore[union-attr]
        self._by_target.setdefault(target_position, []).append(record)
        touch = (*reach, record.position)
        self._touches[None].append(touch)
        self._touches.setdefault(record.stream, RangeMin(operator.itemgetter(3))).append(touch)

    @property
    def corrected(self) -> dict[int, list[Record]]:
        """The corrections that apply to each event, by its position, in position order."""
        return self._by_target

    def in_force(self, target_position: int, at: int) -> Record | None:
        """The correction in force for the event at ``target_position`` as of position ``at``.

        This is the one place that decides it: the last correction of that event
        appended by ``at`` (None if there is none).
        """
        found = None
        for fix in self._by_target.get(target_position, ()):
            if fix.position > at:
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
        at: int,
    ) -> Iterator[tuple[Key, Event, Record]]:
        """Replacements in force at ``at`` whose key lies after ``after``, within the bounds.

        Each comes with its key (the replacement's valid time, the target's
        position) and the correction record that made it.
        """
        start = 0 if after is None else bisect.bisect_right(self._replacements, after, key=_first)
        for key, position, where, replacement in self._replacements[start:]:
            if latest_max is not None and key[0] > latest_max:
                break
            if (
                position <= at
                and (stream is None or where == stream)
                and (earliest_max is None or key[1] <= earliest_max)
            ):
                fix = self.in_force(key[2], at)
                if fix is not None and fix.position == position:
                    yield key, replacement, fix


def _first(entry: tuple[Key, int, str, Event]) -> Key:
    return entry[0]
