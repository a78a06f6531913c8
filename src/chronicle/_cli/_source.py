"""What the commands read from a log, in the order they write it: one place for each read.

The commands write as they read (see :mod:`chronicle._cli._output`): they consume
these iterables one item at a time and keep nothing. They read through the
library's lazy ``iter_timeline`` and ``iter_history``, which read a log in fold
order (through its index on SQLite and PostgreSQL), fetching only the range asked for.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any, TypeVar

from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay import Occurrence, iter_history, iter_timeline
from chronicle._when import When

__all__ = ["first_record_time", "occurrences", "steps"]

S = TypeVar("S")


def occurrences(
    log: Log,
    *,
    stream: str,
    known_at: datetime.datetime | None = None,
    start: When | None = None,
    end: When | None = None,
    sources: str | None = None,
) -> Iterator[Occurrence]:
    """One stream's events in fold order, retracted ones included, that overlap ``start``..``end``.

    This is the timeline source: every command that lists events reads them here.

    Args:
        log: The log.
        stream: The stream.
        known_at: As the log stood at this instant.
        start: Only events that may have happened on or after this date's first day.
        end: Only events that may have happened on or before this date's last day.
        sources: Only the events of this source (a text its publisher or title contains).
    """
    return iter_timeline(
        log,
        stream=stream,
        known_at=known_at,
        include_retracted=True,
        start=start,
        end=end,
        missing_ok=True,
        sources=sources,
    )


def steps(
    log: Log,
    projector: Projector[S],
    *,
    stream: str,
    as_of: When | None = None,
    known_at: datetime.datetime | None = None,
    sources: str | None = None,
) -> Iterator[tuple[When, S]]:
    """Each change of ``projector``'s state in one stream, in fold order (see ``history``)."""
    return iter_history(
        log,
        projector,
        stream=stream,
        as_of=as_of,
        known_at=known_at,
        missing_ok=True,
        sources=sources,
    )


def first_record_time(log: Log, stream: str | None = None) -> datetime.datetime | None:
    """When the log (or one stream) learned its first fact; None if it holds nothing."""
    records = log.read(stream)
    try:
        first: Any = next(records, None)
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()
    return None if first is None else first.recorded_at
