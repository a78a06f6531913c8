"""JSON read and written through orjson gives what Python's json gives: values, refusals, errors.

Each test runs on both paths (``tests.jsonpaths``) or compares them: whatever
parser reads a text, it is accepted or refused alike, to values of the same
types, and a refusal raises the same error; whatever encoder writes a payload,
the text reads back to the same values, and what cannot be stored is refused
with the same error.
"""

from __future__ import annotations

import datetime
import enum
import json
import math
import struct
import uuid
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chronicle
import chronicle.politics
from chronicle import CorruptLog, Event, InvalidEvent, Record, When, _event, decode, encode
from chronicle._codec import (
    _fast_builder,
    decode_text,
    record_from_text,
    record_to_dict,
    stored_entry,
)
from chronicle._event import InapplicableCorrection, UnknownEvent, registered_types
from chronicle._fastdecode import reads_alike
from chronicle._fieldtypes import typed_fields
from chronicle._json import json_text, orjson_in_use, parse_json, payload_text, plain
from chronicle.testing._profiles import heavy_examples
from tests.jsonpaths import HAS_ORJSON, PATHS, json_path
from tests.test_strict import COVERED, drawn, positions, replaced

needs_orjson = pytest.mark.skipif(not HAS_ORJSON, reason="orjson not installed")


def same(a: Any, b: Any) -> bool:
    """Whether two parsed values are equal, of the same types, keys in the same order.

    Floats are compared bit for bit (``-0.0`` is not ``0.0``). Without recursion: values
    may nest as deep as a parser reads.
    """
    pending = [(a, b)]
    while pending:
        x, y = pending.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, float):
            if struct.pack("<d", x) != struct.pack("<d", y):
                return False
        elif isinstance(x, list):
            if len(x) != len(y):
                return False
            pending.extend(zip(x, y, strict=True))
        elif isinstance(x, dict):
            if list(x) != list(y):
                return False
            pending.extend((x[key], y[key]) for key in x)
        elif x != y:
            return False
    return True


def outcome(text: str | bytes) -> tuple[Any, ...]:
    """What parse_json makes of ``text``: ("value", it) or ("refused", error type, message)."""
    try:
        return ("value", parse_json(text))
    except CorruptLog as error:
        return ("refused", type(error), str(error))


def on_both(text: str | bytes) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The outcome of ``text`` through orjson and through json alone."""
    with json_path("orjson"):
        fast = outcome(text)
    with json_path("json"):
        standard = outcome(text)
    return fast, standard


def agree(fast: tuple[Any, ...], standard: tuple[Any, ...]) -> bool:
    """Whether two outcomes are the same value, or the same refusal."""
    if fast[0] != standard[0]:
        return False
    if fast[0] == "value":
        return same(fast[1], standard[1])
    return fast[1:] == standard[1:]


def _nested(depth: int) -> list[str]:
    return ["[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth]


TRICKY = [
    # Not JSON numbers, or numbers a float cannot hold
    "NaN",
    "-NaN",
    "[Infinity]",
    '{"a": -Infinity}',
    "1e400",
    "-1e400",
    "[1.7976931348623159e308]",
    "1e1234567890123456789",
    # Numbers orjson reads otherwise, or that look like them
    "1e-400",
    "1e-1234567890123456789",
    "-0.0",
    "-0",
    "0",
    str(2**63 - 1),
    str(2**63),
    str(2**64 - 1),
    str(2**64),
    str(-(2**63)),
    str(-(2**63) - 1),
    str(10**30),
    "1" * 5000,
    '{"n": 18446744073709551616}',
    "[1.5, -18446744073709551617]",
    "12345678901234567890.5",
    "0.000015212603486793025",
    "1.0000000000000000000001",
    '"12345678901234567890"',
    # Keys
    '{"a": 1, "a": 2}',
    '{"a": 1, "b": 2, "a": 3}',
    '{"b": 1, "a": 2}',
    # Strings
    '"\\ud800"',
    '"\\udc00\\ud800"',
    '"\\ud83d\\ude00"',
    '"\\ud800\\u0041"',
    '"\\u0000"',
    '"\x01"',
    '"\x7f\u2028\u2029"',
    '"\\x"',
    '"é"',
    # Not JSON
    "\ufeff{}",
    "[1,]",
    "01",
    "1.",
    ".5",
    "+1",
    "",
    " ",
    '{"a":1}x',
    "[] ",
    "\t{}\r\n",
    "\x0b1",
    "\xa01",
    "[" * 300,
    "true",
    "null",
    # Nesting, around the guard (128), Python's limit (about 1,000) and orjson's (1,024)
    *[
        text
        for depth in (127, 128, 129, 500, 990, 1000, 1024, 1025, 100_000)
        for text in _nested(depth)
    ],
]


# fmt: off
FRAGMENTS = (
    "{", "}", "[", "]", ",", ":", '"a"', '"\\ud800"', "1", "-", "0", "01", " ", "\t", "\x0b",
    "true", "null", "NaN", "Infinity", "1e400", "2.5", '"\x01"', "\ufeff", "18446744073709551616",
    '"\\/"', "1.", ".5", "e5",
)
# fmt: on
"""Pieces of JSON texts, and of texts that are not JSON."""


@needs_orjson
class TestReading:
    @pytest.mark.parametrize("text", TRICKY)
    def test_tricky_texts_are_read_or_refused_alike(self, text: str) -> None:
        """NaN, infinities, big integers, deep nesting, repeated keys, lone surrogates, -0.0.

        As text and as UTF-8 bytes: the same value (types and key order included) or
        the same CorruptLog.
        """
        fast, standard = on_both(text)
        assert agree(fast, standard), (fast, standard)
        encoded = text.encode("utf-8")
        fast, standard = on_both(encoded)
        assert agree(fast, standard), (fast, standard)

    @pytest.mark.parametrize(
        "text",
        [b"\xff", b'"\xc3"', b'"\xed\xa0\x80"', '"\ud800"', '{"\udc00": 1}', bytearray(b"[1, 2]")],
    )
    def test_what_utf8_cannot_hold_is_read_alike(self, text: str | bytes) -> None:
        """Invalid UTF-8 is refused; a text holding a lone surrogate is read by json alone."""
        fast, standard = on_both(text)
        assert agree(fast, standard), (fast, standard)

    def test_the_values_are_those_of_json(self) -> None:
        """A big integer stays an integer, -0.0 a negative zero, the last repeated key wins."""
        with json_path("orjson"):
            assert [2**64, 2**70] == parse_json(f"[{2**64}, {2**70}]")
            assert math.copysign(1.0, parse_json("-0.0")) == -1.0
            assert {"a": 3, "b": 2} == parse_json('{"a": 1, "b": 2, "a": 3}')
            with pytest.raises(CorruptLog, match="nested too deeply"):
                parse_json("[" * 1000 + "]" * 1000)

    @given(
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(),
            lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
            max_leaves=25,
        ),
        st.booleans(),
    )
    def test_json_values_are_read_alike(self, value: Any, ascii_only: bool) -> None:
        """Any JSON value written by json (big integers, any float, any text) reads alike."""
        text = json.dumps(value, ensure_ascii=ascii_only)
        assert agree(*on_both(text))
        assert agree(*on_both(text.encode("utf-8", "surrogatepass")))

    @given(st.floats(allow_nan=False, allow_infinity=False))
    def test_floats_in_every_spelling_are_read_alike(self, number: float) -> None:
        """A float read from any of its spellings is the same float, bit for bit."""
        import orjson

        spellings = [
            repr(number),
            orjson.dumps(number).decode(),
            f"{number:.17e}",
            f"{number:.25g}",
        ]
        for text in spellings:
            assert agree(*on_both(text)), text

    @given(st.from_regex(r"\A-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][+-]?[0-9]{1,4})?\Z"))
    def test_numbers_are_read_alike(self, text: str) -> None:
        """Any JSON number, of up to 26 digits and any exponent: same value, same type."""
        assert agree(*on_both(text))

    @given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join))
    def test_fragments_are_read_or_refused_alike(self, text: str) -> None:
        """Texts made of JSON fragments, most of them not JSON: the same value or error."""
        assert agree(*on_both(text))


class TestReadingEitherWay:
    @pytest.mark.parametrize("path", PATHS)
    def test_orjson_in_use(self, path: str) -> None:
        """The orjson path uses orjson, the json path does not."""
        with json_path(path):
            assert orjson_in_use() is (path == "orjson")

    @pytest.mark.parametrize("path", PATHS)
    @pytest.mark.parametrize(
        "text", ["NaN", "[Infinity]", '{"a": -Infinity}', "1e400", b"\xff", '{"a": ', "[" * 100_000]
    )
    def test_what_is_not_json_is_a_corrupt_log(self, path: str, text: str | bytes) -> None:
        """NaN, infinities, invalid UTF-8, cut text and deep nesting: CorruptLog, no other error."""
        with json_path(path), pytest.raises(CorruptLog):
            parse_json(text)


# -- writing ------------------------------------------------------------------------


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Ratio(enum.Enum):
    HALF = 0.5


@attrs.frozen
class Unchecked:
    """A nested class without type checks: its fields may hold anything."""

    label: str


@chronicle.event("test.json.mixed")
class Mixed(Event):
    """An event with a field of every plain kind, floats among them (no politics class has one)."""

    ratio: float
    amount: int
    name: str
    tags: frozenset[str] = frozenset()
    names: tuple[str, ...] = ()
    pair: tuple[int, float] = (0, 0.0)
    level: Literal["low", "high"] = "low"
    colour: Colour = Colour.RED
    on: datetime.date | None = None
    at: datetime.datetime | None = None
    ref: uuid.UUID | None = None
    maybe: float | None = None
    source: chronicle.Source | None = None


@chronicle.event("test.json.measured")
class Measured(Event):
    """An event whose only float is one field: it does not read alike for that alone."""

    ratio: float
    amount: int = 0


@chronicle.event("test.json.paired")
class Paired(Event):
    """An event whose only float is in a fixed tuple, read by the converter's hook."""

    pair: tuple[int, float]


@chronicle.event("test.json.loose")
class Loose(Event):
    """An event with a field of no type a check knows: not plain."""

    extra: Any = None


# Registered only while a test uses it (the fixture below): the registry is the
# process's, and tests that draw or flatten every registered type cannot draw Any.
_event._registry.pop("test.json.loose")


@pytest.fixture
def loose(monkeypatch: pytest.MonkeyPatch) -> type[Loose]:
    """Loose, registered for the test."""
    monkeypatch.setitem(_event._registry, "test.json.loose", Loose.__chronicle_type__)
    return Loose


floats = st.floats(allow_nan=False, allow_infinity=False)
mixed_events = st.builds(
    Mixed,
    occurred=st.sampled_from([When("2020"), When("2020-05-01"), When("2019/2021")]),
    ratio=floats | st.integers(),
    amount=st.integers(),
    name=st.text(),
    tags=st.frozensets(st.text(max_size=5), max_size=4),
    names=st.lists(st.text(max_size=5), max_size=4).map(tuple),
    pair=st.tuples(st.integers(), floats),
    level=st.sampled_from(["low", "high"]),
    colour=st.sampled_from(Colour),
    on=st.none() | st.dates(),
    at=st.none() | st.datetimes(timezones=st.just(datetime.UTC)),
    ref=st.none() | st.uuids(),
    maybe=st.none() | floats,
    source=st.none() | st.builds(chronicle.Source, publisher=st.just("Reuters"), title=st.text()),
)


OTHERS: dict[type, st.SearchStrategy[Any]] = {
    Mixed: mixed_events,
    Measured: st.builds(
        Measured, occurred=st.just(When("2020")), ratio=floats, amount=st.integers()
    ),
    Paired: st.builds(
        Paired, occurred=st.just(When("2020")), pair=st.tuples(st.integers(), floats)
    ),
}
"""Events of this module's classes."""


def written(entry: Event, path: str) -> tuple[str, Any] | tuple[str, type, str]:
    """The payload text stored for ``entry`` on ``path``, or the error that refused it."""
    with json_path(path):
        try:
            return ("text", stored_entry(entry).data)
        except InvalidEvent as error:
            return ("refused", type(error), str(error))


class TestWriting:
    def test_every_politics_and_core_class_is_plain_but_corrected(self) -> None:
        """Corrected holds any event; every other class's payload is JSON values only."""
        covered = [n for n in registered_types() if n.startswith(("chronicle.", "politics."))]
        assert ["chronicle.corrected"] == [
            n for n in covered if not plain(registered_types()[n].cls)
        ]

    @pytest.mark.parametrize(
        "cls", [UnknownEvent, InapplicableCorrection, Loose, chronicle.Corrected, Unchecked]
    )
    def test_what_is_not_made_of_checked_json_values_is_not_plain(self, cls: type) -> None:
        """A payload not made from checked fields is written by json alone."""
        assert not plain(cls)

    def test_enums_of_floats_and_unchecked_classes_are_not_plain(self) -> None:
        """An enum could store NaN; a nested class without checks could hold anything."""

        @attrs.frozen(kw_only=True, field_transformer=typed_fields)
        class WithRatio:
            ratio: Ratio

        @attrs.frozen(kw_only=True, field_transformer=typed_fields)
        class WithUnchecked:
            inner: Unchecked

        assert (False, False, True) == (plain(WithRatio), plain(WithUnchecked), plain(Mixed))

    @pytest.mark.parametrize("path", PATHS)
    @given(event=mixed_events)
    def test_a_plain_event_reads_back_on_either_path(self, path: str, event: Mixed) -> None:
        """Written and read on one path, an event is itself (any float, any integer)."""
        with json_path(path):
            text = stored_entry(event).data
            assert event == decode({"type": "test.json.mixed", "v": 1, "data": parse_json(text)})

    @needs_orjson
    @given(event=mixed_events)
    def test_both_paths_write_the_same_values(self, event: Mixed) -> None:
        """orjson's text and json's read to the same values; they differ in float spelling only."""
        fast, standard = written(event, "orjson"), written(event, "json")
        assert fast[0] == standard[0] == "text"
        with json_path("json"):
            assert same(parse_json(fast[1]), parse_json(standard[1]))

    @needs_orjson
    @pytest.mark.parametrize(
        "event",
        [
            Mixed(occurred="2020", ratio=2.5, amount=2**70, name="big"),
            Mixed(occurred="2020", ratio=-(2**64), amount=-(2**64) - 1, name="big"),
            Mixed(occurred="2020", ratio=0.5, amount=0, name="a null in a name"),
        ],
    )
    def test_what_orjson_writes_otherwise_is_written_by_json(self, event: Mixed) -> None:
        """Integers beyond 64 bits, a text with null in it: the very text json writes."""
        assert written(event, "orjson") == written(event, "json")

    @needs_orjson
    def test_floats_may_be_spelled_otherwise(self) -> None:
        """orjson spells 1e-07 1e-7, and json reads it to the same float; strings are alike."""
        event = Mixed(occurred="2020", ratio=1e-7, amount=0, name="\u2028\x00é")
        fast, standard = written(event, "orjson"), written(event, "json")
        assert '"ratio":1e-7' in fast[1]
        assert '"ratio":1e-07' in standard[1]
        assert fast[1].replace("1e-7", "1e-07") == standard[1]

    @pytest.mark.parametrize("path", PATHS)
    @pytest.mark.parametrize(
        ("field", "value"), [("ratio", math.nan), ("ratio", -math.inf), ("name", "\ud800")]
    )
    def test_what_json_cannot_hold_is_refused_on_either_path(
        self, path: str, field: str, value: object
    ) -> None:
        """NaN or an infinity put past the type checks, a lone surrogate: the same InvalidEvent.

        orjson would write NaN and the infinities as null.
        """
        event = Mixed(occurred="2020", ratio=1.5, amount=1, name="x")
        object.__setattr__(event, field, value)  # around the checks, as no caller should
        refused = written(event, path)
        assert "refused" == refused[0]
        assert written(event, "json") == refused

    @pytest.mark.parametrize("path", PATHS)
    @pytest.mark.parametrize(
        ("value", "stored"),
        [
            (math.nan, False),
            (datetime.time(1), False),
            (uuid.UUID(int=1), True),
            (Colour.RED, True),
        ],
    )
    @pytest.mark.usefixtures("loose")
    def test_a_loose_field_is_written_by_json(self, path: str, value: object, stored: bool) -> None:
        """A field of no known type (Any) is written as json writes it, or refused alike.

        The converter stores a UUID or an enum by its own class; orjson would write a NaN
        as null and a time as a string.
        """
        event = Loose(occurred="2020", extra=value)
        outcome = written(event, path)
        assert written(event, "json") == outcome
        assert ("text" if stored else "refused") == outcome[0]

    @pytest.mark.parametrize("path", PATHS)
    def test_with_validators_off_json_writes(self, path: str) -> None:
        """With attrs' validators switched off, nothing is known of the values: json writes."""
        with attrs.validators.disabled():
            event = Mixed(occurred="2020", ratio=1.5, amount=1, name=uuid.UUID(int=1))  # type: ignore[arg-type]
            assert ("refused", InvalidEvent) == written(event, path)[:2]

    @pytest.mark.usefixtures("loose")
    def test_json_text_is_pythons(self) -> None:
        """json_text writes compact JSON, UTF-8 as it is, and refuses NaN."""
        assert '{"a":[1,2.5,"é"]}' == json_text({"a": [1, 2.5, "é"]}, "it")
        with pytest.raises(InvalidEvent, match="cannot store it"):
            json_text({"a": math.nan}, "it")
        assert payload_text(Loose, {"a": 1e-7}, "it") == '{"a":1e-07}'


@pytest.mark.parametrize("path", PATHS)
def test_encode_then_decode_is_the_identity_on_either_path(path: str) -> None:
    """Every core and politics example entry written on one path reads back on both."""
    sagara = chronicle.politics.Officer(name="Néma Sagara", rank="General", branch="air force")
    entries: list[Any] = [
        chronicle.politics.OfficersArrested(
            occurred="2020-08-18", officers=(sagara,), count=chronicle.politics.Count(5, "at least")
        ),
        chronicle.Retracted(target=uuid.UUID(int=7), reason="typo"),
    ]
    for entry in entries:
        with json_path(path):
            text = stored_entry(entry).data
        for reader in ("json", path):
            with json_path(reader):
                stored = {**encode(entry), "data": parse_json(text)}
                assert entry == decode(stored)


# -- rows and lines read without the guards -------------------------------------------

DEEP = "[" * 1100 + "]" * 1100
SUBSTITUTES: list[Any] = [2**63 - 1, 2**64, -(2**63) - 1, 10**30, 1.5, 1e300, -0.0, [[[1]]], DEEP]
"""What orjson reads otherwise than json (integers beyond 64 bits, deep nesting), and other
numbers and arrays: put at every place of a payload, they are refused or read alike."""


def _with(data: Any, path: tuple[str | int, ...], value: Any) -> str:
    """``data`` as JSON text, with ``value`` at ``path`` (DEEP spliced in as text)."""
    placeholder = "\x00deep\x00"
    changed = replaced({"data": data}, path, placeholder if value is DEEP else value)["data"]
    return json.dumps(changed).replace(json.dumps(placeholder), DEEP)


def _variants(entry: Any) -> list[str]:
    """The payload text of ``entry``, and it with each substitute at each place."""
    data = json.loads(json.dumps(encode(entry)["data"]))
    cls = type(entry)
    return [json.dumps(data)] + [
        _with(data, path, value) for path, _ in positions(data, cls) for value in SUBSTITUTES
    ]


def _read(read: Any, path: str) -> tuple[Any, ...]:
    """What ``read()`` gives on ``path``: ("value", it, its repr) or ("refused", type, message)."""
    with json_path(path):
        try:
            value = read()
        except chronicle.ChronicleError as error:
            return ("refused", type(error), str(error))
    return ("value", value, repr(value))  # the repr tells 2**64 from 1.8446744073709552e+19


@needs_orjson
class TestRowsAndLines:
    def test_the_classes_that_read_alike(self) -> None:
        """Every politics and core class reads alike, but Corrected (it holds any event)."""
        types = registered_types()
        covered = [name for name in types if name.startswith(("chronicle.", "politics."))]
        for name in covered:
            _fast_builder(types[name].cls)
        assert ["chronicle.corrected"] == [n for n in covered if not reads_alike(types[n].cls)]
        _fast_builder(Mixed)
        _fast_builder(Measured)
        _fast_builder(Paired)
        assert not reads_alike(Mixed)  # it holds floats
        assert not reads_alike(Measured)
        assert not reads_alike(Paired)

    @pytest.mark.parametrize(
        "name", [*COVERED, "test.json.mixed", "test.json.measured", "test.json.paired"]
    )
    @settings(max_examples=heavy_examples())
    @given(data=st.data())
    def test_a_row_reads_alike(self, name: str, data: st.DataObject) -> None:
        """decode_text through orjson gives the entry, or the error, json alone gives.

        On an entry's payload, and on it with a big integer, a float, -0.0, an array
        or arrays nested 1,100 deep at each place.
        """
        cls = registered_types()[name].cls
        entry = data.draw(
            mixed_events
            if cls is Mixed
            else st.builds(
                Measured, occurred=st.just(When("2020")), ratio=floats, amount=st.integers()
            )
            if cls is Measured
            else drawn(cls)
        )
        version = registered_types()[name].version
        for text in _variants(entry):
            for given_text in (text, text.encode()):
                fast = _read(lambda t=given_text: decode_text(name, version, t), "orjson")
                standard = _read(lambda t=given_text: decode_text(name, version, t), "json")
                assert fast == standard, text

    @pytest.mark.parametrize("name", COVERED)
    @settings(max_examples=heavy_examples())
    @given(data=st.data())
    def test_a_line_reads_alike(self, name: str, data: st.DataObject) -> None:
        """record_from_text through orjson gives the record, or the error, json alone gives.

        A JSON Lines line, with a substitute at each place of its payload, and its
        header's numbers beyond 64 bits or of another type.
        """
        cls = registered_types()[name].cls
        entry = data.draw(drawn(cls))
        record = Record(
            uuid.UUID(int=5), "s", 1, 1, datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), entry
        )
        head = {k: v for k, v in record_to_dict(record).items() if k != "data"}
        lines = [json.dumps(head)[:-1] + ', "data": ' + text + "}" for text in _variants(entry)] + [
            json.dumps({**record_to_dict(record), key: value})
            for key in ("position", "version", "v")
            for value in (2**64, 1.0, True, -1)
        ]
        for line in lines:
            fast = _read(lambda t=line: record_from_text(t), "orjson")
            standard = _read(lambda t=line: record_from_text(t), "json")
            assert fast == standard, line
