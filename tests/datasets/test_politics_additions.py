"""What the datasets need of the politics domain: departures, voided votes, unnamed coups."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import InvalidEvent, When, decode, encode
from chronicle.politics import (
    CoupOccurred,
    ElectionScheduled,
    ElectionVoided,
    HeadOfState,
    HeadOfStateInstalled,
    HeadOfStateLeft,
    Leader,
    Leadership,
    PromisedElection,
)
from tests.strategies import whens

NAMES = st.sampled_from(["Keita", "Traore", "Assimi Goita", "Ba N'Daou"])


def installed(name: str, when: str = "2020-01-01") -> HeadOfStateInstalled:
    return HeadOfStateInstalled(occurred=when, name=name, title="leader")


class TestHeadOfStateLeft:
    @given(NAMES, whens())
    def test_the_sitting_head_leaving_vacates_the_office(self, name, when) -> None:
        """A departure of the sitting head leaves nobody in office and closes the tenure."""
        state = HeadOfState.fold([installed(name), HeadOfStateLeft(occurred=when, name=name)])
        assert (
            Leadership(
                current=None, former=(Leader(name=name, title="leader", since=When("2020-01-01")),)
            )
            == state
        )

    @given(st.lists(NAMES, min_size=2, max_size=2, unique=True), whens())
    def test_someone_else_leaving_changes_nothing(self, names, when) -> None:
        """A departure of someone not in office (a successor already in) changes nothing."""
        sitting, other = names
        before = HeadOfState.fold([installed(sitting)])
        assert before == HeadOfState.apply(before, HeadOfStateLeft(occurred=when, name=other))

    @given(NAMES, whens())
    def test_leaving_a_vacant_office_changes_nothing(self, name, when) -> None:
        """With nobody in office, a departure changes nothing."""
        assert HeadOfState.initial == HeadOfState.fold([HeadOfStateLeft(occurred=when, name=name)])

    @given(NAMES, whens())
    def test_round_trips_through_the_codec(self, name, when) -> None:
        """The stored form decodes to the same event."""
        event = HeadOfStateLeft(occurred=when, name=name)
        assert event == decode(encode(event))

    def test_a_blank_name_is_refused(self) -> None:
        """Nobody cannot leave."""
        with pytest.raises(InvalidEvent, match=r"HeadOfStateLeft\.name"):
            HeadOfStateLeft(occurred="2020", name=" ")


class TestUnnamedCoup:
    @given(NAMES, st.booleans(), whens())
    def test_a_coup_whose_leader_is_not_named_leaves_the_head_of_state(
        self, name, successful, when
    ) -> None:
        """A coup from a dataset that names nobody changes nobody, even a successful one."""
        before = HeadOfState.fold([installed(name)])
        coup = CoupOccurred(occurred=when, successful=successful)
        assert ("", "") == (coup.ousted, coup.seized_by)
        assert before == HeadOfState.apply(before, coup)

    @given(NAMES, whens())
    def test_a_named_leader_alone_still_takes_over(self, name, when) -> None:
        """A successful coup naming only who seized power makes them head of state."""
        state = HeadOfState.fold([CoupOccurred(occurred=when, seized_by=name, successful=True)])
        assert state.current is not None
        assert (name, "coup leader") == (state.current.name, state.current.title)

    @given(st.booleans())
    def test_round_trips_through_the_codec(self, successful) -> None:
        """An unnamed coup's stored form decodes to the same event."""
        event = CoupOccurred(occurred="1968-11-19", successful=successful)
        assert event == decode(encode(event))


class TestElectionVoided:
    @given(whens(), whens())
    def test_a_voided_vote_leaves_nothing_promised_and_keeps_the_promises(
        self, scheduled, voided
    ) -> None:
        """After a voiding the office has no promised date, and the drift keeps its promises."""
        promise = ElectionScheduled(occurred="1990", office="executive", for_date="2031")
        void = ElectionVoided(occurred=voided, office="executive")
        drift = PromisedElection.fold([promise, void])["executive"]
        assert (None, voided, 1) == (drift.current, drift.voided, len(drift.promises))

    def test_a_schedule_after_a_voiding_starts_a_new_drift(self) -> None:
        """A new promise after a voided vote is the first of a new drift."""
        events = [
            ElectionScheduled(occurred="1968-01", office="executive", for_date="1969-04"),
            ElectionVoided(occurred="1968-11", office="executive", reason="regime change"),
            ElectionScheduled(occurred="1974-06", office="executive", for_date="1979-06"),
        ]
        drift = PromisedElection.fold(events)["executive"]
        assert (When("1979-06"), None, 1) == (drift.current, drift.voided, len(drift.promises))

    @given(whens(), st.text(max_size=10))
    def test_round_trips_through_the_codec(self, when, reason) -> None:
        """The stored form decodes to the same event."""
        event = ElectionVoided(occurred=when, office="legislature", reason=reason)
        assert event == decode(encode(event))
