"""Faster ``__init__`` for frozen attrs classes that a fold makes on every event.

attrs gives a frozen class an ``__init__`` that sets each field through
``object.__setattr__`` (a frozen class refuses its own ``__setattr__``), which
looks the attribute up by name on every call. A projector's handler makes a new
state, and often two or three values in it, for each event it folds: that
lookup is a third of making a small state. :func:`fast_init` gives a class an
``__init__`` that does what attrs' does, in the same order (each field's
converter and setting, then the validators when attrs runs them, then
``__attrs_post_init__``), with the same signature, but sets each field through
its slot's own setter.

Only a class whose ``__init__`` attrs generated and that :func:`buildable` takes
(every field set under its own name, no pre-init hook, no cached hash, no
converter or factory that takes the instance) is changed; any other is left as
it is.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from chronicle._fastdecode import (
    FAST_INIT_FILE,
    Code,
    buildable,
    compile_function,
    slot_setter,
)

__all__ = ["fast_init", "maker"]

T = TypeVar("T")

_ATTRS_CONFIG = importlib.import_module("attr._config")
"""Where attrs keeps whether validators run, as its generated ``__init__`` reads it."""


def fast_init(*classes: type) -> None:
    """Give each class the faster ``__init__``, if it is a frozen, slotted attrs class.

    Any other class (see the module) keeps its ``__init__``.
    """
    for cls in classes:
        if _frozen_slots(cls) and buildable(cls):
            init, attrs_init = _make(cls), vars(cls)["__init__"]
            init.__qualname__ = f"{cls.__qualname__}.__init__"
            init.__doc__ = attrs_init.__doc__
            init.__annotations__ = dict(attrs_init.__annotations__)  # what signatures show
            type.__setattr__(cls, "__init__", init)


def maker(cls: type[T], *, checked: bool = True) -> Callable[..., T]:
    """A function that makes an instance of ``cls`` as calling it does, without the call.

    Calling a class builds a tuple and a dict of its arguments and calls
    ``__new__`` and ``__init__``; the function takes the arguments of ``__init__``
    and runs the same steps (converters, validators when attrs runs them,
    ``__attrs_post_init__``) on an instance it allocates, in about two thirds of
    the time. For what a handler makes on every event. A class that
    :func:`fast_init` would not change gets ``cls`` itself.

    With ``checked=False`` the function runs no validator: only for values made
    from values already checked, where no check could fail (the sum of two counts).
    """
    if not (_frozen_slots(cls) and buildable(cls)):
        return cls
    made: Callable[..., T] = _make(cls, allocate=True, checked=checked)
    made.__qualname__ = f"maker({cls.__qualname__})"
    return made


def _frozen_slots(cls: type) -> bool:
    """Whether ``cls`` is an attrs class that refuses ``setattr`` and keeps its fields in slots."""
    return (
        attrs.has(cls)
        and cls.__setattr__ is _FROZEN_SETATTR  # type: ignore[comparison-overlap]
        and all(
            isinstance(vars(cls).get(field.name), types.MemberDescriptorType)
            for field in attrs.fields(cls)
        )
    )


_FROZEN_SETATTR = attrs.frozen(type("_Frozen", (), {})).__setattr__
"""The ``__setattr__`` attrs gives every frozen class."""


def _make(cls: type, *, allocate: bool = False, checked: bool = True) -> Any:
    """The faster ``__init__`` of ``cls``; with ``allocate``, a function that makes one."""
    code = Code()
    fields = attrs.fields(cls)
    nothing = code.name(attrs.NOTHING, "nothing")
    parameters = ", ".join([*([] if allocate else ["self"]), *_parameters(code, fields, nothing)])
    code.add(0, f"def __init__({parameters}):")
    if allocate:
        code.add(1, f"self = {code.name(object.__new__, 'new')}({code.name(cls, 'cls')})")
    for field in fields:
        value = field.name
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            code.add(1, f"if {value} is {nothing}:")
            code.add(2, f"{value} = {code.name(default.factory, 'factory')}()")
        if field.converter is not None:
            value = f"{code.name(field.converter, 'convert')}({value})"
        code.add(1, f"{code.name(slot_setter(cls, field.name), 'set')}(self, {value})")
    validated = [field for field in fields if checked and field.validator is not None]
    if validated:
        code.add(1, f"if {code.name(_ATTRS_CONFIG, 'config')}._run_validators is True:")
        for field in validated:
            validate, attribute = (
                code.name(field.validator, "validate"),
                code.name(field, "attribute"),
            )
            code.add(2, f"{validate}(self, {attribute}, self.{field.name})")
    if hasattr(cls, "__attrs_post_init__"):
        code.add(1, "self.__attrs_post_init__()")
    if allocate:
        code.add(1, "return self")
    elif len(code.lines) == 1:
        code.add(1, "pass")
    name = f"maker({cls.__qualname__})" if allocate else cls.__qualname__
    return compile_function(code, "__init__", f"{FAST_INIT_FILE} {name}>")


def _parameters(code: Code, fields: tuple[attrs.Attribute[Any], ...], nothing: str) -> list[str]:
    """The parameters of attrs' ``__init__`` after ``self``: a factory's default is ``nothing``."""
    positional: list[str] = []
    keywords: list[str] = []
    for field in fields:
        default: Any = field.default
        if default is attrs.NOTHING:
            parameter = field.name
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            parameter = f"{field.name}={nothing}"
        else:
            parameter = f"{field.name}={code.name(default, 'default')}"
        (keywords if field.kw_only else positional).append(parameter)
    return [*positional, *(["*", *keywords] if keywords else [])]
