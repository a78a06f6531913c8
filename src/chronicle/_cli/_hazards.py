"""The fold-order hazard: an imprecise event whose dates straddle a precise one.

An event dated by a month, a year or an interval folds at its latest day, so it
folds after every precise event of the days it may denote, though it may have
come before them. When a projector handles both, the state after both may depend
on an order nobody knows. ``chronicle verify`` names each such event, the
precise events it straddles in its stream, and the projectors that handle them,
and says whether it matters: whether the orders its dates allow, within the
window of the fold order whose events' order is unknown, give more than one
state of the projector from the state ``replay`` gives before that window (then
the answer at the window's end is uncertain: see :func:`chronicle.possibilities`),
or all give the same state. Each stream and projector is read in one pass, and
each window enumerated once, from one state: the check costs about a replay.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from chronicle._cli._uncertain import LIMIT, type_text
from chronicle._cli._words import date_text
from chronicle._errors import TooUncertain
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay import Occurrence, iter_timeline
from chronicle._replay._windows import (
    Budget,
    Item,
    ambiguous,
    canonical,
    enumerate_window,
    items_of,
    windows,
)

__all__ = ["Hazard", "hazards"]


@attrs.frozen
class Hazard:
    """An imprecise event that may have come before precise events folded before it.

    Attributes:
        projector: The projector that handles them all.
        wide: The imprecise event.
        straddled: The precise events of its stream within its dates, in fold order.
        uncertain: Whether the orders of the window holding them give several
            states (then the answer at the window's end is uncertain); None if
            there were too many orders to tell.
        day: The last day of that window: the answer from it on is the one in doubt.
        note: Why it could not be told, if so.
    """

    projector: str
    wide: Occurrence
    straddled: tuple[Occurrence, ...]
    uncertain: bool | None
    day: datetime.date
    note: str = ""

    def __str__(self) -> str:
        one = len(self.straddled) == 1
        others = [_named(each) for each in self.straddled]
        listed = others[0] if one else f"{'; '.join(others[:-1])}; and {others[-1]}"
        them = "both" if one else "them all"
        head = (
            f"warning: {_named(self.wide)} may have come before or after {listed};"
            f" {self.projector} handles {them}"
        )
        if self.uncertain is None:
            return f"{head}, and whether their order matters is not known: {self.note}"
        if self.uncertain:
            after = "both" if one else "them"
            return (
                f"{head}, and the answer after {after} is uncertain: see `chronicle state"
                f" --stream {self.wide.record.stream} --as-of {self.day} --why`"
            )
        return f"{head}, and {'both orders give' if one else 'every order gives'} the same state"


def _named(occurrence: Occurrence) -> str:
    """``#10, election postponed on 25 Sep 2023 (Government of Mali)``."""
    event = occurrence.event
    occurred = event.occurred
    when = date_text(occurred)
    if not occurred.is_interval:
        when = f"{'on' if occurred.precision == 'day' else 'in'} {when}"
    publishers = ", ".join(dict.fromkeys(source.publisher for source in event.sources))
    return f"#{occurrence.record.position}, {type_text(event)} {when}" + (
        f" ({publishers})" if publishers else ""
    )


def _straddled(
    wide: Occurrence, precise: Sequence[tuple[datetime.date, int, Occurrence]]
) -> list[Occurrence]:
    occurred = wide.event.occurred
    low = bisect.bisect_left(precise, (occurred.earliest,))
    high = bisect.bisect_right(precise, (occurred.latest, float("inf")))
    return [occurrence for _, _, occurrence in precise[low:high]]


def _windows_in_doubt(
    items: Sequence[Item], projector: Projector[Any]
) -> dict[int, tuple[bool | None, datetime.date, str]]:
    """For each record position in an ambiguous window: does the window split, its end, why not.

    The windows are folded as ``replay`` folds them; each ambiguous one is also
    enumerated, once, from the state before it.
    """
    found: dict[int, tuple[bool | None, datetime.date, str]] = {}
    state = projector.initial
    for window in windows(items):
        if ambiguous(window):
            end = max(item.latest for item in window)
            try:
                budget = Budget(projector, LIMIT)
                outcomes = enumerate_window(projector, window, (state, None), budget)
                verdict: tuple[bool | None, datetime.date, str] = (len(outcomes) > 1, end, "")
            except TooUncertain as error:
                verdict = (None, end, str(error))
            for item in window:
                found[item.occurrence.record.position] = verdict
        state = projector.fold((item.occurrence.event for item in canonical(window)), state)
    return found


def _stream_hazards(
    occurrences: Sequence[Occurrence], projectors: Mapping[str, Projector[Any]]
) -> Iterator[Hazard]:
    for name, projector in projectors.items():
        items = list(items_of(occurrences, projector, None))
        precise = sorted(
            (item.earliest, item.occurrence.record.position, item.occurrence)
            for item in items
            if item.earliest == item.latest
        )
        verdicts: dict[int, tuple[bool | None, datetime.date, str]] | None = None
        for item in items:
            if item.earliest == item.latest:
                continue
            straddled = _straddled(item.occurrence, precise)
            if not straddled:
                continue
            if verdicts is None:
                verdicts = _windows_in_doubt(items, projector)
            uncertain, day, note = verdicts[item.occurrence.record.position]
            yield Hazard(name, item.occurrence, tuple(straddled), uncertain, day, note)


def hazards(log: Log, projectors: Mapping[str, Projector[Any]]) -> Iterator[Hazard]:
    """Every fold-order hazard of ``log``, stream by stream, for the ``projectors`` given."""
    for stream in log.streams():
        occurrences = list(iter_timeline(log, stream=stream))
        yield from _stream_hazards(occurrences, projectors)
