"""Strategies for the politics domain: valid events of each type, and plausible histories.

Each event strategy draws only events the domain accepts (a release names someone,
a postponement does not bring a vote forward, ...), and is registered with
:func:`register_strategy`, so that :func:`events_of` and :func:`events` draw from it.
Valid times come from a fixed spread of every form, 2018 to 2028: domain rules
depend on how dates compare, not on which dates they are, and the overlapping
bounds of the spread (a day, its month, its year) make ties common.

:func:`histories` draws whole stories that follow the domain's logic from event to
event: a coup ousts the sitting head of state, a postponement moves the date
promised, a release frees officers held.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from typing import TypeVar

import attrs
from hypothesis import strategies as st

from chronicle._event import Event
from chronicle._when import When
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
    HeadOfGovernmentAppointed,
    HeadOfGovernmentLeft,
    HeadOfStateInstalled,
    HeadOfStateLeft,
    Officer,
    OfficersArrested,
    OfficersReleased,
    PartiesDissolved,
    PartiesRestored,
    PartiesSuspended,
)
from chronicle.testing._chronologies import chronologies
from chronicle.testing._chronology import Chronology
from chronicle.testing._fields import register_strategy, text

__all__ = [
    "OFFICER_NAMES",
    "OFFICES",
    "PEOPLE",
    "STRATEGIES",
    "VALID_TIMES",
    "appointments",
    "arrests",
    "attacks",
    "casualty_reports",
    "counts",
    "coups",
    "departures",
    "government_departures",
    "helds",
    "histories",
    "installations",
    "officers",
    "people",
    "political_chronologies",
    "political_events",
    "postponements",
    "releases",
    "schedules",
    "voidings",
    "whens",
]

T = TypeVar("T")

PEOPLE = ("Ibrahim Boubacar Keïta", "Bah N'Daw", "Assimi Goïta", "Moctar Ouane", "Choguel Maïga")
"""Heads of state, plotters and winners drawn from."""
OFFICER_NAMES = ("Abass Dembélé", "Néma Sagara", "Sadio Camara", "Ismaël Wagué", "Malick Diaw")
"""Officers arrested and released."""
OFFICES = ("president", "legislature")
"""Offices voted for."""

people = st.sampled_from(PEOPLE)
"""One of :data:`PEOPLE`."""
offices = st.sampled_from(OFFICES)
labels = text(max_size=8)
"""Non-blank free text of any characters (scopes, places)."""
notes = st.sampled_from(["", "technical reasons", "« sécurité »"])
counts = st.builds(Count, st.integers(0, 10_000), st.sampled_from(QUALIFIERS))
"""Reported figures, of every qualifier."""
officers = st.builds(
    Officer,
    name=st.sampled_from(OFFICER_NAMES),
    rank=st.sampled_from(["General", "Brigadier General", "Colonel", "Major"]),
    branch=st.sampled_from(["", "army", "air force", "National Guard"]),
)
"""Named officers (a name may come with several ranks: a promotion)."""


def _valid_times() -> tuple[When, ...]:
    times: list[When] = []
    for year in range(2018, 2029, 2):
        for month in (1, 5, 12):
            day = datetime.date(year, month, 13)
            times += [When(day), When(f"{year}-{month:02}"), When(f"{year}-{month:02}-13~")]
        times += [When(f"{year}"), When(f"{year}?"), When(f"{year}-03/{year + 1}-02")]
    return tuple(times)


VALID_TIMES = _valid_times()
"""A fixed spread of valid times of every form, 2018 to 2028, with shared bounds."""
whens = st.sampled_from(VALID_TIMES)
"""Valid times of every form, drawn cheaply from :data:`VALID_TIMES`."""


@functools.cache
def _maybe(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


@functools.cache
def _whens_from(first: datetime.date) -> st.SearchStrategy[When]:
    """Valid times of the spread whose latest day is on or after ``first``."""
    return st.sampled_from([when for when in VALID_TIMES if when.latest >= first])


@st.composite
def coups(draw: st.DrawFn, successful: bool | None = None) -> CoupOccurred:
    """Coups, successful or not (or as asked), against someone by someone else."""
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
departures = st.builds(HeadOfStateLeft, occurred=whens, name=people)
appointments = st.builds(
    HeadOfGovernmentAppointed,
    occurred=whens,
    name=people,
    title=st.sampled_from(["Prime Minister", "interim Prime Minister"]),
)
government_departures = st.builds(HeadOfGovernmentLeft, occurred=whens, name=people)


@st.composite
def schedules(draw: st.DrawFn, office: st.SearchStrategy[str] = offices) -> ElectionScheduled:
    """Votes promised for a date not wholly before the promise."""
    occurred = draw(whens)
    return ElectionScheduled(
        occurred=occurred, office=draw(office), for_date=draw(_whens_from(occurred.earliest))
    )


@st.composite
def postponements(draw: st.DrawFn, office: st.SearchStrategy[str] = offices) -> ElectionPostponed:
    """Votes put off to a later date, or indefinitely."""
    occurred = draw(whens)
    new_date = draw(_maybe(_whens_from(occurred.earliest)))
    replaces = draw(_maybe(whens))
    if new_date is not None and replaces is not None and new_date.latest <= replaces.earliest:
        replaces = None
    return ElectionPostponed(
        occurred=occurred,
        office=draw(office),
        new_date=new_date,
        replaces=replaces,
        reason=draw(notes),
    )


def helds(office: st.SearchStrategy[str] = offices) -> st.SearchStrategy[ElectionHeld]:
    """Votes held, with or without a winner named."""
    return st.builds(ElectionHeld, occurred=whens, office=office, winner=notes)


def voidings(office: st.SearchStrategy[str] = offices) -> st.SearchStrategy[ElectionVoided]:
    """Votes called off or annulled."""
    return st.builds(ElectionVoided, occurred=whens, office=office, reason=notes)


def _people_count(named: Sequence[Officer], count: Count | None) -> Count | None:
    """``count`` raised, if need be, to cover at least one person and every name."""
    if count is not None and (count.minimum < 1 or (count.exact and count.value < len(named))):
        return Count(max(len(named), 1) + count.value, count.qualifier)
    return count


@st.composite
def _people_fields(draw: st.DrawFn) -> tuple[tuple[Officer, ...], Count | None]:
    named = tuple(draw(st.lists(officers, max_size=3, unique_by=lambda officer: officer.name)))
    count = draw(_maybe(counts)) if named else draw(counts)
    return named, _people_count(named, count)


@st.composite
def arrests(draw: st.DrawFn) -> OfficersArrested:
    """Arrests of named officers, of a reported number, or both."""
    named, count = draw(_people_fields())
    return OfficersArrested(occurred=draw(whens), officers=named, count=count)


@st.composite
def releases(draw: st.DrawFn) -> OfficersReleased:
    """Releases of named officers, of a reported number, or both."""
    named, count = draw(_people_fields())
    return OfficersReleased(occurred=draw(whens), officers=named, count=count)


perpetrators = st.sampled_from(["JNIM", "Islamic State Sahel Province"])
attacks = st.builds(
    AttackOccurred,
    occurred=whens,
    perpetrator=perpetrators,
    place=labels,
    killed=_maybe(counts),
)


@st.composite
def casualty_reports(draw: st.DrawFn) -> CasualtiesReported:
    """Casualty figures for a period, reported once the period is over."""
    period = draw(whens)
    return CasualtiesReported(
        occurred=draw(_whens_from(period.latest)),
        period=period,
        region=draw(st.sampled_from(["Sahel", "Mali", "Mopti"])),
        killed=draw(counts),
        reported_by=draw(st.sampled_from(["ACLED", "UN"])),
        perpetrator=draw(st.sampled_from(["", "Islamist groups"])),
    )


def _parties(cls: type[Event]) -> st.SearchStrategy[Event]:
    return st.builds(cls, occurred=whens, scope=labels)


STRATEGIES: dict[type[Event], st.SearchStrategy[Event]] = {
    CoupOccurred: coups(),
    HeadOfStateInstalled: installations,
    HeadOfStateLeft: departures,
    HeadOfGovernmentAppointed: appointments,
    HeadOfGovernmentLeft: government_departures,
    ElectionScheduled: schedules(),
    ElectionPostponed: postponements(),
    ElectionHeld: helds(),
    ElectionVoided: voidings(),
    PartiesSuspended: _parties(PartiesSuspended),
    PartiesDissolved: _parties(PartiesDissolved),
    PartiesRestored: _parties(PartiesRestored),
    OfficersArrested: arrests(),
    OfficersReleased: releases(),
    AttackOccurred: attacks,
    CasualtiesReported: casualty_reports(),
}
"""A strategy of valid events for each politics event type (each also registered)."""

for _cls, _strategy in STRATEGIES.items():
    register_strategy(_cls, _strategy)

political_events: st.SearchStrategy[Event] = st.one_of(*STRATEGIES.values())
"""Valid politics events of every type, each drawn on its own."""


@attrs.define
class _Country:
    """What a story has made true so far: the day, the heads, the promises, the detained."""

    day: datetime.date
    head: str = ""
    premier: str = ""
    promised: dict[str, When] = attrs.Factory(dict)
    held: list[Officer] = attrs.Factory(list)


def _on(draw: st.DrawFn, day: datetime.date) -> When:
    """The day, or its month or year: a history is told at the precision its sources have."""
    length = draw(st.sampled_from((10, 10, 7, 4)))
    return When(day.isoformat()[:length])


def _later(draw: st.DrawFn, day: datetime.date) -> When:
    """A date promised after ``day``: a day, a month, a year, or a window ending then."""
    end = day + datetime.timedelta(days=draw(st.integers(30, 900)))
    form = draw(st.sampled_from(("day", "month", "year", "window")))
    if form == "window":
        return When.between(When(day), When(end))
    return When(end.isoformat()[: {"day": 10, "month": 7, "year": 4}[form]])


def _leaders(draw: st.DrawFn, country: _Country, kind: str, occurred: When) -> Event:
    """A change at the head of the state or of the government, from who holds each now."""
    if kind == "coup":
        seized_by = draw(st.sampled_from([p for p in PEOPLE if p != country.head]))
        successful = draw(st.booleans())
        coup = CoupOccurred(
            occurred=occurred, ousted=country.head, seized_by=seized_by, successful=successful
        )
        country.head = seized_by if successful else country.head
        return coup
    if kind in ("installed", "left"):
        name = draw(people) if kind == "installed" else country.head
        country.head = name if kind == "installed" else ""
        if kind == "left":
            return HeadOfStateLeft(occurred=occurred, name=name)
        return HeadOfStateInstalled(occurred=occurred, name=name, title="President")
    name = draw(people) if kind == "appointed" else country.premier
    country.premier = name if kind == "appointed" else ""
    if kind == "resigned":
        return HeadOfGovernmentLeft(occurred=occurred, name=name)
    return HeadOfGovernmentAppointed(occurred=occurred, name=name, title="Prime Minister")


@st.composite
def _step(draw: st.DrawFn, country: _Country) -> Event:  # noqa: PLR0911 -- one return per kind
    """The next event of the story, following from what the country's story made true."""
    country.day += datetime.timedelta(days=draw(st.integers(0, 200)))
    occurred = _on(draw, country.day)
    kinds = ["coup", "installed", "appointed", "scheduled", "arrested", "attack", "casualties"]
    kinds += ["parties"] + ["left"] * bool(country.head) + ["resigned"] * bool(country.premier)
    kinds += ["released"] * bool(country.held)
    kinds += ["postponed", "held", "voided"] * bool(country.promised)
    kind = draw(st.sampled_from(kinds))
    if kind in ("coup", "installed", "left", "appointed", "resigned"):
        return _leaders(draw, country, kind, occurred)
    if kind in ("scheduled", "postponed"):
        office = draw(offices if kind == "scheduled" else st.sampled_from(sorted(country.promised)))
        old = country.promised.get(office)
        date = _later(draw, max(country.day, old.latest if old else country.day))
        country.promised[office] = date
        if kind == "scheduled":
            return ElectionScheduled(occurred=occurred, office=office, for_date=date)
        return ElectionPostponed(occurred=occurred, office=office, new_date=date, replaces=old)
    if kind in ("held", "voided"):
        office = draw(st.sampled_from(sorted(country.promised)))
        del country.promised[office]
        if kind == "held":
            return ElectionHeld(occurred=occurred, office=office, winner=draw(notes))
        return ElectionVoided(occurred=occurred, office=office)
    if kind == "arrested":
        names = draw(st.lists(st.sampled_from(OFFICER_NAMES), max_size=3, unique=True))
        named = tuple(attrs.evolve(draw(officers), name=name) for name in names)
        # An officer arrested again is held as the latest arrest describes them.
        again = {officer.name for officer in named}
        country.held = [o for o in country.held if o.name not in again] + list(named)
        count = _people_count(named, draw(_maybe(counts)) if named else draw(counts))
        return OfficersArrested(occurred=occurred, officers=named, count=count)
    if kind == "released":
        freed = draw(st.lists(st.sampled_from(country.held), min_size=1, unique=True))
        country.held = [officer for officer in country.held if officer not in freed]
        return OfficersReleased(occurred=occurred, officers=tuple(freed))
    if kind == "parties":
        cls = draw(st.sampled_from((PartiesSuspended, PartiesDissolved, PartiesRestored)))
        return cls(occurred=occurred, scope="all political parties")
    if kind == "attack":
        return AttackOccurred(
            occurred=occurred,
            perpetrator=draw(perpetrators),
            place=draw(labels),
            killed=draw(_maybe(counts)),
        )
    month = When((country.day.replace(day=1) - datetime.timedelta(days=1)).isoformat()[:7])
    return CasualtiesReported(
        occurred=When(country.day),
        period=month,
        region="Mali",
        killed=draw(counts),
        reported_by="UN",
    )


def histories(
    max_events: int = 12, start: datetime.date = datetime.date(2012, 1, 1)
) -> st.SearchStrategy[list[Event]]:
    """Plausible political histories of one country, in the order they happened.

    Coups oust the sitting head of state and, when they succeed, put their leader
    in place; heads of state are installed and leave; heads of government are
    appointed and leave (only the sitting one leaves); votes are scheduled, then
    postponed to later dates, held or voided; officers are arrested (one held may
    be arrested again, described anew) and later some of those held are released;
    parties are suspended, dissolved and restored; attacks happen and casualty
    figures for the month before are reported. Events are told at the precision
    of a day, a month or a year, and several may happen on one day.

    Args:
        max_events: The most events in a history.
        start: The day the history starts.
    """
    return _histories(max_events, start)


@st.composite
def _histories(draw: st.DrawFn, max_events: int, start: datetime.date) -> list[Event]:
    country = _Country(day=start)
    return [draw(_step(country)) for _ in range(draw(st.integers(1, max_events)))]


def political_chronologies(
    max_events: int = 12, streams: Sequence[str] = ("mali",)
) -> st.SearchStrategy[Chronology]:
    """Chronologies of :func:`histories`: late arrivals, backdating and corrections included."""
    return chronologies(stories=histories(max_events), streams=streams)
