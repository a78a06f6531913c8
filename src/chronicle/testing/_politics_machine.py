"""The state machine of the politics domain: domain commands on a real store, checked."""

from __future__ import annotations

from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from chronicle._event import Event
from chronicle._projector import Projector
from chronicle._replay import replay
from chronicle.politics import (
    PROJECTORS,
    AttackOccurred,
    ConflictToll,
    CoupOccurred,
    DetainedOfficers,
    ElectionPostponed,
    ElectionScheduled,
    HeadOfGovernment,
    HeadOfGovernmentAppointed,
    HeadOfState,
    HeadOfStateInstalled,
    OfficersArrested,
    OfficersReleased,
    PromisedElection,
)
from chronicle.testing._machine import ChronicleMachine
from chronicle.testing._politics import PEOPLE, VALID_TIMES, political_events, whens

__all__ = ["PoliticsMachine"]


class PoliticsMachine(ChronicleMachine):
    """Appends political events and domain commands to a log; checks the politics projectors.

    Beyond :class:`ChronicleMachine`'s random events and corrections, it issues the
    commands a chronicler would, from the state the record is in: a coup against the
    sitting head of state, the postponement of the vote now promised, the release of
    officers now held. After every step, besides replay against the model, the
    states must be explained by the events in force: the head of state was installed
    or seized power, the head of government was appointed, every officer held was
    arrested, every promise was made by a schedule or a postponement, and the attacks
    are those recorded.
    """

    projectors: ClassVar[tuple[Projector[Any], ...]] = tuple(PROJECTORS.values())
    events: ClassVar[st.SearchStrategy[Event]] = political_events
    streams: ClassVar[tuple[str, ...]] = ("mali", "niger")

    def _state(self, projector: Projector[Any], stream: str) -> Any:
        return projector.fold(self.model.in_force(stream=stream))

    @rule(data=st.data())
    def coup(self, data: st.DataObject) -> None:
        """A coup against the sitting head of state of a stream, by someone else."""
        stream = data.draw(st.sampled_from(self.streams), "stream")
        head = self._state(HeadOfState, stream).current
        ousted = "" if head is None else head.name
        coup = CoupOccurred(
            occurred=data.draw(whens, "occurred"),
            ousted=ousted,
            seized_by=data.draw(st.sampled_from([p for p in PEOPLE if p != ousted]), "by"),
            successful=data.draw(st.booleans(), "successful"),
        )
        self.append_entries(stream, [coup])

    @rule(data=st.data())
    def postpone(self, data: st.DataObject) -> None:
        """The vote promised in a stream is put off past the date promised (or indefinitely)."""
        stream = data.draw(st.sampled_from(self.streams), "stream")
        drifts = [d for d in self._state(PromisedElection, stream).drifts if d.current]
        if not drifts:
            return
        drift = data.draw(st.sampled_from(drifts), "office")
        promised = drift.current
        later = [when for when in VALID_TIMES if when.latest > promised.latest]
        new_date = data.draw(st.none() | st.sampled_from(later), "new date") if later else None
        # Not decided after the new date has passed.
        possible = [w for w in VALID_TIMES if new_date is None or w.earliest <= new_date.latest]
        postponement = ElectionPostponed(
            occurred=data.draw(st.sampled_from(possible), "occurred"),
            office=drift.office,
            new_date=new_date,
            replaces=promised,
        )
        self.append_entries(stream, [postponement])

    @precondition(lambda self: any(self._state(DetainedOfficers, s).held for s in self.streams))
    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        """Some of the officers held in a stream are released."""
        held = {s: self._state(DetainedOfficers, s).held for s in self.streams}
        stream = data.draw(st.sampled_from([s for s in self.streams if held[s]]), "stream")
        freed = data.draw(st.lists(st.sampled_from(held[stream]), min_size=1, unique=True))
        release = OfficersReleased(occurred=data.draw(whens, "occurred"), officers=tuple(freed))
        self.append_entries(stream, [release])

    @invariant()
    def states_are_explained_by_the_events(self) -> None:
        """What each projector holds comes from events in force."""
        events = self.model.in_force()
        leadership, government, elections, detention, toll = replay(
            self.log,
            (HeadOfState, HeadOfGovernment, PromisedElection, DetainedOfficers, ConflictToll),
        )
        heads = {e.name for e in events if isinstance(e, HeadOfStateInstalled)} | {
            e.seized_by for e in events if isinstance(e, CoupOccurred) and e.successful
        }
        assert leadership.current is None or leadership.current.name in heads
        premiers = {e.name for e in events if isinstance(e, HeadOfGovernmentAppointed)}
        assert government.current is None or government.current.name in premiers
        arrested = {o.name for e in events if isinstance(e, OfficersArrested) for o in e.officers}
        assert {officer.name for officer in detention.held} <= arrested
        promises = sum(isinstance(e, ElectionScheduled | ElectionPostponed) for e in events)
        assert sum(len(drift.promises) for drift in elections.drifts) <= promises
        assert tuple(e for e in events if isinstance(e, AttackOccurred)) == toll.attacks
