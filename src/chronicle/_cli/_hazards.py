"""The fold-order hazard: an imprecise event whose dates straddle a precise one.

An event dated by a month, a year or an interval folds at its latest day, so it
folds after every precise event of the days it may denote, though it may have
come before them. When a projector handles both, the state after both may depend
on an order nobody knows. ``chronicle verify`` names each such event, the
precise events it straddles in its stream, and the projectors that handle them,
and says whether it matters: whether the record allows more than one state of
the projector at the imprecise event's latest day (see
:func:`chronicle.possibilities`), or both orders give the same state.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from chronicle._cli._uncertain import type_text
from chronicle._cli._words import date_text
from chronicle._errors import TooUncertain
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay import Occurrence, iter_timeline
from chronicle._replay._possible import explore
from chronicle._replay._windows import items_of

__all__ = ["Hazard", "hazards"]


@attrs.frozen
class Hazard:
    """An imprecise event that may have come before precise events folded before it.

    Attributes:
        projector: The projector that handles them all.
        wide: The imprecise event.
        straddled: The precise events of its stream within its dates, in fold order.
        uncertain: Whether the record allows several states of the projector at
            the imprecise event's latest day; None if there were too many to tell.
        note: Why it could not be told, if so.
    """

    projector: str
    wide: Occurrence
    straddled: tuple[Occurrence, ...]
    uncertain: bool | None
    note: str = ""

    @property
    def day(self) -> datetime.date:
        """The imprecise event's latest day: after it, both have certainly happened."""
        return self.wide.event.occurred.latest

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


def _uncertain(
    occurrences: Sequence[Occurrence], projector: Projector[Any], day: datetime.date
) -> bool:
    """Whether the record allows several states of ``projector`` at the end of ``day``."""
    asked = (o for o in occurrences if o.event.occurred.earliest <= day)
    return not explore(items_of(asked, projector, day), projector).certain


def _stream_hazards(
    occurrences: Sequence[Occurrence], projectors: Mapping[str, Projector[Any]]
) -> Iterator[Hazard]:
    for name, projector in projectors.items():
        handled = [o for o in occurrences if projector.handler_for(type(o.event)) is not None]
        precise = sorted(
            (o.event.occurred.earliest, o.record.position, o)
            for o in handled
            if o.event.occurred.earliest == o.event.occurred.latest
        )
        answers: dict[datetime.date, tuple[bool | None, str]] = {}
        for wide in handled:
            occurred = wide.event.occurred
            if occurred.earliest == occurred.latest:
                continue
            straddled = _straddled(wide, precise)
            if not straddled:
                continue
            day = occurred.latest
            if day not in answers:
                try:
                    answers[day] = (_uncertain(occurrences, projector, day), "")
                except TooUncertain as error:
                    answers[day] = (None, str(error))
            uncertain, note = answers[day]
            yield Hazard(name, wide, tuple(straddled), uncertain, note)


def hazards(log: Log, projectors: Mapping[str, Projector[Any]]) -> Iterator[Hazard]:
    """Every fold-order hazard of ``log``, stream by stream, for the ``projectors`` given."""
    for stream in log.streams():
        occurrences = list(iter_timeline(log, stream=stream))
        yield from _stream_hazards(occurrences, projectors)
