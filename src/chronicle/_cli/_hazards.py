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
or all give the same state. Each stream is read twice, and each window in doubt
enumerated once, from one state: the check costs about two replays, and holds two
numbers an event and the events of one window at a time.
"""

from __future__ import annotations

import bisect
import datetime
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from chronicle._cli._uncertain import type_text
from chronicle._cli._words import date_text
from chronicle._errors import TooUncertain
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay import Occurrence, iter_timeline
from chronicle._replay._windows import Budget, Item, enumerate_window, explored_at_least, spans

__all__ = ["SHOWN", "Hazard", "hazards"]

SHOWN = 3
"""The most precise events a warning names of those an imprecise event straddles."""
LIMIT = 1_000
"""The most partial states the search explores in one window before it says it cannot tell.

It searches every window of the log (``state`` explores up to
:data:`chronicle._cli._uncertain.LIMIT` at the one date asked about): each partial
state costs a fold and a hash of the whole state, and a dense log has thousands of
windows in doubt."""


@attrs.frozen
class Hazard:
    """An imprecise event that may have come before precise events folded before it.

    Attributes:
        projector: The projector that handles them all.
        wide: The imprecise event.
        straddled: The precise events of its stream within its dates, in fold
            order: the first :data:`SHOWN` of them.
        more: How many more it straddles, not listed.
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
    more: int = 0

    def __str__(self) -> str:
        one = len(self.straddled) == 1 and not self.more
        others = [_named(each) for each in self.straddled]
        if self.more:
            listed = f"{'; '.join(others)}; and {self.more:,} more within its dates"
        else:
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


@attrs.frozen
class _Doubt:
    """A window of one projector's events whose order is unknown, holding hazards.

    Indices count the projector's events in the stream's fold order.

    Attributes:
        start: The window's first event.
        end: The index after its last event.
        refused: Why its orders cannot all be enumerated, if they cannot (then
            its events are not held: only those a warning names).
        straddling: Each imprecise event of the window that straddles precise
            ones, with the first :data:`SHOWN` of those, and how many more.
        named: The events its warnings name.
    """

    start: int
    end: int
    refused: str | None
    straddling: tuple[tuple[int, tuple[int, ...], int], ...]
    named: frozenset[int] = attrs.field(init=False)

    @named.default
    def _named(self) -> frozenset[int]:
        return frozenset(index for wide, shown, _ in self.straddling for index in (wide, *shown))


def _doubts(name: str, latest: Sequence[int], earliest: Sequence[int]) -> Iterator[_Doubt]:
    """The windows of one projector's events that hold a hazard, from the events' days alone.

    A precise event within an imprecise one's dates is in an unknown order with
    it, so both lie in one window. In fold order the precise events come by day,
    so those within an imprecise event's dates are found by bisection.
    """
    precise = array(
        "q", (index for index in range(len(latest)) if latest[index] == earliest[index])
    )
    days = array("i", (latest[index] for index in precise))
    for start, end in spans(latest, earliest):
        straddling = []
        for index in range(start, end):
            if latest[index] == earliest[index]:
                continue
            low = bisect.bisect_left(days, earliest[index])
            high = bisect.bisect_right(days, latest[index])
            if low < high:
                shown = min(high, low + SHOWN)
                straddling.append((index, tuple(precise[low:shown]), high - shown))
        if straddling:
            refused = None
            if explored_at_least(latest[start:end], earliest[start:end]) > LIMIT:
                first = datetime.date.fromordinal(earliest[start]).isoformat()
                last = datetime.date.fromordinal(max(latest[start:end])).isoformat()
                refused = str(TooUncertain(name, end - start, first, last, LIMIT))
            yield _Doubt(start, end, refused, tuple(straddling))


class _Handled:
    """Which of the projectors handle each event class (looked up once a class)."""

    def __init__(self, projectors: Sequence[Projector[Any]]) -> None:
        self._projectors = projectors
        self._found: dict[type, tuple[int, ...]] = {}

    def __call__(self, occurrence: Occurrence) -> tuple[int, ...]:
        cls = type(occurrence.event)
        found = self._found.get(cls)
        if found is None:
            found = self._found[cls] = tuple(
                number
                for number, projector in enumerate(self._projectors)
                if projector.handler_for(cls) is not None
            )
        return found


def _days(
    occurrences: Iterable[Occurrence], handled: _Handled, count: int
) -> list[tuple[array[int], array[int]]]:
    """Each projector's events, as the ordinals of their latest and earliest days, in fold order."""
    days = [(array("i"), array("i")) for _ in range(count)]
    for occurrence in occurrences:
        occurred = occurrence.event.occurred
        latest, earliest = occurred.latest.toordinal(), occurred.earliest.toordinal()
        for number in handled(occurrence):
            days[number][0].append(latest)
            days[number][1].append(earliest)
    return days


def _verdict(projector: Projector[Any], window: list[Item], before: Any) -> tuple[bool | None, str]:
    """Whether the orders ``window`` allows give several states from ``before``; why not told."""
    try:
        outcomes = enumerate_window(projector, window, (before, None), Budget(projector, LIMIT))
    except TooUncertain as error:
        return None, str(error)
    return len(outcomes) > 1, ""


class _Watch:
    """One projector's fold along a stream, and the window in doubt it is in, if any."""

    def __init__(self, name: str, projector: Projector[Any], doubts: list[_Doubt]) -> None:
        self.name = name
        self.projector = projector
        self.state = projector.initial
        self.count = 0
        self._doubts = iter(doubts)
        self._doubt = next(self._doubts, None)
        self._before: Any = None
        self._held: dict[int, Item] = {}
        self._day = datetime.date.min

    @property
    def pending(self) -> bool:
        """Whether a window in doubt lies ahead."""
        return self._doubt is not None

    def fold(self, occurrence: Occurrence) -> Iterator[Hazard]:
        """Fold the next event it handles; the warnings of the window it ends, if it ends one."""
        index, doubt, event = self.count, self._doubt, occurrence.event
        self.count += 1
        if doubt is not None and doubt.start <= index:
            if index == doubt.start:
                self._before = self.state
            occurred = event.occurred
            self._day = max(self._day, occurred.latest)
            if doubt.refused is None or index in doubt.named:
                self._held[index] = Item(occurrence, occurred.earliest, occurred.latest, False)
            if index == doubt.end - 1:
                yield from self._warnings(doubt)
        self.state = self.projector.apply(self.state, event)

    def _warnings(self, doubt: _Doubt) -> Iterator[Hazard]:
        held = self._held
        if doubt.refused is None:
            uncertain, note = _verdict(self.projector, list(held.values()), self._before)
        else:
            uncertain, note = None, doubt.refused
        for wide, shown, more in doubt.straddling:
            straddled = tuple(held[index].occurrence for index in shown)
            yield Hazard(
                self.name, held[wide].occurrence, straddled, uncertain, self._day, note, more
            )
        self._held, self._before, self._day = {}, None, datetime.date.min
        self._doubt = next(self._doubts, None)


def _stream_hazards(
    log: Log, stream: str, named: Mapping[str, Projector[Any]], known_at: datetime.datetime
) -> Iterator[Hazard]:
    """The hazards of one stream, in fold order of the windows that hold them.

    The stream is read twice, as known at ``known_at`` (so both reads see one
    log): first into two numbers an event and projector, which locate the
    windows in doubt; then again, folding each projector's state, holding the
    events of a window in doubt until it is enumerated (at most as many as the
    enumeration may explore; of a window with more, only those its warnings name).
    """
    projectors = list(named.values())
    handled = _Handled(projectors)
    days = _days(iter_timeline(log, stream=stream, known_at=known_at), handled, len(projectors))
    watches = [
        _Watch(name, projector, list(_doubts(name, *days[number])))
        for number, (name, projector) in enumerate(named.items())
    ]
    del days  # what is left of them: the windows in doubt
    if not any(watch.pending for watch in watches):
        return
    for occurrence in iter_timeline(log, stream=stream, known_at=known_at):
        for number in handled(occurrence):
            yield from watches[number].fold(occurrence)


def hazards(log: Log, projectors: Mapping[str, Projector[Any]]) -> Iterator[Hazard]:
    """Every fold-order hazard of ``log``, stream by stream, for the ``projectors`` given.

    Memory holds two numbers an event of one stream, and the events of one
    window at a time: a log of any size is searched in bounded memory.
    """
    if log.head == 0:
        return
    head = next(iter(log.read(from_position=log.head)))
    for stream in log.streams():
        yield from _stream_hazards(log, stream, projectors, head.recorded_at)
