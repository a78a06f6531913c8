"""Strict hooks for the codec's converter: a JSON value of the wrong type is refused, not converted.

cattrs' default hooks call the target type on whatever they are given:
``str(None)`` is ``"None"``, ``bool("false")`` is ``True``, ``str(["a", "b"])`` a
list's repr, ``tuple("ab")`` a tuple of letters. A log is data from elsewhere,
so the codec reads it with these hooks instead. Each accepts exactly the JSON
form the codec writes for its type, and nothing else:

====================================  ==============================================
type                                  stored as
====================================  ==============================================
``str``                               a string
``bool``                              ``true`` or ``false``
``int``                               an integer (not ``true``/``false``, not ``1.0``)
``float``                             a finite number, integer or not, kept as read
                                      (Python accepts an ``int`` where a ``float``
                                      is declared, and so does construction)
``When``                              an EDTF string
``datetime.date``                     an ISO 8601 date string
``datetime.datetime``                 an ISO 8601 string with a time zone
``UUID``                              a string
``tuple[...]``, ``frozenset[...]``    an array (a frozenset's without repeats)
``Vector[X]``                         an array
``Keyed[K, V]``                       an array of ``[key, value]`` arrays, without
                                      repeated keys
attrs classes                         an object
``Literal[...]``                      one of the values, of the same JSON type
``X | Y``, ``X | None``               a value one of the members takes (in order)
====================================  ==============================================

NaN and the infinities are not JSON, and are refused wherever a number is. A
refusal raises :class:`~chronicle.CorruptLog` saying what was expected and
quoting the value; the codec adds the event type and the field's path, and the
stores the file and line. The hooks are made once per type (cattrs caches them),
so decoding makes no function per record.
"""

from __future__ import annotations

import datetime
import enum
import math
import types
import typing
from collections.abc import Callable
from collections.abc import Sequence as AbstractSequence
from collections.abc import Set as AbstractSet
from typing import Any, Literal, NoReturn
from uuid import UUID

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote

from chronicle._errors import CorruptLog, shorten
from chronicle._fastdecode import builder
from chronicle._ids import id_of_text
from chronicle._persistent import Keyed, Vector
from chronicle._when import When

__all__ = ["configure_converter", "json_kind"]

Hook = Callable[[Any, Any], Any]
"""A cattrs structure hook: ``(value, type) -> structured value``."""


_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),  # before int: a bool is an int to Python, not to JSON
    ((int, float), "a number"),
    (str, "a string"),
    ((list, tuple), "an array"),
    (dict, "an object"),
)


def json_kind(value: object) -> str:
    """What kind of JSON value ``value`` is, for messages: "a string", "null", "an array"."""
    if value is None:
        return "null"
    return next(
        (name for kinds, name in _KINDS if isinstance(value, kinds)), f"a {type(value).__name__}"
    )


def refuse(expected: str, value: object) -> NoReturn:
    """Raise the :class:`CorruptLog` of a value that is not ``expected``, quoting it shortened."""
    got = "null" if value is None else f"{json_kind(value)}: {shorten(value)}"
    raise CorruptLog(f"expected {expected}, got {got}")


def _subclass(value: Any, cls: type) -> Any:
    """A value of a subclass of str or int (a StrEnum, an IntEnum), made from the stored value."""
    try:
        return cls(value)
    except ValueError:
        refuse(f"a {cls.__name__}", value)


def _structure_str(value: Any, cls: type) -> Any:
    if type(value) is not str:
        refuse("a string", value)
    return value if cls is str else _subclass(value, cls)


def _structure_bool(value: Any, _: type) -> bool:
    if type(value) is not bool:
        refuse("true or false", value)
    return value


def _structure_int(value: Any, cls: type) -> Any:
    if type(value) is not int:
        refuse("an integer", value)
    return value if cls is int else _subclass(value, cls)


def _structure_float(value: Any, _: type) -> float:
    if type(value) is float:
        if math.isfinite(value):
            return value
    elif type(value) is int:
        return value  # an int is a float to Python's type hints, and to construction
    refuse("a finite number", value)


def _structure_when(value: Any, _: type) -> When:
    if type(value) is not str:
        refuse("an EDTF date string", value)
    return When(value)


def _structure_date(value: Any, _: type) -> datetime.date:
    if type(value) is not str:
        refuse("an ISO 8601 date string", value)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        refuse("an ISO 8601 date string", value)


def structure_datetime(value: Any, _: type = datetime.datetime) -> datetime.datetime:
    """An ISO 8601 string with a time zone, as a datetime (the hook for datetime fields)."""
    if type(value) is not str:
        refuse("an ISO 8601 date and time string", value)
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        refuse("an ISO 8601 date and time string", value)
    if moment.utcoffset() is None:
        refuse("a date and time with a time zone", value)
    return moment


def structure_uuid(value: Any, _: type = UUID) -> UUID:
    """A UUID string, as a UUID (the hook for UUID fields)."""
    if type(value) is not str:
        refuse("a UUID string", value)
    try:
        return id_of_text(value)
    except ValueError:
        refuse("a UUID string", value)


def _items(value: Any, cls: Any, hooks: list[tuple[Hook, Any]]) -> list[Any]:
    """The items of an array, each structured by its hook; every refusal reported at its index."""
    try:
        return [hook(item, kind) for item, (hook, kind) in zip(value, hooks, strict=True)]
    except Exception:  # noqa: S110 -- structured again below, each refusal noted at its index
        pass
    items: list[Any] = []
    errors: list[Exception] = []
    for index, (item, (hook, kind)) in enumerate(zip(value, hooks, strict=True)):
        try:
            items.append(hook(item, kind))
        except Exception as error:
            note = IterableValidationNote(f"Structuring {cls} @ index {index}", index, kind)
            error.__notes__ = [*getattr(error, "__notes__", []), note]
            errors.append(error)
    if errors:
        raise IterableValidationError(f"While structuring {cls!r}", errors, cls)
    return items


def _origin(cls: Any) -> Any:
    return typing.get_origin(cls) or cls


def _is_array(cls: Any) -> bool:
    origin = _origin(cls)
    return origin in (tuple, frozenset, AbstractSequence, AbstractSet)


def _array_factory(cls: Any, converter: cattrs.Converter) -> Hook:
    """The hook of a tuple or frozenset type: a JSON array of items of their types."""
    origin, args = _origin(cls), typing.get_args(cls)
    fixed = origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis)
    if not fixed:  # tuple[X, ...], frozenset[X], Sequence[X], or bare
        kind = args[0] if args else Any
        hook = converter.get_structure_hook(kind)
        if origin in (frozenset, AbstractSet):

            def structure_set(value: Any, _: Any) -> frozenset[Any]:
                if type(value) is not list:
                    refuse("an array", value)
                members = frozenset(_items(value, cls, [(hook, kind)] * len(value)))
                if len(members) != len(value):
                    refuse("an array without repeated members", value)
                return members

            return structure_set

        def structure_tuple(value: Any, _: Any) -> tuple[Any, ...]:
            if type(value) is not list:
                refuse("an array", value)
            return tuple(_items(value, cls, [(hook, kind)] * len(value)))

        return structure_tuple
    hooks = [(converter.get_structure_hook(kind), kind) for kind in args]

    def structure_fixed(value: Any, _: Any) -> tuple[Any, ...]:
        if type(value) is not list or len(value) != len(hooks):
            refuse(f"an array of {len(hooks)} items", value)
        return tuple(_items(value, cls, hooks))

    return structure_fixed


def _is_vector(cls: Any) -> bool:
    return _origin(cls) is Vector


def _vector_factory(cls: Any, converter: cattrs.Converter) -> Hook:
    """The hook of ``Vector[X]``: a JSON array of items of type X."""
    args = typing.get_args(cls)
    kind = args[0] if args else Any
    hook = converter.get_structure_hook(kind)

    def structure_vector(value: Any, _: Any) -> Vector[Any]:
        if type(value) is not list:
            refuse("an array", value)
        return Vector(_items(value, cls, [(hook, kind)] * len(value)))

    return structure_vector


def _is_keyed(cls: Any) -> bool:
    return _origin(cls) is Keyed


def _keyed_factory(cls: Any, converter: cattrs.Converter) -> Hook:
    """The hook of ``Keyed[K, V]``: a JSON array of ``[key, value]`` arrays, each key once."""
    key, value = typing.get_args(cls) or (Any, Any)
    pair = converter.get_structure_hook(tuple[key, value])  # type: ignore[valid-type]

    def structure_keyed(stored: Any, _: Any) -> Keyed[Any, Any]:
        if type(stored) is not list:
            refuse("an array of [key, value] arrays", stored)
        pairs = _items(stored, cls, [(pair, tuple[key, value])] * len(stored))  # type: ignore[valid-type]
        keyed: Keyed[Any, Any] = Keyed(pairs)
        if len(keyed) != len(pairs):
            refuse("an array of [key, value] arrays without repeated keys", stored)
        return keyed

    return structure_keyed


def _unstructure_vector_factory(cls: Any, converter: cattrs.Converter) -> Callable[[Any], Any]:
    """How ``Vector[X]`` is stored: a list of its items, each as X is."""
    args = typing.get_args(cls)
    hook = converter.get_unstructure_hook(args[0] if args else Any)
    return lambda vector: [hook(item) for item in vector]


def _unstructure_keyed_factory(cls: Any, converter: cattrs.Converter) -> Callable[[Any], Any]:
    """How ``Keyed[K, V]`` is stored: a list of ``[key, value]`` lists, in order."""
    key, value = typing.get_args(cls) or (Any, Any)
    by_key, by_value = converter.get_unstructure_hook(key), converter.get_unstructure_hook(value)
    return lambda keyed: [[by_key(k), by_value(v)] for k, v in keyed.items()]


def _is_plain_attrs(cls: Any) -> bool:
    return isinstance(cls, type) and attrs.has(cls)


def _attrs_factory(cls: type, converter: cattrs.Converter) -> Hook:
    """The hook of an attrs class: a JSON object, built by the class's fast builder.

    The builder (:mod:`chronicle._fastdecode`, made at the first value) takes exactly
    what cattrs' generated function takes; a value it refuses, or a class without
    one, goes through that function, which names what is wrong.
    """
    inner: Hook = converter.gen_structure_attrs_fromdict(cls)
    made: list[Callable[[Any], Any] | None] = []

    def structure_object(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            refuse(f"an object ({cls.__name__})", value)
        if not made:
            made.append(builder(cls, converter))
        fast = made[0]
        if fast is not None:
            try:
                return fast(value)
            except Exception:  # noqa: S110 -- the detailed path below names what is wrong
                pass
        return inner(value, cls)

    return structure_object


def _is_union(cls: Any) -> bool:
    return _origin(cls) in (typing.Union, types.UnionType)


def _union_factory(cls: Any, converter: cattrs.Converter) -> Hook:
    """The hook of ``X | Y | None``: null if allowed, else the first member that takes the value."""
    members = typing.get_args(cls)
    optional = type(None) in members
    hooks = [(converter.get_structure_hook(m), m) for m in members if m is not type(None)]
    if len(hooks) == 1:  # X | None: the member's own refusal says what is expected
        ((hook, kind),) = hooks

        def structure_optional(value: Any, _: Any) -> Any:
            return None if value is None else hook(value, kind)

        return structure_optional
    names = " or ".join(getattr(kind, "__name__", str(kind)) for _, kind in hooks)

    def structure_union(value: Any, _: Any) -> Any:
        if value is None and optional:
            return None
        for hook, kind in hooks:
            try:
                return hook(value, kind)
            except Exception:  # noqa: S112 -- the next member may take it; all refused is raised
                continue
        refuse(f"{names}{' or null' if optional else ''}", value)

    return structure_union


def _is_literal(cls: Any) -> bool:
    return typing.get_origin(cls) is Literal


def _literal_factory(cls: Any) -> Hook:
    """The hook of ``Literal[...]``: one of its values, of the same type (``True`` is not 1)."""
    allowed = [
        (option, option.value if isinstance(option, enum.Enum) else option)
        for option in typing.get_args(cls)
    ]
    expected = "one of " + ", ".join(shorten(stored) for _, stored in allowed)

    def structure_literal(value: Any, _: Any) -> Any:
        for option, stored in allowed:
            if type(value) is type(stored) and value == stored:
                return option
        refuse(expected, value)

    return structure_literal


def _is_plain_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def _enum_factory(cls: type[enum.Enum]) -> Hook:
    """The hook of an enum: the stored value of one of its members, of the same type."""
    members = list(cls)
    expected = f"a {cls.__name__} (" + ", ".join(shorten(m.value) for m in members) + ")"

    def structure_enum(value: Any, _: Any) -> enum.Enum:
        for member in members:
            if type(value) is type(member.value) and value == member.value:
                return member
        refuse(expected, value)

    return structure_enum


def configure_converter(converter: cattrs.Converter) -> None:
    """Make ``converter`` strict and teach it chronicle's value types (see the module).

    ``When`` is stored as its EDTF string, dates and datetimes as ISO 8601 strings,
    UUIDs as strings; tuples and frozensets as arrays (a frozenset's members
    sorted, so the stored form is deterministic).
    """
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(When, _structure_when)
    converter.register_structure_hook(datetime.date, _structure_date)
    converter.register_structure_hook(datetime.datetime, structure_datetime)
    converter.register_structure_hook(UUID, structure_uuid)
    converter.register_structure_hook_factory(_is_plain_enum, _enum_factory)
    converter.register_structure_hook_factory(_is_plain_attrs, _attrs_factory)
    converter.register_structure_hook_factory(_is_array, _array_factory)
    converter.register_structure_hook_factory(_is_vector, _vector_factory)
    converter.register_structure_hook_factory(_is_keyed, _keyed_factory)
    converter.register_unstructure_hook_factory(_is_vector, _unstructure_vector_factory)
    converter.register_unstructure_hook_factory(_is_keyed, _unstructure_keyed_factory)
    converter.register_structure_hook_factory(_is_union, _union_factory)
    converter.register_structure_hook_factory(_is_literal, _literal_factory)
    converter.register_unstructure_hook(When, str)
    converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    converter.register_unstructure_hook(datetime.datetime, datetime.datetime.isoformat)
    converter.register_unstructure_hook(UUID, str)
