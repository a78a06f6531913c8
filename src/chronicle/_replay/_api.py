"""Replay, history and timeline: the questions a log answers, as of a day and as known at a time.

Each reads the log in fold order through the store's fold-order reader (or
an index of the log kept in memory, for a store without one), applies the
corrections known at ``known_at`` (see :mod:`chronicle._replay._corrections`),
and folds or lists what lies within ``as_of``. A :class:`~chronicle.Snapshots`
cache, passed to :func:`replay` as ``snapshots=``, gives the same states from
checkpoints along the fold order, reading only what lies after them.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

from chronicle._errors import UnknownStream
from chronicle._event import Event
from chronicle._gc import paused_gc
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay._checkpoints import Snapshots, reader_for, snapshots_of
from chronicle._replay._corrections import Corrections
from chronicle._replay._fold import fold_into
from chronicle._replay._in_force import (
    Occurrence,
    catch_up,
    events_in_force,
    head_known_at,
    occurrences_in_force,
)
from chronicle._replay._order import AsOf, KnownAt, Policy, as_day, check_policy, instant
from chronicle._replay._sources import SourceFilter, keeping
from chronicle._when import When

__all__ = ["history", "iter_history", "iter_timeline", "replay", "timeline"]

S = TypeVar("S")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")


def known_stream(log: Log, stream: str | None, *, missing_ok: bool) -> None:
    """Raise :class:`UnknownStream` if ``stream`` is no stream of the log, unless ``missing_ok``."""
    if stream is None or missing_ok or log.version(stream) > 0:
        return
    matches = difflib.get_close_matches(stream, log.streams(), n=3, cutoff=0.6)
    folded = [name for name in log.streams() if name.casefold() == stream.casefold()]
    raise UnknownStream(stream, tuple(dict.fromkeys([*folded, *matches])))


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
    missing_ok: bool = ...,
    sources: SourceFilter | None = ...,
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
    missing_ok: bool = ...,
    sources: SourceFilter | None = ...,
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
    missing_ok: bool = ...,
    sources: SourceFilter | None = ...,
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
    missing_ok: bool = ...,
    sources: SourceFilter | None = ...,
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
    missing_ok: bool = False,
    sources: SourceFilter | None = None,
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
            first use and closed with the log) and add checkpoints along the way. The
            result is the same as without; only the time it takes differs.
        missing_ok: Fold a ``stream`` the log does not hold into the initial state,
            instead of raising :class:`~chronicle.UnknownStream`.
        sources: Only the events of these sources: a text their publisher or title
            contains (``"REIGN"``), or a function of a :class:`~chronicle.Source`
            (see :data:`~chronicle.SourceFilter`). Such a replay folds without
            checkpoints (``snapshots`` is then not used).

    Raises:
        InvalidDate: ``as_of`` is malformed.
        RecordTimeError: ``known_at`` is malformed or naive.
        UnknownStream: ``stream`` names no stream of the log (and not ``missing_ok``).
        InvalidArgument: ``policy`` is neither ``"certain"`` nor ``"possible"``.
    """
    check_policy(policy)
    known_stream(log, stream, missing_ok=missing_ok)
    chosen = [projectors] if isinstance(projectors, Projector) else list(projectors)
    counts = keeping(sources)
    if snapshots is not False and counts is None:
        cache = snapshots_of(log) if snapshots is True else snapshots
        states = cache.replay(chosen, stream=stream, as_of=as_of, known_at=known_at, policy=policy)
    else:
        states = _fold_log(
            log, chosen, stream=stream, as_of=as_of, known_at=known_at, policy=policy, counts=counts
        )
    return states[0] if isinstance(projectors, Projector) else tuple(states)


def _fold_log(
    log: Log,
    projectors: list[Projector[Any]],
    *,
    stream: str | None,
    as_of: AsOf | None,
    known_at: KnownAt | None,
    policy: Policy,
    counts: Callable[[Event], bool] | None,
) -> list[Any]:
    """The states of a replay without checkpoints, folded as the reader yields events."""
    day = None if as_of is None else as_day(as_of)
    moment = instant(known_at)
    reader, fixes = reader_for(log), Corrections()
    with paused_gc():
        head, _ = catch_up(reader, fixes, stream)
    at = head_known_at(reader, head, moment)
    states = [projector.initial for projector in projectors]
    events = events_in_force(reader, fixes, stream, None, day=day, policy=policy, at=at)
    if counts is not None:
        events = (item for item in events if counts(item[1]))
    with paused_gc():
        fold_into(projectors, states, events)
    return states


def iter_timeline(
    log: Log,
    *,
    stream: str | None = None,
    as_of: AsOf | None = None,
    known_at: KnownAt | None = None,
    policy: Policy = "certain",
    include_retracted: bool = False,
    start: AsOf | None = None,
    end: AsOf | None = None,
    missing_ok: bool = False,
    sources: SourceFilter | None = None,
) -> Iterator[Occurrence]:
    """The event records in fold order, each with the correction in force, one at a time.

    Lazy, and in constant memory where the store reads in fold order (SQLite,
    PostgreSQL): only the range asked for is read. Arguments are those of
    :func:`timeline`.
    """
    check_policy(policy)
    known_stream(log, stream, missing_ok=missing_ok)
    day = None if as_of is None else as_day(as_of)
    first = None if start is None else _first_day(start)
    last = None if end is None else as_day(end)
    moment = instant(known_at)
    reader, fixes = reader_for(log), Corrections()
    head, _ = catch_up(reader, fixes, stream)
    at = head_known_at(reader, head, moment)
    found = occurrences_in_force(
        reader,
        fixes,
        log.get,
        stream,
        day=day,
        policy=policy,
        at=at,
        start=first,
        end=last,
        include_retracted=include_retracted,
    )
    counts = keeping(sources)
    return found if counts is None else (o for o in found if counts(o.event))


def _first_day(value: AsOf) -> datetime.date:
    """A ``start`` value as its first day (a date, a When's earliest day, or EDTF text)."""
    if isinstance(value, When):
        return value.earliest
    if isinstance(value, str):
        return When(value).earliest
    return as_day(value)


def timeline(
    log: Log,
    *,
    stream: str | None = None,
    as_of: AsOf | None = None,
    known_at: KnownAt | None = None,
    policy: Policy = "certain",
    include_retracted: bool = False,
    start: AsOf | None = None,
    end: AsOf | None = None,
    missing_ok: bool = False,
    sources: SourceFilter | None = None,
) -> list[Occurrence]:
    """The event records in fold order, each with the correction in force, if any.

    Args:
        log: The log to read.
        stream: One stream, or all.
        as_of: Only events that had happened by the end of this day (see ``policy``).
        known_at: Only records and corrections appended by then.
        policy: ``"certain"`` (``latest <= as_of``) or ``"possible"`` (``earliest <= as_of``).
        include_retracted: Also list retracted events (in their original place).
        start: Only events that may have happened on or after this day
            (``occurred.latest >= start``; a When or EDTF text counts from its first day).
        end: Only events that may have happened on or before this day
            (``occurred.earliest <= end``).
        missing_ok: Give an empty timeline for a ``stream`` the log does not hold,
            instead of raising :class:`~chronicle.UnknownStream`.
        sources: Only the events of these sources (see :func:`replay`).
    """
    return list(
        iter_timeline(
            log,
            stream=stream,
            as_of=as_of,
            known_at=known_at,
            policy=policy,
            include_retracted=include_retracted,
            start=start,
            end=end,
            missing_ok=missing_ok,
            sources=sources,
        )
    )


def iter_history(
    log: Log,
    projector: Projector[S],
    *,
    stream: str | None = None,
    as_of: AsOf | None = None,
    known_at: KnownAt | None = None,
    policy: Policy = "certain",
    missing_ok: bool = False,
    sources: SourceFilter | None = None,
) -> Iterator[tuple[When, S]]:
    """Each change of the projector's state, one at a time (see :func:`history`)."""
    state = projector.initial
    for occurrence in iter_timeline(
        log,
        stream=stream,
        as_of=as_of,
        known_at=known_at,
        policy=policy,
        missing_ok=missing_ok,
        sources=sources,
    ):
        event = occurrence.event
        new = projector.apply(state, event)
        if new is not state and new != state:
            yield event.occurred, new
        state = new


def history(
    log: Log,
    projector: Projector[S],
    *,
    stream: str | None = None,
    as_of: AsOf | None = None,
    known_at: KnownAt | None = None,
    policy: Policy = "certain",
    missing_ok: bool = False,
    sources: SourceFilter | None = None,
) -> list[tuple[When, S]]:
    """Each change of the projector's state, with the valid time of the event that made it.

    The steps come in fold order; an event that leaves the state equal to what it
    was makes no step. Timelines and plots are drawn from this. Arguments are
    those of :func:`replay`.
    """
    return list(
        iter_history(
            log,
            projector,
            stream=stream,
            as_of=as_of,
            known_at=known_at,
            policy=policy,
            missing_ok=missing_ok,
            sources=sources,
        )
    )
