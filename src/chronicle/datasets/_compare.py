"""Two chronologies of one state side by side: where they disagree on who led, and on coups.

Built to hold a hand-written chronology against the stream the datasets give
(Mali: ``examples/mali.jsonl`` against ``MLI``), but it compares any two streams:
the head of state day by day (read off one ``history()`` per stream), and the
coups each records that the other does not date the same. The head-of-state
comparison is :func:`chronicle.compare` of two views; it compares any projector.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import attrs

from chronicle._log import Log
from chronicle._replay import timeline
from chronicle._views import View, compare
from chronicle._when import When
from chronicle.politics import CoupOccurred, HeadOfState, Leadership

__all__ = ["Comparison", "HeadDifference", "compare_streams"]


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


def _head(state: Leadership) -> str | None:
    return None if state.current is None else state.current.name


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

    def spelt(state: Leadership) -> str | None:
        name = _head(state)
        return None if name is None else spelling.get(name, name)

    found = compare(
        HeadOfState,
        View(log=left, stream=left_stream),
        View(log=right, stream=right_stream),
        start=start,
        end=end,
        key=_head,
        right_key=spelt,
    )
    differences = [HeadDifference(d.first, d.last, d.left, d.right) for d in found]
    left_coups = _coups(left, left_stream, start, end)
    right_coups = _coups(right, right_stream, start, end)
    return Comparison(
        start=start,
        end=end,
        heads=tuple(differences),
        left_coups=tuple(sorted(left_coups - right_coups)),
        right_coups=tuple(sorted(right_coups - left_coups)),
    )
