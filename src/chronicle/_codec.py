"""The stored form of entries: one cattrs converter, upcasters, and the JSON shapes.

An entry is stored as ``{"type": name, "v": version, "data": {...}}``: ``When``
values as their EDTF strings, dates and datetimes as ISO strings, UUIDs as
strings, tuples and frozensets as lists (frozensets sorted, so the stored form
is deterministic and diffs well). Fields still at their default are omitted.

Decoding is strict: a value of the wrong JSON type is refused, never converted
(``"false"`` is not ``False``, ``null`` is not ``"None"``), so decoding accepts
exactly the values construction does. The hooks are in :mod:`chronicle._strict`.

Stored bytes are never rewritten: an old payload passes through the chain of
upcasters registered for its type on every read.
"""

from __future__ import annotations

import datetime
import json
import typing
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple, TypeVar

import cattrs

from chronicle import _json as _json_module
from chronicle._errors import (
    ChronicleError,
    CorruptLog,
    EventTypeError,
    InvalidDate,
    UnknownEventType,
    UpcastError,
    shorten,
)
from chronicle._event import (
    Corrected,
    Correction,
    Entry,
    Event,
    InapplicableCorrection,
    UnknownEvent,
    _registry,
    event_type,
    lookup,
)
from chronicle._fastdecode import builder, reads_alike
from chronicle._json import json_text, parse_json, payload_text
from chronicle._record import Record, make_record
from chronicle._strict import configure_converter, refuse, structure_datetime, structure_uuid
from chronicle._when import When

__all__ = [
    "StoredEntry",
    "converter",
    "decode",
    "decode_parts",
    "decode_text",
    "encode",
    "from_json",
    "json_text",
    "make_converter",
    "parse_json",
    "record_from_dict",
    "record_from_text",
    "record_to_dict",
    "stored_entry",
    "to_json",
    "upcaster",
]


def _sorted_list(items: Iterable[Any]) -> list[Any]:
    """Set members in a stable order, so the stored form is deterministic."""
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))


def make_converter() -> cattrs.Converter:
    """A new converter configured as chronicle's: strict, and knowing chronicle's types.

    It refuses a stored value of the wrong JSON type instead of converting it
    (see :mod:`chronicle._strict`), forbids keys a class does not have, omits
    fields at their default, and stores a field declared as the :class:`Event`
    base (a correction's replacement) in the full ``{"type", "v", "data"}`` form.
    The codec makes one, :data:`converter`, at import; a fresh one is for tests.
    """
    made = cattrs.Converter(
        omit_if_default=True,
        forbid_extra_keys=True,
        unstruct_collection_overrides={AbstractSet: _sorted_list, Sequence: list},
    )
    configure_converter(made)
    # The predicates match the declared type exactly, so encoding a concrete event
    # class is not affected.
    made.register_unstructure_hook_func(lambda cls: cls is Event, encode)
    made.register_structure_hook_func(lambda cls: cls is Event, _structure_event)
    return made


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
    cls = type(entry)
    plan = _plans.get(cls)
    if plan is None:
        if isinstance(entry, (UnknownEvent, InapplicableCorrection)):
            stored = encode(entry)
            data = json_text(stored["data"], what)
            return _new_tuple(StoredEntry, (stored["type"], stored["v"], data, *_bounds(entry)))
        info = event_type(cls)
        plan = _plans[cls] = (
            info.name,
            info.version,
            converter.get_unstructure_hook(cls),
            issubclass(cls, Event),
        )
    name, version, unstructure, is_event = plan
    data = payload_text(cls, unstructure(entry), what)
    if is_event:
        occurred = entry.occurred  # type: ignore[union-attr]
        return _new_tuple(StoredEntry, (name, version, data, occurred.earliest, occurred.latest))
    return _new_tuple(StoredEntry, (name, version, data, None, None))


def _bounds(entry: Entry) -> tuple[datetime.date | None, datetime.date | None]:
    """An event's valid-time bounds in its stored form (None for a correction)."""
    if isinstance(entry, Event):
        return entry.occurred.earliest, entry.occurred.latest
    return None, None


_plans: dict[type, tuple[str, int, Callable[[Any], Any], bool]] = {}
"""Per registered class stored so far: its type name, schema version, the converter's
unstructure function (what ``converter.unstructure`` dispatches to on every call) and
whether it is an event (with valid-time bounds)."""
_new_tuple = tuple.__new__
"""Makes a StoredEntry from the tuple of its fields without the Python ``__new__`` a
NamedTuple has: one function call less an entry appended."""


def _unknown(name: str, version: int, data: Payload) -> UnknownEvent:
    occurred = data.get("occurred")
    if type(occurred) is not str:
        raise CorruptLog(f"entry of unknown type {name!r} has no 'occurred' date")
    try:
        when = When(occurred)
        data_json = json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (InvalidDate, TypeError, ValueError, RecursionError) as error:
        raise CorruptLog(f"entry of unknown type {name!r}: {_explain(error)}") from None
    return UnknownEvent(occurred=when, type_name=name, schema_version=version, data_json=data_json)


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


def _explain(error: BaseException) -> str:
    """What a failed structuring found wrong: each problem with the path of its field.

    ``successful: expected true or false, got a string: 'false'``; the problems of
    several fields are joined by ``;``.
    """
    if isinstance(error, RecursionError):
        return "nested too deeply to read"
    if not isinstance(error, cattrs.BaseValidationError):
        return str(error)
    problems = []
    for line in cattrs.transform_error(error, format_exception=_describe):
        problem, at, path = line.rpartition(" @ ")
        if not at or path == "$":
            problems.append(problem or line)
        else:
            problems.append(f"{path.removeprefix('$.')}: {problem}")
    return "; ".join(problems)


def decode(stored: Any, *, strict: bool = False) -> Entry:
    """The entry of a stored form ``{"type", "v", "data"}``.

    Decoding is strict: a field whose stored value is not of its type's JSON form
    (``"false"`` for a bool, ``null`` for a string, an array for a string) is
    refused, never converted, so an entry decodes exactly when its class would
    accept the values.

    Args:
        stored: The decoded JSON object.
        strict: Raise :class:`UnknownEventType` for a type name (or a newer schema
            version) this program does not know, instead of returning an
            :class:`UnknownEvent`.

    Raises:
        CorruptLog: the object is not a stored entry, or its payload does not fit its
            type (the message names the type, the field and the value).
        UnknownEventType: in strict mode, an unknown type or newer version.
        UpcastError: an old version with no way up to the current one.
    """
    try:
        name, version, data = stored["type"], stored["v"], stored["data"]
    except (KeyError, TypeError, IndexError):
        raise CorruptLog(
            f"not a stored entry (needs 'type', 'v', 'data'): {shorten(stored)}"
        ) from None
    return _decoded(name, version, data, strict, stored)


_MALFORMED = (
    "malformed stored entry (needs a string 'type', an integer 'v' from 1 and a 'data' object): "
)


def decode_parts(name: Any, version: Any, data: Any) -> Entry:
    """``decode({"type": name, "v": version, "data": data})``, without making the object.

    As a store reads a row: the type, the schema version and the parsed payload.

    Raises:
        CorruptLog, UpcastError: as :func:`decode`.
    """
    return _decoded(name, version, data, False, None)


def _decoded(name: Any, version: Any, data: Any, strict: bool, stored: Any) -> Entry:
    """The entry of a stored form's three parts: :func:`decode` once they are taken out.

    A malformed form is quoted as ``stored`` if given, else as its three parts.
    """
    if not (type(name) is str and type(version) is int and version >= 1 and type(data) is dict):
        shown = {"type": name, "v": version, "data": data} if stored is None else stored
        raise CorruptLog(_MALFORMED + shorten(shown))
    info = _registered(name)
    if info is not None and version == info.version:  # the common case, without a call more
        fast = _builders.get(info.cls)
        if fast is not None:
            try:
                return fast(data)
            except Exception:  # the detailed path names what is wrong
                return _detailed(info.cls, name, version, data)
    return _entry(name, version, data, strict)


def decode_text(name: Any, version: Any, text: str | bytes) -> Entry:
    """``decode_parts(name, version, parse_json(text))``: a stored row, its payload as text.

    With orjson, the payload of a type whose builder reads alike
    (:func:`~chronicle._fastdecode.reads_alike`: it takes nothing orjson reads
    otherwise than Python's json) is parsed by orjson without :func:`parse_json`'s
    guards, which cost as much as the parse, and built: whatever that builder takes,
    json would have read the same. Anything else, a text orjson refuses or a payload
    the builder refuses included, is parsed and decoded as before, which gives the
    same entry or raises the same error.

    Raises:
        CorruptLog, UpcastError: as :func:`decode`.
    """
    fast_json = _json_module._orjson
    if fast_json is not None and type(name) is str and type(version) is int:
        info = _registered(name)
        if info is not None and version == info.version:
            fast: Callable[[Payload], Entry] | None = _alike_builders.get(info.cls, _UNMADE)
            if fast is _UNMADE:
                fast = _alike_builder(info.cls)
            if fast is not None:
                try:
                    data = fast_json.loads(text)
                    if type(data) is dict:
                        return fast(data)
                except Exception:  # noqa: S110 -- read again below, as it always was
                    pass
    return decode_parts(name, version, parse_json(text))


_alike_builders: dict[type, Callable[[Payload], Entry] | None] = {}
"""The fast builder of each class decoded from text so far, if it reads alike (else None)."""


def _alike_builder(cls: type[Entry]) -> Callable[[Payload], Entry] | None:
    """The fast builder of ``cls`` if it reads alike (see :func:`decode_text`), else None."""
    fast = _fast_builder(cls)
    found = _alike_builders[cls] = fast if fast is not None and reads_alike(cls) else None
    return found


def _entry(name: str, version: int, data: Payload, strict: bool) -> Entry:
    """The entry of a well-formed stored form (see :func:`decode`)."""
    info = _registered(name)
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
    cls = info.cls
    fast: Callable[[Payload], Entry] | None = _builders.get(cls, _UNMADE)
    if fast is _UNMADE:
        fast = _fast_builder(cls)
    if fast is not None:
        try:
            return fast(data)
        except Exception:  # noqa: S110 -- the detailed path below names what is wrong
            pass
    return _detailed(cls, name, version, data)


def _detailed(cls: type[Entry], name: str, version: int, data: Payload) -> Entry:
    """The entry of ``data`` by cattrs' detailed path, or the CorruptLog that names the problem."""
    try:
        return _structurer(cls)(data, cls)
    except Exception as error:
        cause = None if isinstance(error, RecursionError) else error
        raise CorruptLog(f"cannot decode {name!r} v{version}: {_explain(error)}") from cause


_registered = _registry.get
""":func:`~chronicle._event.lookup` without the call around it (the registry is changed in
place, never replaced)."""

_structurers: dict[type, Callable[[Payload, type], Entry]] = {}
_builders: dict[type, Callable[[Payload], Entry] | None] = {}
"""The fast builder of each class decoded so far (:mod:`chronicle._fastdecode`), or None."""
_UNMADE: Any = object()


def _fast_builder(cls: type[Entry]) -> Callable[[Payload], Entry] | None:
    """The fast builder :func:`decode` tries first for ``cls`` (made once), or None.

    None for a class with a structurer of its own (a correction's replacement may be
    stored as one that cannot be applied, see :func:`_corrected`).
    """
    found: Callable[[Payload], Entry] | None = _builders.get(cls, _UNMADE)
    if found is _UNMADE:
        found = _builders[cls] = None if cls in _structurers else builder(cls, converter)
    return found


def _structurer(cls: type[Entry]) -> Callable[[Payload, type], Entry]:
    """The converter's function that structures a payload (a dict) into ``cls``, made once.

    :func:`decode` has checked that the payload is an object, so it calls cattrs'
    generated function directly, without the dispatch and the check of the hook.
    """
    found = _structurers.get(cls)
    if found is None:
        found = _structurers[cls] = converter.gen_structure_attrs_fromdict(cls)
    return found


def _structure_event(value: Any, _: Any) -> Event:
    """The hook of a field declared as the Event base: any event, in its full stored form.

    A correction is not an event, so a correction's replacement cannot be one.
    """
    kind = value.get("type") if type(value) is dict else None
    info = lookup(kind) if type(kind) is str else None
    if info is not None and not issubclass(info.cls, Event):
        refuse("an event, not a correction", value)
    return typing.cast("Event", decode(value))


converter = make_converter()
"""The one converter chronicle uses (made by :func:`make_converter`); never cattrs' global one."""

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
_structurers[Corrected] = _corrected


def from_json(text: str | bytes, *, strict: bool = False) -> Entry:
    """The entry of a stored JSON text (see :func:`decode` and :func:`parse_json`)."""
    return decode(parse_json(text), strict=strict)


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


def record_from_text(text: str | bytes) -> Record:
    """``record_from_dict(parse_json(text))``: a stored record, as a JSON Lines line holds it.

    With orjson, a line whose entry's type reads alike (see :func:`decode_text`) is
    parsed by orjson without :func:`parse_json`'s guards; if anything in it is
    refused, or the type does not read alike, the line is parsed and read as before,
    which gives the same record or raises the same error.

    Raises:
        CorruptLog, UnknownEventType, UpcastError: as :func:`record_from_dict`.
    """
    fast_json = _json_module._orjson
    if fast_json is not None:
        try:
            stored = fast_json.loads(text)
            info = _registered(stored["type"])
            if info is not None and stored["v"] == info.version:
                fast = _alike_builders.get(info.cls, _UNMADE)
                if fast is _UNMADE:
                    fast = _alike_builder(info.cls)
                if fast is not None:
                    return record_from_dict(stored)
        except Exception:  # noqa: S110 -- read again below, as it always was
            pass
    return record_from_dict(parse_json(text))


_RECORD_KEYS = ("position", "stream", "version", "recorded_at", "id", "type", "v", "data")


def record_from_dict(stored: Any, *, strict: bool = False) -> Record:
    """The record of a stored form written by :func:`record_to_dict`, read as strictly.

    Raises:
        CorruptLog: a key is missing or unexpected, a header value is not of its type
            (positions and versions are integers from 1), or the entry does not decode.
        UnknownEventType: in strict mode, an entry type this program does not know.
    """
    if type(stored) is not dict:
        raise CorruptLog(f"not a stored record (a JSON object): {shorten(stored)}")
    missing = [key for key in _RECORD_KEYS if key not in stored]
    extra = sorted(stored.keys() - _RECORD_KEYS)
    if missing or extra:
        what = [f"no {key!r}" for key in missing] + [f"unexpected key {shorten(k)}" for k in extra]
        raise CorruptLog(f"not a stored record: {', '.join(what)}")
    position, stream, version = stored["position"], stored["stream"], stored["version"]
    for key, value in (("position", position), ("version", version)):
        if type(value) is not int or value < 1:
            raise CorruptLog(f"not a stored record: {key} {shorten(value)} is not an integer >= 1")
    if type(stream) is not str:
        raise CorruptLog(f"not a stored record: stream {shorten(stream)} is not a string")
    try:
        recorded_at = structure_datetime(stored["recorded_at"])
        record_id = structure_uuid(stored["id"])
        recorded_at.astimezone(datetime.UTC)
    except CorruptLog as error:
        raise CorruptLog(f"not a stored record: {error}") from None
    except OverflowError:
        raise CorruptLog(
            f"not a stored record: recorded_at {recorded_at.isoformat()} is outside the years"
            " 0001 to 9999 in UTC"
        ) from None
    return make_record(
        record_id, stream, version, position, recorded_at, decode(stored, strict=strict)
    )
