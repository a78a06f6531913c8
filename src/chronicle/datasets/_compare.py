"""Two chronologies of one state side by side: where they disagree on who led, and on coups.

Built to hold a hand-written chronology against the stream the datasets give
(Mali: ``examples/mali.jsonl`` against ``MLI``), but it compares any two streams:
the head of state day by day (read off one ``history()`` per stream), and the
coups each records that the other does not date the same.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Mapping

import attrs

from chronicle._log import Log
from chronicle._replay import history, timeline
from chronicle._when import When
from chronicle.politics import CoupOccurred, HeadOfState

__all__ = ["Comparison", "HeadDifference", "compare_streams"]

_DAY = datetime.timedelta(days=1)


@attrs.frozen
class HeadDifference:
    """A run of days on which the two chronologies name different heads of state.

    Attributes:
        first: The first day.
        last: The last day.
        left: The head of state the left chronology names (None: nobody).
        right: The one the right chronology names, spelt as the left one spells it.
    """

    first: datetime.date
    last: datetime.date
    left: str | None
    right: str | None

    def __str__(self) -> str:
        days = str(self.first) if self.first == self.last else f"{self.first} to {self.last}"
        return f"{days}: {self.left or 'nobody'} (left), {self.right or 'nobody'} (right)"


@attrs.frozen(kw_only=True)
class Comparison:
    """Where two chronologies of a state disagree, from ``start`` to ``end``.

    Attributes:
        start: The first day compared.
        end: The last day compared.
        heads: The runs of days with different heads of state, in order.
        left_coups: The left's coups (their dates) that the right does not date the same.
        right_coups: The right's coups that the left does not date the same.
    """

    start: datetime.date
    end: datetime.date
    heads: tuple[HeadDifference, ...]
    left_coups: tuple[When, ...]
    right_coups: tuple[When, ...]

    @property
    def agree(self) -> bool:
        """Whether they agree on every day and every coup."""
        return not (self.heads or self.left_coups or self.right_coups)


Runs = list[tuple[datetime.date, str | None]]
"""``(first day, head of state)``: who leads from each day on, in order."""


def _heads(log: Log, stream: str, start: datetime.date, end: datetime.date) -> Runs:
    """The head of state at the end of ``start``, then at each day it changes up to ``end``."""
    runs: Runs = [(start, None)]
    for when, state in history(log, HeadOfState, stream=stream, missing_ok=True):
        day = max(when.latest, start)
        if day > end:
            break
        head = None if state.current is None else state.current.name
        if runs[-1][0] == day:
            runs[-1] = (day, head)
        else:
            runs.append((day, head))
    return runs


def _name_on(runs: Runs, day: datetime.date) -> str | None:
    """The head of state of ``runs`` on ``day``."""
    return runs[bisect.bisect_right(runs, day, key=lambda run: run[0]) - 1][1]


def _coups(log: Log, stream: str, start: datetime.date, end: datetime.date) -> set[When]:
    return {
        occurrence.event.occurred
        for occurrence in timeline(log, stream=stream, missing_ok=True)
        if isinstance(occurrence.event, CoupOccurred)
        and start <= occurrence.event.occurred.earliest
        and occurrence.event.occurred.latest <= end
    }


def compare_streams(
    left: Log,
    right: Log,
    *,
    left_stream: str,
    right_stream: str,
    start: datetime.date,
    end: datetime.date,
    names: Mapping[str, str] | None = None,
) -> Comparison:
    """Compare two chronologies of one state from ``start`` to ``end`` (both included).

    Args:
        left: The log of the first chronology.
        right: The log of the second (it may be the same log).
        left_stream: The state's stream in ``left``.
        right_stream: The state's stream in ``right``.
        start: The first day compared.
        end: The last day compared.
        names: The right's spelling of a name -> the left's (``{"Ba N'Daou": "Bah N'Daw"}``):
            the same person spelt two ways is not a disagreement.

    Returns:
        The days the heads of state differ (state at the end of each day, as
        ``replay(as_of=day)`` gives it), and the coups only one side dates so.
    """
    spelling = dict(names or {})
    left_runs = _heads(left, left_stream, start, end)
    right_runs = [
        (day, None if name is None else spelling.get(name, name))
        for day, name in _heads(right, right_stream, start, end)
    ]
    changes = sorted({day for day, _ in left_runs} | {day for day, _ in right_runs})
    differences: list[HeadDifference] = []
    for index, first in enumerate(changes):
        last = changes[index + 1] - _DAY if index + 1 < len(changes) else end
        ours, theirs = _name_on(left_runs, first), _name_on(right_runs, first)
        if ours == theirs:
            continue
        previous = differences[-1] if differences else None
        if (
            previous
            and previous.last + _DAY == first
            and (previous.left, previous.right) == (ours, theirs)
        ):
            differences[-1] = attrs.evolve(previous, last=last)
        else:
            differences.append(HeadDifference(first, last, ours, theirs))
    left_coups = _coups(left, left_stream, start, end)
    right_coups = _coups(right, right_stream, start, end)
    return Comparison(
        start=start,
        end=end,
        heads=tuple(differences),
        left_coups=tuple(sorted(left_coups - right_coups)),
        right_coups=tuple(sorted(right_coups - left_coups)),
    )
