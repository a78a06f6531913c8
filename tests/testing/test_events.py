"""chronicle.testing.events_of, events and register_strategy: events derived from their fields."""

from __future__ import annotations

import datetime
import enum
import unicodedata
import uuid
from typing import Literal

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

import chronicle
from chronicle import Event, EventTypeError, InvalidEvent, Source, When, decode, encode
from chronicle.testing import events, events_of, register_strategy
from tests.domain import Appointed, Counted, Vacated
from tests.testing.helpers import HEAVY, sample


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


def _even(_instance: object, _attribute: object, value: int) -> None:
    if value % 2:
        raise InvalidEvent(f"{value} is odd")


@attrs.frozen
class Reading:
    """A nested attrs value."""

    value: float = attrs.field(validator=[attrs.validators.gt(0), attrs.validators.lt(1)])
    unit: Literal["kg", "m"] = "kg"


@chronicle.event("kit_test.measured")
class Measured(Event):
    """Fields of every kind the derivation reads, each with a validator."""

    amount: int = attrs.field(validator=attrs.validators.ge(5))
    capped: int = attrs.field(validator=attrs.validators.and_(attrs.validators.lt(3)))
    unit: str = attrs.field(validator=attrs.validators.in_(["kg", "m"]))
    code: str = attrs.field(validator=attrs.validators.matches_re(r"[A-Z]{3}"))
    tags: frozenset[str] = attrs.field(validator=attrs.validators.max_len(2))
    names: tuple[str, ...] = attrs.field(validator=attrs.validators.min_len(1))
    pair: tuple[int, bool]
    reading: Reading
    colour: Colour
    seen: datetime.date
    at: datetime.datetime
    ref: uuid.UUID
    note: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.min_len(2))
    )
    even: int = attrs.field(default=0, validator=_even)


@chronicle.event("kit_test.span")
class Span(Event):
    """An event whose fields obey a rule across fields."""

    first: int
    last: int

    def __attrs_post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidEvent("a span ends after it starts")


spans = st.builds(
    lambda a, b: Span(occurred="2020", first=min(a, b), last=max(a, b)),
    st.integers(),
    st.integers(),
)
register_strategy(Span, spans)


class TestEventsOf:
    @HEAVY
    @given(events_of(Measured))
    def test_fields_obey_their_validators(self, event: Measured) -> None:
        """Every drawn field is of its type and passes its validators."""
        assert event.amount >= 5
        assert event.capped < 3
        assert event.unit in ("kg", "m")
        assert len(event.code) == 3
        assert event.code.isupper()
        assert len(event.tags) <= 2
        assert len(event.names) >= 1
        assert all(name.strip() for name in event.names)
        assert 0 < event.reading.value < 1
        assert event.note is None or len(event.note) >= 2
        assert 0 == event.even % 2
        assert event.at.tzinfo is datetime.UTC
        assert (When, int, bool, Colour, uuid.UUID) == (
            type(event.occurred),
            type(event.pair[0]),
            type(event.pair[1]),
            type(event.colour),
            type(event.ref),
        )

    @HEAVY
    @given(events_of(Measured))
    def test_drawn_events_round_trip_the_codec(self, event: Measured) -> None:
        """What is drawn can be stored and read back equal."""
        assert event == decode(encode(event), strict=True)

    @given(events_of(Appointed, name=st.just("Goïta"), occurred=st.just(When("2020"))))
    def test_overrides_replace_derived_fields(self, event: Appointed) -> None:
        """A field given a strategy draws from it."""
        assert ("Goïta", When("2020")) == (event.name, event.occurred)

    @given(events_of(Appointed))
    def test_text_is_never_blank(self, event: Appointed) -> None:
        """Derived text has something other than blanks, and no control characters."""
        for text in (event.office, event.name):
            assert text.strip()
            assert not {unicodedata.category(c) for c in text} & {"Cc", "Cs"}

    @given(events_of(Appointed))
    def test_sources_are_drawn(self, event: Appointed) -> None:
        """Every event may carry sources, each with a publisher."""
        assert all(isinstance(s, Source) and s.publisher.strip() for s in event.sources)

    def test_registered_strategy_is_used(self) -> None:
        """A class with a registered strategy draws from it."""
        assert spans is events_of(Span)

    @given(events_of(Span, first=st.just(0), last=st.integers(-5, 5)))
    def test_overrides_bypass_the_registered_strategy(self, event: Span) -> None:
        """Overrides derive from the fields; refused combinations are dropped."""
        assert 0 == event.first
        assert event.last >= 0

    def test_unknown_field_is_refused(self) -> None:
        """An override for a field the class lacks is an EventTypeError naming it and the fields."""
        with pytest.raises(EventTypeError, match=r"no field named 'nme'.*office, name"):
            events_of(Appointed, nme=st.just("x"))

    def test_override_must_be_a_strategy(self) -> None:
        """An override that is not a strategy is an EventTypeError naming the field."""
        with pytest.raises(EventTypeError, match=r"name= must be a hypothesis strategy"):
            events_of(Appointed, name="Goïta")  # type: ignore[arg-type]

    def test_unregistered_class_is_refused(self) -> None:
        """Only declared event types can be drawn."""

        @attrs.frozen(kw_only=True)
        class Loose(Event):
            pass

        with pytest.raises(EventTypeError, match="not a registered event type"):
            events_of(Loose)

    @pytest.mark.usefixtures("forget_new_types")
    def test_unresolvable_hint_is_reported(self) -> None:
        """A field whose type hint names nothing known says which field, and what to do."""

        @chronicle.event("kit_test.dangling")
        class Dangling(Event):
            thing: Missing  # type: ignore[name-defined]  # noqa: F821

        with pytest.raises(EventTypeError, match=r"Dangling.thing.*pass thing=<strategy>"):
            events_of(Dangling)
        assert {1} == {event.thing for event in sample(events_of(Dangling, thing=st.just(1)), 5)}


SEARCH = settings(max_examples=5000, phases=[Phase.generate], database=None, derandomize=True)
"""Searching, not testing: the first example found is enough."""


class TestEvents:
    @pytest.mark.parametrize("cls", [Appointed, Vacated, Counted, Measured, Span])
    def test_every_registered_type_is_drawn(self, cls: type[Event]) -> None:
        """events() draws every registered event type, however many there are."""
        found = find(events(), lambda event: type(event) is cls, settings=SEARCH)
        assert cls is type(found)

    @given(events([Counted, Vacated]))
    def test_types_restrict_the_draw(self, event: Event) -> None:
        """events(types) draws only those types."""
        assert type(event) in (Counted, Vacated)

    @given(events())
    def test_corrections_are_not_drawn(self, event: Event) -> None:
        """Retractions and corrections are the log's entries, not events: never drawn."""
        assert isinstance(event, Event)

    def test_no_types_is_an_error_at_the_first_draw(self) -> None:
        """An empty list of types is an EventTypeError when drawn from."""
        with pytest.raises(EventTypeError, match="no event types"):
            sample(events([]), 1)
