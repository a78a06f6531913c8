"""The events in force, in fold order: a fold-order reader's records with the corrections applied.

Every way of reading a log goes through here, and through
:meth:`~chronicle._replay._corrections.Corrections.in_force`: replay,
history, timeline and the snapshot cache, whatever the store. The records
come from a :class:`~chronicle.stores.FoldReader` already in fold order, so
nothing is collected or sorted: only the corrections are held.
"""

from __future__ import annotations

import datetime
import heapq
import operator
import sys
from collections.abc import Callable, Iterator
from typing import cast
from uuid import UUID

import attrs

from chronicle._event import Corrected, Event, Retracted
from chronicle._record import Record
from chronicle._replay._corrections import Corrections
from chronicle._replay._order import Key, Policy, key_of
from chronicle._stores._base import EventItem, FoldReader, ReadsEventsOnly

__all__ = [
    "Occurrence",
    "catch_up",
    "events_in_force",
    "head_known_at",
    "occurrences_in_force",
]

_by_key = operator.itemgetter(0)
_ONE_DAY = datetime.timedelta(days=1)


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


def catch_up(
    reader: FoldReader, fixes: Corrections, stream: str | None = None
) -> tuple[int, UUID | None]:
    """Bring ``reader`` and ``fixes`` up to the log's head; return the head and its record id.

    With ``stream``, ``fixes`` takes in only that stream's corrections: enough to
    read that stream, and all a one-stream read should have to decode.
    """
    reader.refresh()
    head, head_id = reader.head()
    for record, target in reader.corrections(fixes.seen, head, stream):
        fixes.add(record, target)
    fixes.seen = max(fixes.seen, head)
    return head, head_id


def head_known_at(reader: FoldReader, head: int, moment: datetime.datetime | None) -> int:
    """The last position a query known at ``moment`` reads, the log caught up to ``head``.

    Never past ``head``: a reader shared with other threads may have taken in
    records since, whose corrections the caller has not caught up with.
    """
    return head if moment is None else min(head, reader.head_at(moment))


def _bounds(
    day: datetime.date | None, policy: Policy, end: datetime.date | None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The ``latest`` and ``earliest`` bounds of a query as of ``day``, up to ``end``."""
    latest_max = day if policy == "certain" else None
    earliest_max = day if policy == "possible" else None
    if end is not None:
        earliest_max = end if earliest_max is None else min(earliest_max, end)
    return latest_max, earliest_max


def events_in_force(
    reader: FoldReader,
    fixes: Corrections,
    stream: str | None,
    after: Key | None,
    *,
    day: datetime.date | None,
    policy: Policy,
    at: int,
) -> Iterator[tuple[Key, Event]]:
    """The events in force at position ``at``, after ``after``, that count as of ``day``.

    Each comes with its fold key, in fold order: the records' own events, less
    those a correction known at ``at`` retracts or replaces, merged with the
    replacements in force. This is replay's path: it makes nothing per event
    but the pair it yields.
    """
    latest_max, earliest_max = _bounds(day, policy, None)
    corrected = fixes.corrected
    own: Iterator[EventItem] = (
        reader.events_only_after(
            stream, after, latest_max=latest_max, earliest_max=earliest_max, head=at
        )
        if isinstance(reader, ReadsEventsOnly)
        else (
            ((latest, earliest, position), cast("Event", record.event))
            for latest, earliest, position, record in reader.events_after(
                stream, after, latest_max=latest_max, earliest_max=earliest_max, head=at
            )
        )
    )
    if not corrected:  # nothing is retracted or replaced: every event is in force
        return own
    replaced = [
        (key, event)
        for key, event, _ in fixes.replacements_after(
            stream, after, latest_max=latest_max, earliest_max=earliest_max, at=at
        )
    ]
    return _corrected_in(own, replaced, fixes, at)


def _corrected_in(
    own: Iterator[EventItem], replaced: list[EventItem], fixes: Corrections, at: int
) -> Iterator[EventItem]:
    """``own`` less the events a correction in force at ``at`` replaces, ``replaced`` merged in.

    Both are in fold order, and ``replaced`` is short: one loop does the filter
    and the merge, with no layer of its own per event (a replay's cost). On equal
    keys an event of ``own`` comes first, as :func:`heapq.merge` would give it.
    """
    corrected, in_force = fixes.corrected, fixes.in_force
    pending = iter(replaced)
    following = next(pending, None)
    for item in own:
        key = item[0]
        while following is not None and following[0] < key:
            yield following
            following = next(pending, None)
        if key[2] in corrected and in_force(key[2], at) is not None:
            continue
        yield item
    if following is not None:
        yield following
    yield from pending


def occurrences_in_force(
    reader: FoldReader,
    fixes: Corrections,
    get: Callable[[UUID], Record | None],
    stream: str | None,
    *,
    day: datetime.date | None,
    policy: Policy,
    at: int,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    include_retracted: bool = False,
) -> Iterator[Occurrence]:
    """The event records in force at ``at`` as :class:`Occurrence` s, in fold order.

    As :func:`events_in_force`, with each event's record and correction, and
    only the events that may have happened from ``start`` to ``end``. Retracted
    events are listed too, in their own place, if ``include_retracted``.
    """
    latest_max, earliest_max = _bounds(day, policy, end)
    after = (
        None
        if start is None or start == datetime.date.min
        else (start - _ONE_DAY, datetime.date.max, sys.maxsize)
    )
    corrected = fixes.corrected

    def own() -> Iterator[tuple[Key, Occurrence]]:
        for latest, earliest, position, record in reader.events_after(
            stream, after, latest_max=latest_max, earliest_max=earliest_max, head=at
        ):
            fix = fixes.in_force(position, at) if position in corrected else None
            if fix is None:
                yield (latest, earliest, position), Occurrence(record, cast("Event", record.event))
            elif include_retracted and isinstance(fix.event, Retracted):
                yield (
                    (latest, earliest, position),
                    Occurrence(record, cast("Event", record.event), fix),
                )

    replaced = [
        (key, Occurrence(_target(get, fix), event, fix))
        for key, event, fix in fixes.replacements_after(
            stream, after, latest_max=latest_max, earliest_max=earliest_max, at=at
        )
    ]
    merged = heapq.merge(own(), replaced, key=_by_key) if replaced else own()
    return (occurrence for _, occurrence in merged)


def _target(get: Callable[[UUID], Record | None], fix: Record) -> Record:
    """The record a correction in force replaces (it exists: the correction applies)."""
    found = get(cast("Corrected", fix.event).target)
    assert found is not None, "a correction in force targets a record of the log"
    return found
