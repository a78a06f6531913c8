"""Hypothesis strategies for the politics domain: valid events of every type, and sequences."""

from __future__ import annotations

import datetime
import functools
from typing import TypeVar

from hypothesis import strategies as st

from chronicle import Event, When
from chronicle.politics import (
    QUALIFIERS,
    AttackOccurred,
    CasualtiesReported,
    Count,
    CoupOccurred,
    ElectionHeld,
    ElectionPostponed,
    ElectionScheduled,
    ElectionVoided,
    HeadOfStateInstalled,
    HeadOfStateLeft,
    Officer,
    OfficersArrested,
    OfficersReleased,
    PartiesDissolved,
    PartiesRestored,
    PartiesSuspended,
)
from tests.strategies import FIRST, LAST

PEOPLE = ("Ibrahim Boubacar Keïta", "Bah N'Daw", "Assimi Goïta", "Moctar Ouane", "Choguel Maïga")
OFFICER_NAMES = ("Abass Dembélé", "Néma Sagara", "Sadio Camara", "Ismaël Wagué", "Malick Diaw")
OFFICES = ("president", "legislature")

T = TypeVar("T")

people = st.sampled_from(PEOPLE)
offices = st.sampled_from(OFFICES)
labels = st.text(min_size=1, max_size=8).filter(lambda text: text.strip() != "")
"""Non-blank free text, with any characters (names, titles, scopes, places)."""
notes = st.sampled_from(["", "technical reasons", "« sécurité »"])

counts = st.builds(Count, st.integers(0, 10_000), st.sampled_from(QUALIFIERS))
officers = st.builds(
    Officer,
    name=st.sampled_from(OFFICER_NAMES),
    rank=st.sampled_from(["General", "Brigadier General", "Colonel", "Major"]),
    branch=st.sampled_from(["", "army", "air force", "National Guard"]),
)


def _valid_times() -> tuple[When, ...]:
    """A fixed spread of valid times of every form, 2018 to 2028, with shared bounds.

    Domain rules depend on how dates compare, not on which dates they are; a fixed
    set drawn from cheaply keeps sequence tests fast, and its overlapping bounds
    (a day, its month, its year) make ties and near-ties common.
    """
    times: list[When] = []
    for year in range(2018, 2029, 2):
        for month in (1, 5, 12):
            day = datetime.date(year, month, 13)
            times += [When(day), When(f"{year}-{month:02}"), When(f"{year}-{month:02}-13~")]
        times += [When(f"{year}"), When(f"{year}?"), When(f"{year}-03/{year + 1}-02")]
    return tuple(times)


VALID_TIMES = _valid_times()
assert FIRST <= min(w.earliest for w in VALID_TIMES) <= max(w.latest for w in VALID_TIMES) <= LAST
whens = st.sampled_from(VALID_TIMES)
"""Valid times of every form (days, months, years, intervals, qualified), drawn cheaply."""


@functools.cache
def maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    """``strategy`` or None, built once per strategy."""
    return st.none() | strategy


@functools.cache
def whens_from(first: datetime.date) -> st.SearchStrategy[When]:
    """Valid times whose latest day is on or after ``first`` (one of VALID_TIMES' days)."""
    return st.sampled_from([when for when in VALID_TIMES if when.latest >= first])


@st.composite
def coups(draw: st.DrawFn, successful: bool | None = None) -> CoupOccurred:
    ousted, seized_by = draw(st.lists(people, min_size=2, max_size=2, unique=True))
    return CoupOccurred(
        occurred=draw(whens),
        ousted=ousted,
        seized_by=seized_by,
        successful=draw(st.booleans()) if successful is None else successful,
        junta=draw(st.sampled_from(["", "CNSP"])),
    )


installations = st.builds(
    HeadOfStateInstalled,
    occurred=whens,
    name=people,
    title=st.sampled_from(["President", "President of the Transition"]),
)


@st.composite
def schedules(draw: st.DrawFn, office: st.SearchStrategy[str] = offices) -> ElectionScheduled:
    occurred = draw(whens)
    return ElectionScheduled(
        occurred=occurred, office=draw(office), for_date=draw(whens_from(occurred.earliest))
    )


@st.composite
def postponements(draw: st.DrawFn, office: st.SearchStrategy[str] = offices) -> ElectionPostponed:
    occurred = draw(whens)
    new_date = draw(maybe(whens_from(occurred.earliest)))
    replaces = draw(maybe(whens))
    if new_date is not None and replaces is not None and new_date.latest <= replaces.earliest:
        replaces = None
    return ElectionPostponed(
        occurred=occurred,
        office=draw(office),
        new_date=new_date,
        replaces=replaces,
        reason=draw(notes),
    )


departures = st.builds(HeadOfStateLeft, occurred=whens, name=people)


def voidings(office: st.SearchStrategy[str] = offices) -> st.SearchStrategy[ElectionVoided]:
    return st.builds(ElectionVoided, occurred=whens, office=office, reason=notes)


def helds(office: st.SearchStrategy[str] = offices) -> st.SearchStrategy[ElectionHeld]:
    return st.builds(ElectionHeld, occurred=whens, office=office, winner=notes)


@st.composite
def _people_fields(draw: st.DrawFn) -> tuple[tuple[Officer, ...], Count | None]:
    named = tuple(draw(st.lists(officers, max_size=3, unique_by=lambda officer: officer.name)))
    count = draw(maybe(counts)) if named else draw(counts)
    if count is not None and (count.minimum < 1 or (count.exact and count.value < len(named))):
        count = Count(max(len(named), 1) + count.value, count.qualifier)
    return named, count


@st.composite
def arrests(draw: st.DrawFn) -> OfficersArrested:
    named, count = draw(_people_fields())
    return OfficersArrested(occurred=draw(whens), officers=named, count=count, accusation="")


@st.composite
def releases(draw: st.DrawFn) -> OfficersReleased:
    named, count = draw(_people_fields())
    return OfficersReleased(occurred=draw(whens), officers=named, count=count)


attacks = st.builds(
    AttackOccurred,
    occurred=whens,
    perpetrator=st.sampled_from(["JNIM", "Islamic State Sahel Province"]),
    place=labels,
    killed=maybe(counts),
)


@st.composite
def casualty_reports(draw: st.DrawFn) -> CasualtiesReported:
    period = draw(whens)
    return CasualtiesReported(
        occurred=draw(whens_from(period.latest)),
        period=period,
        region=draw(st.sampled_from(["Sahel", "Mali", "Mopti"])),
        killed=draw(counts),
        reported_by=draw(st.sampled_from(["ACLED", "UN"])),
        perpetrator=draw(st.sampled_from(["", "Islamist groups"])),
    )


STRATEGIES: dict[type[Event], st.SearchStrategy[Event]] = {
    CoupOccurred: coups(),
    HeadOfStateInstalled: installations,
    HeadOfStateLeft: departures,
    ElectionScheduled: schedules(),
    ElectionPostponed: postponements(),
    ElectionHeld: helds(),
    ElectionVoided: voidings(),
    PartiesSuspended: st.builds(PartiesSuspended, occurred=whens, scope=labels),
    PartiesDissolved: st.builds(PartiesDissolved, occurred=whens, scope=labels),
    PartiesRestored: st.builds(PartiesRestored, occurred=whens, scope=labels),
    OfficersArrested: arrests(),
    OfficersReleased: releases(),
    AttackOccurred: attacks,
    CasualtiesReported: casualty_reports(),
}
"""A strategy of valid events for each politics event type."""

events: st.SearchStrategy[Event] = st.one_of(*STRATEGIES.values())
"""Valid politics events of every type."""
