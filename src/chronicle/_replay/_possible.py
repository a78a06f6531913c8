"""Every state the record allows at a date, and the events whose placement splits them.

The fold order gives one answer; the record may allow several. The rules:

- An event *certainly* happened by day D if its latest day is on or before D,
  *possibly* if only its earliest day is.
- Two events are in a known order when their dates separate them (one's latest
  day is before the other's earliest), or when their dates are equal (same
  earliest and latest day: then the log's order, by position, stands);
  otherwise their order is unknown.
- The possible states at D are the distinct states over every choice of the
  possibly-happened events and every order of the chosen ones that keeps the
  known orders. The fold order, less the possibly-happened events, is one such
  order: ``replay(policy="certain")`` gives one of the possible states.

Only the events the projector handles are read: the others cannot change its
state. The enumeration is kept small: the events are cut into *windows*, runs
of the fold order such that every event of a window is in a known order with
every event of the others; a window of one event, or of events of equal dates,
has one order and is folded as it comes (so a log without unknown orders is
folded once, event by event). A window with several orders is enumerated as
the sets of its events placed so far with the state they give, each pair kept
once, and the enumeration stops with :class:`~chronicle.TooUncertain` past a
stated number of pairs.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import attrs

from chronicle._errors import InvalidArgument, TooUncertain
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay._api import iter_timeline
from chronicle._replay._in_force import Occurrence
from chronicle._replay._order import AsOf, KnownAt, as_day

__all__ = [
    "DEFAULT_LIMIT",
    "Item",
    "Possibilities",
    "Possibility",
    "explore",
    "items_of",
    "possibilities",
]

S = TypeVar("S")

DEFAULT_LIMIT = 100_000
"""The most partial states (events placed so far, and the state they give) explored by default."""


@attrs.frozen
class Possibility(Generic[S]):
    """One state the record allows, and one way the record gives it.

    Attributes:
        state: The state.
        order: The undecided events (see :attr:`Possibilities.undecided`) this way
            folds, in the order it folds them.
        omitted: The undecided events it leaves out: they possibly happened by the
            date asked about, and here they had not.
    """

    state: S
    order: tuple[Occurrence, ...] = ()
    omitted: tuple[Occurrence, ...] = ()


@attrs.frozen
class Possibilities(Generic[S]):
    """Every distinct state the record allows at a date.

    Attributes:
        states: Each distinct state (distinct by ``view``, if one was given) with a
            way the record gives it. The first is the state ``replay`` gives (the
            certain policy: the events certainly past, in fold order).
        undecided: The events whose unknown order, or unknown occurrence by the
            date, gives more than one state: those of every window of the fold
            order whose choices give different states, in fold order. Empty when
            the answer is certain.
    """

    states: tuple[Possibility[S], ...]
    undecided: tuple[Occurrence, ...] = ()

    @property
    def certain(self) -> bool:
        """Whether the record allows one state only."""
        return len(self.states) == 1

    @property
    def replayed(self) -> S:
        """The state ``replay(policy="certain")`` gives: one of the possible states."""
        return self.states[0].state

    def __len__(self) -> int:
        return len(self.states)

    def __iter__(self) -> Iterator[Possibility[S]]:
        return iter(self.states)


@attrs.frozen(eq=False)
class Item:
    """An event the enumeration places: its occurrence, dates, and whether it is optional.

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
        """Its bounds, ``(latest, earliest)``: equal bounds keep the log's order."""
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
"""A way to a state: the previous way, the event placed, and whether it was folded (a chain)."""


class _Distinct:
    """Values kept once per key (a state, or the events placed with a state), in the order met.

    Hashable keys go in a dict; a key that cannot be hashed is compared by
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

    def __len__(self) -> int:
        return len(self._kept)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self._kept)


class _Budget:
    """The bound on the partial states explored, shared by every window of one question."""

    def __init__(self, projector: Projector[Any], limit: int) -> None:
        self.projector = projector
        self.limit = limit
        self.spent = 0

    def refuse(self, window: Sequence[Item]) -> TooUncertain:
        return TooUncertain(
            self.projector.name,
            len(window),
            window[0].earliest.isoformat(),
            max(item.latest for item in window).isoformat(),
            self.limit,
        )

    def spend(self, count: int, window: Sequence[Item]) -> None:
        self.spent += count
        if self.spent > self.limit:
            raise self.refuse(window)


def _windows(items: Sequence[Item]) -> Iterator[list[Item]]:
    """The fold order cut where every event before a cut is known to precede every one after.

    Events of equal dates are next to each other in the fold order, and in a known
    order (the log's); events of different dates are in a known order only if their
    dates separate them. So a cut between two runs of equal dates is clean when the
    latest day before it is before the earliest day after it.
    """
    if not items:
        return
    starts = [0] + [
        index for index in range(1, len(items)) if items[index].dates != items[index - 1].dates
    ]
    least_after: list[datetime.date] = [datetime.date.max] * (len(starts) + 1)
    for group in range(len(starts) - 1, -1, -1):
        least_after[group] = min(least_after[group + 1], items[starts[group]].earliest)
    first, latest = 0, datetime.date.min
    for group, start in enumerate(starts):
        if start and latest < least_after[group]:
            yield list(items[first:start])
            first = start
        end = starts[group + 1] if group + 1 < len(starts) else len(items)
        latest = max(latest, items[end - 1].latest)
    yield list(items[first:])


def _ambiguous(window: Sequence[Item]) -> bool:
    """Whether a window allows more than one way: dates that differ, or an optional event."""
    return window[0].dates != window[-1].dates or any(item.possible for item in window)


def _fold(projector: Projector[Any], state: Any, window: Iterable[Item]) -> Any:
    return projector.fold((item.occurrence.event for item in window), state)


def _enumerate(
    projector: Projector[Any],
    window: Sequence[Item],
    start: tuple[Any, Witness],
    budget: _Budget,
) -> list[tuple[Any, Witness]]:
    """Every distinct state ``window`` gives from one state, each with a way to it.

    A node is the set of the window's events placed so far (a bit mask over the
    window, in fold order) with the state it gives; each node is kept once. An
    event can be placed once every event known to precede it is: those whose
    latest day is before its earliest (a prefix of the fold order, up to its
    ``cut``), and those of equal dates before it. So the next events possible are
    the first unplaced one, ``first``, and the later ones whose earliest day is on
    or before ``first``'s latest (``later[first]``). The ways that keep the fold
    order, and leave out the optional events, come first.
    """
    size = len(window)
    latests = [item.latest for item in window]
    cut = [bisect.bisect_left(latests, item.earliest) for item in window]
    group = [0] * size
    for index in range(1, size):
        same = window[index].dates == window[index - 1].dates
        group[index] = group[index - 1] if same else index
    unordered = sum(max(0, group[index] - cut[index]) for index in range(size))
    if 1 + size + unordered > budget.limit:
        # as many sets of placed events as antichains, at least: 1 + size + unordered
        raise budget.refuse(window)
    later: list[list[int]] = [[] for _ in window]
    for index in range(size):
        for first in range(cut[index], group[index]):
            later[first].append(index)
    full = (1 << size) - 1
    frontier = _Distinct()
    frontier.add((0, start[0]), start[1])
    for _ in window:
        placed = _Distinct()
        for (mask, state), witness in frontier:
            unplaced = full & ~mask
            first = (unplaced & -unplaced).bit_length() - 1
            for index in itertools.chain((first,), later[first]):
                if mask >> index & 1:
                    continue
                head = group[index]
                if index != first and (unplaced >> head) & ((1 << (index - head)) - 1):
                    continue  # an event of equal dates before it is still to place
                item, done = window[index], mask | (1 << index)
                if item.possible:
                    placed.add((done, state), (witness, item, False))
                new = projector.apply(state, item.occurrence.event)
                placed.add((done, new), (witness, item, True))
        budget.spend(len(placed), window)
        frontier = placed
    return [(state, witness) for (_, state), witness in frontier]


def explore(
    items: Iterable[Item],
    projector: Projector[S],
    *,
    view: Callable[[S], object] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Possibilities[S]:
    """The possible states of ``projector`` over ``items`` (in fold order): see the module.

    Raises:
        TooUncertain: a window has more ways than ``limit`` partial states explored.
        InvalidArgument: ``limit`` is not a positive int.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidArgument(f"limit must be a positive int, not {limit!r:.80}")
    budget = _Budget(projector, limit)
    ways: list[tuple[Any, Witness]] = [(projector.initial, None)]
    undecided: list[Item] = []
    for window in _windows(list(items)):
        if not _ambiguous(window):
            ways = [(_fold(projector, state, window), witness) for state, witness in ways]
        else:
            outcomes: list[tuple[Any, Witness]] = []
            split = False
            for way in ways:
                found = _enumerate(projector, window, way, budget)
                split = split or len(found) > 1
                outcomes += found
            ways = outcomes
            if split:
                undecided += window
        if len(ways) > 1:
            distinct = _Distinct()
            for state, witness in ways:
                distinct.add(state, witness)
            ways = list(distinct)
    return _answer(ways, undecided, view)


def _answer(
    ways: list[tuple[Any, Witness]], undecided: list[Item], view: Callable[[Any], object] | None
) -> Possibilities[Any]:
    """The distinct states by ``view``, each with its undecided events placed and left out."""
    kept = _Distinct()
    for state, witness in ways:
        kept.add(state if view is None else view(state), (state, witness))
    if len(kept) == 1:
        [(_, (state, _))] = list(kept)
        return Possibilities((Possibility(state),))
    counted = set(undecided)
    states = []
    for _, (state, last) in kept:
        steps: list[tuple[Item, bool]] = []
        witness = last
        while witness is not None:
            witness, item, folded = witness
            if item in counted:
                steps.append((item, folded))
        steps.reverse()
        states.append(
            Possibility(
                state,
                tuple(item.occurrence for item, folded in steps if folded),
                tuple(item.occurrence for item, folded in steps if not folded),
            )
        )
    return Possibilities(tuple(states), tuple(item.occurrence for item in undecided))


def possibilities(
    log: Log,
    projector: Projector[S],
    *,
    as_of: AsOf | None = None,
    known_at: KnownAt | None = None,
    stream: str | None = None,
    view: Callable[[S], object] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Possibilities[S]:
    """Every distinct state the record allows at the end of ``as_of``, with why each.

    An event certainly happened by ``as_of`` if its latest day is on or before it,
    possibly if only its earliest day is. Two events are in a known order when
    their dates separate them (one's latest day is before the other's earliest),
    or when their dates are equal (then the log's order stands); otherwise their
    order is unknown. The possible states are the distinct states over every
    choice of the possibly-happened events and every order of the chosen ones that
    keeps the known orders. ``replay(policy="certain")`` is one of them: the
    first. The answer is certain when there is one.

    Only the events the projector handles count. The log is read once; the events
    whose order is known are folded once, and only the windows of the fold order
    with several orders are enumerated, each state kept once.

    Args:
        log: The log to read.
        projector: The projector whose states are asked for.
        as_of: The date asked about (its last day): a date, a When or EDTF text.
            None: every event, each certainly past.
        known_at: As the record stood at this instant (see :func:`replay`).
        stream: One stream's events, or every stream's.
        view: What two states must differ in to count as two (a function of a
            state, such as ``lambda state: state.current``); by default, the
            whole state. States are compared by hash where they are hashable,
            else by equality.
        limit: The most partial states (events placed so far, and the state they
            give) the enumeration explores before giving up.

    Raises:
        TooUncertain: the record allows more orders than ``limit`` lets it explore.
        InvalidArgument: ``limit`` is not a positive int.
        InvalidDate: ``as_of`` is malformed.
        RecordTimeError: ``known_at`` is malformed or naive.
        UnknownStream: ``stream`` names no stream of the log.
    """
    day = None if as_of is None else as_day(as_of)
    found = iter_timeline(log, stream=stream, as_of=day, known_at=known_at, policy="possible")
    return explore(items_of(found, projector, day), projector, view=view, limit=limit)
