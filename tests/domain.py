"""A small domain for the core's tests: offices filled and vacated, and a trace of the fold."""

from __future__ import annotations

import attrs

import chronicle
from chronicle import Event, Projector


@chronicle.event("test.appointed")
class Appointed(Event):
    """Someone took an office."""

    office: str
    name: str


@chronicle.event("test.vacated")
class Vacated(Event):
    """An office fell empty."""

    office: str


@chronicle.event("test.counted")
class Counted(Event):
    """A number was reported."""

    amount: int


@attrs.frozen
class Offices:
    """Who holds each office, as sorted (office, name) pairs."""

    holders: tuple[tuple[str, str], ...] = ()

    def get(self, office: str) -> str | None:
        return dict(self.holders).get(office)


offices: Projector[Offices] = Projector("test.Offices", initial=Offices())


@offices.on(Appointed)
def _appointed(state: Offices, event: Appointed) -> Offices:
    held = dict(state.holders)
    held[event.office] = event.name
    return Offices(tuple(sorted(held.items())))


@offices.on(Vacated)
def _vacated(state: Offices, event: Vacated) -> Offices:
    held = dict(state.holders)
    held.pop(event.office, None)
    return Offices(tuple(sorted(held.items())))


trace: Projector[tuple[Event, ...]] = Projector(
    "test.trace", initial=(), state_type=tuple[Event, ...]
)
"""Every event, in the order the fold met it: the oracle of fold-order laws."""


@trace.on(Event)
def _trace(state: tuple[Event, ...], event: Event) -> tuple[Event, ...]:
    return (*state, event)


total: Projector[int] = Projector("test.total", initial=0)


@total.on(Counted)
def _count(state: int, event: Counted) -> int:
    return state + event.amount
