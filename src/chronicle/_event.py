"""Events: immutable facts about the world, each registered under a stable type name.

An event class is declared once with :func:`event`, which makes it a frozen,
slotted, keyword-only attrs class and registers it under a name and a schema
version. The name, not the Python class, is what the log stores, so a class
can be renamed or moved without breaking stored logs.

Two entries of the log are not facts about the world but about the log itself:
:class:`Retracted` and :class:`Corrected`. They share the base class
:class:`Correction`, and are never handed to projectors: replay applies them.
"""

from __future__ import annotations

import datetime
import json
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, TypeVar, dataclass_transform
from uuid import UUID

import attrs

from chronicle._errors import CorrectionError, EventTypeError
from chronicle._fieldtypes import non_blank, typed_fields
from chronicle._when import When, to_when

__all__ = [
    "Corrected",
    "Correction",
    "Entry",
    "Event",
    "EventType",
    "InapplicableCorrection",
    "Retracted",
    "Source",
    "UnknownEvent",
    "check_replacement",
    "event",
    "event_type",
    "registered_types",
]

_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_MUTABLE = (list, dict, set, bytearray)


def _optional_when(value: When | datetime.date | str | None) -> When | None:
    return None if value is None else to_when(value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Source:
    """Where a fact comes from: a publication, a dataset row, a named witness.

    Attributes:
        publisher: Who published it (a newspaper, a data project). Must not be empty.
        title: The title of the piece or the name of the dataset and its version.
        url: Where to find it, if it has an address.
        published: When it was published, at the precision known.
        note: Anything a reader of the chronology should know about this source's claim
            (a misspelt name, a disputed figure).
    """

    publisher: str = attrs.field(validator=non_blank)
    title: str = ""
    url: str | None = None
    published: When | None = attrs.field(default=None, converter=_optional_when)
    note: str = ""


T = TypeVar("T")


def _sources(sources: Iterable[Source]) -> tuple[Source, ...]:
    """The sources as a tuple (a typed converter: ``converter=tuple`` hides the type)."""
    return tuple(sources)


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(attrs.field,))
def _frozen(cls: type[T]) -> type[T]:
    return attrs.frozen(kw_only=True, field_transformer=typed_fields)(cls)


@_frozen
class Event:
    """Base class of every domain event: something that happened in the world.

    Subclasses are declared with :func:`event`. Every event has a valid time,
    ``occurred`` (an EDTF :class:`~chronicle.When`; a :class:`datetime.date` or an
    EDTF string is converted), and may carry its ``sources``.
    """

    occurred: When = attrs.field(converter=to_when)
    sources: tuple[Source, ...] = attrs.field(default=(), converter=tuple)

    __chronicle_type__: ClassVar[EventType]


@attrs.frozen
class EventType:
    """The stored identity of an entry class: its type name and current schema version."""

    name: str
    version: int
    cls: type[Entry]


_registry: dict[str, EventType] = {}


def _register(cls: type[Entry], name: str, version: int) -> None:
    if not _NAME.fullmatch(name):
        raise EventTypeError(
            f"event type name {name!r} must be dotted lower-case words "
            "such as 'politics.coup_occurred'"
        )
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise EventTypeError(f"event type {name!r}: version must be an int >= 1, not {version!r}")
    known = _registry.get(name)
    if known is not None and (known.cls.__module__, known.cls.__qualname__) != (
        cls.__module__,
        cls.__qualname__,
    ):
        raise EventTypeError(
            f"event type name {name!r} is already registered to "
            f"{known.cls.__module__}.{known.cls.__qualname__}"
        )
    info = EventType(name, version, cls)
    cls.__chronicle_type__ = info
    _registry[name] = info


def _check_immutable_fields(cls: type[Any]) -> None:
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):  # a forward reference we cannot resolve: nothing to check
        return
    for field in attrs.fields(cls):
        hint = hints.get(field.name)
        origin = typing.get_origin(hint) or hint
        if isinstance(origin, type) and issubclass(origin, _MUTABLE):
            raise EventTypeError(
                f"{cls.__qualname__}.{field.name} is a {origin.__name__}: event fields must be "
                "immutable (use tuple or frozenset)"
            )


E = TypeVar("E", bound=Event)


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(attrs.field,))
def event(name: str, *, version: int = 1) -> Callable[[type[E]], type[E]]:
    """Declare an event class: frozen, slotted, keyword-only attrs, registered as ``name``.

    Args:
        name: The stable type name stored in the log, dotted lower-case words
            (``"politics.coup_occurred"``). Renaming the class does not change it.
        version: The schema version of the payload. Raise it when the fields change,
            and register an :func:`~chronicle.upcaster` from the previous version.

    Raises:
        EventTypeError: the class is not an :class:`Event` subclass, a field type is
            mutable, or the name is malformed or already taken by another class.

    Example::

        @chronicle.event("politics.coup_occurred", version=1)
        class CoupOccurred(chronicle.Event):
            ousted: str
            seized_by: str
    """

    def declare(cls: type[E]) -> type[E]:
        if not (isinstance(cls, type) and issubclass(cls, Event)):
            raise EventTypeError(f"@event({name!r}) decorates Event subclasses, not {cls!r}")
        made = _frozen(cls)
        _check_immutable_fields(made)
        _register(made, name, version)
        return made

    return declare


def event_type(cls_or_entry: type[Entry] | Entry) -> EventType:
    """The registered :class:`EventType` of an entry class or instance.

    Raises:
        EventTypeError: the class was not declared with :func:`event`.
    """
    cls = cls_or_entry if isinstance(cls_or_entry, type) else type(cls_or_entry)
    info: EventType | None = getattr(cls, "__chronicle_type__", None)
    if info is None or info.cls is not cls:
        raise EventTypeError(
            f"{cls.__qualname__} is not a registered event type: declare it with"
            f" @chronicle.event('a.type_name') on the line above 'class {cls.__qualname__}'"
        )
    return info


def registered_types() -> Mapping[str, EventType]:
    """Every registered entry type by name, read-only.

    A snapshot, not a live view: a :class:`types.MappingProxyType` of a copy, so it
    neither changes when a type is declared later nor lets a caller change the
    registry (assigning to it is a ``TypeError``).
    """
    return types.MappingProxyType(_registry.copy())


def lookup(name: str) -> EventType | None:
    """The entry type registered as ``name``, if any."""
    return _registry.get(name)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Correction:
    """Base class of the log's own entries, which amend an earlier event record.

    Attributes:
        target: The id of the record amended. It must be an event (not a correction)
            of the same stream, appended earlier or earlier in the same append.
        reason: Why, in words a reader of the chronology understands.
        sources: What the correction rests on.
    """

    target: UUID
    reason: str = attrs.field(validator=non_blank)
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_sources)

    __chronicle_type__: ClassVar[EventType]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Retracted(Correction):
    """Removes its target from every replay that knows of the retraction."""


def check_replacement(value: object) -> None:
    """Raise unless ``value`` can replace an event: an event of a registered type.

    (Or an :class:`UnknownEvent`, read from a newer program's log.)

    Raises:
        CorrectionError: ``value`` is not an event (a correction, say).
        EventTypeError: its class is not registered.
    """
    if isinstance(value, Correction) or not isinstance(value, Event):
        raise CorrectionError(
            f"a correction's replacement must be an event, not {type(value).__name__}: "
            "to remove an event, retract it; to amend a correction, correct its target again"
        )
    if not isinstance(value, UnknownEvent):
        event_type(value)


def _an_event(_instance: Corrected, _attribute: attrs.Attribute[Event], value: object) -> None:
    check_replacement(value)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Corrected(Correction):
    """Replaces its target by ``replacement`` in every replay that knows of the correction.

    Raises:
        CorrectionError: the replacement is not an event (a correction, say).
        EventTypeError: the replacement's class is not registered.
    """

    replacement: Event = attrs.field(validator=_an_event)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class InapplicableCorrection(Correction):
    """A stored ``Corrected`` whose replacement is not an event: it corrects nothing.

    chronicle refuses to make such a correction, but a log written before it did,
    or by hand, may hold one. Reading it gives this entry instead of failing, so
    the log stays readable: replay ignores it (its target stays as it was),
    ``chronicle verify`` reports it, and re-encoding it writes back what was read.

    Attributes:
        replacement_json: The stored replacement, as JSON text.
    """

    replacement_json: str


_register(Retracted, "chronicle.retracted", 1)
_register(Corrected, "chronicle.corrected", 1)


@_frozen
class UnknownEvent(Event):
    """A stored event of a type this program does not know (written by a newer program).

    Handlers of particular event types never receive it: projectors skip it. A
    handler registered on :class:`Event` itself, which serves every event,
    receives it too, so a catch-all's state does not depend on which types the
    reading program knows. Re-encoding it writes back exactly what was read, so
    a program that copies a log loses nothing it does not understand.
    """

    type_name: str
    schema_version: int
    data_json: str

    @property
    def data(self) -> dict[str, Any]:
        """The stored payload, decoded from JSON."""
        return typing.cast("dict[str, Any]", json.loads(self.data_json))


Entry = Event | Correction
"""What a log record holds: a domain event, or a correction of an earlier record."""
