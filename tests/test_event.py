"""Declaring events: the decorator, registration, immutability, validation, sources."""

from __future__ import annotations

import datetime
import pickle

import attrs
import pytest

import chronicle
from chronicle import Event, EventTypeError, InvalidEvent, Source, When
from tests.domain import Appointed


class TestDeclare:
    def test_declared_event_is_frozen_slotted_keyword_only(self) -> None:
        """@event makes a frozen, slotted, keyword-only attrs class."""
        event = Appointed(occurred="2020-08-18", office="president", name="Goïta")
        assert attrs.has(Appointed)
        assert not hasattr(event, "__dict__")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            event.name = "other"  # type: ignore[misc]
        with pytest.raises(TypeError):
            Appointed("2020", "president", "x")  # type: ignore[misc]

    def test_registration_by_name_and_version(self) -> None:
        """The type name and version are what the log stores."""
        info = chronicle.event_type(Appointed)
        assert ("test.appointed", 1, Appointed) == (info.name, info.version, info.cls)
        assert info == chronicle.registered_types()["test.appointed"]
        assert info == chronicle.event_type(Appointed(occurred="2020", office="o", name="n"))

    def test_registered_types_is_read_only(self) -> None:
        """The mapping refuses changes, and the registry is as it was."""
        types = chronicle.registered_types()
        with pytest.raises(TypeError):
            types["test.appointed"] = types["test.vacated"]  # type: ignore[index]
        with pytest.raises(TypeError):
            del types["test.appointed"]  # type: ignore[attr-defined]
        assert Appointed is chronicle.registered_types()["test.appointed"].cls

    def test_occurred_accepts_date_string_and_when(self) -> None:
        """occurred converts a date or an EDTF string to a When."""
        by_date = Appointed(occurred=datetime.date(2020, 8, 18), office="o", name="n")  # type: ignore[arg-type]
        by_text = Appointed(occurred="2020-08-18", office="o", name="n")
        by_when = Appointed(occurred=When("2020-08-18"), office="o", name="n")
        assert by_date == by_text == by_when
        assert isinstance(by_text.occurred, When)

    def test_malformed_occurred_is_invalid_date(self) -> None:
        """A bad date fails at construction with InvalidDate."""
        with pytest.raises(chronicle.InvalidDate, match="2021-02-30"):
            Appointed(occurred="2021-02-30", office="o", name="n")

    def test_events_pickle(self) -> None:
        """Events survive pickling (snapshots and processes rely on it)."""
        event = Appointed(occurred="2020~", office="o", name="n")
        assert event == pickle.loads(pickle.dumps(event))

    @pytest.mark.parametrize("name", ["Coup", "politics", "politics.", "Politics.coup", "a..b"])
    def test_malformed_names_are_refused(self, name: str) -> None:
        """Type names are dotted lower-case words."""
        with pytest.raises(EventTypeError, match="dotted lower-case"):

            @chronicle.event(name)
            class Bad(Event):
                pass

    @pytest.mark.parametrize("version", [0, -1, True, "1"])
    def test_bad_versions_are_refused(self, version: object) -> None:
        """Schema versions are ints from 1."""
        with pytest.raises(EventTypeError, match="version"):

            @chronicle.event("test.bad_version", version=version)  # type: ignore[arg-type]
            class Bad(Event):
                pass

    def test_name_taken_by_another_class_is_refused(self) -> None:
        """Two classes cannot share a stored name."""
        with pytest.raises(EventTypeError, match="already registered"):

            @chronicle.event("test.appointed")
            class Impostor(Event):
                pass

    def test_non_event_class_is_refused(self) -> None:
        """Only Event subclasses can be declared."""
        with pytest.raises(EventTypeError, match="Event subclasses"):
            chronicle.event("test.not_event")(object)  # type: ignore[type-var]

    @pytest.mark.parametrize("annotation", ["list[str]", "dict[str, int]", "set[int]"])
    def test_mutable_field_types_are_refused(self, annotation: str) -> None:
        """Event fields must be immutable: lists, dicts and sets are refused."""
        mutable = type(
            "Mutable", (Event,), {"__annotations__": {"items": annotation}, "__module__": __name__}
        )
        with pytest.raises(EventTypeError, match="immutable"):
            chronicle.event("test.mutable")(mutable)

    def test_unregistered_class_has_no_event_type(self) -> None:
        """event_type() of an undeclared subclass is an EventTypeError."""

        class Plain(Event):
            pass

        with pytest.raises(EventTypeError, match="not a registered event type"):
            chronicle.event_type(Plain)


class TestSource:
    def test_source_fields(self) -> None:
        """A source names its publisher and may date its publication."""
        source = Source(publisher="Reuters", title="Mali coup", published="2020-08-19")
        assert When("2020-08-19") == source.published
        assert (source,) == Appointed(
            occurred="2020",
            office="o",
            name="n",
            sources=[source],  # type: ignore[arg-type]
        ).sources

    def test_blank_publisher_is_refused(self) -> None:
        """A source without a publisher is no source."""
        with pytest.raises(InvalidEvent, match="publisher"):
            Source(publisher="  ")
