"""Strict decoding: a stored value of the wrong JSON type is refused, never converted."""

from __future__ import annotations

import copy
import datetime
import enum
import json
import types
import typing
import uuid
from collections.abc import Iterator
from typing import Any, Literal
from unittest import mock

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle
import chronicle.politics
from chronicle import (
    CorruptLog,
    Event,
    Keyed,
    Projector,
    Vector,
    When,
    _strict,
    decode,
    encode,
    replay,
)
from chronicle._codec import (
    _fast_builder,
    _structurer,
    converter,
    make_converter,
    parse_json,
    stored_entry,
)
from chronicle._event import registered_types
from chronicle._fastdecode import builder
from chronicle._strict import json_kind
from chronicle.testing import chronologies, events_of
from chronicle.testing.politics import political_events
from tests.jsonpaths import PATHS, json_path

WRONG: dict[str, object] = {
    "null": None,
    "boolean": True,
    "integer": 7,
    "fraction": 2.5,
    "string": "x",
    "array": ["x"],
    "object": {"x": 1},
}
"""A value of each JSON type (integers and fractions apart: an int field takes no fraction)."""

EDGES: tuple[object, ...] = (-1, 0, "", " ")
"""Values of a right JSON type that a class's own rules may refuse (a validator marked as
implied by the type must not be one of those rules)."""

STRING_TYPES = (str, When, datetime.date, datetime.datetime, uuid.UUID)

# The core's entry types and the politics domain's: the types this property covers.
COVERED = sorted(
    name for name in registered_types() if name.startswith(("chronicle.", "politics."))
)


def _kind_of(value: object) -> str:
    """The key of WRONG naming the JSON type of ``value``."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "fraction"
    return {type(None): "null", str: "string", list: "array", dict: "object"}[type(value)]


def right_kinds(hint: Any) -> set[str]:
    """The JSON types a value of the type ``hint`` may be stored as."""
    origin, args = typing.get_origin(hint) or hint, typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return set().union(*(right_kinds(arg) for arg in args))
    if hint is type(None):
        return {"null"}
    if origin is Literal:
        return {_kind_of(arg) for arg in args}
    if hint is bool:
        return {"boolean"}
    if hint is int:
        return {"integer"}
    if hint is float:
        return {"integer", "fraction"}
    if hint in STRING_TYPES:
        return {"string"}
    if origin in (tuple, frozenset, Vector, Keyed):
        return {"array"}
    if hint is Event or attrs.has(hint):
        return {"object"}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {_kind_of(member.value) for member in hint}
    raise AssertionError(f"no JSON form known for {hint!r}")


def _member(hint: Any, value: object) -> Any:
    """The member of a union that a stored ``value`` is of (None if it is null)."""
    members = [a for a in typing.get_args(hint) if a is not type(None)]
    return next((m for m in members if _kind_of(value) in right_kinds(m)), None)


def positions(value: Any, hint: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, Any]]:
    """Every place in a stored value, as (path, type hint): fields, items, nested fields.

    A field left out of the stored form (at its default) is a place too.
    """
    if path:
        yield path, hint
    yield from _inside(value, hint, path)


def _inside(value: Any, hint: Any, path: tuple[str | int, ...]) -> Iterator[tuple[Any, Any]]:
    """The places inside a stored value of the type ``hint``."""
    origin, args = typing.get_origin(hint) or hint, typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        member = _member(hint, value)
        if member is not None:
            yield from _inside(value, member, path)
    elif origin in (tuple, frozenset) and isinstance(value, list):
        for index, item in enumerate(value):
            kind = args[0] if len(args) == 1 or args[-1] is Ellipsis else args[index]
            yield from positions(item, kind, (*path, index))
    elif origin in (Vector, Keyed) and isinstance(value, list):
        kind = args[0] if origin is Vector else tuple[args]  # type: ignore[valid-type]
        for index, item in enumerate(value):
            yield from positions(item, kind, (*path, index))
    elif hint is Event and isinstance(value, dict):
        cls = registered_types()[value["type"]].cls
        yield from positions(value["data"], cls, (*path, "data"))
    elif isinstance(hint, type) and attrs.has(hint) and isinstance(value, dict):
        hints = typing.get_type_hints(hint)
        for field in attrs.fields(hint):
            if field.name in value:
                yield from positions(value[field.name], hints[field.name], (*path, field.name))
            else:
                yield (*path, field.name), hints[field.name]


def replaced(stored: dict[str, Any], path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    """A deep copy of ``stored`` whose ``data`` holds ``value`` at ``path``."""
    changed = copy.deepcopy(stored)
    place: Any = changed["data"]
    for step in path[:-1]:
        place = place[step]
    place[path[-1]] = value
    return changed


def drawn(cls: type[Any]) -> st.SearchStrategy[Any]:
    """Entries of ``cls``; a correction's replacement is a political event."""
    if cls is chronicle.Corrected:
        return events_of(cls, replacement=political_events)
    return events_of(cls)


def test_the_property_covers_every_core_and_politics_type() -> None:
    """The core's two corrections and every politics event are all covered."""
    politics = {name for name in chronicle.registered_types() if name.startswith("politics.")}
    assert 2 + len(politics) == len(COVERED)
    assert {"chronicle.corrected", "chronicle.retracted", "politics.coup_occurred"} <= set(COVERED)


def _read_back(entry: Any) -> dict[str, Any]:
    """The stored form of ``entry`` as a store writes it and reads it back."""
    stored = stored_entry(entry)
    return {"type": stored.type, "v": stored.v, "data": parse_json(stored.data)}


@pytest.mark.parametrize("parser", PATHS)
@pytest.mark.parametrize("name", COVERED)
@given(data=st.data())
def test_a_value_of_a_wrong_json_type_is_refused(
    name: str, parser: str, data: st.DataObject
) -> None:
    """Every field, item and nested field, given a value of each wrong JSON type, is refused.

    Decoding raises a CorruptLog naming the event type, the field and the value; and
    construction refuses the same value in a field of the entry. The entry is written
    and read as a store does, each wrong value read from JSON text, through orjson and
    through json alone.
    """
    cls = registered_types()[name].cls
    entry = data.draw(drawn(cls))
    with json_path(parser):
        stored = _read_back(entry)
    checked = 0
    for path, hint in positions(stored["data"], cls):
        for kind in WRONG.keys() - right_kinds(hint):
            text = json.dumps(replaced(stored, path, WRONG[kind]))
            with json_path(parser), pytest.raises(CorruptLog) as refused:
                decode(parse_json(text))
            message = str(refused.value)
            assert repr(name) in message
            assert str(path[-1] if isinstance(path[-1], str) else path[-2]) in message
            if len(path) == 1:  # construction refuses the same value
                with pytest.raises((ValueError, TypeError)):
                    attrs.evolve(entry, **{str(path[0]): WRONG[kind]})
            checked += 1
    assert checked >= len(WRONG) - 1  # at least `occurred` or `target`, of every wrong type


@pytest.mark.parametrize("parser", PATHS)
@pytest.mark.parametrize("name", COVERED)
@given(data=st.data())
def test_encode_then_decode_is_the_identity(name: str, parser: str, data: st.DataObject) -> None:
    """decode(encode(e)) == e for every core and politics type, also through JSON text.

    Through the text a store writes and reads, by orjson and by json alone.
    """
    entry = data.draw(drawn(registered_types()[name].cls))
    with json_path(parser):
        assert entry == decode(encode(entry))
        assert entry == decode(parse_json(json.dumps(encode(entry), ensure_ascii=False)))
        assert entry == decode(_read_back(entry))


class Colour(enum.Enum):
    RED = "red"
    ONE = 1


class Size(enum.IntEnum):
    SMALL = 1


class Shade(enum.StrEnum):
    DARK = "dark"


@attrs.frozen
class Point:
    x: int
    label: str = ""


PRIMITIVES: list[tuple[Any, object, object, list[object]]] = [
    (str, "a", "a", [None, True, 1, 1.5, ["a"], {"a": 1}]),
    (bool, False, False, [None, "false", 0, 1, 0.0, [], {}]),
    (int, 3, 3, [None, True, False, 3.0, "3", [3], {}]),
    (float, 2.5, 2.5, [None, True, "2.5", float("nan"), float("inf"), [2.5]]),
    (float, 2, 2, [-float("inf")]),
    (When, "2020-08", When("2020-08"), [None, 2020, True, ["2020"], {"y": 2020}]),
    (
        datetime.date,
        "2020-08-18",
        datetime.date(2020, 8, 18),
        [None, 20200818, "yesterday", ["2020-08-18"]],
    ),
    (
        datetime.datetime,
        "2020-08-18T10:00:00+00:00",
        datetime.datetime(2020, 8, 18, 10, tzinfo=datetime.UTC),
        [None, 0, "2020-08-18T10:00:00", "noon"],
    ),
    (uuid.UUID, str(uuid.UUID(int=5)), uuid.UUID(int=5), [None, 5, "not-a-uuid", [1]]),
    (tuple[str, ...], ["a", "b"], ("a", "b"), [None, "ab", {"a": 1}, [1], ["a", None]]),
    (tuple[str, int], ["a", 1], ("a", 1), [["a"], ["a", 1, 2], [1, "a"], "a1"]),
    (frozenset[str], ["a", "b"], frozenset({"a", "b"}), ["ab", ["a", "a"], [1], None]),
    (Point, {"x": 1}, Point(x=1), [None, [1], "x", {"x": "1"}]),
    (str | None, None, None, [1, ["a"]]),
    (int | str, "1", "1", [None, 1.5, True, []]),
    (Literal["a", 1], 1, 1, ["b", True, 1.0, None]),
    (Colour, "red", Colour.RED, ["RED", "blue", True, None]),
    (Colour, 1, Colour.ONE, ["1", True, 1.0]),
    (Size, 1, Size.SMALL, [True, "1", 2]),
    (Shade, "dark", Shade.DARK, [None, "light", 1]),
]


class TestHooks:
    @pytest.mark.parametrize(("cls", "stored", "value", "wrong"), PRIMITIVES)
    def test_the_stored_form_is_read_and_nothing_else(
        self, cls: Any, stored: object, value: object, wrong: list[object]
    ) -> None:
        """Each type reads its own JSON form, and refuses every other with a CorruptLog."""
        converter = make_converter()
        result = converter.structure(stored, cls)
        assert value == result
        assert type(value) is type(result)
        for bad in wrong:
            with pytest.raises(Exception) as refused:  # noqa: PT011 -- cattrs groups them
                converter.structure(bad, cls)
            assert _is_corrupt(refused.value), bad

    def test_the_issue_reproductions_are_refused(self) -> None:
        """A "false" for a bool, null or an array for a string, NaN for a string: all refused."""
        for data in (
            {"occurred": "2020", "successful": "false"},
            {"occurred": "2020", "successful": True, "ousted": None},
            {"occurred": "2020", "successful": True, "junta": ["Mopti", "Gao"]},
            {"occurred": "2020", "successful": True, "junta": float("nan")},
        ):
            with pytest.raises(CorruptLog, match=r"politics\.coup_occurred"):
                decode({"type": "politics.coup_occurred", "v": 1, "data": data})

    def test_the_message_names_type_field_and_value(self) -> None:
        """The path of a nested field and the value, quoted shortened, are in the message."""
        stored = {
            "type": "politics.coup_occurred",
            "v": 1,
            "data": {
                "occurred": "2020",
                "successful": True,
                "sources": [{"publisher": "Reuters"}, {"publisher": ["x" * 500]}],
            },
        }
        with pytest.raises(CorruptLog) as refused:
            decode(stored)
        message = str(refused.value)
        assert "'politics.coup_occurred'" in message
        assert "sources[1].publisher: expected a string, got an array" in message
        assert len(message) < 250

    def test_a_correction_is_no_replacement(self) -> None:
        """A stored Corrected whose replacement is a correction reads as inapplicable.

        It is never read as an event; the log stays readable, and replay ignores it.
        """
        inner = encode(chronicle.Retracted(target=uuid.UUID(int=1), reason="r"))
        stored = {
            "type": "chronicle.corrected",
            "v": 1,
            "data": {"target": str(uuid.UUID(int=2)), "reason": "r", "replacement": inner},
        }
        found = decode(stored)
        assert isinstance(found, chronicle.InapplicableCorrection)
        assert stored == encode(found)

    def test_a_bool_is_no_schema_version(self) -> None:
        """`"v": true` is not version 1."""
        with pytest.raises(CorruptLog, match="malformed"):
            decode({"type": "politics.coup_occurred", "v": True, "data": {}})

    def test_json_kinds(self) -> None:
        """Messages name the JSON type of the value refused."""
        assert ["null", "a boolean", "a number", "a string", "an array", "an object"] == [
            json_kind(v) for v in (None, False, 1.5, "", [], {})
        ]


def _is_corrupt(error: BaseException) -> bool:
    """Whether a refusal is a CorruptLog, or a cattrs group made of them only."""
    if isinstance(error, CorruptLog):
        return True
    nested = getattr(error, "exceptions", None)
    return bool(nested) and all(_is_corrupt(e) for e in nested)


@pytest.mark.parametrize("parser", PATHS)
class TestParseJson:
    @pytest.mark.parametrize(
        "text", ["NaN", "[Infinity]", '{"a": -Infinity}', "1e400", b"\xff", '{"a": ', "[" * 100_000]
    )
    def test_what_is_not_json_is_a_corrupt_log(self, parser: str, text: str | bytes) -> None:
        """NaN, infinities, invalid UTF-8, cut text and deep nesting: CorruptLog, no other error."""
        with json_path(parser), pytest.raises(CorruptLog):
            parse_json(text)

    def test_json_is_read(self, parser: str) -> None:
        """Bytes (UTF-8) and text give the same values."""
        with json_path(parser):
            assert {"a": [1, 2.5, "é"]} == parse_json('{"a": [1, 2.5, "é"]}'.encode())


class TestConstruction:
    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (
                lambda: chronicle.politics.CoupOccurred(occurred="2020", successful=True, junta=5),
                "CoupOccurred.junta must be str, not 5",
            ),
            (
                lambda: chronicle.Retracted(target="x" * 200, reason="typo"),
                "Retracted.target must be UUID, not 'xxx",
            ),
            (
                lambda: chronicle.Source(publisher="Reuters", title=None),
                "Source.title must be str, not None",
            ),
        ],
    )
    def test_a_value_decoding_would_refuse_is_refused_at_construction(
        self, make: Any, message: str
    ) -> None:
        """An entry that could not be read back cannot be made: an InvalidEvent, quoted short."""
        with pytest.raises(chronicle.InvalidEvent) as refused:
            make()
        assert str(refused.value).startswith(message)
        assert len(str(refused.value)) < 150


def _outcome(structure: Any, cls: type, data: Any) -> tuple[str, Any]:
    """What structuring ``data`` into ``cls`` gives: ("value", it) or ("refused", None)."""
    try:
        return "value", structure(copy.deepcopy(data))
    except Exception:  # any refusal: the two paths word theirs differently
        return "refused", None


@pytest.mark.parametrize("name", COVERED)
@given(data=st.data())
def test_the_fast_path_takes_exactly_what_the_detailed_path_takes(
    name: str, data: st.DataObject
) -> None:
    """The builder made once per class and cattrs' detailed structuring agree on every value.

    On the stored form of an entry, and on it with each field, item and nested field
    replaced by a value of each JSON type, right or wrong: both give the same entry,
    or both refuse.
    """
    cls = registered_types()[name].cls
    fast = _fast_builder(cls)
    if fast is None:  # decoded on the detailed path alone: a correction's own hook
        assert cls is chronicle.Corrected
        return
    entry = data.draw(drawn(cls))
    stored = json.loads(json.dumps(encode(entry)))
    detailed = _structurer(cls)
    cases = [stored["data"]] + [
        replaced(stored, path, value)["data"]
        for path, _ in positions(stored["data"], cls)
        for value in [*WRONG.values(), *EDGES]
    ]
    assert _outcome(fast, cls, stored["data"]) == ("value", entry)
    for case in cases:
        assert _outcome(lambda d: detailed(d, cls), cls, case) == _outcome(fast, cls, case)


def _repeated(stored: Any, path: tuple[str | int, ...]) -> list[Any]:
    """The array at ``path`` with its first item again at its end, if there is a non-empty one.

    A repeated key of a ``Keyed`` and a repeated member of a frozenset are refused.
    """
    place = stored
    for step in path:
        if (isinstance(place, dict) and step in place) or (
            isinstance(place, list) and isinstance(step, int) and step < len(place)
        ):
            place = place[step]
        else:  # a field left at its default
            return []
    return [[*place, place[0]]] if isinstance(place, list) and place else []


STATE_PROJECTORS = sorted(chronicle.politics.PROJECTORS.values(), key=lambda p: p.name)


@pytest.mark.parametrize("projector", STATE_PROJECTORS, ids=lambda p: p.name)
@given(chronology=chronologies(political_events, max_events=12))
def test_a_state_is_built_fast_exactly_as_in_detail(
    projector: Projector[Any], chronology: Any
) -> None:
    """A checkpoint's state (persistent sequences, keyed tuples, literals) reads alike both ways.

    The state type's fast builder, and a converter that has none (cattrs' functions
    alone, at every level), agree on the stored form of a folded state and on it with
    each field, item and nested field given a value of each JSON type.
    """
    cls = projector.state_type
    state = replay(chronology.build(), projector)
    stored = json.loads(json.dumps(converter.unstructure(state, cls)))
    fast = builder(cls, converter)
    assert fast is not None
    with mock.patch.object(_strict, "builder", return_value=None):
        detailed = make_converter()
        cases = [stored] + [
            replaced({"data": stored}, path, value)["data"]
            for path, _ in positions(stored, cls)
            for value in [*WRONG.values(), *EDGES, *_repeated(stored, path)]
        ]
        assert _outcome(fast, cls, stored) == ("value", state)
        for case in cases:
            assert _outcome(lambda d: detailed.structure(d, cls), cls, case) == _outcome(
                fast, cls, case
            )
