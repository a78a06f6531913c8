"""Replay: read the log, apply its corrections, order by valid time, fold.

The fold order is ``(occurred.latest, occurred.earliest, position)``: an
imprecise event takes effect when it is certain, ties broken by append order,
so the state never depends on the order events were appended in.

``as_of=D`` keeps the events that had certainly happened by the end of day D
(``occurred.latest <= D``; with ``policy="possible"``, ``occurred.earliest <= D``).
``known_at=T`` keeps the records, corrections included, appended by T.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal, TypeVar, overload
from uuid import UUID

import attrs

from chronicle._errors import InvalidDate
from chronicle._event import Corrected, Correction, Event, Retracted
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._record import Record
from chronicle._when import When

__all__ = ["Occurrence", "Policy", "history", "replay", "timeline"]

S = TypeVar("S")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")

Policy = Literal["certain", "possible"]
"""Which events count as of a date: those certainly past, or those possibly past."""


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
    def sort_key(self) -> tuple[datetime.date, datetime.date, int]:
        """The fold-order key ``(latest, earliest, position)``."""
        occurred = self.event.occurred
        return occurred.latest, occurred.earliest, self.record.position


def as_day(value: datetime.date | When | str) -> datetime.date:
    """An ``as_of`` value as the day it ends with: a date, a When's latest day, or EDTF text."""
    if isinstance(value, datetime.datetime):
        raise InvalidDate(f"as_of takes a date, not a datetime ({value.isoformat()}): use .date()")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, When):
        return value.latest
    if isinstance(value, str):
        return When(value).latest
    raise InvalidDate(f"as_of must be a date, a When or an EDTF string, not {value!r}")


def _check_policy(policy: str) -> None:
    if policy not in ("certain", "possible"):
        raise ValueError(f"policy must be 'certain' or 'possible', not {policy!r}")


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


def _admits(as_of: datetime.date | When | str | None, policy: str) -> Callable[[Event], bool]:
    """The test an event passes to count as of ``as_of`` under ``policy``."""
    _check_policy(policy)
    if as_of is None:
        return lambda _event: True
    day = as_day(as_of)
    if policy == "possible":
        return lambda event: event.occurred.earliest <= day
    return lambda event: event.occurred.latest <= day


def ordered_events(
    log: Log,
    *,
    stream: str | None = None,
    as_of: datetime.date | When | str | None = None,
    known_at: datetime.datetime | datetime.date | str | None = None,
    policy: Policy = "certain",
) -> list[Event]:
    """The events in force, filtered by ``as_of`` and sorted in fold order: what replay folds."""
    admits = _admits(as_of, policy)
    keyed: list[tuple[datetime.date, datetime.date, int, Event]] = [
        (event.occurred.latest, event.occurred.earliest, occurrence.record.position, event)
        for occurrence in occurrences(log.read(stream, known_at=known_at))
        if not occurrence.retracted and admits(event := occurrence.event)
    ]
    keyed.sort(key=lambda item: item[:3])
    return [item[3] for item in keyed]


def timeline(
    log: Log,
    *,
    stream: str | None = None,
    as_of: datetime.date | When | str | None = None,
    known_at: datetime.datetime | datetime.date | str | None = None,
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
    admits = _admits(as_of, policy)
    chosen = [
        occurrence
        for occurrence in occurrences(log.read(stream, known_at=known_at))
        if (include_retracted or not occurrence.retracted) and admits(occurrence.event)
    ]
    chosen.sort(key=lambda occurrence: occurrence.sort_key)
    return chosen


def _fold_many(projectors: Sequence[Projector[Any]], events: Iterable[Event]) -> tuple[Any, ...]:
    states = [projector.initial for projector in projectors]
    tables: dict[type, tuple[tuple[int, Callable[[Any, Any], Any]], ...]] = {}
    for event in events:
        cls = type(event)
        steps = tables.get(cls)
        if steps is None:
            steps = tables[cls] = tuple(
                (index, handler)
                for index, projector in enumerate(projectors)
                if (handler := projector.handler_for(cls)) is not None
            )
        for index, handler in steps:
            states[index] = handler(states[index], event)
    return tuple(states)


@overload
def replay(
    log: Log,
    projectors: Projector[S],
    *,
    stream: str | None = ...,
    as_of: datetime.date | When | str | None = ...,
    known_at: datetime.datetime | datetime.date | str | None = ...,
    policy: Policy = ...,
) -> S: ...
@overload
def replay(
    log: Log,
    projectors: tuple[Projector[A], Projector[B]],
    *,
    stream: str | None = ...,
    as_of: datetime.date | When | str | None = ...,
    known_at: datetime.datetime | datetime.date | str | None = ...,
    policy: Policy = ...,
) -> tuple[A, B]: ...
@overload
def replay(
    log: Log,
    projectors: tuple[Projector[A], Projector[B], Projector[C]],
    *,
    stream: str | None = ...,
    as_of: datetime.date | When | str | None = ...,
    known_at: datetime.datetime | datetime.date | str | None = ...,
    policy: Policy = ...,
) -> tuple[A, B, C]: ...
@overload
def replay(
    log: Log,
    projectors: Sequence[Projector[Any]],
    *,
    stream: str | None = ...,
    as_of: datetime.date | When | str | None = ...,
    known_at: datetime.datetime | datetime.date | str | None = ...,
    policy: Policy = ...,
) -> tuple[Any, ...]: ...
def replay(
    log: Log,
    projectors: Projector[Any] | Sequence[Projector[Any]],
    *,
    stream: str | None = None,
    as_of: datetime.date | When | str | None = None,
    known_at: datetime.datetime | datetime.date | str | None = None,
    policy: Policy = "certain",
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

    Raises:
        InvalidDate: ``as_of`` is malformed.
        RecordTimeError: ``known_at`` is malformed or naive.
    """
    events = ordered_events(log, stream=stream, as_of=as_of, known_at=known_at, policy=policy)
    if isinstance(projectors, Projector):
        return projectors.fold(events)
    return _fold_many(list(projectors), events)


def history(
    log: Log,
    projector: Projector[S],
    *,
    stream: str | None = None,
    as_of: datetime.date | When | str | None = None,
    known_at: datetime.datetime | datetime.date | str | None = None,
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
