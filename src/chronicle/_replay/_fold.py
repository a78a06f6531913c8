"""The fold: events, in the order given, through one projector or several in one pass.

Replay folds the events in force as the reader yields them; the snapshot
cache folds the same way from a checkpoint, leaving new checkpoints behind.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from chronicle._event import Event
from chronicle._projector import Projector
from chronicle._replay._checkpoint_codec import extend_digest
from chronicle._replay._order import Key

__all__ = ["fold_into", "fold_stream"]

Steps = tuple[tuple[int, Callable[[Any, Any], Any]], ...]
"""For one event class: the index of each projector that handles it, with its handler."""

_event = operator.itemgetter(1)
"""The event of a ``(key, event)`` pair."""


def fold_into(
    projectors: Sequence[Projector[Any]], states: list[Any], events: Iterable[tuple[Key, Event]]
) -> None:
    """Apply ``events`` (each behind its key), in the order given, to ``states`` in place.

    ``states`` holds one state per projector. One pass over the events serves
    every projector: for each event class, the projectors that handle it and
    their handlers are looked up once.
    """
    if len(projectors) == 1:
        states[0] = projectors[0].fold(map(_event, events), states[0])
        return
    tables: dict[type, Steps] = {}
    for _, event in events:
        try:
            steps = tables[type(event)]
        except KeyError:
            cls = type(event)
            steps = tables[cls] = tuple(
                (index, handler)
                for index, projector in enumerate(projectors)
                if (handler := projector.handler_for(cls)) is not None
            )
        for index, handler in steps:
            states[index] = handler(states[index], event)


def fold_stream(
    projectors: Sequence[Projector[Any]],
    starts: Sequence[Key | None],
    states: list[Any],
    events: Iterator[tuple[Key, Event]],
    *,
    every: int,
    keep: Callable[[Key], bool],
    digests: list[bytes] | None = None,
) -> list[list[tuple[Key, Any, bytes | None]]]:
    """Fold ``events`` into ``states`` in place, each projector from its own start key.

    A projector whose start is a key folds only the events after it (its state
    is already that of the events up to it); one whose start is None folds them
    all. The events are taken ``every`` at a time, and after each full batch the
    state of every projector folding by then is a checkpoint, if ``keep`` accepts
    the key of the batch's last event.

    With ``digests`` (one per projector, its digest at its start), each
    projector's digest is extended, in place, by the positions it folds (see
    :func:`~chronicle._replay._checkpoint_codec.extend_digest`), and each
    checkpoint carries it.

    Returns:
        For each projector, its new checkpoints ``(key, state, digest)`` in fold order.
    """
    waiting = sorted((start, index) for index, start in enumerate(starts) if start is not None)
    active = [index for index, start in enumerate(starts) if start is None]
    made: list[list[tuple[Key, Any, bytes | None]]] = [[] for _ in projectors]
    while batch := list(itertools.islice(events, every)):
        keys = [key for key, _ in batch]
        done = 0
        began = dict.fromkeys(active, 0)
        while waiting and waiting[0][0] < keys[-1]:
            start, index = waiting.pop(0)
            cut = bisect.bisect_right(keys, start)
            _fold_some(projectors, active, states, batch[done:cut])
            done = cut
            active.append(index)
            began[index] = cut
        _fold_some(projectors, active, states, batch[done:])
        if digests is not None:
            for index, first in began.items():
                digests[index] = extend_digest(digests[index], keys[first:])
        if len(batch) == every and keep(keys[-1]):
            for index in active:
                digest = None if digests is None else digests[index]
                made[index].append((keys[-1], states[index], digest))
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
    fold_into([projectors[index] for index in active], some, batch)
    for index, state in zip(active, some, strict=True):
        states[index] = state
