"""Replay: read the log, apply its corrections, order by valid time, fold.

The fold order is ``(occurred.latest, occurred.earliest, position)``: an
imprecise event takes effect when it is certain, ties broken by append order,
so the state never depends on the order events were appended in.

``as_of=D`` keeps the events that had certainly happened by the end of day D
(``occurred.latest <= D``; with ``policy="possible"``, ``occurred.earliest <= D``).
``known_at=T`` keeps the records, corrections included, appended by T.

This is the naive path: it reads the whole log (or stream) every time. A
:class:`~chronicle.Snapshots` cache, passed as ``snapshots=``, gives the same
states from checkpoints along the fold order, reading only what lies after them.
"""

from __future__ import annotations

import bisect
import datetime
import operator
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar, overload
from uuid import UUID

import attrs

from chronicle._errors import CorruptLog
from chronicle._event import Corrected, Correction, Event, Retracted
from chronicle._fold import AsOf, Key, Policy, as_day, check_policy, fold_into, key_of
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._record import Record, as_instant
from chronicle._snapshots import Snapshots, snapshots_of
from chronicle._streamfold import replay_in_order
from chronicle._when import When

__all__ = ["Occurrence", "Policy", "history", "ordered_events", "replay", "timeline"]

S = TypeVar("S")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")

KnownAt = datetime.datetime | datetime.date | str
"""What ``known_at`` accepts: a UTC datetime, a date (its end, UTC) or an ISO 8601 string."""


@attrs.frozen
class Occurrence:
    """An event record as replay sees it, after the corrections known.

    Attributes:
        record: The event's own record (its position orders ties in the fold).
        event: The event in force: the record's event, or a correction's replacement.
        correction: The record of the correction in force, if any.
    """

    record: Record
    event: Event
    correction: Record | None = None

    @property
    def retracted(self) -> bool:
        """Whether a retraction removes this event from replay."""
        return self.correction is not None and isinstance(self.correction.event, Retracted)

    @property
    def sort_key(self) -> Key:
        """The fold-order key ``(latest, earliest, position)``."""
        return key_of(self.event, self.record.position)


def occurrences(records: Iterable[Record]) -> Iterator[Occurrence]:
    """Every event record with the last correction that targets it, in position order."""
    events: list[Record] = []
    corrections: dict[UUID, Record] = {}
    for record in records:
        if isinstance(record.event, Correction):
            corrections[record.event.target] = record
        else:
            events.append(record)
    for record in events:
        correction = corrections.get(record.id)
        if correction is None:
            yield Occurrence(record, record.event)  # type: ignore[arg-type]
        elif isinstance(correction.event, Corrected):
            yield Occurrence(record, correction.event.replacement, correction)
        else:
            yield Occurrence(record, record.event, correction)  # type: ignore[arg-type]


_position = operator.attrgetter("position")
_fold_key = operator.attrgetter("occurred.key")


def in_force(
    log: Log, *, stream: str | None = None, known_at: KnownAt | None = None
) -> list[Event]:
    """The events in force, in position order: each replaced or removed by its last correction.

    Only the targets of corrections are looked up, so a log without corrections
    costs one pass and no hashing of record ids.
    """
    records: list[Record] = []
    corrections: dict[UUID, Correction] = {}
    for record in log.read(stream, known_at=known_at):
        entry = record.event
        if isinstance(entry, Correction):
            corrections[entry.target] = entry
        else:
            records.append(record)
    events: list[Event | None] = [record.event for record in records]  # type: ignore[misc]
    for target, correction in corrections.items():
        found = log.get(target)
        index = -1 if found is None else bisect.bisect_left(records, found.position, key=_position)
        if found is None or index == len(records) or records[index].id != target:
            raise CorruptLog(
                f"a {type(correction).__name__} targets record {target}, not in the log"
            )
        events[index] = correction.replacement if isinstance(correction, Corrected) else None
    return [event for event in events if event is not None] if corrections else events  # type: ignore[return-value]


def ordered_events(
    log: Log,
    *,
    stream: str | None = None,
    as_of: AsOf | None = None,
    known_at: KnownAt | None = None,
    policy: Policy = "certain",
) -> list[Event]:
    """The events in force, filtered by ``as_of`` and sorted in fold order: what replay folds."""
    check_policy(policy)
    events = in_force(log, stream=stream, known_at=known_at)
    if as_of is not None:
        day = as_day(as_of)
        if policy == "certain":
            events = [event for event in events if event.occurred.latest <= day]
        else:
            events = [event for event in events if event.occurred.earliest <= day]
    # In position order already, and the sort is stable: ties fall in position order.
    events.sort(key=_fold_key)
    return events


def timeline(
    log: Log,
    *,
    stream: str | None = None,
    as_of: AsOf | None = None,
    known_at: KnownAt | None = None,
    policy: Policy = "certain",
    include_retracted: bool = False,
) -> list[Occurrence]:
    """The event records in fold order, each with the correction in force, if any.

    Args:
        log: The log to read.
        stream: One stream, or all.
        as_of: Only events that had happened by the end of this day (see ``policy``).
        known_at: Only records and corrections appended by then.
        policy: ``"certain"`` (``latest <= as_of``) or ``"possible"`` (``earliest <= as_of``).
        include_retracted: Also list retracted events (in their original place).
    """
    check_policy(policy)
    day = None if as_of is None else as_day(as_of)
    chosen = [
        occurrence
        for occurrence in occurrences(log.read(stream, known_at=known_at))
        if (include_retracted or not occurrence.retracted)
        and (
            day is None
            or (
                occurrence.event.occurred.latest
                if policy == "certain"
                else occurrence.event.occurred.earliest
            )
            <= day
        )
    ]
    chosen.sort(key=lambda occurrence: occurrence.sort_key)
    return chosen


@overload
def replay(
    log: Log,
    projectors: Projector[S],
    *,
    stream: str | None = ...,
    as_of: AsOf | None = ...,
    known_at: KnownAt | None = ...,
    policy: Policy = ...,
    snapshots: Snapshots | bool = ...,
) -> S: ...
@overload
def replay(
    log: Log,
    projectors: tuple[Projector[A], Projector[B]],
    *,
    stream: str | None = ...,
    as_of: AsOf | None = ...,
    known_at: KnownAt | None = ...,
    policy: Policy = ...,
    snapshots: Snapshots | bool = ...,
) -> tuple[A, B]: ...
@overload
def replay(
    log: Log,
    projectors: tuple[Projector[A], Projector[B], Projector[C]],
    *,
    stream: str | None = ...,
    as_of: AsOf | None = ...,
    known_at: KnownAt | None = ...,
    policy: Policy = ...,
    snapshots: Snapshots | bool = ...,
) -> tuple[A, B, C]: ...
@overload
def replay(
    log: Log,
    projectors: Sequence[Projector[Any]],
    *,
    stream: str | None = ...,
    as_of: AsOf | None = ...,
    known_at: KnownAt | None = ...,
    policy: Policy = ...,
    snapshots: Snapshots | bool = ...,
) -> tuple[Any, ...]: ...
def replay(
    log: Log,
    projectors: Projector[Any] | Sequence[Projector[Any]],
    *,
    stream: str | None = None,
    as_of: AsOf | None = None,
    known_at: KnownAt | None = None,
    policy: Policy = "certain",
    snapshots: Snapshots | bool = False,
) -> Any:
    """The state(s) the log's events fold into, as of a day and as known at an instant.

    Args:
        log: The log to read.
        projectors: One projector (the result is its state), or several folded in one
            pass (the result is a tuple of their states, in the same order).
        stream: One stream's events, or every stream's.
        as_of: The state at the end of this day: a date, a When (its latest day) or
            an EDTF string. All events if None.
        known_at: What the record said at this instant: only records and corrections
            appended by then (a date means the end of that day, UTC).
        policy: ``"certain"``: events whose ``occurred.latest <= as_of``;
            ``"possible"``: those whose ``occurred.earliest <= as_of``.
        snapshots: Start from the nearest valid checkpoint of this
            :class:`~chronicle.Snapshots` cache (``True``: the log's own cache, made on
            first use) and add checkpoints along the way. The result is the same as
            without; only the time it takes differs.

    Raises:
        InvalidDate: ``as_of`` is malformed.
        RecordTimeError: ``known_at`` is malformed or naive.
    """
    chosen = [projectors] if isinstance(projectors, Projector) else list(projectors)
    if snapshots is not False:
        cache = snapshots_of(log) if snapshots is True else snapshots
        states = cache.replay(chosen, stream=stream, as_of=as_of, known_at=known_at, policy=policy)
    elif (source := getattr(log.store, "fold_source", None)) is not None:
        # A store with a fold-order index yields the events already ordered: fold them
        # as they come, in constant memory, rather than collect and sort them.
        check_policy(policy)
        states = replay_in_order(
            source(),
            chosen,
            stream=stream,
            day=None if as_of is None else as_day(as_of),
            known_at=None if known_at is None else as_instant(known_at),
            policy=policy,
        )
    else:
        events = ordered_events(log, stream=stream, as_of=as_of, known_at=known_at, policy=policy)
        states = [projector.initial for projector in chosen]
        fold_into(chosen, states, events)
    return states[0] if isinstance(projectors, Projector) else tuple(states)


def history(
    log: Log,
    projector: Projector[S],
    *,
    stream: str | None = None,
    as_of: AsOf | None = None,
    known_at: KnownAt | None = None,
    policy: Policy = "certain",
) -> list[tuple[When, S]]:
    """Each change of the projector's state, with the valid time of the event that made it.

    The steps come in fold order; an event that leaves the state equal to what it
    was makes no step. Timelines and plots are drawn from this. Arguments are
    those of :func:`replay`.
    """
    steps: list[tuple[When, S]] = []
    state = projector.initial
    for event in ordered_events(log, stream=stream, as_of=as_of, known_at=known_at, policy=policy):
        new = projector.apply(state, event)
        if new is not state and new != state:
            steps.append((event.occurred, new))
        state = new
    return steps
