"""Strategies derived from type hints and attrs validators, for the fields of events.

A field's strategy comes from its type hint (``str``, ``int``, ``When``,
``tuple[X, ...]``, ``frozenset[X]``, ``X | None``, ``Literal``, enums, attrs
classes, ...), narrowed by the attrs validators it can read (``ge``, ``gt``,
``le``, ``lt``, ``in_``, ``min_len``, ``max_len``, ``matches_re``, ``optional``,
``and_``). Strategies registered with :func:`register_strategy` come first;
types the kit does not know go to :func:`hypothesis.strategies.from_type`.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import math
import re
import types
import typing
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from hypothesis import reject
from hypothesis import strategies as st

from chronicle._errors import EventTypeError
from chronicle._event import Event, Source
from chronicle._when import When
from chronicle.testing._whens import whens

__all__ = [
    "SOURCES",
    "attrs_instances",
    "register_strategy",
    "registered_strategy",
    "strategy_for_type",
    "text",
]

T = TypeVar("T")

_registered: dict[type, st.SearchStrategy[Any]] = {}

MAX_SIZE = 2
"""The most items drawn for a tuple or frozenset field: enough for a fold, short to read."""


def register_strategy(cls: type[T], strategy: st.SearchStrategy[T]) -> None:
    """Use ``strategy`` for every value of ``cls`` the kit draws.

    For an event class, it is what :func:`events_of` (without overrides) and
    :func:`events` draw: register one for events whose fields obey rules across
    fields (a release after its arrest), which derivation from single fields cannot
    know. For any other class, it is used for fields of that type.

    Raises:
        EventTypeError: ``cls`` is not a class or ``strategy`` is not a strategy.
    """
    if not isinstance(cls, type):
        raise EventTypeError(f"register_strategy() takes a class, not {cls!r}")
    if not isinstance(strategy, st.SearchStrategy):
        raise EventTypeError(
            f"register_strategy({cls.__qualname__}, ...) takes a hypothesis strategy, "
            f"not {strategy!r}"
        )
    _registered[cls] = strategy


_DOMAIN_STRATEGIES = {"chronicle.politics": "chronicle.testing._politics"}
"""For each domain of chronicle's own, the module that registers its event strategies."""


def _domain_strategies(cls: type) -> None:
    """Register the strategies of ``cls``'s domain, if it is one of chronicle's own.

    Its events obey rules across fields that derivation cannot know (an arrest
    names someone, a figure is reported after its period), so its strategies
    construct valid events; they are used without the caller importing
    ``chronicle.testing.politics``.
    """
    package = cls.__module__.rpartition(".")[0]
    module = _DOMAIN_STRATEGIES.get(package)
    if module is not None:
        importlib.import_module(module)


def registered_strategy(cls: type[T]) -> st.SearchStrategy[T] | None:
    """The strategy registered for exactly ``cls``, if any (a chronicle domain's: its own)."""
    if cls not in _registered:
        _domain_strategies(cls)
    return _registered.get(cls)


def text(min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[str]:
    """Non-blank text without control characters or surrogates, as names and places are.

    Control characters and lone surrogates are left out because they cannot be
    stored everywhere a log can live (a NUL in PostgreSQL text, a surrogate in UTF-8).
    """
    chars = st.characters(exclude_categories=("Cs", "Cc"))
    return st.text(chars, min_size=max(min_size, 1), max_size=max_size).filter(str.strip)


_BASIC: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    bool: st.booleans,
    str: text,
    int: st.integers,
    float: lambda: st.floats(allow_nan=False, allow_infinity=False),
    When: whens,
    datetime.date: st.dates,
    datetime.datetime: lambda: st.datetimes(timezones=st.just(datetime.UTC)),
    uuid.UUID: st.uuids,
}


@attrs.define
class _Limits:
    """What the readable validators of a field say about its values."""

    low: float | None = None
    low_open: bool = False
    high: float | None = None
    high_open: bool = False
    min_len: int = 0
    max_len: int | None = None
    options: tuple[Any, ...] | None = None
    pattern: re.Pattern[str] | None = None
    optional: bool = False

    def read(self, validator: Any) -> None:
        """Narrow the limits by one validator; the class's constructor checks the others."""
        name = type(validator).__name__
        if hasattr(validator, "_validators"):  # attrs' and_, or a field's own and type check
            for inner in validator._validators:
                self.read(inner)
        elif name == "_OptionalValidator":
            self.optional = True
            self.read(validator.validator)
        elif name == "_NumberValidator":
            self._bound(validator.compare_op, validator.bound)
        elif name == "_InValidator":
            self.options = tuple(getattr(validator, "_original_options", validator.options))
        elif name == "_MinLengthValidator":
            self.min_len = max(self.min_len, validator.min_length)
        elif name == "_MaxLengthValidator":
            length = validator.max_length
            self.max_len = length if self.max_len is None else min(self.max_len, length)
        elif name == "_MatchesReValidator":
            self.pattern = validator.pattern

    def _bound(self, op: str, bound: float) -> None:
        if op in (">=", ">"):
            self.low, self.low_open = bound, op == ">"
        else:
            self.high, self.high_open = bound, op == "<"

    def numbers(self, kind: type) -> st.SearchStrategy[Any]:
        if kind is int:
            low = None if self.low is None else math.floor(self.low) + (1 if self.low_open else 0)
            high = (
                None if self.high is None else math.ceil(self.high) - (1 if self.high_open else 0)
            )
            return st.integers(low, high)
        return st.floats(
            self.low,
            self.high,
            exclude_min=self.low_open,
            exclude_max=self.high_open,
            allow_nan=False,
            allow_infinity=False,
        )


def _parts(hint: Any) -> tuple[Any, tuple[Any, ...]]:
    origin = typing.get_origin(hint)
    return (origin if origin is not None else hint), typing.get_args(hint)


def strategy_for_type(  # noqa: PLR0911 -- one return per form of hint, by precedence
    hint: Any, limits: _Limits | None = None
) -> st.SearchStrategy[Any]:
    """A strategy for values of the type ``hint``, within ``limits``."""
    limits = limits or _Limits()
    origin, args = _parts(hint)
    if limits.options is not None:
        return st.sampled_from(limits.options)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        values = st.one_of([strategy_for_type(a, limits) for a in inner])
        return st.none() | values if len(inner) < len(args) else values
    if isinstance(origin, type) and registered_strategy(origin) is not None:
        return _registered[origin]
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is str and limits.pattern is not None:
        return st.from_regex(limits.pattern, fullmatch=True)
    if origin is str:
        return text(limits.min_len, limits.max_len or 12)
    if origin in (int, float):
        return limits.numbers(origin)
    if origin in (tuple, frozenset) and args:
        return _collection(origin, args, limits)
    if origin in _BASIC:
        return _BASIC[origin]()
    if origin is Event:
        from chronicle.testing._events import events

        return events()
    if isinstance(origin, type) and issubclass(origin, enum.Enum):
        return st.sampled_from(origin)
    if isinstance(origin, type) and attrs.has(origin):
        return attrs_instances(origin)
    return st.from_type(hint)


def _collection(origin: type, args: tuple[Any, ...], limits: _Limits) -> st.SearchStrategy[Any]:
    low, high = limits.min_len, limits.max_len or max(MAX_SIZE, limits.min_len)
    if origin is frozenset:
        return st.frozensets(strategy_for_type(args[0]), min_size=low, max_size=high)
    if len(args) == 2 and args[1] is Ellipsis:
        return st.lists(strategy_for_type(args[0]), min_size=low, max_size=high).map(tuple)
    return st.tuples(*(strategy_for_type(a) for a in args))


def strategy_for_field(cls: type, field: attrs.Attribute[Any], hint: Any) -> st.SearchStrategy[Any]:
    """The strategy for one attrs field: from its type hint, narrowed by its validators."""
    limits = _Limits()
    if field.validator is not None:
        limits.read(field.validator)
    if hint is None:
        raise EventTypeError(
            f"{cls.__qualname__}.{field.name}: its type hint cannot be resolved, so no "
            f"strategy can be derived; pass {field.name}=<strategy> or register one"
        )
    strategy = strategy_for_type(hint, limits)
    return st.none() | strategy if limits.optional else strategy


def hints_of(cls: type) -> dict[str, Any]:
    """The resolved type hints of a class's fields; None for those that cannot be resolved.

    A class whose own annotations name something unknown still gets the hints of
    its bases (an event's ``occurred``), resolved class by class.
    """
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        try:
            hints.update(typing.get_type_hints(klass))
        except (NameError, TypeError):
            own = vars(klass).get("__annotations__", {})
            hints.update({name: None if isinstance(t, str) else t for name, t in own.items()})
    return hints


def attrs_instances(
    cls: type[T], overrides: dict[str, st.SearchStrategy[Any]] | None = None
) -> st.SearchStrategy[T]:
    """Instances of an attrs class, each field drawn from its derived strategy.

    Validators the derivation cannot read are honoured last, by dropping the
    drawn values the class refuses (its constructor raises ``ValueError`` or
    ``TypeError``).
    """
    overrides = overrides or {}
    fields = attrs.fields(typing.cast("type[attrs.AttrsInstance]", cls))
    unknown = sorted(set(overrides) - {f.name for f in fields})
    if unknown:
        names = ", ".join(f.name for f in fields)
        raise EventTypeError(
            f"{cls.__qualname__} has no field named {', '.join(map(repr, unknown))} "
            f"(its fields: {names})"
        )
    hints = hints_of(cls)
    strategies: dict[str, st.SearchStrategy[Any]] = {}
    for field in fields:
        if not field.init:
            continue
        strategies[field.alias or field.name] = (
            overrides[field.name]
            if field.name in overrides
            else strategy_for_field(cls, field, hints.get(field.name))
        )
    return _instances(cls, tuple(strategies.items()))


TRIES = 8
"""How many combinations of fields an instance is drawn from before the draw is rejected."""


@st.composite
def _instances(
    draw: st.DrawFn, cls: type[T], strategies: tuple[tuple[str, st.SearchStrategy[Any]], ...]
) -> T:
    """One instance of ``cls``, from the first of :data:`TRIES` combinations it accepts.

    A combination its constructor refuses is drawn again (a rule across fields
    that refuses half of them refuses eight in a row once in 256 draws), and
    the draw is rejected only after the last: hypothesis' health check fails
    when most draws are rejected, not when a few are.
    """
    for _ in range(TRIES):
        kwargs = {name: draw(strategy) for name, strategy in strategies}
        try:
            return cls(**kwargs)
        except (ValueError, TypeError):
            continue
    return typing.cast("T", reject())


# Sources are drawn lean (a publisher, sometimes a date), and an event has none or one:
# every event carries the field, projectors rarely read it, and the codec of a full
# Source is the core's to test; a full derivation would mostly cost time.
register_strategy(
    Source, _instances(Source, (("publisher", text()), ("published", st.none() | whens())))
)
SOURCES = st.lists(_registered[Source], max_size=1).map(tuple)
"""The ``sources`` of a drawn event: none, or one lean source."""
