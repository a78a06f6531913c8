"""The faster ``__init__`` does what attrs' own does: same values, same errors, same order."""

from __future__ import annotations

import inspect
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle.politics
from chronicle import Projector, replay
from chronicle._codec import converter
from chronicle._fastdecode import FAST_INIT_FILE, builder
from chronicle._fastinit import fast_init, maker
from chronicle.testing import chronologies
from chronicle.testing.politics import political_events

calls: list[str] = []
"""What the classes' converters, validators and post-init hooks were called with, in order."""


def _converted(value: Any) -> Any:
    calls.append(f"convert {value!r}")
    if value == "bad":
        raise ValueError("cannot convert 'bad'")
    return (value,)


def _validated(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    calls.append(f"validate {attribute.name} {value!r}")
    if value == -1:
        raise ValueError(f"{attribute.name} is -1")


def _kind() -> type:
    """A class with each kind of field attrs' __init__ handles, made anew on each call."""

    @attrs.frozen
    class Kind:
        first: int = attrs.field(validator=_validated)
        second: Any = attrs.field(default="x", converter=_converted)
        third: list[int] = attrs.field(factory=list)
        fourth: int = attrs.field(default=0, kw_only=True, validator=_validated)
        fifth: Any = attrs.field(kw_only=True)

        def __attrs_post_init__(self) -> None:
            calls.append("post-init")

    return Kind


ORIGINAL, FAST = _kind(), _kind()
fast_init(FAST)

values = st.one_of(st.integers(-2, 2), st.sampled_from(["x", "bad"]), st.lists(st.integers()))
arguments = st.tuples(
    st.lists(values, max_size=4),
    st.dictionaries(
        st.sampled_from(["first", "second", "third", "fourth", "fifth", "sixth"]), values
    ),
)


def _outcome(cls: type, args: list[Any], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """What making an instance gives (its fields, or the error) and the calls it made."""
    calls.clear()
    try:
        made = cls(*args, **kwargs)
    except Exception as error:
        return ("raised", type(error), str(error).replace(cls.__qualname__, "C"), [*calls])
    return ("made", attrs.astuple(made, recurse=False), [*calls])


def test_the_class_has_the_faster_init_with_attrs_signature() -> None:
    assert FAST.__init__.__code__.co_filename.startswith(FAST_INIT_FILE)
    assert ORIGINAL.__init__.__code__.co_filename.startswith("<attrs generated")
    assert str(inspect.signature(FAST)) == str(inspect.signature(ORIGINAL))


@given(arguments)
def test_it_makes_what_attrs_makes_and_refuses_what_attrs_refuses(
    given_arguments: tuple[list[Any], dict[str, Any]],
) -> None:
    """Same fields, same error, same converter, validator and hook calls in the same order."""
    args, kwargs = given_arguments
    assert _outcome(FAST, args, kwargs) == _outcome(ORIGINAL, args, kwargs)


MAKE = maker(ORIGINAL)


def _made(cls_or_maker: Any, args: list[Any], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Like :func:`_outcome`, an argument error told by its type alone (it names the caller)."""
    outcome = _outcome(cls_or_maker, args, kwargs)
    if outcome[0] == "raised" and outcome[1] is TypeError and "argument" in outcome[2]:
        return ("raised", TypeError, "arguments", outcome[3])
    return outcome


@given(arguments)
def test_a_maker_makes_what_the_class_makes_and_refuses_what_it_refuses(
    given_arguments: tuple[list[Any], dict[str, Any]],
) -> None:
    """Same fields, same error, same converter, validator and hook calls in the same order."""
    args, kwargs = given_arguments
    assert _made(MAKE, args, kwargs) == _made(ORIGINAL, args, kwargs)
    made = _outcome(MAKE, args, kwargs)
    if made[0] == "made":
        assert type(MAKE(*args, **kwargs)) is ORIGINAL


def test_a_maker_unchecked_runs_no_validator_and_all_else() -> None:
    unchecked = maker(ORIGINAL, checked=False)
    assert _outcome(unchecked, [-1], {"fifth": 1}) == (
        "made",
        (-1, ("x",), [], 0, 1),
        ["convert 'x'", "post-init"],
    )


def test_a_class_it_cannot_build_is_its_own_maker() -> None:
    @attrs.frozen(slots=False)
    class NoSlots:
        value: int

    assert maker(NoSlots) is NoSlots


def test_validators_are_skipped_when_attrs_skips_them() -> None:
    with attrs.validators.disabled():
        assert _outcome(FAST, [-1], {"fifth": 1}) == _outcome(ORIGINAL, [-1], {"fifth": 1})
        assert "made" == _outcome(FAST, [-1], {"fifth": 1})[0]


def test_a_factory_is_called_for_each_instance() -> None:
    one, two = FAST(1, fifth=0), FAST(1, fifth=0)
    assert [] == one.third
    assert one.third is not two.third


def test_a_class_it_cannot_build_as_attrs_does_keeps_its_init() -> None:
    @attrs.frozen
    class OwnInit:
        value: int

        def __init__(self, value: str) -> None:
            self.__attrs_init__(int(value))

    @attrs.frozen
    class TakesSelf:
        value: int = attrs.field(default=attrs.Factory(lambda self: 1, takes_self=True))

    class NotAttrs:
        pass

    @attrs.define
    class NotFrozen:
        value: int

    @attrs.frozen(slots=False)
    class NoSlots:
        value: int

    classes = (OwnInit, TakesSelf, NotAttrs, NotFrozen, NoSlots)
    inits = [vars(cls).get("__init__") for cls in classes]
    fast_init(*classes)
    assert inits == [vars(cls).get("__init__") for cls in classes]


STATE_CLASSES = (
    chronicle.politics.Leader,
    chronicle.politics.Leadership,
    chronicle.politics.Promise,
    chronicle.politics.Drift,
    chronicle.politics.Elections,
    chronicle.politics.Detention,
    chronicle.politics.Parties,
    chronicle.politics.Toll,
    chronicle.politics.Count,
    chronicle.politics.Officer,
)


@pytest.mark.parametrize("cls", STATE_CLASSES, ids=lambda cls: cls.__name__)
def test_the_politics_states_and_values_have_it_and_still_decode_fast(cls: type) -> None:
    assert cls.__init__.__code__.co_filename.startswith(FAST_INIT_FILE)
    assert builder(cls, converter) is not None


def _parts(value: Any) -> list[Any]:
    """``value`` and every attrs instance inside it, however deep."""
    found = [value] if attrs.has(type(value)) else []
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            found += _parts(getattr(value, field.name))
    elif isinstance(value, (tuple, list, frozenset)) or type(value).__name__ in ("Vector",):
        for item in value:
            found += _parts(item)
    return found


@pytest.mark.parametrize("projector", list(chronicle.politics.PROJECTORS.values()), ids=str)
@given(chronology=chronologies(political_events, max_events=12))
def test_a_folded_state_is_made_again_equal_from_its_fields(
    projector: Projector[Any], chronology: Any
) -> None:
    """Every state and value a fold made, made again from its fields, is equal to it."""
    for part in _parts(replay(chronology.build(), projector)):
        cls = type(part)
        fields = attrs.fields(cls)
        args = [getattr(part, f.name) for f in fields if not f.kw_only]
        kwargs = {f.name: getattr(part, f.name) for f in fields if f.kw_only}
        assert cls(*args, **kwargs) == part
