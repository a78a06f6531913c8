"""The REIGN reading of who led a state on a day, computed from the file's own columns.

This is the test oracle of the leader import, written apart from the importer: a
spell covers the first day D of a month when it started on or before D and ended
(it gives only a month) in D's month or later, or has not ended. When several
spells cover D (a successor who took over on the 1st of the month the predecessor
left), the one that started last is in office; when none does, nobody is.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from chronicle import When


@attrs.frozen
class Spell:
    """A row of the leader list, as the oracle reads it."""

    row: int
    leader: str
    start: datetime.date
    end: tuple[int, int] | None  # (year, month), or None while in office


def in_office(spells: Sequence[Spell], day: datetime.date) -> str | None:
    """The leader REIGN has in office on ``day``, or None."""
    covering = [
        spell
        for spell in spells
        if spell.start <= day and (spell.end is None or (day.year, day.month) <= spell.end)
    ]
    if not covering:
        return None
    return max(covering, key=lambda spell: (spell.start, spell.row)).leader


def month_starts(spells: Sequence[Spell], *, release: tuple[int, int]) -> Iterator[datetime.date]:
    """The first day of every month a state's spells cover.

    From the month of the first start to the month after the last end, or to the
    ``release`` month if a spell is still open.
    """
    first = min(spell.start for spell in spells)
    if any(spell.end is None for spell in spells):
        last = release
    else:
        year, month = max(spell.end for spell in spells if spell.end is not None)
        last = (year + month // 12, month % 12 + 1)
    year, month = first.year, first.month
    while (year, month) <= last:
        yield datetime.date(year, month, 1)
        year, month = (year + month // 12, month % 12 + 1)


class Steps:
    """A projector's ``history()`` steps, asked for the state at the end of any day.

    The steps are in fold order, so their latest days never decrease: the state at
    the end of day D is that of the last step whose event certainly happened by D,
    exactly what ``replay(..., as_of=D)`` folds to.
    """

    def __init__(self, steps: Sequence[tuple[When, Any]], initial: Any) -> None:
        self._latest = [when.latest for when, _ in steps]
        self._states = [state for _, state in steps]
        self._initial = initial

    def on(self, day: datetime.date) -> Any:
        """The state at the end of ``day``."""
        index = bisect.bisect_right(self._latest, day)
        return self._states[index - 1] if index else self._initial
