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
state. The fold order is cut into windows (:mod:`._windows`); a window with one
way is folded as it comes, so a log without unknown orders is folded once,
event by event, and only the windows with several ways are enumerated, each
state kept once, up to a stated bound (:class:`~chronicle.TooUncertain`).

If the answer is uncertain, the events that split it are found by pinning: an
event is *pinned* when it keeps its place in the fold order (and is left out if
it only possibly happened), as ``replay`` places it. The events of the windows
with several outcomes are tried in fold order; one is pinned for good if the
record, with it and those pinned before it, still allows every state. Those
that could not be pinned are the *undecided* events: pin all the others and
every state is still allowed; pin one of them too, and fewer are.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import attrs

from chronicle._errors import InvalidArgument, TooUncertain
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay._api import iter_timeline
from chronicle._replay._in_force import Occurrence
from chronicle._replay._order import AsOf, KnownAt, as_day
from chronicle._replay._windows import (
    Budget,
    Distinct,
    Item,
    Way,
    ambiguous,
    canonical,
    enumerate_window,
    items_of,
    windows,
)

__all__ = ["DEFAULT_LIMIT", "Possibilities", "Possibility", "explore", "possibilities"]

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


def _distinct(ways: Iterable[Way]) -> list[Way]:
    """The ways to distinct states: the first met of each."""
    kept = Distinct()
    for state, witness in ways:
        kept.add(state, witness)
    return list(kept)


class _Run:
    """The windows of one question, and how to go through them from any of them on."""

    def __init__(self, projector: Projector[Any], items: Sequence[Item], limit: int) -> None:
        self.projector = projector
        self.windows = list(windows(items))
        self.limit = limit
        self.splitting: list[int] = []
        """The windows whose choices give several states from one state, in fold order."""

    def through(
        self, index: int, ways: list[Way], budget: Budget, pinned: Collection[Item] | None
    ) -> list[Way]:
        """The ways after window ``index``, from ``ways``.

        ``pinned=None`` is the first pass: every window with several ways is
        enumerated, and those that give several states from one are noted. After
        it, only those are enumerated (with the events ``pinned``), the others
        folded as ``replay`` folds them: they give one state from each.
        """
        window = self.windows[index]
        if not ambiguous(window) or (pinned is not None and index not in self.splitting):
            events = [item.occurrence.event for item in canonical(window)]
            return _distinct((self.projector.fold(events, state), way) for state, way in ways)
        found: list[Way] = []
        split = False
        for way in ways:
            outcomes = enumerate_window(self.projector, window, way, budget, pinned or ())
            split = split or len(outcomes) > 1
            found += outcomes
        if pinned is None and split:
            self.splitting.append(index)
        return _distinct(found)

    def onward(
        self, index: int, ways: list[Way], pinned: Collection[Item], budget: Budget
    ) -> list[Way]:
        """The ways at the end, from ``ways`` before window ``index``, with ``pinned`` events."""
        for later in range(index, len(self.windows)):
            ways = self.through(later, ways, budget, pinned)
        return ways


def _values(ways: Iterable[Way], view: Callable[[Any], object] | None) -> Distinct:
    """The ways by the value of their state that counts (the state, or its view)."""
    kept = Distinct()
    for state, witness in ways:
        kept.add(state if view is None else view(state), (state, witness))
    return kept


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
    run = _Run(projector, list(items), limit)
    budget = Budget(projector, limit)
    ways: list[Way] = [(projector.initial, None)]
    before: list[Way] = ways
    for index in range(len(run.windows)):
        if not run.splitting:
            before = ways
        ways = run.through(index, ways, budget, None)
    answer = _values(ways, view)
    if len(answer) == 1:
        [(_, (state, _))] = list(answer)
        return Possibilities((Possibility(state),))
    undecided, final = _undecided(
        run, before=before, found=ways, answer=answer, view=view, budget=budget
    )
    return _possibilities(final, undecided, view)


def _undecided(
    run: _Run,
    *,
    before: list[Way],
    found: list[Way],
    answer: Distinct,
    view: Callable[[Any], object] | None,
    budget: Budget,
) -> tuple[list[Item], list[Way]]:
    """The events that cannot be pinned without losing a state, and the ways with the others pinned.

    ``before`` are the ways before the first window that splits, ``found`` those
    at the end with nothing pinned. The search spends the budget the enumeration
    left: where it runs out, every event not yet shown pinnable counts as
    undecided (more events named than strictly needed, never fewer), with the ways
    of ``found``.
    """
    pinned: list[Item] = []
    undecided: list[Item] = []
    ways = before
    try:
        for index in range(run.splitting[0], len(run.windows)):
            if index in run.splitting:
                for item in run.windows[index]:
                    trial = run.onward(index, ways, {*pinned, item}, budget)
                    (pinned if _values(trial, view).same_keys(answer) else undecided).append(item)
            ways = run.through(index, ways, budget, set(pinned))
    except TooUncertain:
        settled = {*pinned, *undecided}
        rest = [
            item for index in run.splitting for item in run.windows[index] if item not in settled
        ]
        return sorted([*undecided, *rest], key=_place(run)), found
    return undecided, ways


def _place(run: _Run) -> Callable[[Item], int]:
    """An item's place in the fold order of ``run``."""
    order = {item: place for place, item in enumerate(i for w in run.windows for i in w)}
    return order.__getitem__


def _possibilities(
    ways: list[Way], undecided: list[Item], view: Callable[[Any], object] | None
) -> Possibilities[Any]:
    """The distinct states by ``view``, each with its undecided events placed and left out."""
    counted = set(undecided)
    states = []
    for _, (state, last) in _values(ways, view):
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
            give) the whole search explores: the enumeration gives up past it
            (:class:`~chronicle.TooUncertain`); the search for the undecided events,
            which spends what the enumeration left, names every event it could not
            yet clear where it runs out.

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
