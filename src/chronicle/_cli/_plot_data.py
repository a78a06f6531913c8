"""What ``chronicle plot`` draws, read from a log: tenures, coups, marks and a promise's drift.

Reading is kept apart from drawing so that it can be tested without matplotlib, and
so that the figure is a function of these values alone.
"""

from __future__ import annotations

import datetime
from typing import Final

import attrs

from chronicle._errors import ChronicleError
from chronicle._event import Event
from chronicle._log import Log
from chronicle._replay import history, possibilities, timeline
from chronicle._when import When
from chronicle.politics import (
    CoupOccurred,
    Drift,
    Elections,
    HeadOfState,
    OfficersArrested,
    PartiesDissolved,
    Promise,
    PromisedElection,
)

__all__ = ["Chronology", "Tenure", "human", "read", "year_end_after"]

_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


@attrs.frozen
class Tenure:
    """A stretch of time one person headed the state (consecutive titles merged)."""

    name: str
    title: str
    since: When
    until: datetime.date


@attrs.frozen
class Chronology:
    """What the figure shows, read from the log once.

    Attributes:
        name: The subject, for the title (the stream's name).
        tenures: The heads of state, in order.
        coups: Every coup, in fold order.
        marks: Arrests of officers and dissolutions of parties, with their captions.
        drift: The promises of the election drawn.
        start: The first day drawn (1 January of the year before the first coup or promise).
        last: The last day the chronology covers (the latest day of its last event):
            tenures and the promise in force are drawn up to it, not beyond.
        end: The last day drawn: the end of the year, at least half a year after ``last``.
        publishers: The sources' publishers, the most cited first.
        alternatives: Every date that may be promised now (``None``: no date), if the
            record leaves the promise in force open; empty if it is certain.
        undecided: The promises whose order is unknown and decides which one stands.
    """

    name: str
    tenures: tuple[Tenure, ...]
    coups: tuple[CoupOccurred, ...]
    marks: tuple[tuple[Event, str], ...]
    drift: Drift
    start: datetime.date
    last: datetime.date
    end: datetime.date
    publishers: tuple[str, ...]
    alternatives: tuple[When | None, ...] = ()
    undecided: tuple[Promise, ...] = ()


def year_end_after(day: datetime.date, days: int) -> datetime.date:
    """1 January of the year after ``day`` plus ``days``: an axis ends on a year's edge."""
    return datetime.date((day + datetime.timedelta(days=days)).year + 1, 1, 1)


def human(when: When) -> str:
    """A date as a caption says it: "18 Aug 2020", "May 2025", "2027", "by Mar 2022"."""
    if when.is_interval:
        return f"by {human(when.end)}"
    day = when.earliest
    if when.precision == "day":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    if when.precision == "month":
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return str(day.year)


def _tenures(log: Log, stream: str | None, end: datetime.date) -> tuple[Tenure, ...]:
    """Who headed the state from when to when, one tenure per person in a row."""
    steps = [(when, state.current) for when, state in history(log, HeadOfState, stream=stream)]
    tenures: list[Tenure] = []
    for index, (when, leader) in enumerate(steps):
        until = steps[index + 1][0].latest if index + 1 < len(steps) else end
        if leader is None:
            continue
        if tenures and tenures[-1].name == leader.name and tenures[-1].until == when.latest:
            tenures[-1] = attrs.evolve(tenures[-1], title=leader.title, until=until)
        else:
            tenures.append(Tenure(leader.name, leader.title, when, until))
    return tuple(tenures)


def _caption(event: Event) -> str:
    if isinstance(event, OfficersArrested):
        count = f"{event.count} officers" if event.count is not None else "officers"
        return f"{count} arrested"
    return "parties dissolved"


def read(log: Log, *, stream: str | None, office: str) -> Chronology:
    """What the figure of ``stream`` (or the whole log) shows.

    Raises:
        ChronicleError: the log holds no event to draw.
    """
    events = [occurrence.event for occurrence in timeline(log, stream=stream)]
    if not events:
        raise ChronicleError("plot: the log holds no event to draw")
    found = possibilities(log, PromisedElection, stream=stream, view=lambda e: e[office].current)
    drift = found.replayed[office]
    open_events = [(o.event.occurred, o.event.sources) for o in found.undecided]
    coups = tuple(event for event in events if isinstance(event, CoupOccurred))
    anchors = [coup.occurred.earliest for coup in coups]
    anchors += [promise.made.earliest for promise in drift.promises]
    first = min(anchors or [event.occurred.earliest for event in events])
    last = max(event.occurred.latest for event in events)
    cited = [source.publisher for event in events for source in event.sources]
    start = datetime.date(first.year - 1, 1, 1)
    return Chronology(
        name=stream or ", ".join(log.streams()),
        tenures=tuple(t for t in _tenures(log, stream, last) if t.until > start),
        coups=coups,
        marks=tuple(
            (event, _caption(event))
            for event in events
            if isinstance(event, OfficersArrested | PartiesDissolved)
        ),
        drift=drift,
        start=start,
        last=last,
        end=year_end_after(last, 180),
        publishers=tuple(sorted(set(cited), key=lambda name: (-cited.count(name), name))),
        alternatives=() if found.certain else tuple(_now(p.state, office) for p in found),
        undecided=tuple(p for p in drift.promises if (p.made, p.sources) in open_events),
    )


def _now(elections: Elections, office: str) -> When | None:
    return elections[office].current
