"""Why a state is what it is: the events that made it, and those whose placement splits it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

import attrs

from chronicle._event import Source
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay._api import iter_timeline
from chronicle._replay._in_force import Occurrence
from chronicle._replay._order import AsOf, KnownAt, as_day
from chronicle._replay._possible import DEFAULT_LIMIT, Possibilities, explore
from chronicle._replay._windows import Item, items_of

__all__ = ["Why", "changes", "why"]

S = TypeVar("S")


@attrs.frozen
class Why(Generic[S]):
    """A replayed state, the events that made it, and what leaves it uncertain.

    Attributes:
        state: The state :func:`~chronicle.replay` gives (the certain policy).
        events: The events that changed it, in fold order (each with its record,
            its correction if any, and its sources): folding them alone from the
            projector's initial state gives ``state``.
        possibilities: Every state the record allows on that date
            (see :func:`~chronicle.possibilities`).
    """

    state: S
    events: tuple[Occurrence, ...]
    possibilities: Possibilities[S]

    @property
    def certain(self) -> bool:
        """Whether the record allows this state only."""
        return self.possibilities.certain

    @property
    def undecided(self) -> tuple[Occurrence, ...]:
        """The events whose unknown order or occurrence splits the answer (none if certain)."""
        return self.possibilities.undecided

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources of :attr:`events` and then of :attr:`undecided`, each once."""
        found = (*self.events, *self.undecided)
        return tuple(dict.fromkeys(source for each in found for source in each.event.sources))


def changes(
    projector: Projector[S], items: Iterable[Item], *, possible: bool = False
) -> tuple[S, tuple[Occurrence, ...]]:
    """The state of ``items`` in fold order, and the events that changed it.

    Only the certainly-past items count, or also the possibly-past ones if ``possible``
    (the policies of :func:`~chronicle.replay`).
    """
    state = projector.initial
    made: list[Occurrence] = []
    for item in items:
        if item.possible and not possible:
            continue
        new = projector.apply(state, item.occurrence.event)
        if new is not state and new != state:
            made.append(item.occurrence)
        state = new
    return state, tuple(made)


def why(
    log: Log,
    projector: Projector[S],
    *,
    as_of: AsOf | None = None,
    known_at: KnownAt | None = None,
    stream: str | None = None,
    view: Callable[[S], object] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Why[S]:
    """The state a replay gives, the events that made it, and those that leave it uncertain.

    An event made the state if folding it changed the state (events that left it
    as it was are not named). If the record allows other states on that date
    (see :func:`~chronicle.possibilities`), :attr:`Why.undecided` names the events
    whose unknown order, or unknown occurrence by then, gives them. The log is
    read once.

    Args:
        log: The log to read.
        projector: The projector.
        as_of: The date asked about (its last day); None: every event.
        known_at: As the record stood at this instant.
        stream: One stream's events, or every stream's.
        view: What two states must differ in to count as two (see
            :func:`~chronicle.possibilities`).
        limit: The bound of :func:`~chronicle.possibilities`.

    Raises:
        TooUncertain: the record allows more orders than ``limit`` lets it explore.
        InvalidArgument: ``limit`` is not a positive int.
        InvalidDate: ``as_of`` is malformed.
        RecordTimeError: ``known_at`` is malformed or naive.
        UnknownStream: ``stream`` names no stream of the log.
    """
    day = None if as_of is None else as_day(as_of)
    found = iter_timeline(log, stream=stream, as_of=day, known_at=known_at, policy="possible")
    items = list(items_of(found, projector, day))
    state, made = changes(projector, items)
    return Why(state, made, explore(items, projector, view=view, limit=limit))
