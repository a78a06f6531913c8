"""Hypothesis strategies for the core's tests, over the small domain of ``tests.domain``."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import attrs
from hypothesis import strategies as st

from chronicle import ANY, Corrected, Event, Log, MemoryStore, Record, Retracted, When
from tests.domain import Appointed, Counted, Vacated

FIRST = datetime.date(1990, 1, 1)
LAST = datetime.date(2030, 12, 31)


@st.composite
def whens(draw: st.DrawFn) -> When:
    """Days, months, years and intervals between 1990 and 2030."""
    day = draw(st.dates(FIRST, LAST))
    form = draw(st.sampled_from(["day", "month", "year", "interval"]))
    if form == "day":
        return When(day)
    if form == "month":
        return When(day.strftime("%Y-%m"))
    if form == "year":
        return When(day.strftime("%Y"))
    end = draw(st.dates(day, min(LAST, day + datetime.timedelta(days=400))))
    return When.between(day, end)


OFFICES = st.sampled_from(["president", "prime minister", "army chief"])
NAMES = st.sampled_from(["Keïta", "Goïta", "N'Daou", "Ouane", "Maïga"])

events: st.SearchStrategy[Event] = st.one_of(
    st.builds(Appointed, occurred=whens(), office=OFFICES, name=NAMES),
    st.builds(Vacated, occurred=whens(), office=OFFICES),
    st.builds(Counted, occurred=whens(), amount=st.integers(-1000, 1000)),
)


@attrs.frozen
class Step:
    """One append of a plan: new events, or corrections of earlier ones (by index)."""

    events: tuple[Event, ...] = ()
    retract: tuple[int, ...] = ()
    correct: tuple[tuple[int, Event], ...] = ()


@st.composite
def plans(draw: st.DrawFn, max_steps: int = 8) -> list[Step]:
    """A sequence of appends: batches of events, and retractions and corrections of earlier ones."""
    steps: list[Step] = []
    count = 0
    for _ in range(draw(st.integers(1, max_steps))):
        if count and draw(st.booleans()):
            indices = st.integers(0, count - 1)
            steps.append(
                Step(
                    retract=tuple(draw(st.lists(indices, max_size=2, unique=True))),
                    correct=tuple(draw(st.lists(st.tuples(indices, events), max_size=2))),
                )
            )
        else:
            batch = tuple(draw(st.lists(events, min_size=1, max_size=6)))
            count += len(batch)
            steps.append(Step(events=batch))
    return steps


def stepping_clock(start: datetime.datetime | None = None) -> Callable[[], datetime.datetime]:
    """A clock that moves one hour on every reading."""
    moments: Iterator[datetime.datetime] = (
        (start or datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
        + datetime.timedelta(hours=hours)
        for hours in range(10**9)
    )
    return lambda: next(moments)


def build(plan: list[Step], stream: str = "s") -> tuple[Log, list[list[Record]]]:
    """A memory log with the plan appended, one append per step, and the records of each."""
    log = Log(MemoryStore(), clock=stepping_clock())
    appended: list[list[Record]] = []
    event_records: list[Record] = []
    for step in plan:
        entries: list[Event | Retracted | Corrected] = list(step.events)
        entries += [Retracted(target=event_records[i].id, reason="wrong") for i in step.retract]
        entries += [
            Corrected(target=event_records[i].id, reason="fixed", replacement=replacement)
            for i, replacement in step.correct
        ]
        if not entries:
            continue
        records = log.append(stream, entries, expected_version=ANY)
        event_records += [r for r in records if isinstance(r.event, Event)]
        appended.append(records)
    return log, appended
