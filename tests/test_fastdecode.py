"""The fast builders: made only for classes they can build exactly as ``__init__`` does."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

import chronicle
from chronicle import Event, When
from chronicle._codec import converter, decode, encode
from chronicle._fastdecode import builder

BUILT: list[str] = []
"""What the hand-written ``__init__`` below was given."""


@chronicle.event("tests.fastdecode.own_init")
class OwnInit(Event):
    """An event whose class writes its own ``__init__``: decoding must run it."""

    label: str = ""

    def __init__(self, **values: Any) -> None:
        BUILT.append(values.get("label", ""))
        self.__attrs_init__(**values)  # type: ignore[attr-defined]


@chronicle.event("tests.fastdecode.pre_init")
class PreInit(Event):
    """An event with a pre-init hook."""

    label: str = ""

    def __attrs_pre_init__(self) -> None:
        BUILT.append("pre-init")


@chronicle.event("tests.fastdecode.plain")
class Plain(Event):
    """An event the fast path builds."""

    label: str = ""
    count: int = attrs.field(default=0, validator=attrs.validators.ge(0))


@pytest.mark.parametrize("cls", [OwnInit, PreInit])
def test_a_class_built_otherwise_has_no_builder_and_decodes_through_its_init(
    cls: type[Event],
) -> None:
    """No builder for it; decoding still runs what its own construction runs."""
    assert builder(cls, converter) is None
    event = cls(occurred=When("2020"), label="x")  # type: ignore[call-arg]
    BUILT.clear()
    assert event == decode(encode(event))
    assert BUILT == ["x" if cls is OwnInit else "pre-init"]


def test_a_plain_class_is_built_with_its_own_validators() -> None:
    """The builder exists, and a value the class's own validator refuses is refused."""
    assert builder(Plain, converter) is not None
    stored = encode(Plain(occurred=When("2020"), label="x", count=2))
    assert Plain(occurred=When("2020"), label="x", count=2) == decode(stored)
    with pytest.raises(chronicle.CorruptLog, match=r"cannot decode 'tests\.fastdecode\.plain'"):
        decode({**stored, "data": {**stored["data"], "count": -1}})
