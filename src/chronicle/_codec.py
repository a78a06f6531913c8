"""The stored form of entries: one cattrs converter, upcasters, and the JSON shapes.

An entry is stored as ``{"type": name, "v": version, "data": {...}}``: ``When``
values as their EDTF strings, dates and datetimes as ISO strings, UUIDs as
strings, tuples and frozensets as lists (frozensets sorted, so the stored form
is deterministic and diffs well). Fields still at their default are omitted.

Stored bytes are never rewritten: an old payload passes through the chain of
upcasters registered for its type on every read.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple, TypeVar
from uuid import UUID

import cattrs

from chronicle._errors import (
    ChronicleError,
    CorruptLog,
    EventTypeError,
    InvalidEvent,
    UnknownEventType,
    UpcastError,
)
from chronicle._event import (
    Corrected,
    Correction,
    Entry,
    Event,
    InapplicableCorrection,
    UnknownEvent,
    event_type,
    lookup,
)
from chronicle._record import Record
from chronicle._when import When

__all__ = [
    "StoredEntry",
    "decode",
    "encode",
    "from_json",
    "json_text",
    "record_from_dict",
    "record_to_dict",
    "stored_entry",
    "to_json",
    "upcaster",
]


def _sorted_list(items: Iterable[Any]) -> list[Any]:
    """Set members in a stable order, so the stored form is deterministic."""
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))


converter = cattrs.Converter(
    omit_if_default=True,
    forbid_extra_keys=True,
    unstruct_collection_overrides={AbstractSet: _sorted_list, Sequence: list},
)
"""The one converter chronicle uses; never cattrs' global one."""


def _structure_datetime(value: str, _: type) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"datetime {value!r} has no time zone")
    return moment


converter.register_unstructure_hook(When, str)
converter.register_structure_hook(When, lambda value, _: When(value))
converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
converter.register_structure_hook(
    datetime.date, lambda value, _: datetime.date.fromisoformat(value)
)
converter.register_unstructure_hook(datetime.datetime, datetime.datetime.isoformat)
converter.register_structure_hook(datetime.datetime, _structure_datetime)
converter.register_unstructure_hook(UUID, str)
converter.register_structure_hook(UUID, lambda value, _: UUID(value))

Payload = dict[str, Any]
"""A stored payload: the ``data`` object of an entry, as JSON gives it."""
Upcaster = Callable[[Payload], Payload]
"""Turns a payload of schema version n into one of version n + 1."""

_upcasters: dict[tuple[str, int], Upcaster] = {}
U = TypeVar("U", bound=Upcaster)


def upcaster(name: str, *, from_version: int) -> Callable[[U], U]:
    """Register a function that turns a ``name`` payload of ``from_version`` into the next one.

    A payload stored at version n is read by applying the upcasters for n,
    n + 1, ... up to the class's current version. The function receives the
    stored ``data`` object (a fresh copy) and returns the new one.

    Example::

        @chronicle.upcaster("politics.coup_occurred", from_version=1)
        def _add_successful(data):
            return {**data, "successful": True}
    """

    def register(function: U) -> U:
        key = (name, from_version)
        if key in _upcasters:
            raise EventTypeError(f"an upcaster for {name!r} version {from_version} already exists")
        _upcasters[key] = function
        return function

    return register


def encode(entry: Entry) -> dict[str, Any]:
    """The stored form ``{"type", "v", "data"}`` of an entry.

    Raises:
        EventTypeError: the entry's class is not registered.
    """
    if isinstance(entry, UnknownEvent):
        return {"type": entry.type_name, "v": entry.schema_version, "data": entry.data}
    if isinstance(entry, InapplicableCorrection):
        return _encode_inapplicable(entry)
    info = event_type(entry)
    return {"type": info.name, "v": info.version, "data": converter.unstructure(entry)}


def to_json(entry: Entry) -> str:
    """The stored form of an entry as compact JSON text (keys in field order)."""
    return json.dumps(encode(entry), ensure_ascii=False, separators=(",", ":"))


def json_text(value: Any, what: str) -> str:
    """``value`` as compact JSON text that UTF-8 can hold, as every store writes it.

    Raises:
        InvalidEvent: ``value`` (the stored form of ``what``) holds something JSON
            cannot carry: an object of an unknown kind, a NaN or an infinity, a
            lone surrogate.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        text.encode("utf-8")
    except (TypeError, ValueError) as error:  # UnicodeEncodeError is a ValueError
        raise InvalidEvent(f"cannot store {what}: {error}") from error
    return text


class StoredEntry(NamedTuple):
    """An entry as every store keeps it: its type, schema version, payload, and valid time.

    The log makes it once per entry, before the store is asked to append, so
    that every store, the memory store included, refuses exactly the same
    entries, and none encodes an entry twice.
    """

    type: str
    """The entry's registered type name."""
    v: int
    """Its schema version."""
    data: str
    """The payload as compact JSON text."""
    earliest: datetime.date | None
    """An event's ``occurred.earliest`` (None for a correction)."""
    latest: datetime.date | None
    """An event's ``occurred.latest`` (None for a correction)."""


def stored_entry(entry: Entry, what: str = "the entry") -> StoredEntry:
    """The stored form of ``entry``, checked to be storable.

    Raises:
        EventTypeError: the entry's class is not registered.
        InvalidEvent: the entry holds a value JSON cannot store (``what`` names it).
    """
    stored = encode(entry)
    data = json_text(stored["data"], what)
    if isinstance(entry, Event):
        occurred = entry.occurred
        return StoredEntry(stored["type"], stored["v"], data, occurred.earliest, occurred.latest)
    return StoredEntry(stored["type"], stored["v"], data, None, None)


def _unknown(name: str, version: int, data: Payload) -> UnknownEvent:
    occurred = data.get("occurred")
    if not isinstance(occurred, str):
        raise CorruptLog(f"entry of unknown type {name!r} has no 'occurred' date")
    return UnknownEvent(
        occurred=When(occurred),
        type_name=name,
        schema_version=version,
        data_json=json.dumps(data, ensure_ascii=False, sort_keys=True),
    )


def _upcast(name: str, stored: int, current: int, data: Payload) -> Payload:
    for version in range(stored, current):
        step = _upcasters.get((name, version))
        if step is None:
            raise UpcastError(
                f"{name!r}: no upcaster from version {version} to {version + 1} "
                f"(stored version {stored}, current {current})"
            )
        try:
            data = step(dict(data))
        except Exception as error:
            raise UpcastError(
                f"{name!r}: upcaster from version {version} failed: {error}"
            ) from error
    return data


def _describe(error: BaseException, cls: type | None) -> str:
    """A cattrs error line that keeps chronicle's own message (it names the bad value)."""
    if isinstance(error, ChronicleError):
        return str(error)
    return cattrs.v.format_exception(error, cls)


def decode(stored: Any, *, strict: bool = False) -> Entry:
    """The entry of a stored form ``{"type", "v", "data"}``.

    Args:
        stored: The decoded JSON object.
        strict: Raise :class:`UnknownEventType` for a type name (or a newer schema
            version) this program does not know, instead of returning an
            :class:`UnknownEvent`.

    Raises:
        CorruptLog: the object is not a stored entry, or its payload does not fit its type.
        UnknownEventType: in strict mode, an unknown type or newer version.
        UpcastError: an old version with no way up to the current one.
    """
    try:
        name, version, data = stored["type"], stored["v"], stored["data"]
    except (KeyError, TypeError):
        raise CorruptLog(
            f"not a stored entry (needs 'type', 'v', 'data'): {stored!r:.200}"
        ) from None
    if not (isinstance(name, str) and isinstance(version, int) and isinstance(data, dict)):
        raise CorruptLog(f"malformed stored entry: {stored!r:.200}")
    info = lookup(name)
    if info is None or version > info.version:
        what = (
            f"unknown event type {name!r}"
            if info is None
            else f"event type {name!r} version {version} is newer than this program's "
            f"{info.version}"
        )
        if strict:
            raise UnknownEventType(what)
        return _unknown(name, version, data)
    if version < info.version:
        data = _upcast(name, version, info.version, data)
    try:
        return converter.structure(data, info.cls)
    except Exception as error:
        detail = (
            "; ".join(cattrs.transform_error(error, format_exception=_describe))
            if isinstance(error, cattrs.BaseValidationError)
            else str(error)
        )
        raise CorruptLog(f"cannot decode {name!r} v{version}: {detail}") from error


# A field declared as the Event base (a correction's replacement) holds any registered
# event: it is stored in the full {"type", "v", "data"} form. The predicates match the
# declared type exactly, so encoding a concrete event class is not affected.
converter.register_unstructure_hook_func(lambda cls: cls is Event, encode)
converter.register_structure_hook_func(lambda cls: cls is Event, lambda value, _: decode(value))

_structure_corrected = converter.gen_structure_attrs_fromdict(Corrected)


def _corrected(data: Any, _: type) -> Correction:
    """A stored correction; one whose replacement is itself a correction corrects nothing.

    Such a record cannot be made any more, but a log may hold one: it is read
    as an :class:`InapplicableCorrection`, so that the log stays readable.
    """
    replacement = data.get("replacement") if isinstance(data, dict) else None
    name = replacement.get("type") if isinstance(replacement, dict) else None
    kind = lookup(name) if isinstance(name, str) else None
    if kind is None or not issubclass(kind.cls, Correction):
        return _structure_corrected(data, Corrected)
    fields = {key: value for key, value in data.items() if key != "replacement"}
    fields["replacement_json"] = json.dumps(replacement, ensure_ascii=False)
    return converter.structure(fields, InapplicableCorrection)


def _encode_inapplicable(entry: InapplicableCorrection) -> dict[str, Any]:
    """What an :class:`InapplicableCorrection` was read from: a ``chronicle.corrected`` entry."""
    data = converter.unstructure(entry, InapplicableCorrection)
    data["replacement"] = json.loads(data.pop("replacement_json"))
    info = event_type(Corrected)
    return {"type": info.name, "v": info.version, "data": data}


converter.register_structure_hook(Corrected, _corrected)


def from_json(text: str | bytes, *, strict: bool = False) -> Entry:
    """The entry of a stored JSON text (see :func:`decode`)."""
    try:
        stored = json.loads(text)
    except ValueError as error:
        raise CorruptLog(f"not JSON: {error}") from error
    return decode(stored, strict=strict)


def record_to_dict(record: Record) -> dict[str, Any]:
    """The stored form of a whole record, as JSON Lines and exports write it.

    Keys: ``position``, ``stream``, ``version``, ``recorded_at`` (ISO 8601, UTC),
    ``id``, then the entry's ``type``, ``v`` and ``data``.
    """
    return {
        "position": record.position,
        "stream": record.stream,
        "version": record.version,
        "recorded_at": record.recorded_at.isoformat(),
        "id": str(record.id),
        **encode(record.event),
    }


def record_from_dict(stored: Any, *, strict: bool = False) -> Record:
    """The record of a stored form written by :func:`record_to_dict`.

    Raises:
        CorruptLog: a field is missing or malformed, or the entry does not decode.
        UnknownEventType: in strict mode, an entry type this program does not know.
    """
    try:
        position, stream, version = stored["position"], stored["stream"], stored["version"]
        recorded_at = _structure_datetime(stored["recorded_at"], datetime.datetime)
        record_id = UUID(stored["id"])
    except (KeyError, TypeError, ValueError) as error:
        raise CorruptLog(f"not a stored record: {error!s}") from None
    if not (isinstance(position, int) and isinstance(version, int) and isinstance(stream, str)):
        raise CorruptLog(f"malformed record header: {stored!r:.200}")
    return Record(record_id, stream, version, position, recorded_at, decode(stored, strict=strict))
