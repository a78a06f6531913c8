"""Strategies for whole chronologies: well-formed sequences of appends, and their logs.

A drawn chronology looks like a real one: valid times mostly increase from
append to append, but some events arrive late (appended after events that
happened after them); some appends are backdated (given a record time just
after the log's head, earlier than the clock would say); and some retract or
correct events appended before.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from chronicle._errors import InvalidArgument
from chronicle._event import Event
from chronicle._log import Log
from chronicle._record import settle_recorded_at
from chronicle._when import When
from chronicle.testing._chronology import (
    START,
    STEP,
    Append,
    Chronology,
    Correct,
    Retract,
    Step,
    moved,
)
from chronicle.testing._events import events as all_events
from chronicle.testing._whens import whens

__all__ = ["chronologies", "logs", "redated"]

Replacements = Callable[[Event], st.SearchStrategy[Event]]
"""Gives, for the target of a correction, the strategy its replacement is drawn from."""

_YEAR = datetime.timedelta(days=366)
_MAX_BATCH = 4


def redated(event: Event) -> st.SearchStrategy[Event]:
    """``event`` with its valid time corrected: a new ``occurred`` within a year of the old.

    The commonest correction of a chronology: the same fact, on another date.
    Where the event class refuses the date drawn (a rule between its fields, such
    as a promise not made after the date it promises), the correction keeps the
    event's own date: every draw makes a correction, none is filtered out, so
    classes with such rules do not fail hypothesis' health checks.
    """
    low = _shifted(event.occurred.earliest, -_YEAR, datetime.date.min)
    high = _shifted(event.occurred.latest, _YEAR, datetime.date.max)
    return whens(low, high).map(functools.partial(_moved_or_kept, event))


def _moved_or_kept(event: Event, when: When) -> Event:
    """``event`` moved to ``when``, or ``event`` itself if its class refuses that date."""
    found = moved(event, when)
    return event if found is None else found


def _shifted(day: datetime.date, delta: datetime.timedelta, limit: datetime.date) -> datetime.date:
    """``day + delta``, or ``limit`` where that is past the calendar's end."""
    try:
        return day + delta
    except OverflowError:
        return limit


def _fold_key(event: Event) -> tuple[datetime.date, datetime.date]:
    return event.occurred.key


@st.composite
def _late_arrivals(draw: st.DrawFn, ordered: list[Event]) -> list[Event]:
    """``ordered`` with a few events moved later: they arrived late."""
    arrived = list(ordered)
    for _ in range(draw(st.integers(0, len(arrived) // 2))):
        first = draw(st.integers(0, len(arrived) - 2))
        later = draw(st.integers(first + 1, len(arrived) - 1))
        arrived.insert(later, arrived.pop(first))
    return arrived


@attrs.define
class _Plan:
    """The chronology drawn so far: its appends, its record-time head, its events by stream."""

    start: datetime.datetime
    step: datetime.timedelta
    appends: list[Append] = attrs.Factory(list)
    head: datetime.datetime | None = None
    readings: int = 0
    story: list[Event] = attrs.Factory(list)
    by_stream: dict[str, list[int]] = attrs.Factory(dict)

    def record_time(self, draw: st.DrawFn, backdating: bool) -> datetime.datetime | None:
        """None (the clock's time), or a backdated time just after the head."""
        if backdating and draw(st.sampled_from((False, False, False, True))):
            base = self.start if self.head is None else self.head
            gap = draw(st.integers(1, self.step // datetime.timedelta(microseconds=1) - 1))
            self.head = base + datetime.timedelta(microseconds=gap)
            return self.head
        # What the log will do with the clock's next reading (see stepping_clock).
        self.readings += 1
        self.head = settle_recorded_at(
            self.head, self.start + self.step * self.readings, exact=False
        )
        return None

    def add(self, stream: str, entries: list[Step], recorded_at: datetime.datetime | None) -> None:
        for entry in entries:
            if isinstance(entry, Event):
                self.by_stream.setdefault(stream, []).append(len(self.story))
                self.story.append(entry)
        self.appends.append(Append(stream, tuple(entries), recorded_at))


@st.composite
def _chronologies(
    draw: st.DrawFn,
    stories: st.SearchStrategy[Sequence[Event]],
    *,
    replacements: Replacements,
    streams: tuple[str, ...],
    corrections: bool,
    backdating: bool,
    out_of_order: bool,
) -> Chronology:
    pending = sorted(draw(stories), key=_fold_key)
    if out_of_order and len(pending) > 1:
        pending = draw(_late_arrivals(pending))
    plan = _Plan(START, STEP)
    fixes_left = len(pending) // 2 + 1 if corrections else 0
    while True:
        if pending:
            stream = draw(st.sampled_from(streams))
        else:
            fixable = [name for name in streams if plan.by_stream.get(name)]
            if not (fixes_left and fixable and draw(st.booleans())):
                break
            stream = draw(st.sampled_from(fixable))
        earlier = plan.by_stream.get(stream, [])
        can_fix = bool(fixes_left and earlier)
        # With nothing left to append, can_fix holds: the append is corrections only.
        size = draw(st.integers(0 if can_fix else 1, min(_MAX_BATCH, len(pending))))
        entries: list[Step] = list(pending[:size])
        pending = pending[size:]
        if can_fix and (size == 0 or draw(st.booleans())):
            fixes_left -= 1
            for target in draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=2)):
                if draw(st.booleans()):
                    entries.append(Retract(target))
                else:
                    entries.append(Correct(target, draw(replacements(plan.story[target]))))
        plan.add(stream, entries, plan.record_time(draw, backdating))
    return Chronology(tuple(plan.appends), plan.start, plan.step)


def chronologies(
    events: st.SearchStrategy[Event] | None = None,
    *,
    stories: st.SearchStrategy[Sequence[Event]] | None = None,
    min_events: int = 0,
    max_events: int = 6,
    streams: Sequence[str] = ("main",),
    corrections: bool = True,
    backdating: bool = True,
    out_of_order: bool = True,
    replacements: Replacements | None = None,
) -> st.SearchStrategy[Chronology]:
    """Well-formed chronologies: appends of events, late arrivals, backdating, corrections.

    The events are drawn as a whole story (``stories``), or one by one from
    ``events``; they are appended in valid-time order, except for late arrivals,
    in batches of one to four, each batch to one of ``streams``. Between and with
    them come retractions and corrections of events appended before to the same
    stream.

    Args:
        events: The events to draw one by one; by default, every registered type's.
        stories: Instead of ``events``, whole sequences of events at once (a story
            whose events depend on each other, such as a release after an arrest).
        min_events: The fewest events drawn one by one.
        max_events: The most events drawn one by one.
        streams: The streams to append to.
        corrections: Also append retractions and corrections.
        backdating: Also give some appends an explicit, backdated record time.
        out_of_order: Also let some events arrive late.
        replacements: The strategy of a correction's replacement for a given target;
            by default the target re-dated (see :func:`redated`) or, with ``events``,
            any event it draws.

    Raises:
        InvalidArgument: both ``events`` and ``stories`` are given, or no stream is.
    """
    if events is not None and stories is not None:
        raise InvalidArgument("chronologies(): give events or stories, not both")
    if not streams:
        raise InvalidArgument("chronologies(): at least one stream is needed")
    if stories is None:
        one = all_events() if events is None else events
        stories = st.lists(one, min_size=min_events, max_size=max_events)
        replacements = replacements or (lambda target: redated(target) | one)
    return _chronologies(
        stories,
        replacements=replacements or redated,
        streams=tuple(streams),
        corrections=corrections,
        backdating=backdating,
        out_of_order=out_of_order,
    )


def logs(events: st.SearchStrategy[Event] | None = None, **options: Any) -> st.SearchStrategy[Log]:
    """Memory logs built from :func:`chronologies` (the same arguments).

    Prefer drawing chronologies where a failing test should show what the log
    held: a chronology prints as its appends, a log does not.
    """
    return chronologies(events, **options).map(Chronology.build)
