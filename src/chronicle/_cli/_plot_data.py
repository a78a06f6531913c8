"""What ``chronicle plot`` and ``chronicle html`` draw, read from a log: tenures, coups, votes.

Reading is kept apart from drawing so that it can be tested without matplotlib, and
so that a figure is a function of these values alone.

The stream is read once, with :func:`chronicle.timeline` (its events in force, in
fold order), and the heads of state and the election's promises are folded from
those events by the politics projectors, step by step as
:func:`chronicle.history` does: one read of one stream, where a history per
projector would read it once each.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from typing import Final, Literal, TypeVar

import attrs

from chronicle._cli._choices import check_choice, listing
from chronicle._cli._inputs import OptionError
from chronicle._cli._names import display_name
from chronicle._cli._uncertain import LIMIT
from chronicle._errors import TooUncertain
from chronicle._event import Event
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay import timeline
from chronicle._replay._possible import explore
from chronicle._replay._windows import items_of
from chronicle._when import When
from chronicle.politics import (
    CoupOccurred,
    Drift,
    ElectionPostponed,
    Elections,
    ElectionScheduled,
    HeadOfState,
    Leadership,
    OfficersArrested,
    PartiesDissolved,
    Promise,
    PromisedElection,
)

__all__ = [
    "Chronology",
    "Step",
    "Tenure",
    "caption",
    "choose_stream",
    "chronology",
    "default_office",
    "human",
    "read",
    "vote",
    "year_end_after",
]

S = TypeVar("S")

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
_PREFERRED: Final = ("president", "executive")
"""The offices drawn by default, in this order, when a stream has them."""


@attrs.frozen
class Tenure:
    """A stretch of time one person headed the state (consecutive titles merged)."""

    name: str
    title: str
    since: When
    until: datetime.date


@attrs.frozen
class Step:
    """A change in one office's election: a date promised, or the vote held or called off.

    Attributes:
        kind: ``"promise"`` (a schedule or a postponement), ``"held"`` or ``"voided"``.
        when: When it happened (the promise's ``made``, the vote's day).
        promise: The promise made (for ``"promise"`` only).
    """

    kind: Literal["promise", "held", "voided"]
    when: When
    promise: Promise | None = None


@attrs.frozen
class Chronology:
    """What a figure shows, read from the log once.

    Attributes:
        name: The subject, for titles: the stream's display name ("Mali").
        tenures: The heads of state, in order.
        coups: Every coup, in fold order.
        marks: Arrests of officers and dissolutions of parties (see :func:`caption`).
        office: The office whose election is drawn, or None if the stream has none.
        offices: Every office the stream's elections are for, sorted.
        steps: The drawn office's promises and votes, in fold order.
        current: The drawn office's drift at the end of the record.
        start: The first day drawn (1 January of the year before the first coup or promise).
        last: The last day the chronology covers (the latest day of its last event):
            tenures and the promise in force are drawn up to it, not beyond.
        end: The last day drawn: the end of the year, at least half a year after ``last``.
        publishers: The sources' publishers, the most cited first.
        alternatives: Every date that may be promised now for the drawn office
            (``None``: no date), if the record leaves it open; empty if it is certain.
        undecided: The promises whose unknown order decides which one stands.
    """

    name: str
    tenures: tuple[Tenure, ...]
    coups: tuple[CoupOccurred, ...]
    marks: tuple[OfficersArrested | PartiesDissolved, ...]
    office: str | None
    offices: tuple[str, ...]
    steps: tuple[Step, ...]
    current: Drift
    start: datetime.date
    last: datetime.date
    end: datetime.date
    publishers: tuple[str, ...]
    alternatives: tuple[When | None, ...] = ()
    undecided: tuple[Promise, ...] = ()

    @property
    def open(self) -> bool:
        """Whether the record leaves the date promised now open (see :func:`possibilities`)."""
        return len(self.alternatives) > 1

    @property
    def promises(self) -> tuple[Promise, ...]:
        """Every promise of the drawn office, in fold order."""
        return tuple(step.promise for step in self.steps if step.promise is not None)

    @property
    def receding(self) -> bool:
        """Whether the vote now promised keeps receding: postponed, or set later than first said.

        Only the promises in force count: a vote put off and then held is not receding.
        """
        drift = self.current
        open_ = drift.held is None and drift.voided is None and bool(drift.promises)
        return open_ and (drift.postponements > 0 or (drift.total_slip or 0) > 0)


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


def vote(office: str) -> str:
    """How a caption names the vote for ``office``: "presidential election", "referendum"."""
    named = {
        "president": "presidential election",
        "legislature": "legislative election",
        "referendum": "referendum",
    }
    return named.get(office, f"{office} election")


def choose_stream(log: Log, stream: str | None, *, target: str) -> str:
    """The stream a picture of ``log`` draws: the one given, or the log's only one.

    Args:
        log: The log.
        stream: The ``--stream`` given, if any.
        target: How the log was named on the command line, for messages.

    Raises:
        OptionError: the log holds no stream, or several and none was chosen, or
            ``stream`` is not one of them (the message gives the close matches).
    """
    streams = log.streams()
    if stream is not None:
        return check_choice(stream, streams, option="--stream", what="stream", where=f"in {target}")
    if not streams:
        raise OptionError(f"{target} holds no event to draw")
    if len(streams) > 1:
        raise OptionError(
            f"{target} holds {len(streams)} streams ({listing(streams)}): choose one with --stream"
        )
    return streams[0]


def default_office(offices: Sequence[str], promised: Counter[str]) -> str | None:
    """The office drawn by default: the president's, the executive's, else the most promised.

    Args:
        offices: The offices the stream's elections are for.
        promised: How many promises each office had.
    """
    for office in _PREFERRED:
        if office in offices:
            return office
    return max(offices, key=lambda office: (promised[office], office), default=None)


def _steps(projector: Projector[S], events: Sequence[Event]) -> list[tuple[When, S]]:
    """Each change of ``projector``'s state over ``events`` (in fold order), as in ``history``."""
    steps: list[tuple[When, S]] = []
    state = projector.initial
    for event in events:
        new = projector.apply(state, event)
        if new is not state and new != state:
            steps.append((event.occurred, new))
        state = new
    return steps


def _tenures(steps: Sequence[tuple[When, Leadership]], end: datetime.date) -> tuple[Tenure, ...]:
    """Who headed the state from when to when, one tenure per person in a row."""
    tenures: list[Tenure] = []
    for index, (when, state) in enumerate(steps):
        leader = state.current
        until = steps[index + 1][0].latest if index + 1 < len(steps) else end
        if leader is None:
            continue
        if tenures and tenures[-1].name == leader.name and tenures[-1].until == when.latest:
            tenures[-1] = attrs.evolve(tenures[-1], title=leader.title, until=until)
        else:
            tenures.append(Tenure(leader.name, leader.title, when, until))
    return tuple(tenures)


def _office_steps(steps: Sequence[tuple[When, Elections]], office: str) -> list[Step]:
    """The promises, votes held and votes voided of ``office``, from the elections' history."""
    found: list[Step] = []
    before = Drift(office=office)
    for when, state in steps:
        drift = state[office]
        if drift == before:
            continue
        known = len(before.promises)
        if drift.promises and (
            len(drift.promises) > known or drift.promises != before.promises[: len(drift.promises)]
        ):
            found.append(Step("promise", when, drift.promises[-1]))
        if drift.held is not None and drift.held != before.held:
            found.append(Step("held", drift.held))
        if drift.voided is not None and drift.voided != before.voided:
            found.append(Step("voided", drift.voided))
        before = drift
    return found


def caption(event: OfficersArrested | PartiesDissolved) -> str:
    """What a figure says of an arrest or a dissolution: "at least 45 officers arrested"."""
    if isinstance(event, OfficersArrested):
        count = f"{event.count} officers" if event.count is not None else "officers"
        return f"{count} arrested"
    return "parties dissolved"


def read(log: Log, *, stream: str, office: str | None = None) -> Chronology:
    """What a picture of ``stream`` shows, the stream read once.

    Args:
        log: The log.
        stream: The stream (see :func:`choose_stream`).
        office: The office whose election to draw; by default, see :func:`default_office`.

    Raises:
        OptionError: the stream holds no event in force to draw, or ``office`` is not
            an office the stream's elections are for.

    A promise whose unknown order decides which one stands now is marked (see
    :attr:`Chronology.undecided`), with every date that may stand
    (:func:`chronicle.possibilities`).
    """
    occurrences = timeline(log, stream=stream)
    found = chronology([o.event for o in occurrences], stream=stream, office=office)
    chosen = found.office
    if chosen is None:
        return found
    try:  # possibilities() of every event, from the occurrences read (not reading them again)
        seen = explore(
            items_of(occurrences, PromisedElection, None),
            PromisedElection,
            view=lambda e: e[chosen].current,
            limit=LIMIT,
        )
    except TooUncertain:  # too wide to tell: the figure draws the fold order's answer
        return found
    if seen.certain:
        return found
    undecided = {(o.event.occurred, o.event.sources) for o in seen.undecided}
    return attrs.evolve(
        found,
        alternatives=tuple(way.state[chosen].current for way in seen.states),
        undecided=tuple(p for p in found.promises if (p.made, p.sources) in undecided),
    )


def chronology(
    events: Sequence[Event], *, stream: str, office: str | None, lenient: bool = False
) -> Chronology:
    """What a picture of ``stream`` shows, from its events in force in fold order.

    Args:
        events: The stream's events, as :func:`chronicle.timeline` orders them.
        stream: The stream's name.
        office: The office whose election to draw; by default, see :func:`default_office`.
        lenient: Draw no election, rather than fail, if ``office`` is not among the
            stream's (a page showing the record as known before the office's first vote).

    Raises:
        OptionError: there is no event, or ``office`` is not an office of the stream's
            elections (unless ``lenient``).
    """
    if not events:
        raise OptionError(f"stream {stream!r} holds no event to draw")
    elections = _steps(PromisedElection, events)
    offices = elections[-1][1].offices if elections else ()
    promised = Counter(
        event.office for event in events if isinstance(event, ElectionScheduled | ElectionPostponed)
    )
    if office is not None and lenient and office not in offices:
        office = None
    elif office is not None:
        where = f"in stream {stream!r}"
        check_choice(office, offices, option="--office", what="election office", where=where)
    else:
        office = default_office(offices, promised)
    steps = _office_steps(elections, office) if office is not None else []
    coups = tuple(event for event in events if isinstance(event, CoupOccurred))
    anchors = [coup.occurred.earliest for coup in coups] + [step.when.earliest for step in steps]
    first = min(anchors or [event.occurred.earliest for event in events])
    last = max(event.occurred.latest for event in events)
    cited = Counter(source.publisher for event in events for source in event.sources)
    start = datetime.date(first.year - 1, 1, 1)
    return Chronology(
        name=display_name(stream),
        tenures=tuple(t for t in _tenures(_steps(HeadOfState, events), last) if t.until > start),
        coups=coups,
        marks=tuple(e for e in events if isinstance(e, OfficersArrested | PartiesDissolved)),
        office=office,
        offices=offices,
        steps=tuple(steps),
        current=elections[-1][1][office] if elections and office else Drift(office=office or ""),
        start=start,
        last=last,
        end=year_end_after(last, 180),
        publishers=tuple(sorted(cited, key=lambda name: (-cited[name], name))),
    )
