"""The codec: stored form, round-trips, upcasters, unknown types, corrupt payloads."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import ClassVar

import pytest
from hypothesis import given

import chronicle
from chronicle import CorruptLog, Event, UnknownEvent, UnknownEventType, UpcastError, decode, encode
from chronicle._codec import from_json, record_from_dict, record_to_dict, to_json
from tests.domain import Appointed, Counted
from tests.strategies import events


@chronicle.event("test.codec.rich")
class Rich(Event):
    """An event with every kind of field the codec must carry."""

    tags: frozenset[str]
    names: tuple[str, ...]
    on: datetime.date
    when: chronicle.When | None = None
    ref: uuid.UUID | None = None


@chronicle.event("test.codec.renamed", version=3)
class Renamed(Event):
    """Schema v1 had `who`; v2 renamed it `name`; v3 added `title`."""

    name: str
    title: str


@chronicle.upcaster("test.codec.renamed", from_version=1)
def _v1_to_v2(data: dict[str, object]) -> dict[str, object]:
    data["name"] = data.pop("who")
    return data


@chronicle.upcaster("test.codec.renamed", from_version=2)
def _v2_to_v3(data: dict[str, object]) -> dict[str, object]:
    return {**data, "title": "unknown"}


@chronicle.event("test.codec.gap", version=3)
class Gap(Event):
    """An event whose upcaster chain misses the step from 2 to 3."""

    value: int


@chronicle.upcaster("test.codec.gap", from_version=1)
def _gap_v1(data: dict[str, object]) -> dict[str, object]:
    return data


class TestRoundTrip:
    @given(events)
    def test_every_event_round_trips(self, event: Event) -> None:
        """decode(encode(e)) == e, also through JSON text."""
        assert event == decode(encode(event))
        assert event == from_json(to_json(event))

    def test_stored_form(self) -> None:
        """type, v and data; When as EDTF, defaults omitted."""
        stored = encode(Appointed(occurred="2020-08", office="p", name="x"))
        assert {
            "type": "test.appointed",
            "v": 1,
            "data": {"occurred": "2020-08", "office": "p", "name": "x"},
        } == stored

    def test_rich_fields(self) -> None:
        """frozensets sorted, dates ISO, UUIDs as strings, nested sources, all round-trip."""
        ref = uuid.UUID(int=7)
        event = Rich(
            occurred="2021-05-24",
            tags=frozenset({"b", "a"}),
            names=("x", "y"),
            on=datetime.date(2021, 5, 28),
            when=chronicle.When("2021~"),
            ref=ref,
            sources=(chronicle.Source(publisher="Reuters", published="2021-05-25"),),
        )
        stored = encode(event)
        assert ["a", "b"] == stored["data"]["tags"]
        assert "2021-05-28" == stored["data"]["on"]
        assert str(ref) == stored["data"]["ref"]
        assert "2021-05-25" == stored["data"]["sources"][0]["published"]
        assert event == decode(json.loads(json.dumps(stored)))

    def test_correction_carries_its_replacement_with_type(self) -> None:
        """A Corrected stores its replacement in the full typed form."""
        fix = chronicle.Corrected(
            target=uuid.UUID(int=1),
            reason="recount",
            replacement=Counted(occurred="2020", amount=2),
        )
        stored = encode(fix)
        assert "test.counted" == stored["data"]["replacement"]["type"]
        assert fix == decode(stored)

    def test_record_round_trip(self) -> None:
        """A whole record survives record_to_dict / record_from_dict."""
        log = chronicle.Log()
        (record,) = log.append("s", [Counted(occurred="2020-05", amount=3)])
        assert record == record_from_dict(json.loads(json.dumps(record_to_dict(record))))


class TestUpcasters:
    def test_old_versions_are_upcast_on_read(self) -> None:
        """A v1 payload reads through the chain v1 -> v2 -> v3."""
        stored = {"type": "test.codec.renamed", "v": 1, "data": {"occurred": "2020", "who": "A"}}
        assert Renamed(occurred="2020", name="A", title="unknown") == decode(stored)
        assert stored["data"] == {"occurred": "2020", "who": "A"}  # the stored form is untouched

    def test_missing_step_is_an_upcast_error(self) -> None:
        """A chain with a gap names the missing step."""
        with pytest.raises(UpcastError, match="no upcaster from version 2 to 3"):
            decode({"type": "test.codec.gap", "v": 1, "data": {"occurred": "2020", "value": 1}})

    def test_duplicate_upcaster_is_refused(self) -> None:
        """Two upcasters for one step is a declaration error."""
        with pytest.raises(chronicle.EventTypeError, match="already exists"):
            chronicle.upcaster("test.codec.renamed", from_version=1)(lambda data: data)


class TestUnknownTypes:
    STORED: ClassVar[dict[str, object]] = {
        "type": "future.thing",
        "v": 1,
        "data": {"occurred": "2030-01", "x": [1, 2]},
    }

    def test_unknown_type_is_read_as_unknown_event(self) -> None:
        """By default an unknown type decodes to an UnknownEvent keeping its payload."""
        event = decode(self.STORED)
        assert isinstance(event, UnknownEvent)
        assert ("future.thing", 1, {"occurred": "2030-01", "x": [1, 2]}) == (
            event.type_name,
            event.schema_version,
            event.data,
        )
        assert chronicle.When("2030-01") == event.occurred

    def test_unknown_event_re_encodes_exactly(self) -> None:
        """Copying a log does not lose what this program does not understand."""
        assert self.STORED == encode(decode(self.STORED))

    def test_strict_mode_raises(self) -> None:
        """strict=True raises UnknownEventType naming the type."""
        with pytest.raises(UnknownEventType, match=r"future\.thing"):
            decode(self.STORED, strict=True)

    def test_newer_version_is_unknown(self) -> None:
        """A version newer than the class's is not guessed at."""
        stored = {"type": "test.counted", "v": 9, "data": {"occurred": "2020", "amount": 1}}
        assert isinstance(decode(stored), UnknownEvent)
        with pytest.raises(UnknownEventType, match="version 9 is newer"):
            decode(stored, strict=True)

    def test_projectors_skip_unknown_events(self) -> None:
        """Replay ignores UnknownEvent unless a handler asks for all events."""
        from tests.domain import total

        log = chronicle.Log()
        log.append("s", [decode(self.STORED), Counted(occurred="2020", amount=4)])
        assert 4 == chronicle.replay(log, total)


class TestCorrupt:
    @pytest.mark.parametrize(
        ("stored", "message"),
        [
            ({"v": 1, "data": {}}, "needs 'type'"),
            ([1, 2], "needs 'type'"),
            ({"type": "test.counted", "v": "1", "data": {}}, "malformed"),
            ({"type": "test.counted", "v": 1, "data": {"occurred": "2020"}}, "amount"),
            (
                {"type": "test.counted", "v": 1, "data": {"occurred": "2020-13", "amount": 1}},
                "2020-13",
            ),
            (
                {"type": "test.counted", "v": 1, "data": {"occurred": "2020", "amount": 1, "x": 2}},
                "x",
            ),
            ({"type": "future.thing", "v": 1, "data": {}}, "no 'occurred'"),
        ],
    )
    def test_corrupt_payloads_raise_corrupt_log(self, stored: object, message: str) -> None:
        """Every malformed stored entry is a CorruptLog naming the problem."""
        with pytest.raises(CorruptLog, match=message):
            decode(stored)

    def test_not_json(self) -> None:
        """Text that is not JSON is a CorruptLog."""
        with pytest.raises(CorruptLog, match="not JSON"):
            from_json('{"type": ')

    def test_bad_record_header(self) -> None:
        """A record without its header fields is a CorruptLog."""
        with pytest.raises(CorruptLog, match="not a stored record"):
            record_from_dict({"type": "test.counted", "v": 1, "data": {}})
