"""What changed between two record times: the entries appended, and the states they changed.

A log never forgets what it said: ``known_at=A`` and ``known_at=B`` are two
readings of it. :func:`diff` lists what was appended between them (events
added, events corrected, events retracted, each with the event in force before
and after) and, for a projector, the streams whose state differs between the
two readings, with the first day from which it differs.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Sequence
from typing import Any, Generic, Literal, TypeVar
from uuid import UUID

import attrs

from chronicle._errors import InvalidArgument
from chronicle._event import Corrected, Correction, Event
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._record import Record, as_instant
from chronicle._replay import KnownAt, history, timeline
from chronicle._when import When

__all__ = ["Change", "Diff", "StateChange", "diff"]

S = TypeVar("S")

Kind = Literal["added", "corrected", "retracted"]
"""What an entry appended between two record times did."""


@attrs.frozen
class Change:
    """One entry appended between the two record times, and what it did.

    Attributes:
        kind: ``"added"`` (an event), ``"corrected"`` or ``"retracted"`` (a correction).
        record: The record appended.
        before: The event in force before (the target of a correction, as the
            earlier reading had it); None for an event added.
        after: The event in force after (the event added, or a correction's
            replacement); None for a retraction.
    """

    kind: Kind
    record: Record
    before: Event | None
    after: Event | None


@attrs.frozen
class StateChange(Generic[S]):
    """A stream whose state differs between the two readings.

    Attributes:
        stream: The stream.
        before: Its state as the earlier reading folds it (every event, any day).
        after: Its state as the later reading folds it.
        since: The first day on which ``replay(..., as_of=day)`` differs between the
            two readings.
    """

    stream: str
    before: S
    after: S
    since: datetime.date


@attrs.frozen
class Diff(Generic[S]):
    """What the log learned between two record times.

    Attributes:
        since: The earlier record time (the first reading).
        until: The later record time (the second reading).
        changes: The entries appended after ``since`` and by ``until``, in position order.
        states: The streams whose state differs, sorted (empty without a projector).
    """

    since: datetime.datetime
    until: datetime.datetime
    changes: tuple[Change, ...]
    states: tuple[StateChange[S], ...] = ()

    def of_kind(self, kind: Kind) -> tuple[Change, ...]:
        """The changes of one kind: ``"added"``, ``"corrected"`` or ``"retracted"``."""
        return tuple(change for change in self.changes if change.kind == kind)


def _at(
    steps: Sequence[tuple[When, Any]],
    latest: Sequence[datetime.date],
    day: datetime.date,
    initial: Any,
) -> Any:
    """The state of a history at the end of ``day`` (``latest``: each step's latest day)."""
    index = bisect.bisect_right(latest, day)
    return initial if index == 0 else steps[index - 1][1]


def _first_difference(
    initial: Any, old: Sequence[tuple[When, Any]], new: Sequence[tuple[When, Any]]
) -> datetime.date | None:
    """The first day the two histories' states differ (states change only on step days)."""
    old_days = [when.latest for when, _ in old]
    new_days = [when.latest for when, _ in new]
    for day in sorted({*old_days, *new_days}):
        if _at(old, old_days, day, initial) != _at(new, new_days, day, initial):
            return day
    return None


def diff(
    log: Log,
    since: KnownAt,
    until: KnownAt,
    *,
    stream: str | None = None,
    projector: Projector[S] | None = None,
) -> Diff[S]:
    """What was appended between two record times, and the states it changed.

    Args:
        log: The log to read.
        since: The earlier record time (a date means the end of that day, UTC).
        until: The later record time.
        stream: One stream, or all.
        projector: Also compare this projector's states, stream by stream, as the
            two readings fold them.

    Raises:
        InvalidArgument: ``since`` is after ``until``.
        RecordTimeError: a record time is malformed or naive.
    """
    first, last = as_instant(since), as_instant(until)
    if first > last:
        raise InvalidArgument(
            f"the first record time ({first.isoformat()}) is after the second"
            f" ({last.isoformat()}): give the earlier one first"
        )
    earlier = {
        occurrence.record.id: occurrence
        for occurrence in timeline(log, stream=stream, known_at=first, include_retracted=True)
    }
    events: dict[UUID, Event] = {}
    changes: list[Change] = []
    for record in log.read(stream, known_at=last):
        entry = record.event
        if not isinstance(entry, Correction):
            events[record.id] = entry
        if record.recorded_at <= first:
            continue
        if not isinstance(entry, Correction):
            changes.append(Change("added", record, None, entry))
            continue
        known = earlier.get(entry.target)
        before = events.get(entry.target) if known is None else known.event
        if known is not None and known.retracted:
            before = None
        if isinstance(entry, Corrected):
            changes.append(Change("corrected", record, before, entry.replacement))
        else:
            changes.append(Change("retracted", record, before, None))
    states: list[StateChange[S]] = []
    if projector is not None:
        touched = sorted({change.record.stream for change in changes})
        for name in touched:
            old = history(log, projector, stream=name, known_at=first)
            new = history(log, projector, stream=name, known_at=last)
            day = _first_difference(projector.initial, old, new)
            if day is not None:
                was = old[-1][1] if old else projector.initial
                now = new[-1][1] if new else projector.initial
                states.append(StateChange(name, was, now, day))
    return Diff(first, last, tuple(changes), tuple(states))
