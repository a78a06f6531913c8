"""Notes on an empty answer: say why it is empty, when the question itself asked for nothing.

A query before the log's first event or first record, or a date range that ends
before it begins, has an empty answer that looks like a broken log. Each such case
prints a note on stderr (``chronicle: note: ...``); the exit code stays 0, since
the answer is right.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from chronicle._cli import _source
from chronicle._cli._output import note
from chronicle._log import Log
from chronicle._replay import Occurrence, Policy
from chronicle._when import When

__all__ = ["before_first_event", "before_first_record", "empty_range"]


def empty_range(start: When | None, end: When | None, start_text: str, end_text: str) -> bool:
    """Whether ``--from``..``--to`` holds no day; if so, say so."""
    if start is None or end is None or start.earliest <= end.latest:
        return False
    note(f"--from {start_text} is after --to {end_text}: the range holds no day")
    return True


def before_first_record(log: Log, known_at: datetime.datetime | None, text: str | None) -> bool:
    """Whether ``--known-at`` is before the log's first record; if so, say so."""
    if known_at is None:
        return False
    first = _source.first_record_time(log)
    if first is None or known_at >= first:
        return False
    note(
        f"--known-at {text} is before the log's first record (recorded"
        f" {first.isoformat()}): the log held nothing then"
    )
    return True


def _first(
    log: Log, stream: str, known_at: datetime.datetime | None, policy: Policy
) -> Occurrence | None:
    """The stream's event that happened first: certainly (fold order), or possibly."""
    found = (
        occurrence
        for occurrence in _source.occurrences(log, stream=stream, known_at=known_at)
        if not occurrence.retracted
    )
    if policy == "certain":
        return next(found, None)
    return min(found, key=lambda occurrence: occurrence.event.occurred.earliest, default=None)


def before_first_event(
    log: Log,
    streams: Sequence[str],
    *,
    as_of: When,
    text: str,
    known_at: datetime.datetime | None,
    policy: Policy = "certain",
) -> bool:
    """Whether no event of ``streams`` had happened by ``--as-of``; if so, say which is first.

    Reads the streams again: call it only when the answer already looks empty.
    """
    firsts = [
        (found, stream)
        for stream in streams
        if (found := _first(log, stream, known_at, policy)) is not None
    ]

    def bound(when: When) -> datetime.date:
        return when.latest if policy == "certain" else when.earliest

    if any(bound(found.event.occurred) <= as_of.latest for found, _ in firsts):
        return False
    if not firsts:
        note(f"--as-of {text}: there is no event to count")
        return True
    found, stream = min(firsts, key=lambda pair: bound(pair[0].event.occurred))
    note(
        f"--as-of {text} is before the first event (dated {found.event.occurred}, in stream"
        f" {stream!r}): what is shown is the state before any event"
    )
    return True
