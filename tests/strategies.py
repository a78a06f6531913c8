"""Hypothesis strategies for the core's tests, over the small domain of ``tests.domain``."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import attrs
from hypothesis import strategies as st

from chronicle import Event, When
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


def stepping_clock(start: datetime.datetime | None = None) -> Callable[[], datetime.datetime]:
    """A clock that moves one hour on every reading."""
    moments: Iterator[datetime.datetime] = (
        (start or datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
        + datetime.timedelta(hours=hours)
        for hours in range(10**9)
    )
    return lambda: next(moments)
