"""``verify``'s search for events whose order is unknown, against a naive search.

The search reads each stream twice and holds two numbers an event; the naive
one here holds every event of a stream and every window, as the search did
before. Both must find the same hazards, with the same verdicts, in fold order.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle import Corrected, Log, MemoryStore, Projector, Retracted, When
from chronicle._cli import _hazards
from chronicle._cli._hazards import SHOWN, Hazard, hazards
from chronicle._errors import TooUncertain
from chronicle._replay import Occurrence, timeline
from chronicle._replay._windows import (
    Budget,
    Item,
    ambiguous,
    canonical,
    enumerate_window,
    items_of,
    windows,
)
from tests.domain import Appointed, Counted, Vacated, offices, total, trace
from tests.strategies import stepping_clock

PROJECTORS: Mapping[str, Projector[Any]] = {
    "test.Offices": offices,
    "test.total": total,
    "test.trace": trace,
}
FIRST = datetime.date(2020, 1, 1)


@st.composite
def whens(draw: st.DrawFn) -> When:
    """Days, months and short intervals within a few months: many overlap."""
    day = FIRST + datetime.timedelta(days=draw(st.integers(0, 90)))
    form = draw(st.sampled_from(["day", "day", "month", "interval"]))
    if form == "day":
        return When(day)
    if form == "month":
        return When(day.strftime("%Y-%m"))
    return When.between(day, day + datetime.timedelta(days=draw(st.integers(1, 40))))


events = st.one_of(
    st.builds(Appointed, occurred=whens(), office=st.sampled_from(["p", "q"]), name=st.just("a")),
    st.builds(Appointed, occurred=whens(), office=st.just("p"), name=st.just("b")),
    st.builds(Vacated, occurred=whens(), office=st.sampled_from(["p", "q"])),
    st.builds(Counted, occurred=whens(), amount=st.integers(-3, 3)),
)


@st.composite
def logs(draw: st.DrawFn) -> Log:
    """Two streams of overlapping events, some retracted or corrected."""
    log = Log(MemoryStore(), clock=stepping_clock())
    for stream in ("s", "t"):
        records = log.append(stream, draw(st.lists(events, min_size=1, max_size=14)))
        chosen = draw(st.lists(st.sampled_from(records), max_size=3, unique_by=lambda r: r.id))
        fixes: list[Retracted | Corrected] = [
            Retracted(target=record.id, reason="wrong")
            if draw(st.booleans())
            else Corrected(target=record.id, reason="redated", replacement=draw(events))
            for record in chosen
        ]
        if fixes:
            log.append(stream, fixes)
    return log


def naive_hazards(log: Log, projectors: Mapping[str, Projector[Any]]) -> Iterator[Hazard]:
    """Every hazard, from every event of a stream held in memory (the search as it was)."""
    for stream in log.streams():
        occurrences = timeline(log, stream=stream)
        for name, projector in projectors.items():
            items = list(items_of(occurrences, projector, None))
            precise = sorted(
                (item.earliest, item.occurrence.record.position, item.occurrence)
                for item in items
                if item.earliest == item.latest
            )
            verdicts = _verdicts(items, projector)
            for item in items:
                if item.earliest == item.latest:
                    continue
                straddled = _straddled(item.occurrence, precise)
                if straddled:
                    uncertain, day, note = verdicts[item.occurrence.record.position]
                    shown, more = tuple(straddled[:SHOWN]), max(0, len(straddled) - SHOWN)
                    yield Hazard(name, item.occurrence, shown, uncertain, day, note, more)


def _straddled(
    wide: Occurrence, precise: Sequence[tuple[datetime.date, int, Occurrence]]
) -> list[Occurrence]:
    occurred = wide.event.occurred
    low = bisect.bisect_left(precise, (occurred.earliest,))
    high = bisect.bisect_right(precise, (occurred.latest, float("inf")))
    return [occurrence for _, _, occurrence in precise[low:high]]


def _verdicts(
    items: Sequence[Item], projector: Projector[Any]
) -> dict[int, tuple[bool | None, datetime.date, str]]:
    found: dict[int, tuple[bool | None, datetime.date, str]] = {}
    state = projector.initial
    for window in windows(items):
        if ambiguous(window):
            end = max(item.latest for item in window)
            try:
                outcomes = enumerate_window(
                    projector, window, (state, None), Budget(projector, _hazards.LIMIT)
                )
                verdict: tuple[bool | None, datetime.date, str] = (len(outcomes) > 1, end, "")
            except TooUncertain as error:
                verdict = (None, end, str(error))
            for item in window:
                found[item.occurrence.record.position] = verdict
        state = projector.fold((item.occurrence.event for item in canonical(window)), state)
    return found


def _sort_key(hazard: Hazard) -> tuple[Any, ...]:
    return (hazard.wide.record.stream, hazard.projector, hazard.wide.sort_key)


@settings(max_examples=150, deadline=None)
@given(logs(), st.sampled_from([_hazards.LIMIT, 12, 4]))
def test_the_same_hazards_as_the_naive_search(log: Log, limit: int) -> None:
    """The same hazards, verdicts and straddled events as the search holding everything.

    Also with a small limit on the orders explored, so that windows are refused.
    """
    with mock.patch.object(_hazards, "LIMIT", limit):
        found = list(hazards(log, PROJECTORS))
        expected = list(naive_hazards(log, PROJECTORS))
    assert sorted(expected, key=_sort_key) == sorted(found, key=_sort_key)


def test_a_window_too_wide_to_enumerate_is_not_held(monkeypatch: pytest.MonkeyPatch) -> None:
    """Of a window past the limit, only the events its warning names are held."""
    log = Log(MemoryStore(), clock=stepping_clock())
    days = [FIRST + datetime.timedelta(days=n) for n in range(60)]
    log.append("s", [Counted(occurred=day, amount=1) for day in days])
    log.append("s", [Counted(occurred=When.between(days[0], days[-1]), amount=1)])
    held: list[Item] = []

    def item(*fields: Any) -> Item:
        held.append(Item(*fields))
        return held[-1]

    monkeypatch.setattr(_hazards, "Item", item)
    monkeypatch.setattr(_hazards, "LIMIT", 30)
    (warning,) = hazards(log, {"test.total": total})
    assert warning.uncertain is None
    assert "the 61 events from 2020-01-01 to 2020-02-29" in warning.note
    assert (SHOWN, 60 - SHOWN) == (len(warning.straddled), warning.more)
    assert 1 + SHOWN == len(held)
    assert str(warning).count("#") == 1 + SHOWN
    assert f"and {60 - SHOWN} more within its dates" in str(warning)


@settings(max_examples=50, deadline=None)
@given(logs())
def test_hazards_come_stream_by_stream_in_fold_order(log: Log) -> None:
    """Within a stream, each projector's hazards come in the fold order of their events."""
    found = list(hazards(log, PROJECTORS))
    streams = [hazard.wide.record.stream for hazard in found]
    assert sorted(streams) == streams
    for name in PROJECTORS:
        for stream in ("s", "t"):
            keys = [
                h.wide.sort_key
                for h in found
                if h.projector == name and h.wide.record.stream == stream
            ]
            assert sorted(keys) == keys


def test_a_log_appended_to_between_the_two_reads_is_searched_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both reads of a stream see the log as it stood when the search began."""
    log = Log(MemoryStore(), clock=stepping_clock())
    log.append("s", [Appointed(occurred="2020-01", office="p", name="a")])
    log.append("s", [Appointed(occurred="2020-01-10", office="p", name="b")])
    expected = [str(hazard) for hazard in naive_hazards(log, PROJECTORS)]
    real, reads = _hazards.iter_timeline, []

    def read(log: Log, **options: Any) -> Iterator[Occurrence]:
        reads.append(options)
        if len(reads) == 2:  # another writer, between the first read and the second
            log.append("s", [Appointed(occurred="2020-01-05", office="p", name="c")])
        return real(log, **options)

    monkeypatch.setattr(_hazards, "iter_timeline", read)
    assert expected == [str(hazard) for hazard in hazards(log, PROJECTORS)]
    assert 2 == len(reads)
