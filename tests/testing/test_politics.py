"""chronicle.testing.politics: valid political events, and histories that follow the domain."""

from __future__ import annotations

import functools

import pytest
from hypothesis import Phase, find, given, settings

from chronicle import Event, decode, encode
from chronicle.politics import (
    CoupOccurred,
    DetainedOfficers,
    ElectionPostponed,
    HeadOfGovernment,
    HeadOfGovernmentLeft,
    HeadOfState,
    OfficersArrested,
    OfficersReleased,
    PromisedElection,
)
from chronicle.testing import Chronology, events, events_of
from chronicle.testing.politics import STRATEGIES, histories, political_chronologies
from tests.testing.helpers import HEAVY, sample


@functools.cache
def _histories() -> list[list[Event]]:
    return sample(histories())


def _before(history: list[Event]) -> list[tuple[list[Event], Event]]:
    """Each event of a history with the events told before it."""
    return [(history[:index], event) for index, event in enumerate(history)]


class TestStrategies:
    @pytest.mark.parametrize("cls", list(STRATEGIES), ids=lambda cls: cls.__name__)
    def test_each_type_is_registered(self, cls: type[Event]) -> None:
        """events_of draws every politics type from its strategy of valid events."""
        assert STRATEGIES[cls] is events_of(cls)

    @given(events(list(STRATEGIES)))
    def test_events_round_trip_the_codec(self, event: Event) -> None:
        """Every valid political event comes back equal from its stored form."""
        assert event == decode(encode(event), strict=True)


class TestHistories:
    def test_every_type_is_told(self) -> None:
        """Histories use every event type of the domain."""
        told = {type(event) for history in _histories() for event in history}
        assert set(STRATEGIES) == told

    def test_coups_oust_the_sitting_head(self) -> None:
        """A coup ousts whoever heads the state by then in the story, or nobody named."""
        for history in _histories():
            for before, event in _before(history):
                if isinstance(event, CoupOccurred):
                    head = HeadOfState.fold(before).current
                    assert ("" if head is None else head.name) == event.ousted

    def test_heads_of_government_leave_only_from_office(self) -> None:
        """A head of government who leaves is the one in office by then in the story."""
        departures = 0
        for history in _histories():
            for before, event in _before(history):
                if isinstance(event, HeadOfGovernmentLeft):
                    departures += 1
                    sitting = HeadOfGovernment.fold(before).current
                    assert sitting is not None
                    assert event.name == sitting.name
        assert departures

    def test_postponements_move_the_promised_date_later(self) -> None:
        """A postponement replaces the date promised by then, with a later one."""
        postponed = 0
        for history in _histories():
            for before, event in _before(history):
                if isinstance(event, ElectionPostponed):
                    postponed += 1
                    assert PromisedElection.fold(before)[event.office].current == event.replaces
                    assert event.new_date is not None
                    assert event.replaces is not None
                    assert event.new_date.latest > event.replaces.latest
        assert postponed

    def test_releases_free_officers_held(self) -> None:
        """A release names only officers held by then."""
        for history in _histories():
            for before, event in _before(history):
                if isinstance(event, OfficersReleased):
                    held = DetainedOfficers.fold(before).held
                    assert set(event.officers) <= set(held)

    def test_officers_arrested_again_are_released_as_last_described(self) -> None:
        """An officer arrested again while held is freed as the latest arrest describes them."""

        def redescribed_then_released(history: list[Event]) -> bool:
            redescribed: set[str] = set()
            for before, event in _before(history):
                held = DetainedOfficers.fold(before).held
                if isinstance(event, OfficersArrested):
                    redescribed |= {o.name for o in event.officers if o not in held} & {
                        o.name for o in held
                    }
                if isinstance(event, OfficersReleased) and redescribed & {
                    o.name for o in event.officers
                }:
                    return True
            return False

        history = find(
            histories(),
            redescribed_then_released,
            settings=settings(max_examples=2000, database=None, phases=[Phase.generate]),
        )
        for before, event in _before(history):
            if isinstance(event, OfficersReleased):
                assert set(event.officers) <= set(DetainedOfficers.fold(before).held)

    @HEAVY
    @given(political_chronologies())
    def test_chronologies_build(self, chronology: Chronology) -> None:
        """A political chronology builds into a log holding all its events."""
        log = chronology.build()
        assert len(chronology.events) == sum(isinstance(r.event, Event) for r in log.read())
