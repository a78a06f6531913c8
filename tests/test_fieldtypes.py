"""The type checks construction adds: each takes exactly the values of its type."""

from __future__ import annotations

import enum
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import InvalidEvent
from chronicle._fieldtypes import check_of, is_checked, typed_fields
from chronicle.testing._fields import _Limits


class Level(enum.IntEnum):
    LOW = 1


values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=3)
    | st.sampled_from([Level.LOW, 1.0, 0, "a", b"a"]),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=4,
)
OPTIONS = (True, 1, "a", None, Level.LOW, 2.5)


@given(value=values, count=st.integers(1, len(OPTIONS)))
def test_a_literal_takes_its_options_of_their_own_type(value: Any, count: int) -> None:
    """``True`` is not ``1``, ``1.0`` is not ``1``, a list is none of them."""
    options = OPTIONS[:count]
    check = check_of(Literal[options])  # type: ignore[valid-type]
    assert check is not None
    assert check(value) == any(type(value) is type(o) and value == o for o in options)


@given(value=values)
def test_an_int_is_an_int_and_not_a_bool(value: Any) -> None:
    """An int subclass (an IntEnum) is an int; a bool, a float and a string are not."""

    @attrs.frozen(field_transformer=typed_fields)
    class Held:
        number: int = attrs.field(validator=attrs.validators.ge(0))

    is_int = isinstance(value, int) and not isinstance(value, bool)
    if is_int and value >= 0:
        assert Held(value).number is value
    else:
        with pytest.raises((InvalidEvent, ValueError, TypeError)):
            Held(value)


def test_a_field_keeps_its_own_validator_first_and_readable() -> None:
    """Its own validator runs before the type check, and both are named by the field."""

    @attrs.frozen(field_transformer=typed_fields)
    class Held:
        number: int = attrs.field(validator=attrs.validators.ge(5))

    field = attrs.fields(Held).number
    assert is_checked(field)
    with pytest.raises(ValueError, match=">= 5"):  # attrs' own message, not the type check's
        Held(-1)
    limits = _Limits()
    limits.read(field.validator)
    assert limits.low == 5
