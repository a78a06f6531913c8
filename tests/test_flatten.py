"""Flat rows: events, states and records as one column per field, with plain values."""

from __future__ import annotations

import datetime
import json
import uuid

import attrs
import pytest
from hypothesis import given

from chronicle import Corrected, Log, Retracted, Source, When, flatten, record_row
from chronicle._codec import decode, encode
from chronicle._event import UnknownEvent
from chronicle._flatten import RECORD_COLUMNS
from chronicle.politics import HeadOfStateInstalled, Leader, Leadership, Officer, OfficersArrested
from chronicle.testing import events as any_events


class TestFlatten:
    def test_nested_attrs_are_dotted_and_sequences_are_json(self) -> None:
        """A state's nested attrs value gives dotted columns; a tuple, one JSON cell."""
        leader = Leader(name="Goïta", title="President", since=When("2021-06-07"))
        state = Leadership(current=leader, former=(leader,))
        assert {
            "current.name": "Goïta",
            "current.title": "President",
            "current.since": "2021-06-07",
            "current.by_coup": False,
            "former": json.dumps(
                [{"name": "Goïta", "title": "President", "since": "2021-06-07", "by_coup": False}],
                ensure_ascii=False,
            ),
        } == flatten(state)

    def test_a_missing_attrs_field_still_gives_its_columns(self) -> None:
        """current=None gives current.name etc. as None: every row has the same columns."""
        assert {
            "current.name": None,
            "current.title": None,
            "current.since": None,
            "current.by_coup": None,
            "former": "[]",
        } == flatten(Leadership())

    def test_events_keep_their_when_as_edtf_and_their_sources_as_json(self) -> None:
        """occurred is EDTF text; sources a JSON list of objects; sets are sorted."""
        source = Source(publisher="Reuters", published="2020-08-19")
        event = OfficersArrested(
            occurred="2020-08~",
            officers=(Officer(name="B", rank="colonel"), Officer(name="A", rank="general")),
            sources=(source,),
        )
        row = flatten(event)
        assert "2020-08~" == row["occurred"]
        assert [
            {
                "publisher": "Reuters",
                "title": "",
                "url": None,
                "published": "2020-08-19",
                "note": "",
            }
        ] == json.loads(row["sources"])  # type: ignore[arg-type]
        assert ["B", "A"] == [o["name"] for o in json.loads(row["officers"])]  # type: ignore[arg-type]

    def test_mappings_and_plain_values(self) -> None:
        """A mapping's keys become columns; dates stay dates; UUIDs become text."""
        key = uuid.UUID(int=1)
        day = datetime.date(2020, 1, 1)
        assert {"a.b": 1, "d": day, "u": str(key), "s": '["x"]'} == flatten(
            {"a": {"b": 1}, "d": day, "u": key, "s": frozenset({"x"})}
        )

    def test_an_unknown_event_gives_its_stored_payload(self) -> None:
        """An event of a type this program does not know is flattened from its stored data."""
        unknown = decode({"type": "x.new", "v": 1, "data": {"occurred": "2020", "n": {"k": 2}}})
        assert isinstance(unknown, UnknownEvent)
        assert {"occurred": "2020", "n.k": 2} == flatten(unknown)

    def test_other_values_are_refused(self) -> None:
        """flatten() of a plain value is a TypeError: it has no fields to be columns."""
        with pytest.raises(TypeError, match="attrs instance or a mapping"):
            flatten(3)

    @given(any_events())
    def test_every_field_of_every_event_is_a_column(self, event) -> None:
        """Every registered event flattens to plain values, with a column per top field."""
        row = flatten(event)
        plain = (str, int, float, bool, datetime.date, type(None))
        assert all(isinstance(value, plain) for value in row.values())
        for field in attrs.fields(type(event)):
            assert any(c == field.name or c.startswith(f"{field.name}.") for c in row)


class TestRecordRow:
    def test_the_record_columns_come_first(self) -> None:
        """position, stream, version, recorded_at, id, type, v, then the event's fields."""
        log = Log()
        (record,) = log.append("mali", [HeadOfStateInstalled(occurred="2020", name="X", title="t")])
        row = record_row(record)
        assert RECORD_COLUMNS == tuple(row)[:7]
        assert (
            1,
            "mali",
            1,
            record.recorded_at,
            str(record.id),
            "politics.head_of_state_installed",
            1,
        ) == tuple(row.values())[:7]
        assert {"occurred": "2020", "name": "X", "title": "t"}.items() <= row.items()

    def test_corrections_name_their_target_and_replacement(self) -> None:
        """A correction's row has its target id, reason, and its replacement's fields."""
        log = Log()
        (record,) = log.append("m", [HeadOfStateInstalled(occurred="2020", name="X", title="t")])
        fix = HeadOfStateInstalled(occurred="2021", name="Y", title="t")
        (corrected,) = log.append("m", [Corrected(target=record.id, reason="r", replacement=fix)])
        (retracted,) = log.append("m", [Retracted(target=record.id, reason="gone")])
        row = record_row(corrected)
        assert (str(record.id), "r", "2021", "Y") == (
            row["target"],
            row["reason"],
            row["replacement.occurred"],
            row["replacement.name"],
        )
        assert encode(fix)["type"] == row["replacement.type"]
        assert "gone" == record_row(retracted)["reason"]
