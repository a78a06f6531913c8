"""Strategies for events: of one declared type, or of every registered type."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from hypothesis import strategies as st

from chronicle._errors import EventTypeError
from chronicle._event import Event, event_type, registered_types
from chronicle.testing._fields import SOURCES, attrs_instances, registered_strategy

__all__ = ["event_classes", "events", "events_of"]

E = TypeVar("E", bound=Event)


def events_of(cls: type[E], **overrides: st.SearchStrategy[Any]) -> st.SearchStrategy[E]:
    """Events of the declared type ``cls``, every field drawn from a strategy.

    Each field's strategy is derived from its type hint and narrowed by the attrs
    validators the kit can read (bounds, choices, lengths, patterns); ``occurred``
    draws from :func:`whens`, ``sources`` none or one lean source. Other validators
    are honoured last: an event the class refuses to construct is drawn again (up to
    8 times) before the draw is rejected. When a class refuses most of what is drawn
    (rules across fields), hypothesis reports a failed health check, and the fix is
    to :func:`register_strategy` a strategy that constructs valid events for the
    class (chronicle's politics domain registers its own, used without importing
    ``chronicle.testing.politics``).

    Args:
        cls: An event class declared with :func:`chronicle.event`.
        **overrides: A strategy for any field, used instead of the derived one.

    Returns:
        The strategy registered for ``cls`` if there is one and no override is given;
        otherwise the derived strategy.

    Raises:
        EventTypeError: ``cls`` is not a declared event type, an override names no
            field of it, or a field's type hint cannot be resolved.

    Example::

        events_of(Appointed, office=st.sampled_from(["president", "prime minister"]))
    """
    event_type(cls)
    for name, strategy in overrides.items():
        if not isinstance(strategy, st.SearchStrategy):
            raise EventTypeError(
                f"events_of({cls.__qualname__}): {name}= must be a hypothesis strategy, "
                f"not {strategy!r}"
            )
    registered = registered_strategy(cls)
    if registered is not None and not overrides:
        return registered
    return attrs_instances(cls, {"sources": SOURCES, **overrides})


def event_classes() -> list[type[Event]]:
    """Every registered domain event class (corrections excluded), by type name."""
    return [
        info.cls
        for _name, info in sorted(registered_types().items())
        if isinstance(info.cls, type) and issubclass(info.cls, Event)
    ]


def events(types: Iterable[type[Event]] | None = None) -> st.SearchStrategy[Event]:
    """Events of every registered type, or of the given ones, each from :func:`events_of`.

    Args:
        types: The event classes to draw; by default every event type registered
            when the strategy is first drawn from.

    Raises:
        EventTypeError: (at the first draw) no event type is registered, or a class
            given is not a declared event type.
    """
    chosen = None if types is None else list(types)

    def every() -> st.SearchStrategy[Event]:
        classes = event_classes() if chosen is None else chosen
        if not classes:
            raise EventTypeError("events(): no event types to draw from")
        return st.one_of([events_of(cls) for cls in classes])

    return st.deferred(every)
