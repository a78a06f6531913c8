"""Projectors: an initial state and one pure handler per event type.

A handler is ``(state, event) -> state``: no I/O, no clock, no mutation of the
state it is given. Dispatch is a dict from event class to handler, filled the
first time a class is met by walking its MRO, so a handler for a base class
serves its subclasses and every later lookup is one dict access.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from typing import Any, Final, Generic, TypeVar

from chronicle._errors import EventTypeError, InvalidArgument, shorten
from chronicle._event import Event

__all__ = ["Handler", "Projector"]

S = TypeVar("S")
E = TypeVar("E", bound=Event)

Handler = Callable[[S, E], S]
"""A pure function from a state and an event to the next state."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


class _Dispatch(dict[type, Callable[[Any, Any], Any] | None]):
    """Event class -> handler (None: unhandled), resolved through the MRO on first use."""

    def __init__(self, handlers: dict[type, Callable[[Any, Any], Any]]) -> None:
        super().__init__()
        self._handlers = handlers

    def __missing__(self, cls: type) -> Callable[[Any, Any], Any] | None:
        handler = next(
            (self._handlers[base] for base in cls.__mro__ if base in self._handlers), None
        )
        self[cls] = handler
        return handler


class _Initial(enum.Enum):
    INITIAL = "INITIAL"


INITIAL: Final = _Initial.INITIAL
"""Stands for a projector's initial state where a state is optional."""


class Projector(Generic[S]):
    """Folds events into a state of type ``S``.

    Args:
        name: A stable dotted name (``"politics.HeadOfState"``): with ``version``, the
            identity under which snapshots of this projector's states are kept.
        initial: The state before any event. It must be immutable.
        version: Raise it whenever a handler changes, so stale snapshots are ignored.
        state_type: The type of its states, as the codec reads and writes them
            (``tuple[Event, ...]``, ``Leader | None``): what durable snapshot
            checkpoints are encoded as, as data. By default the type of ``initial``;
            give it when that type cannot say it (``initial=None``, an empty tuple
            of events).

    Raises:
        InvalidArgument: the name is not dotted identifiers, or the version is not
            an int >= 1.

    Example::

        head = Projector("example.Head", initial=None)

        @head.on(Installed)
        def _installed(state, event):
            return event.name
    """

    def __init__(self, name: str, initial: S, *, version: int = 1, state_type: Any = None) -> None:
        if not _NAME.fullmatch(name):
            raise InvalidArgument(f"projector name {shorten(name)} must be dotted identifiers")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise InvalidArgument(
                f"projector {name!r}: version must be an int >= 1, not {shorten(version)}"
            )
        self.name = name
        self.version = version
        self.initial = initial
        self.state_type: Any = type(initial) if state_type is None else state_type
        """The type of the projector's states, for the codec (see the class's arguments)."""
        self._handlers: dict[type, Callable[[Any, Any], Any]] = {}
        self._dispatch = _Dispatch(self._handlers)

    def __repr__(self) -> str:
        return f"Projector({self.name!r}, version={self.version})"

    def on(self, event_type: type[E]) -> Callable[[Handler[S, E]], Handler[S, E]]:
        """Register the decorated function as the handler of ``event_type`` and its subclasses.

        Raises:
            EventTypeError: ``event_type`` is not an Event class, or already has a handler here.
        """
        if not (isinstance(event_type, type) and issubclass(event_type, Event)):
            raise EventTypeError(f"{self.name}: handlers are for Event classes, not {event_type!r}")
        if event_type in self._handlers:
            raise EventTypeError(f"{self.name}: {event_type.__qualname__} already has a handler")

        def register(handler: Handler[S, E]) -> Handler[S, E]:
            self._handlers[event_type] = handler
            self._dispatch.clear()
            return handler

        return register

    @property
    def handled(self) -> frozenset[type[Event]]:
        """The event classes with a handler of their own."""
        return frozenset(self._handlers)

    def handler_for(self, event_class: type[Event]) -> Callable[[S, Any], S] | None:
        """The handler that applies to ``event_class`` (through its MRO), or None."""
        return self._dispatch[event_class]

    def apply(self, state: S, event: Event) -> S:
        """The state after ``event``: its handler's result, or ``state`` if unhandled."""
        handler = self._dispatch[type(event)]
        return state if handler is None else handler(state, event)

    def fold(self, events: Iterable[Event], state: S | _Initial = INITIAL) -> S:
        """Apply ``events`` in the order given, from ``state`` (by default the initial state).

        This is the naive fold: it does not sort. :func:`chronicle.replay` orders a
        log's events by valid time first.
        """
        current: S = self.initial if isinstance(state, _Initial) else state
        dispatch = self._dispatch
        for event in events:
            handler = dispatch[type(event)]
            if handler is not None:
                current = handler(current, event)
        return current
