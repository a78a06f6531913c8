"""Type checks at construction: an entry refuses a field value its declared type does not allow.

Decoding a stored entry refuses a value of the wrong JSON type (see
:mod:`chronicle._strict`); construction refuses the same values, so that an entry
that can be made can be stored and read back, and an entry read back is one that
could have been made. Without this, ``CoupOccurred(junta=5, ...)`` would be
accepted and stored, and its log would no longer read.

The check of each field is derived once, when the class is declared, from its
type hint: ``str``, ``bool``, ``int`` (not a bool), ``float`` (an int or a finite
float), ``When``, ``datetime.date`` (not a datetime), ``datetime.datetime`` (with a
time zone), ``UUID``, ``tuple[X, ...]``, fixed tuples, ``frozenset[X]`` (each item
checked), ``Literal[...]``, enums, ``X | Y`` and ``X | None``, attrs classes (an
instance; the class checks its own fields). It runs after the field's converter
and its own validators, so a class's own messages come first. A hint it does not
know (``Any``, a protocol) is not checked; nor are the fields of a class whose
hints cannot be resolved when it is declared.
"""

from __future__ import annotations

import datetime
import enum
import math
import types
import typing
import weakref
from collections.abc import Callable
from typing import Any, Literal
from uuid import UUID

import attrs

from chronicle._errors import InvalidEvent, shorten
from chronicle._when import When, to_when

__all__ = [
    "check_of",
    "implied_by_type",
    "is_checked",
    "is_implied",
    "is_type_check",
    "non_blank",
    "typed_fields",
]

Check = Callable[[Any], bool]
"""Whether a value is of a type."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_float(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_date(value: Any) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _is_datetime(value: Any) -> bool:
    return isinstance(value, datetime.datetime) and value.utcoffset() is not None


_SIMPLE: dict[Any, Check] = {
    str: lambda value: isinstance(value, str),
    bool: lambda value: isinstance(value, bool),
    int: _is_int,
    float: _is_float,
    When: lambda value: type(value) is When,
    datetime.date: _is_date,
    datetime.datetime: _is_datetime,
    UUID: lambda value: isinstance(value, UUID),
}


def _name(hint: Any) -> str:
    """A type hint as a reader writes it: ``tuple[Source, ...]``, ``When | None``."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_name(arg) for arg in args)
    if origin is Literal:
        return " | ".join(shorten(arg) for arg in args)
    if hint is type(None):
        return "None"
    if hint is Ellipsis:
        return "..."
    if origin is not None:
        return f"{_name(origin)}[{', '.join(_name(arg) for arg in args)}]"
    return getattr(hint, "__name__", str(hint))


def _items(container: type[tuple[Any, ...]] | type[frozenset[Any]], item: Check) -> Check:
    def check(value: Any) -> bool:
        return isinstance(value, container) and (not value or all(item(each) for each in value))

    return check


def _fixed(checks: list[Check]) -> Check:
    def check(value: Any) -> bool:
        return (
            isinstance(value, tuple)
            and len(value) == len(checks)
            and all(check(each) for check, each in zip(checks, value, strict=True))
        )

    return check


def _known(checks: list[Check | None]) -> list[Check] | None:
    """The checks, if every one is known."""
    return None if any(c is None for c in checks) else typing.cast("list[Check]", checks)


def _any_of(checks: list[Check]) -> Check:
    return lambda value: any(check(value) for check in checks)


def _literal(options: tuple[Any, ...]) -> Check:
    choices = frozenset((type(option), option) for option in options)

    def check(value: Any) -> bool:
        try:
            return (type(value), value) in choices
        except TypeError:  # unhashable: none of the options
            return False

    return check


def _instance(cls: type) -> Check:
    return lambda value: isinstance(value, cls)


def check_of(hint: Any) -> Check | None:  # noqa: PLR0911 -- one return per form of hint
    """The check of values of the type ``hint``, or None if the hint is not one it knows."""
    if hint in _SIMPLE:
        return _SIMPLE[hint]
    if hint is type(None):
        return lambda value: value is None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        checks = [check_of(arg) for arg in args]
        return (
            None if any(c is None for c in checks) else _any_of(typing.cast("list[Check]", checks))
        )
    if origin is Literal:
        return _literal(args)
    if origin in (tuple, frozenset) and args:
        if origin is frozenset or (len(args) == 2 and args[1] is Ellipsis):
            item = check_of(args[0])
            return None if item is None else _items(origin, item)
        items = _known([check_of(arg) for arg in args])
        return None if items is None else _fixed(items)
    if isinstance(hint, type) and (attrs.has(hint) or issubclass(hint, enum.Enum)):
        return _instance(hint)
    return None


Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
"""An attrs validator: ``(instance, attribute, value)``, raising if the value is refused."""


_TYPE_CHECKS: weakref.WeakSet[Validator] = weakref.WeakSet()
"""The validators made by :func:`_type_check`, to know a field already checked."""


def is_type_check(validator: object) -> bool:
    """Whether ``validator`` is the type check :func:`typed_fields` added to a field."""
    return validator in _TYPE_CHECKS


def non_blank(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    """An attrs validator: the field must be a string with something other than blanks.

    Decoding checks it inline (:mod:`chronicle._fastdecode`): names, titles and
    reasons are on most records.
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidEvent(
            f"{type(instance).__name__}.{attribute.name} must be a non-empty string, not {value!r}"
        )


_IMPLIED: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()
"""The validators and converters marked by :func:`implied_by_type`."""


def implied_by_type(*functions: Callable[..., Any]) -> None:
    """Mark fields' validators or converters as implied by the fields' type hints.

    A validator so marked refuses only values not of the hinted type (it is there for
    its message); a converter so marked gives back unchanged any value of the hinted
    type. Decoding, which builds each field strictly to its hinted type from a stored
    payload (:mod:`chronicle._fastdecode`), then need not call them: it checks the
    same. Construction calls them as always.
    """
    _IMPLIED.update(functions)


def is_implied(function: object) -> bool:
    """Whether ``function`` was marked by :func:`implied_by_type`."""
    return function in _IMPLIED


def _refuse(instance: object, attribute: attrs.Attribute[Any], value: object, hint: Any) -> None:
    raise InvalidEvent(
        f"{type(instance).__name__}.{attribute.name} must be {_name(hint)}, not {shorten(value)}"
    )


def _type_check(hint: Any, check: Check) -> Validator:
    """The validator of a field of the type ``hint`` (a plain function: it runs on every read)."""
    if hint in (str, bool, UUID):  # the commonest, checked without a further call

        def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
            if not isinstance(value, hint):
                _refuse(instance, attribute, value, hint)

    elif hint is int:  # an int itself without a further call; a bool is no int here

        def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
            if value.__class__ is not int and not _is_int(value):
                _refuse(instance, attribute, value, hint)

    else:

        def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
            if not check(value):
                _refuse(instance, attribute, value, hint)

    _TYPE_CHECKS.add(validate)
    return validate


def _both(own: Validator, type_check: Validator) -> Validator:
    """The field's own validator, then its type check: ``attrs.validators.and_`` in one call.

    Like ``and_``'s, its ``_validators`` name the two (see :func:`is_checked`).
    """

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        own(instance, attribute, value)
        type_check(instance, attribute, value)

    validate._validators = (own, type_check)  # type: ignore[attr-defined]
    return validate


def is_checked(field: attrs.Attribute[Any]) -> bool:
    """Whether a field's values are of its type: it has a type check, or a When converter."""
    converter: object = field.converter
    if converter is to_when or converter is When:
        return True  # always a When, or the converter raised
    inner = getattr(field.validator, "_validators", (field.validator,))
    return any(is_type_check(each) for each in inner)


def typed_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """An attrs ``field_transformer``: each field also checks its value's type (see the module)."""
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):  # a forward reference not yet defined: nothing to check
        return fields
    typed = []
    for field in fields:
        hint = hints.get(field.name)
        check = None if is_checked(field) else check_of(hint)
        if check is None:
            typed.append(field)
            continue
        type_check = _type_check(hint, check)
        validator = type_check if field.validator is None else _both(field.validator, type_check)
        typed.append(field.evolve(validator=validator))
    return typed
