"""JSON text as chronicle reads and writes it: orjson where it gives the same values.

`orjson <https://github.com/ijl/orjson>`_ (the ``chronicle-history[fast]`` extra)
parses and writes JSON several times faster than Python's ``json``, but does not
follow the same rules everywhere. Without it, or wherever it could give another
value or accept another input, chronicle uses Python's ``json`` as it always has:
the values read and written, the inputs accepted and the errors raised are the
same either way.

**Reading** (:func:`parse_json`). orjson and Python's parser (with chronicle's rules:
no ``NaN``, no ``Infinity``, no number too large for a float) read a JSON text to
equal values of the same types, with keys in the same order and the last of
repeated keys kept, except in two cases, which the guards below send to Python's
parser:

- orjson reads an integer beyond 64 bits as a float (2**64 as ``1.8446744073709552e19``).
  Such an integer has 19 digits or more: a text with a run of 19 digits that is not
  the fraction or the exponent of a number (``[0-9.eE+]`` before it) is read by
  Python's parser. Long digit runs inside strings send a text there too, harmlessly.
  A text with a lone surrogate, which UTF-8 cannot hold, is read there too.
- orjson reads up to 1,024 levels of nesting, Python's parser as deep as the
  recursion limit lets it: a text with more than :data:`_SHALLOW` opening brackets
  is read by Python's parser.

Any text orjson refuses (not JSON, ``NaN``, a number that overflows, invalid UTF-8,
an escaped lone surrogate) is read again by Python's parser, which reads it (a lone
surrogate) or raises the :class:`~chronicle.CorruptLog` it always raised.

**Writing** (:func:`payload_text`). orjson writes what Python's ``json`` refuses
(``NaN`` as ``null``, UUIDs, enums, datetimes) and refuses what it writes (integers
beyond 64 bits). It writes the payload of an entry only when the entry's class is
*plain*: each of its fields is checked at construction
(:mod:`chronicle._fieldtypes`) and of a type whose stored form is made of JSON
strings, numbers, booleans, null, arrays and objects only (see :func:`plain`), so
the payload holds nothing Python's ``json`` would refuse or write otherwise; as a
last guard, a text with ``null`` in it is written again by Python's ``json``. What
orjson cannot write (a large integer, a lone surrogate) is written by Python's
``json``, which writes it or raises :class:`~chronicle.InvalidEvent` as before.
The text may differ from Python's in the spelling of some floats (``1e-7`` for
``1e-07``, ``0.00001`` for ``1e-05``), never in their values: nothing compares or
signs a payload's text, every reader parses it.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import json
import math
import re
import types
import typing
from typing import Any, Final, Literal, NoReturn
from uuid import UUID

import attrs

from chronicle._errors import CorruptLog, InvalidEvent, shorten
from chronicle._event import Event, InapplicableCorrection, UnknownEvent
from chronicle._fieldtypes import is_checked
from chronicle._when import When

_orjson_module: Any
try:
    import orjson as _orjson_module
except ImportError:  # pragma: no cover -- the extra is installed where the tests run
    _orjson_module = None

__all__ = ["json_text", "orjson_in_use", "parse_json", "payload_text", "plain"]

_orjson: Any = _orjson_module
"""The orjson module, or None: without it (or set to None) everything goes through ``json``."""

_SHALLOW: Final = 128
"""Opening brackets a text orjson reads may hold: Python's parser reads this deep anywhere."""
_SHORT: Final = 2 * _SHALLOW
"""A JSON text of this many bytes holds at most ``_SHALLOW`` opening brackets (each is closed)."""

_DIGIT_OR_SPACE: Final = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
"""A table of :meth:`bytes.translate` that makes every digit ``0`` and every other byte a space."""
_RUN: Final = b"0" * 19
_LONG_INT: Final = re.compile(rb"(?<![0-9.eE+])[0-9]{19}")
"""A run of 19 digits that may be an integer: not after a point, an exponent's mark or a digit.

Looked for only in a text with a run of 19 digits (found in the translated text, :data:`_RUN`):
the translation and a substring search run at memory speed, the regular expression
twenty times slower, which a large text (a checkpoint's) would pay in full."""


def orjson_in_use() -> bool:
    """Whether orjson is installed and used (see the module)."""
    return _orjson is not None


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {shorten(text)} is too large for a float")
    return number


_JSON = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite)
"""Standard JSON only: Python's ``NaN``, ``Infinity`` and numbers that overflow to them refused."""


def parse_json(text: str | bytes) -> Any:
    """The value of a JSON text, as everything chronicle reads from a file or a row is parsed.

    Bytes are read as UTF-8. ``NaN`` and ``Infinity``, which Python's ``json`` reads
    although JSON has no such numbers, are refused, and so is a number too large
    for a float. orjson reads the text if it is installed and gives the same value
    (see the module); Python's ``json`` otherwise.

    Raises:
        CorruptLog: the text is not UTF-8, not JSON, or nested too deeply to read.
    """
    fast = _orjson
    if fast is not None:
        try:
            data = text.encode() if isinstance(text, str) else text
        except UnicodeEncodeError:  # a lone surrogate, which json alone reads
            pass
        else:
            size = len(data)
            if (_RUN not in data.translate(_DIGIT_OR_SPACE) or not _LONG_INT.search(data)) and (
                size <= _SHORT or data.count(b"[") + data.count(b"{") <= _SHALLOW
            ):
                try:
                    return fast.loads(data)
                except fast.JSONDecodeError:
                    pass  # Python's parser reads it, or raises the error it always raised
    return _parse_standard(text)


def _parse_standard(text: str | bytes) -> Any:
    """:func:`parse_json` by Python's ``json`` alone."""
    try:
        if isinstance(text, (bytes, bytearray)):
            text = text.decode("utf-8")
        return _JSON.decode(text)
    except RecursionError:
        raise CorruptLog("not JSON that can be read: nested too deeply") from None
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise CorruptLog(f"not JSON: {error}") from error


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
"""The compact JSON every store writes, made once (``json.dumps`` with options makes one a call)."""


def json_text(value: Any, what: str) -> str:
    """``value`` as compact JSON text that UTF-8 can hold, written by Python's ``json``.

    Raises:
        InvalidEvent: ``value`` (the stored form of ``what``) holds something JSON
            cannot carry: an object of an unknown kind, a NaN or an infinity, a
            lone surrogate.
    """
    try:
        text = _ENCODER.encode(value)
        text.encode("utf-8")
    except (TypeError, ValueError) as error:  # UnicodeEncodeError is a ValueError
        raise InvalidEvent(f"cannot store {what}: {error}") from error
    return text


_ATTRS_CONFIG = importlib.import_module("attr._config")
"""Where attrs keeps whether validators (and so the type checks) run."""


def payload_text(cls: type, value: Any, what: str) -> str:
    """The payload ``value`` of an entry of ``cls`` as compact JSON text (see the module).

    The same value as :func:`json_text` gives, written by orjson when ``cls`` is
    plain and the type checks are on.

    Raises:
        InvalidEvent: as :func:`json_text`.
    """
    fast = _orjson
    if fast is not None and _ATTRS_CONFIG._run_validators is True:
        known = _plain.get(cls)
        if known is None:
            known = plain(cls)
        if known:
            try:
                written: bytes = fast.dumps(value, option=_WRITE_OPTIONS)
            except fast.JSONEncodeError:
                pass  # Python's json writes it, or raises the error it always raised
            else:
                if b"null" not in written:
                    return written.decode()
    return json_text(value, what)


_WRITE_OPTIONS: Final = (
    0
    if _orjson_module is None
    else _orjson_module.OPT_PASSTHROUGH_SUBCLASS
    | _orjson_module.OPT_PASSTHROUGH_DATETIME
    | _orjson_module.OPT_PASSTHROUGH_DATACLASS
)
"""A subclass of str or int, a datetime, a dataclass: refused by orjson, left to ``json``."""

_PLAIN_VALUES: Final = (str, int, bool)
"""What a ``Literal`` or an enum may store for its class to be plain (no float: NaN)."""

_plain: dict[type, bool] = {}


def plain(cls: type) -> bool:
    """Whether the payload of every entry of ``cls`` is made of JSON values only (made once).

    True if every field is type-checked at construction and of a plain type: ``str``,
    ``int``, ``bool``, ``float`` (finite, as construction checks), ``When``, dates,
    datetimes, UUIDs, ``None``; a ``Literal`` or an enum whose values are strings,
    integers or booleans; a union, tuple or frozenset of plain types; a plain attrs
    class other than the :class:`~chronicle.Event` base (a field of that type holds any
    event, stored in its own form). Not the entries the codec stores in a form of
    their own (:class:`~chronicle.UnknownEvent`, an inapplicable correction): their
    payload is not made from their fields.
    """
    found = _plain.get(cls)
    if found is None:
        _plain[cls] = False  # a class that holds itself is not plain meanwhile
        found = _plain[cls] = _plain_class(cls)
    return found


def _plain_class(cls: type) -> bool:
    if not attrs.has(cls) or issubclass(cls, (UnknownEvent, InapplicableCorrection)):
        return False
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):
        return False
    return all(
        is_checked(field) and _plain_hint(hints.get(field.name, Any)) for field in attrs.fields(cls)
    )


_PLAIN_TYPES: Final = frozenset(
    {str, int, bool, float, When, datetime.date, datetime.datetime, UUID, type(None)}
)


def _plain_hint(hint: Any) -> bool:  # noqa: PLR0911 -- one return per form of hint
    if hint in _PLAIN_TYPES:
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return all(_plain_hint(arg) for arg in args)
    if origin is Literal:
        return all(type(arg) in _PLAIN_VALUES for arg in args)
    if origin in (tuple, frozenset) and args:
        return all(arg is Ellipsis or _plain_hint(arg) for arg in args)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return all(type(member.value) in _PLAIN_VALUES for member in hint)
    if isinstance(hint, type) and attrs.has(hint) and hint is not Event:
        return plain(hint)  # the Event base stands for any event, stored in its own form
    return False
