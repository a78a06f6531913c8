"""Projectors: handler registration, subclass-aware dispatch, fold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import Event, EventTypeError, Projector
from tests.domain import Appointed, Counted, offices, total
from tests.strategies import events


@chronicle.event("test.projector.special_count")
class SpecialCount(Counted):
    """A subclass of Counted: handled by Counted's handler unless it has its own."""


class TestDispatch:
    def test_subclass_uses_base_handler(self) -> None:
        """A handler for a base class serves its subclasses."""
        assert 5 == total.fold([SpecialCount(occurred="2020", amount=5)])

    def test_nearest_handler_wins(self) -> None:
        """The most specific handler in the MRO is used."""
        p: Projector[str] = Projector("test.nearest", initial="")

        @p.on(Event)
        def _any(state: str, event: Event) -> str:
            return state + "e"

        @p.on(Counted)
        def _counted(state: str, event: Counted) -> str:
            return state + "c"

        assert "ecc" == p.fold(
            [
                Appointed(occurred="2020", office="o", name="n"),
                Counted(occurred="2020", amount=1),
                SpecialCount(occurred="2020", amount=1),
            ]
        )

    def test_handler_added_later_is_seen(self) -> None:
        """Registering a handler after a fold resets the prepared dispatch."""
        p: Projector[int] = Projector("test.late", initial=0)
        assert 0 == p.fold([Counted(occurred="2020", amount=1)])

        @p.on(Counted)
        def _counted(state: int, event: Counted) -> int:
            return state + 1

        assert 1 == p.fold([Counted(occurred="2020", amount=1)])

    def test_unhandled_events_leave_state_unchanged(self) -> None:
        """An event without a handler is skipped."""
        state = offices.initial
        assert state is offices.apply(state, Counted(occurred="2020", amount=1))

    def test_two_handlers_for_one_type_are_refused(self) -> None:
        """A type has one handler per projector."""
        with pytest.raises(EventTypeError, match="already has a handler"):
            total.on(Counted)(lambda state, event: state)

    def test_handlers_are_for_event_classes(self) -> None:
        """on() takes an Event class."""
        with pytest.raises(EventTypeError, match="Event classes"):
            total.on(int)  # type: ignore[type-var]

    @pytest.mark.parametrize("name", ["", "a b", "1x"])
    def test_bad_names_are_refused(self, name: str) -> None:
        """Projector names are dotted identifiers (they key snapshots)."""
        with pytest.raises(chronicle.InvalidArgument, match="dotted identifiers"):
            Projector(name, initial=0)

    @given(st.lists(events))
    def test_fold_equals_repeated_apply(self, batch: list[Event]) -> None:
        """fold is apply, event after event, from the initial state."""
        state = total.initial
        for event in batch:
            state = total.apply(state, event)
        assert state == total.fold(batch)


class TestUnknownEvents:
    def test_only_a_catch_all_handler_receives_them(self) -> None:
        """An event of a type this program does not know reaches a handler of Event, no other.

        So a catch-all counts the same whichever types the reading program knows.
        """
        every = Projector("test.Every", initial=0)

        @every.on(Event)
        def _every(state: int, _event: Event) -> int:
            return state + 1

        log = chronicle.Log()
        log.append("s", [Counted(occurred="2020", amount=4)])
        newer = chronicle.decode({"type": "test.newer_kind", "v": 1, "data": {"occurred": "2021"}})
        assert isinstance(newer, chronicle.UnknownEvent)
        log.append("s", [newer])
        assert (2, 4) == chronicle.replay(log, (every, total))
