"""Folding straight from a :class:`~chronicle._foldindex.FoldSource`, in fold order.

The events come from the source already ordered, so nothing is collected or
sorted: memory stays flat however long the log. Replay uses this for stores
with a fold-order index; the snapshot cache uses it to fold what lies after a
checkpoint, leaving new checkpoints behind as it goes.
"""

from __future__ import annotations

import bisect
import datetime
import heapq
import itertools
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any, cast
from uuid import UUID

from chronicle._event import Event
from chronicle._fold import Key, Policy, fold_into
from chronicle._foldindex import CorrectionIndex, FoldSource
from chronicle._projector import Projector

__all__ = ["catch_up", "events_in_force", "fold_stream", "replay_in_order"]

_by_key = operator.itemgetter(0)


def catch_up(source: FoldSource, fixes: CorrectionIndex) -> tuple[int, UUID | None]:
    """Bring ``source`` and ``fixes`` up to the log's head; return the head and its record id."""
    source.refresh()
    head, head_id = source.head()
    for record, target_key in source.corrections(fixes.seen, head):
        fixes.add(record, target_key)
    fixes.seen = max(fixes.seen, head)
    return head, head_id


def events_in_force(
    source: FoldSource,
    fixes: CorrectionIndex,
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
    replacements in force.
    """
    latest_max = day if policy == "certain" else None
    earliest_max = day if policy == "possible" else None
    corrected = fixes.targets
    own: Iterator[tuple[Key, Event]] = (
        ((latest, earliest, position), cast("Event", record.event))
        for latest, earliest, position, record in source.events_after(
            stream, after, latest_max=latest_max, earliest_max=earliest_max, head=at
        )
        if position not in corrected or fixes.in_force(position, at) is None
    )
    replaced = list(
        fixes.replacements_after(
            stream, after, latest_max=latest_max, earliest_max=earliest_max, head=at
        )
    )
    return heapq.merge(own, replaced, key=_by_key) if replaced else own


def fold_stream(
    projectors: Sequence[Projector[Any]],
    starts: Sequence[Key | None],
    states: list[Any],
    events: Iterator[tuple[Key, Event]],
    *,
    every: int,
    keep: Callable[[Key], bool],
) -> list[list[tuple[Key, Any]]]:
    """Fold ``events`` into ``states`` in place, each projector from its own start key.

    A projector whose start is a key folds only the events after it (its state
    is already that of the events up to it); one whose start is None folds them
    all. The events are taken ``every`` at a time, and after each full batch the
    state of every projector folding by then is a checkpoint, if ``keep`` accepts
    the key of the batch's last event.

    Returns:
        For each projector, its new checkpoints ``(key, state)`` in fold order.
    """
    waiting = sorted((start, index) for index, start in enumerate(starts) if start is not None)
    active = [index for index, start in enumerate(starts) if start is None]
    made: list[list[tuple[Key, Any]]] = [[] for _ in projectors]
    while batch := list(itertools.islice(events, every)):
        keys = [key for key, _ in batch]
        done = 0
        while waiting and waiting[0][0] < keys[-1]:
            start, index = waiting.pop(0)
            cut = bisect.bisect_right(keys, start)
            _fold_some(projectors, active, states, batch[done:cut])
            done = cut
            active.append(index)
        _fold_some(projectors, active, states, batch[done:])
        if len(batch) == every and keep(keys[-1]):
            for index in active:
                made[index].append((keys[-1], states[index]))
    return made


def _fold_some(
    projectors: Sequence[Projector[Any]],
    active: list[int],
    states: list[Any],
    batch: list[tuple[Key, Event]],
) -> None:
    """Fold ``batch`` into the states of the projectors at the ``active`` indices."""
    if not batch or not active:
        return
    some = [states[index] for index in active]
    fold_into([projectors[index] for index in active], some, [event for _, event in batch])
    for index, state in zip(active, some, strict=True):
        states[index] = state


def replay_in_order(
    source: FoldSource,
    projectors: Sequence[Projector[Any]],
    *,
    stream: str | None,
    day: datetime.date | None,
    known_at: datetime.datetime | None,
    policy: Policy,
) -> list[Any]:
    """The states of a replay, folded as the source yields events: in constant memory.

    Only the corrections are held (to know which events they replace), not the events.
    """
    fixes = CorrectionIndex()
    head, _ = catch_up(source, fixes)
    at = head if known_at is None else source.head_at(known_at)
    states = [projector.initial for projector in projectors]
    events = events_in_force(source, fixes, stream, None, day=day, policy=policy, at=at)
    fold_stream(
        projectors, [None] * len(projectors), states, events, every=1000, keep=lambda _: False
    )
    return states
