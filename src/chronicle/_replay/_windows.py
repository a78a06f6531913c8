"""The orders the record allows: windows of the fold order, and the states each can give.

Two events are in a known order when their dates separate them (one's latest day
is before the other's earliest), or when their dates are equal (then the log's
order, by position, stands); otherwise their order is unknown. An event that only
possibly happened by the date asked about may be left out.

The fold order is cut into *windows*: runs such that every event of a window is
in a known order with every event of the others. A window of one event, or of
events of equal dates, all certainly past, has one way to be folded. A window
with several ways is enumerated by :func:`enumerate_window`: as the sets of its
events placed so far, each with the state it gives, every pair kept once.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import attrs

from chronicle._errors import TooUncertain
from chronicle._projector import Projector
from chronicle._replay._in_force import Occurrence

__all__ = [
    "Budget",
    "Distinct",
    "Item",
    "Way",
    "Witness",
    "ambiguous",
    "canonical",
    "enumerate_window",
    "explored_at_least",
    "items_of",
    "spans",
    "windows",
]

Day = TypeVar("Day", datetime.date, int)
"""A day: a date, or a number ordered as dates are (its ordinal)."""


@attrs.frozen(eq=False)
class Item:
    """An event the enumeration places: its occurrence, its dates, and whether it is optional.

    Attributes:
        occurrence: The event in force, with its record.
        earliest: The first day it may have happened on.
        latest: The last day it may have happened on.
        possible: Whether it only possibly happened by the date asked about.
    """

    occurrence: Occurrence
    earliest: datetime.date
    latest: datetime.date
    possible: bool

    @property
    def dates(self) -> tuple[datetime.date, datetime.date]:
        """Its dates, ``(latest, earliest)``: events of equal dates keep the log's order."""
        return self.latest, self.earliest


def items_of(
    occurrences: Iterable[Occurrence], projector: Projector[Any], day: datetime.date | None
) -> Iterator[Item]:
    """The occurrences ``projector`` handles, as :class:`Item` s, possibly past ``day`` or not."""
    handles: dict[type, bool] = {}
    for occurrence in occurrences:
        cls = type(occurrence.event)
        handled = handles.get(cls)
        if handled is None:
            handled = handles[cls] = projector.handler_for(cls) is not None
        if handled:
            occurred = occurrence.event.occurred
            latest = occurred.latest
            yield Item(occurrence, occurred.earliest, latest, day is not None and latest > day)


Witness = tuple[Any, Item, bool] | None
"""A way to a state, as a chain: the way before, the event placed, and whether it was folded."""

Way = tuple[Any, Witness]
"""A state, and a way the record gives it."""


class Distinct:
    """Values kept once per key (a state, or the events placed with a state), in the order met.

    Hashable keys go in a set; a key that cannot be hashed is compared by
    equality with the unhashable keys kept so far.
    """

    def __init__(self) -> None:
        self._hashed: set[Hashable] = set()
        self._unhashable: list[Any] = []
        self._kept: list[tuple[Any, Any]] = []

    def add(self, key: Any, value: Any) -> bool:
        """Keep ``value`` under ``key`` unless the key is kept already; say whether it was new."""
        try:
            if key in self._hashed:
                return False
            self._hashed.add(key)
        except TypeError:
            if any(kept == key for kept in self._unhashable):
                return False
            self._unhashable.append(key)
        self._kept.append((key, value))
        return True

    def __contains__(self, key: Any) -> bool:
        try:
            return key in self._hashed
        except TypeError:
            return any(kept == key for kept in self._unhashable)

    def same_keys(self, other: Distinct) -> bool:
        """Whether ``other`` holds exactly the keys held here."""
        return len(self) == len(other) and all(key in self for key, _ in other)

    def __len__(self) -> int:
        return len(self._kept)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self._kept)


class Budget:
    """The bound on the partial states explored, and the error that says it was reached."""

    def __init__(self, projector: Projector[Any], limit: int) -> None:
        self.projector = projector
        self.limit = limit
        self.spent = 0

    def refuse(self, window: Sequence[Item]) -> TooUncertain:
        """The error naming ``window`` as too uncertain to enumerate."""
        return TooUncertain(
            self.projector.name,
            len(window),
            window[0].earliest.isoformat(),
            max(item.latest for item in window).isoformat(),
            self.limit,
        )

    def spend(self, count: int, window: Sequence[Item]) -> None:
        """Count ``count`` more partial states explored in ``window``; refuse past the limit."""
        self.spent += count
        if self.spent > self.limit:
            raise self.refuse(window)


def windows(items: Sequence[Item]) -> Iterator[list[Item]]:
    """The fold order cut where every event before a cut is known to precede every one after."""
    latests = [item.latest for item in items]
    earliests = [item.earliest for item in items]
    for start, end in spans(latests, earliests):
        yield list(items[start:end])


def spans(latests: Sequence[Day], earliests: Sequence[Day]) -> Iterator[tuple[int, int]]:
    """The windows of events in fold order, given their days, as ``(start, end)`` index ranges.

    Events of equal dates are next to each other in the fold order, and in a known
    order (the log's); events of different dates are in a known order only if their
    dates separate them. So a cut between two runs of equal dates is clean when the
    latest day before it is before the earliest day after it. Days are dates or
    anything ordered like them (their ordinals).
    """
    count = len(latests)
    if not count:
        return
    starts = [0] + [
        index
        for index in range(1, count)
        if latests[index] != latests[index - 1] or earliests[index] != earliests[index - 1]
    ]
    least_after = [earliests[start] for start in starts]
    for group in range(len(starts) - 2, -1, -1):
        least_after[group] = min(least_after[group], least_after[group + 1])
    first, latest = 0, latests[0]
    for group, start in enumerate(starts):
        if start and latest < least_after[group]:
            yield first, start
            first = start
        end = starts[group + 1] if group + 1 < len(starts) else count
        latest = max(latest, latests[end - 1])
    yield first, count


def ambiguous(window: Sequence[Item]) -> bool:
    """Whether a window allows more than one way: dates that differ, or an optional event."""
    return window[0].dates != window[-1].dates or any(item.possible for item in window)


def canonical(window: Iterable[Item]) -> Iterator[Item]:
    """The way ``replay`` folds a window: its certainly-past events, in fold order."""
    return (item for item in window if not item.possible)


@attrs.frozen
class _Order:
    """What a window's dates say of its order, in the form the enumeration reads it.

    Attributes:
        group: For each event, the index of the first event of equal dates.
        later: For each event, the later events that may be placed while it is the
            first unplaced: their earliest day is on or before its latest, and
            their dates differ from its.
        unordered: How many pairs of the window's events are in an unknown order.
    """

    group: list[int]
    later: list[list[int]]
    unordered: int


def _cuts_and_groups(
    latests: Sequence[Day], earliests: Sequence[Day]
) -> tuple[list[int], list[int]]:
    """For each event of a window: the first event it may precede, and the first of equal dates."""
    cut = [bisect.bisect_left(latests, earliest) for earliest in earliests]
    group = [0] * len(latests)
    for index in range(1, len(latests)):
        same = latests[index] == latests[index - 1] and earliests[index] == earliests[index - 1]
        group[index] = group[index - 1] if same else index
    return cut, group


def explored_at_least(latests: Sequence[Day], earliests: Sequence[Day]) -> int:
    """The fewest partial states enumerating a window explores, from its events' days.

    At least as many sets of placed events as antichains: one, plus one an event,
    plus one a pair of events in an unknown order. A window whose bound is past
    the limit is refused before any event is folded.
    """
    cut, group = _cuts_and_groups(latests, earliests)
    return 1 + len(latests) + sum(max(0, g - c) for g, c in zip(group, cut, strict=True))


def _order(window: Sequence[Item]) -> _Order:
    cut, group = _cuts_and_groups(
        [item.latest for item in window], [item.earliest for item in window]
    )
    later: list[list[int]] = [[] for _ in window]
    for index in range(len(window)):
        for first in range(cut[index], group[index]):
            later[first].append(index)
    unordered = sum(max(0, group[index] - cut[index]) for index in range(len(window)))
    return _Order(group, later, unordered)


def enumerate_window(
    projector: Projector[Any],
    window: Sequence[Item],
    start: Way,
    budget: Budget,
    pinned: Collection[Item] = (),
) -> list[Way]:
    """Every distinct state ``window`` gives from one state, each with a way to it.

    A node is the set of the window's events placed so far (a bit mask over the
    window, in fold order) with the state it gives; each node is kept once. An
    event can be placed once every event known to precede it is: those whose
    latest day is before its earliest (a prefix of the fold order), and those of
    equal dates before it. So the next events possible are the first unplaced
    one, and the later ones whose earliest day is on or before its latest. The
    ways that keep the fold order, and leave out the optional events, come first.

    A ``pinned`` event keeps its place in the fold order, after every event
    before it and before every event after it, and is left out if it is optional:
    the way ``replay`` places it.
    """
    order = _order(window)
    if 1 + len(window) + order.unordered > budget.limit:  # see explored_at_least
        raise budget.refuse(window)
    pins = sum(1 << index for index, item in enumerate(window) if item in pinned)
    full = (1 << len(window)) - 1
    frontier = Distinct()
    frontier.add((0, start[0]), start[1])
    for _ in window:
        placed = Distinct()
        for (mask, state), witness in frontier:
            unplaced = full & ~mask
            first = (unplaced & -unplaced).bit_length() - 1
            for index in itertools.chain((first,), order.later[first]):
                if index != first and not _free(index, order.group[index], unplaced, pins):
                    continue
                item, done = window[index], mask | (1 << index)
                if item.possible:
                    placed.add((done, state), (witness, item, False))
                    if pins >> index & 1:
                        continue
                new = projector.apply(state, item.occurrence.event)
                placed.add((done, new), (witness, item, True))
        budget.spend(len(placed), window)
        frontier = placed
    return [(state, witness) for (_, state), witness in frontier]


def _free(index: int, head: int, unplaced: int, pins: int) -> bool:
    """Whether a later event may be placed before the first unplaced one.

    Not if it is placed already, if an event of equal dates before it (from
    ``head``) is unplaced, if it is pinned, or if a pinned event before it is unplaced.
    """
    before = (1 << index) - 1
    return bool(
        unplaced >> index & 1
        and not unplaced & before & ~((1 << head) - 1)
        and not pins >> index & 1
        and not pins & unplaced & before
    )
