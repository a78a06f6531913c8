"""Builders made once per class: the fast path that reads a stored payload into an entry.

The codec's detailed path (cattrs' generated function with detailed validation,
then the class's constructor) names every problem of a payload, with the path
of each field; reading a log that is sound needs none of that, and pays for it on
every record. This module generates, once per attrs class, one function that
takes the payload (a dict) and returns the instance, doing only what decides:

- the payload's keys are among the class's fields, and the required ones are there;
- each value is structured strictly: the JSON type of a string, boolean, integer or
  number, of a ``When`` (parsed through its cache), of an optional value, of a
  tuple, frozenset, ``Vector``, ``Keyed`` or nested attrs class is checked inline;
  any other type goes through the converter's strict hook (:mod:`chronicle._strict`);
- the instance is built as its ``__init__`` builds it (converters, defaults, the
  class's own validators, ``__attrs_post_init__``) but without the type checks that
  construction adds (:mod:`chronicle._fieldtypes`), nor the validators and
  converters marked as implied by the type: after the strict structuring a value of
  the wrong type cannot reach them.

It raises on anything it does not take, without saying why: the codec then
decodes the payload again on the detailed path, which raises the named error.
A class this module does not know how to build exactly as its ``__init__``
does (an ``__init__`` of its own, a pre-init hook, a field not in ``__init__`` or
under another name, a converter or factory that takes the instance, a cached
hash) has no builder, and is always decoded on the detailed path.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import linecache
import math
import types
import typing
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any, Literal
from uuid import UUID

import attrs
import cattrs

from chronicle._event import _sources
from chronicle._fieldtypes import is_implied, is_type_check, non_blank
from chronicle._persistent import Keyed, Vector
from chronicle._when import When, parse_text, to_when

__all__ = [
    "FAST_INIT_FILE",
    "Code",
    "buildable",
    "builder",
    "compile_function",
    "reads_alike",
    "slot_setter",
]

_ATTRS_CONFIG = importlib.import_module("attr._config")
"""Where attrs keeps whether validators run, as its generated ``__init__`` reads it."""

FAST_INIT_FILE = "<chronicle fast init"
"""How the source of an ``__init__`` made by :func:`chronicle._fastinit.fast_init` is
named: it builds as attrs' own does."""

Builder = Callable[[Any], Any]
"""Structures a stored value into an instance, or raises (on any problem, unexplained)."""

_built: dict[type, Builder | None] = {}


class Refused(Exception):  # noqa: N818 -- not an error: the detailed path says what is wrong
    """A stored value the fast path does not take."""


def builder(cls: type, converter: cattrs.Converter) -> Builder | None:
    """The fast builder of ``cls`` (made once), or None if it has none (see the module)."""
    if cls not in _built:
        _built[cls] = None  # a class that holds itself is built through its hook meanwhile
        _built[cls] = _make(cls, converter)
    return _built[cls]


_alike: dict[type, bool] = {}


def reads_alike(cls: type) -> bool:
    """Whether the builder of ``cls`` takes nothing orjson reads otherwise than ``json``.

    orjson reads a JSON text as Python's ``json`` does (chronicle's rules: no NaN, no
    infinity) but for two things: an integer beyond 64 bits, which it reads as a float,
    and nesting from Python's limit (about 1,000 levels) to its own (1,024). A builder
    that takes no float anywhere (no ``float`` field or item, no hook that could take
    one) and no value nested deeper than its class (none that holds itself) refuses
    whatever orjson reads otherwise: when it takes a payload orjson read, ``json``
    would have read the same payload. False for a class without a builder, or not
    built yet.
    """
    return _alike.get(cls, False) and _built.get(cls) is not None


def buildable(cls: type) -> bool:
    """Whether the generated function can build ``cls`` exactly as its ``__init__`` does.

    Only an ``__init__`` that attrs generated, without a pre-init hook or a cached hash,
    whose fields are all set by it under their own names, with no converter or
    factory that takes the instance.
    """
    init = getattr(vars(cls).get("__init__"), "__code__", None)
    if init is None or not init.co_filename.startswith(("<attrs generated", FAST_INIT_FILE)):
        return False  # a class that writes its own __init__
    if hasattr(cls, "__attrs_pre_init__") or "_attrs_cached_hash" in getattr(cls, "__slots__", ()):
        return False
    for field in attrs.fields(cls):
        default = field.default
        if (
            not field.init
            or field.alias != field.name
            or isinstance(field.converter, attrs.Converter)
        ):
            return False
        if isinstance(default, attrs.Factory) and default.takes_self:  # type: ignore[arg-type]
            return False
    return True


def _own_validators(field: attrs.Attribute[Any]) -> list[Any]:
    """The validators of a field that check more than its type (which the builder checks)."""
    validator: Any = field.validator
    if validator is None:
        return []
    inner = getattr(validator, "_validators", (validator,))
    return [each for each in inner if not (is_type_check(each) or is_implied(each))]


class Code:
    """The lines of a generated function and the names they use."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, Any] = {"Refused": Refused}
        self.count = 0
        self.alike = True
        """Whether the function takes no float anywhere, and nests no deeper than its type
        (see :func:`reads_alike`)."""

    def name(self, value: Any, prefix: str = "x") -> str:
        """A name bound to ``value`` in the generated function's globals."""
        self.count += 1
        key = f"_{prefix}{self.count}"
        self.names[key] = value
        return key

    def add(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)


def _structure(code: Code, indent: int, hint: Any, converter: cattrs.Converter) -> None:
    """Lines that make ``v`` the value of ``hint`` it stores, or raise."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint in (str, bool, int):
        code.add(indent, f"if v.__class__ is not {code.name(hint, 't')}: raise Refused()")
    elif hint is float:
        code.alike = False
        code.add(indent, "if v.__class__ is float:")
        code.add(indent + 1, f"if not {code.name(math.isfinite, 'f')}(v): raise Refused()")
        code.add(indent, "elif v.__class__ is not int: raise Refused()")
    elif hint is When:
        code.add(indent, "if v.__class__ is not str: raise Refused()")
        code.add(indent, f"v = {code.name(parse_text, 'when')}(v)")
    elif origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        (member,) = (arg for arg in args if arg is not type(None))
        code.add(indent, "if v is not None:")
        _structure(code, indent + 1, member, converter)
    elif origin is Literal or (isinstance(hint, type) and issubclass(hint, enum.Enum)):
        code.alike = code.alike and _no_float_hook(hint)
        table = code.name(_choices(hint), "choices")
        code.add(indent, f"v = {table}.get((v.__class__, v), Refused)")
        code.add(indent, "if v is Refused: raise Refused()")
    elif isinstance(hint, type) and attrs.has(hint) and (nested := builder(hint, converter)):
        code.alike = code.alike and _alike.get(hint, False)
        code.add(indent, "if v.__class__ is not dict: raise Refused()")
        code.add(indent, f"v = {code.name(nested, 'build')}(v)")
    elif not _array(code, indent, origin, args, converter):
        code.alike = code.alike and _no_float_hook(hint)
        hook, kind = converter.get_structure_hook(hint), code.name(hint, "t")
        code.add(indent, f"v = {code.name(hook, 'hook')}(v, {kind})")


def _array(
    code: Code, indent: int, origin: Any, args: tuple[Any, ...], converter: cattrs.Converter
) -> bool:
    """Lines that make ``v`` a tuple, frozenset, ``Vector`` or ``Keyed`` of its items, if it is one.

    False, and no line, for any other type.
    """
    if (
        origin in (tuple, frozenset, AbstractSet)
        and args
        and (origin is not tuple or (len(args) == 2 and args[1] is Ellipsis))
    ):
        item = code.name(_item_function(code, args[0], converter), "item")
        code.add(indent, "if v.__class__ is not list: raise Refused()")
        if origin is tuple:
            code.add(indent, f"v = tuple([{item}(i) for i in v])")
        else:
            code.add(indent, "n = len(v)")
            code.add(indent, f"v = frozenset([{item}(i) for i in v])")
            code.add(indent, "if len(v) != n: raise Refused()")
    elif origin is tuple and args and args != ((),):  # a fixed tuple: tuple[X, Y]
        items = [code.name(_item_function(code, arg, converter), "item") for arg in args]
        code.add(indent, f"if v.__class__ is not list or len(v) != {len(args)}: raise Refused()")
        code.add(indent, f"v = ({''.join(f'{f}(v[{n}]), ' for n, f in enumerate(items))})")
    elif origin is Vector and args:
        item = code.name(_item_function(code, args[0], converter), "item")
        code.add(indent, "if v.__class__ is not list: raise Refused()")
        code.add(indent, f"v = {code.name(Vector, 'vector')}([{item}(i) for i in v])")
    elif origin is Keyed and args:
        pair = code.name(_item_function(code, tuple[args], converter), "item")  # type: ignore[valid-type]
        code.add(indent, "if v.__class__ is not list: raise Refused()")
        code.add(indent, "n = len(v)")
        code.add(indent, f"v = {code.name(Keyed, 'keyed')}([{pair}(i) for i in v])")
        code.add(indent, "if len(v) != n: raise Refused()")
    else:
        return False
    return True


def _no_float_hook(hint: Any) -> bool:
    """Whether the converter's hook of ``hint`` takes no float, and no nested value.

    Dates, datetimes and UUIDs take strings only; a ``Literal`` or an enum takes its
    values, each of its own JSON type (none of them a float here).
    """
    if hint in (datetime.date, datetime.datetime, UUID):
        return True
    if typing.get_origin(hint) is Literal:
        values = typing.get_args(hint)
    elif isinstance(hint, type) and issubclass(hint, enum.Enum):
        values = tuple(hint)
    else:
        return False
    stored = [value.value if isinstance(value, enum.Enum) else value for value in values]
    return all(type(value) in (str, int, bool, type(None)) for value in stored)


def _choices(hint: Any) -> dict[tuple[type, Any], Any]:
    """The values a ``Literal`` or an enum takes, each under its stored value and JSON type.

    As the converter's hooks read them: the first option of a stored value, which
    must be of the same type (``True`` is not ``1``).
    """
    options = typing.get_args(hint) if typing.get_origin(hint) is Literal else tuple(hint)
    table: dict[tuple[type, Any], Any] = {}
    for option in options:
        stored = option.value if isinstance(option, enum.Enum) else option
        table.setdefault((type(stored), stored), option)
    return table


def _item_function(parent: Code, hint: Any, converter: cattrs.Converter) -> Builder:
    """A function structuring one item of an array of ``hint`` (``parent`` uses it)."""
    code = Code()
    code.add(0, "def item(v):")
    _structure(code, 1, hint, converter)
    code.add(1, "return v")
    parent.alike = parent.alike and code.alike
    return typing.cast("Builder", compile_function(code, "item", f"item of {hint!r}"))


def _make(cls: type, converter: cattrs.Converter) -> Builder | None:
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):  # a forward reference that names nothing
        return None
    if not buildable(cls):
        return None
    fields = attrs.fields(cls)
    code = Code()
    cls_name = code.name(cls, "cls")
    new = code.name(object.__new__, "new")
    allowed = code.name(frozenset(field.name for field in fields), "keys")
    code.add(0, "def build(o):")
    code.add(1, f"if not o.keys() <= {allowed}: raise Refused()")
    code.add(1, f"self = {new}({cls_name})")
    for field in fields:
        _field(code, field, hints[field.name], converter)
        code.add(1, f"{code.name(slot_setter(cls, field.name), 'set')}(self, v)")
    checks = [(field, _own_validators(field)) for field in fields]
    if any(validators for _, validators in checks):
        # attrs' own __init__ asks the same (``attrs.validators.set_disabled`` sets it).
        code.add(1, f"if {code.name(_ATTRS_CONFIG, 'config')}._run_validators is True:")
        for field, validators in checks:
            attribute = code.name(field, "attribute")
            for validator in validators:
                if validator is non_blank:  # the value is a str: what is left, inline
                    code.add(2, f"if not self.{field.name}.strip(): raise Refused()")
                    continue
                name = code.name(validator, "validate")
                code.add(2, f"{name}(self, {attribute}, self.{field.name})")
    if hasattr(cls, "__attrs_post_init__"):
        code.add(1, "self.__attrs_post_init__()")
    code.add(1, "return self")
    _alike[cls] = code.alike
    filename = f"<chronicle fast decoder {cls.__qualname__}>"
    return typing.cast("Builder", compile_function(code, "build", filename))


def _field(code: Code, field: attrs.Attribute[Any], hint: Any, converter: cattrs.Converter) -> None:
    """Lines that make ``v`` the value of ``field``, as ``__init__`` would set it."""
    default: Any = field.default
    convert = None if field.converter is None else code.name(field.converter, "convert")
    kept = _keeps(field.converter, hint)
    if default is attrs.NOTHING:
        code.add(1, f"v = o[{field.name!r}]")
        _structure(code, 1, hint, converter)
        if convert and not kept:
            code.add(1, f"v = {convert}(v)")
        return
    code.add(1, f"if {field.name!r} in o:")
    code.add(2, f"v = o[{field.name!r}]")
    _structure(code, 2, hint, converter)
    if convert and not kept:
        code.add(2, f"v = {convert}(v)")
    code.add(1, "else:")
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        code.add(2, f"v = {code.name(default.factory, 'factory')}()")
        if convert:
            code.add(2, f"v = {convert}(v)")
    elif convert and not (kept and type(default) in (When, tuple)):
        code.add(2, f"v = {convert}({code.name(default, 'default')})")
    else:  # no converter, or one that gives the default back as it is
        code.add(2, f"v = {code.name(default, 'default')}")


def _keeps(converter: Any, hint: Any) -> bool:
    """Whether ``converter`` gives back, unchanged, any value the structuring of ``hint`` makes.

    So the builder need not call it: ``to_when`` (and ``When``) of a When, ``tuple`` (and
    chronicle's converter of sources) of a tuple, which ``tuple()`` gives back as it is.
    Every event's ``occurred`` and ``sources`` have them. So does a converter marked
    :func:`~chronicle._fieldtypes.implied_by_type`. A default value goes through its
    converter unless it is itself a When or a tuple.
    """
    if is_implied(converter):
        return True
    if converter in (to_when, When):
        return hint is When
    return converter in (tuple, _sources) and typing.get_origin(hint) is tuple


def slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """What sets the field ``name`` of a new instance of ``cls``, as its ``__init__`` does.

    A slot's own setter where the field is a slot (as in every frozen attrs class):
    called directly, two to three times cheaper than ``object.__setattr__``, which
    looks the attribute up on every call.
    """
    slot = getattr(cls, name, None)
    if isinstance(slot, types.MemberDescriptorType):
        return slot.__set__
    return lambda instance, value: object.__setattr__(instance, name, value)


def compile_function(code: Code, function: str, filename: str) -> Callable[..., Any]:
    """The function ``code`` defines, its source kept under ``filename`` for tracebacks."""
    source = "\n".join(code.lines) + "\n"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, Any] = {}
    exec(compile(source, filename, "exec"), dict(code.names), namespace)  # noqa: S102 -- our code
    return typing.cast("Callable[..., Any]", namespace[function])
