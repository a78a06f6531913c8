"""The politics projectors: pure handlers from a state and an event to the next state.

The rules they follow:

- :data:`HeadOfState`: an installation makes ``name`` head of state with ``title``;
  the installation of the sitting head under the title they hold already (a swearing-in
  after a court's proclamation) changes nothing, so their tenure runs from the first. A
  successful coup makes ``seized_by`` head of state at once, titled "leader of the
  <junta>" (or "coup leader" when no junta is named), until an installation names
  someone; a failed coup, or one whose leader the source does not name, changes
  nothing. A departure leaves the office vacant if the one who left holds it, and
  changes nothing otherwise. Each change closes the sitting tenure.
- :data:`HeadOfGovernment`: the same rules for appointments and departures of heads of
  government (an appointment of the sitting head under the same title changes nothing);
  a coup changes no head of government by itself: the record says when they left.
- :data:`PromisedElection`: per office, a schedule or a postponement adds a promise; a
  schedule after the vote was held or voided starts a new drift; a held or voided vote
  leaves nothing promised.
- :data:`DetainedOfficers`: officers are identified by name; an arrest adds the named
  (a re-arrest updates the rank and branch), a release removes them; reported totals
  are summed per kind and kept apart from the names.
- :data:`PartyStatus`: the last suspension, dissolution or restoration decides.
- :data:`ConflictToll`: attacks accumulate; a casualty figure replaces an earlier one
  for the same region, period, counter and perpetrator.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from chronicle import Projector, Vector, When
from chronicle.politics._events import (
    AttackOccurred,
    CasualtiesReported,
    CoupOccurred,
    ElectionHeld,
    ElectionPostponed,
    ElectionScheduled,
    ElectionVoided,
    HeadOfGovernmentAppointed,
    HeadOfGovernmentLeft,
    HeadOfStateInstalled,
    HeadOfStateLeft,
    OfficersArrested,
    OfficersReleased,
    PartiesDissolved,
    PartiesRestored,
    PartiesSuspended,
)
from chronicle.politics._states import (
    Detention,
    Elections,
    Leadership,
    Parties,
    Toll,
    figure_key,
    make_detention,
    make_drift,
    make_leader,
    make_parties,
    make_promise,
    make_toll,
)
from chronicle.politics._values import Count

__all__ = [
    "PROJECTORS",
    "ConflictToll",
    "DetainedOfficers",
    "HeadOfGovernment",
    "HeadOfState",
    "PartyStatus",
    "PromisedElection",
]

HeadOfState: Projector[Leadership] = Projector(
    "politics.HeadOfState", initial=Leadership(), version=2
)
"""Who is head of state, since when and how, and who was before."""


def _took_office(state: Leadership, name: str, title: str, when: When) -> Leadership:
    """``name`` holds the office as ``title`` from ``when``, unless they hold it so already."""
    sitting = state.current
    if sitting is not None and (sitting.name, sitting.title) == (name, title):
        return state
    return state.succeeded_by(make_leader(name=name, title=title, since=when))


def _left_office(state: Leadership, name: str) -> Leadership:
    """The office falls vacant if ``name`` holds it; otherwise nothing changes."""
    if state.current is None or state.current.name != name:
        return state
    return state.succeeded_by(None)


@HeadOfState.on(HeadOfStateInstalled)
def _installed(state: Leadership, event: HeadOfStateInstalled) -> Leadership:
    return _took_office(state, event.name, event.title, event.occurred)


@HeadOfState.on(HeadOfStateLeft)
def _left(state: Leadership, event: HeadOfStateLeft) -> Leadership:
    return _left_office(state, event.name)


@HeadOfState.on(CoupOccurred)
def _coup(state: Leadership, event: CoupOccurred) -> Leadership:
    if not event.successful or not event.seized_by:
        return state
    title = f"leader of the {event.junta}" if event.junta else "coup leader"
    return state.succeeded_by(
        make_leader(name=event.seized_by, title=title, since=event.occurred, by_coup=True)
    )


HeadOfGovernment: Projector[Leadership] = Projector(
    "politics.HeadOfGovernment", initial=Leadership()
)
"""Who is head of government (prime minister), since when, and who was before."""


@HeadOfGovernment.on(HeadOfGovernmentAppointed)
def _appointed(state: Leadership, event: HeadOfGovernmentAppointed) -> Leadership:
    return _took_office(state, event.name, event.title, event.occurred)


@HeadOfGovernment.on(HeadOfGovernmentLeft)
def _government_left(state: Leadership, event: HeadOfGovernmentLeft) -> Leadership:
    return _left_office(state, event.name)


PromisedElection: Projector[Elections] = Projector("politics.PromisedElection", initial=Elections())
"""The date promised for each office's vote, and every earlier promise: the drift."""


@PromisedElection.on(ElectionScheduled)
def _scheduled(state: Elections, event: ElectionScheduled) -> Elections:
    drift = state[event.office]
    promise = make_promise(made=event.occurred, date=event.for_date, sources=event.sources)
    over = drift.held is not None or drift.voided is not None
    promises = Vector((promise,)) if over else drift.promises.append(promise)
    return state.with_drift(make_drift(office=event.office, promises=promises))


@PromisedElection.on(ElectionPostponed)
def _postponed(state: Elections, event: ElectionPostponed) -> Elections:
    drift = state[event.office]
    promise = make_promise(
        made=event.occurred,
        date=event.new_date,
        postponement=True,
        reason=event.reason,
        sources=event.sources,
    )
    promises = drift.promises.append(promise)
    return state.with_drift(make_drift(office=event.office, promises=promises))


@PromisedElection.on(ElectionHeld)
def _held(state: Elections, event: ElectionHeld) -> Elections:
    drift = state[event.office]
    held = make_drift(office=event.office, promises=drift.promises, held=event.occurred)
    return state.with_drift(held)


@PromisedElection.on(ElectionVoided)
def _voided(state: Elections, event: ElectionVoided) -> Elections:
    drift = state[event.office]
    voided = make_drift(office=event.office, promises=drift.promises, voided=event.occurred)
    return state.with_drift(voided)


DetainedOfficers: Projector[Detention] = Projector("politics.DetainedOfficers", initial=Detention())
"""The named officers held, and the totals reported detained and released."""


def _plus(total: Count | None, count: Count | None) -> Count | None:
    if count is None:
        return total
    return count if total is None else total + count


@DetainedOfficers.on(OfficersArrested)
def _arrested(state: Detention, event: OfficersArrested) -> Detention:
    held = state.held
    for officer in event.officers:
        held = held.put(officer.name, officer)
    return make_detention(
        held=held,
        reported_detained=_plus(state.reported_detained, event.count),
        reported_released=state.reported_released,
    )


@DetainedOfficers.on(OfficersReleased)
def _released(state: Detention, event: OfficersReleased) -> Detention:
    held = state.held
    for officer in event.officers:
        held = held.without(officer.name)
    return make_detention(
        held=held,
        reported_detained=state.reported_detained,
        reported_released=_plus(state.reported_released, event.count),
    )


PartyStatus: Projector[Parties] = Projector("politics.PartyStatus", initial=Parties())
"""Whether political parties are active, suspended or dissolved, and since when."""


@PartyStatus.on(PartiesSuspended)
def _suspended(_state: Parties, event: PartiesSuspended) -> Parties:
    return make_parties(status="suspended", since=event.occurred, scope=event.scope)


@PartyStatus.on(PartiesDissolved)
def _dissolved(_state: Parties, event: PartiesDissolved) -> Parties:
    return make_parties(status="dissolved", since=event.occurred, scope=event.scope)


@PartyStatus.on(PartiesRestored)
def _restored(_state: Parties, event: PartiesRestored) -> Parties:
    return make_parties(status="active", since=event.occurred, scope=event.scope)


ConflictToll: Projector[Toll] = Projector("politics.ConflictToll", initial=Toll())
"""The attacks recorded and the casualty figures reported."""


@ConflictToll.on(AttackOccurred)
def _attack(state: Toll, event: AttackOccurred) -> Toll:
    return make_toll(attacks=state.attacks.append(event), reports=state.reports)


@ConflictToll.on(CasualtiesReported)
def _casualties(state: Toll, event: CasualtiesReported) -> Toll:
    return make_toll(attacks=state.attacks, reports=state.reports.put(figure_key(event), event))


_ALL: tuple[Projector[Any], ...] = (
    HeadOfState,
    HeadOfGovernment,
    PromisedElection,
    DetainedOfficers,
    PartyStatus,
    ConflictToll,
)
PROJECTORS: Mapping[str, Projector[Any]] = MappingProxyType({p.name: p for p in _ALL})
"""Every politics projector by its name (``"politics.HeadOfState"``, ...), read-only."""
