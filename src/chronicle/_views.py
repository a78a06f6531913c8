"""Two views of a history side by side: where they disagree, day by day, for any projector.

A view is one reading of a log: a stream, the events of some sources, as the log
stood at an instant. Comparing two views of one projector answers "where does
REIGN's view of Mali differ from Powell & Thyne's?", "where did the record of
September differ from today's?", or, across two logs, "where does a hand-written
chronology differ from a dataset's stream?".
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import attrs

from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay import KnownAt, SourceFilter, iter_history

__all__ = ["Difference", "View", "compare"]

S = TypeVar("S")
T = TypeVar("T")

_DAY = datetime.timedelta(days=1)


@attrs.frozen(kw_only=True)
class View:
    """One reading of a log.

    Attributes:
        log: The log.
        stream: Its stream to read (every stream if None).
        sources: Only the events of these sources (see :data:`~chronicle.SourceFilter`).
        known_at: As the log stood then.
    """

    log: Log
    stream: str | None = None
    sources: SourceFilter | None = None
    known_at: KnownAt | None = None


@attrs.frozen
class Difference(Generic[T]):
    """A run of days on which two views differ.

    Attributes:
        first: The first day.
        last: The last day.
        left: What the left view gives on those days (its state, or ``key`` of it).
        right: What the right view gives.
    """

    first: datetime.date
    last: datetime.date
    left: T
    right: T

    def __str__(self) -> str:
        days = str(self.first) if self.first == self.last else f"{self.first} to {self.last}"
        return f"{days}: {self.left!r} (left), {self.right!r} (right)"


Runs = list[tuple[datetime.date, Any]]
"""``(first day, value)``: what a view gives from each day on, in order."""


def _runs(
    projector: Projector[S],
    view: View,
    key: Callable[[S], Any],
    start: datetime.date,
    end: datetime.date,
) -> Runs:
    """The view's value at the end of ``start``, then on each day it changes, up to ``end``."""
    runs: Runs = [(start, key(projector.initial))]
    for when, state in iter_history(
        view.log,
        projector,
        stream=view.stream,
        known_at=view.known_at,
        sources=view.sources,
        missing_ok=True,
    ):
        day = max(when.latest, start)
        if day > end:
            break
        if runs[-1][0] == day:
            runs[-1] = (day, key(state))
        else:
            runs.append((day, key(state)))
    return runs


def _on(runs: Runs, day: datetime.date) -> Any:
    return runs[bisect.bisect_right(runs, day, key=lambda run: run[0]) - 1][1]


def compare(
    projector: Projector[S],
    left: View,
    right: View,
    *,
    start: datetime.date,
    end: datetime.date,
    key: Callable[[S], Any] | None = None,
    right_key: Callable[[S], Any] | None = None,
) -> tuple[Difference[Any], ...]:
    """The runs of days, from ``start`` to ``end``, on which two views of a projector differ.

    A day's value is the state at the end of that day, as ``replay(as_of=day)``
    gives it for the view; each view is read once, in fold order.

    Args:
        projector: The projector both views fold.
        left: The first view.
        right: The second (it may read the same log).
        start: The first day compared.
        end: The last day compared.
        key: What of a state to compare (``lambda s: s.current.name``); by default
            the whole state.
        right_key: The same for the right view, if it differs (a name spelt
            another way mapped to the left's spelling); by default ``key``.

    Returns:
        The differences, in order of days; none if the views agree every day.
    """
    ours = key or (lambda state: state)
    theirs = right_key or ours
    left_runs = _runs(projector, left, ours, start, end)
    right_runs = _runs(projector, right, theirs, start, end)
    changes = sorted({day for day, _ in left_runs} | {day for day, _ in right_runs})
    differences: list[Difference[Any]] = []
    for index, first in enumerate(changes):
        last = changes[index + 1] - _DAY if index + 1 < len(changes) else end
        mine, other = _on(left_runs, first), _on(right_runs, first)
        if mine == other:
            continue
        previous = differences[-1] if differences else None
        if (
            previous is not None
            and previous.last + _DAY == first
            and (previous.left, previous.right) == (mine, other)
        ):
            differences[-1] = attrs.evolve(previous, last=last)
        else:
            differences.append(Difference(first, last, mine, other))
    return tuple(differences)
