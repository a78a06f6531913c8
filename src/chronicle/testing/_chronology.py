"""Chronologies: a plan of appends, corrections included, that builds a log.

A :class:`Chronology` is plain data (and so what hypothesis prints when a test
fails): appends of events and of corrections that name their target by its
number among the chronology's events, since record ids exist only once a log
has assigned them. :meth:`Chronology.build` appends it all to a fresh log.
"""

from __future__ import annotations

import datetime
import itertools
import typing
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import attrs

from chronicle._errors import CorrectionError
from chronicle._event import Corrected, Entry, Event, Retracted
from chronicle._log import Log
from chronicle._record import Clock
from chronicle._stores._base import Store
from chronicle._stores._memory import MemoryStore
from chronicle._when import When

__all__ = [
    "START",
    "STEP",
    "Append",
    "Chronology",
    "Correct",
    "Retract",
    "moved",
    "stepping_clock",
]

START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
"""When a chronology's clock starts, by default."""
STEP = datetime.timedelta(days=1)
"""How far a chronology's clock moves on each reading, by default."""


def stepping_clock(start: datetime.datetime = START, step: datetime.timedelta = STEP) -> Clock:
    """A clock for tests: ``start + step`` on its first reading, one ``step`` more on each next.

    Record times then depend only on the order of appends, so a test that
    replays ``known_at`` a record time gets the same answer on every run.
    """
    moments: Iterator[datetime.datetime] = (start + step * n for n in itertools.count(1))
    return lambda: next(moments)


def moved(event: Event, when: When) -> Event | None:
    """``event`` with ``occurred`` set to ``when``, or None if its class refuses that date."""
    try:
        return typing.cast("Event", attrs.evolve(typing.cast("Any", event), occurred=when))
    except (ValueError, TypeError):
        return None


@attrs.frozen
class Retract:
    """Retract the chronology's event number ``target`` (its events count from 0)."""

    target: int
    reason: str = "retracted"


@attrs.frozen
class Correct:
    """Replace the chronology's event number ``target`` by ``replacement``."""

    target: int
    replacement: Event
    reason: str = "corrected"


Step = Event | Retract | Correct
"""One entry of an append: an event, or a correction of an earlier one."""


@attrs.frozen
class Append:
    """One append: its stream, its entries, and its record time.

    Attributes:
        stream: The stream appended to.
        entries: Events, and corrections of events of this stream appended before.
        recorded_at: An explicit (backdated) record time, after the log's head; by
            default, the log's clock gives it.
    """

    stream: str
    entries: tuple[Step, ...]
    recorded_at: datetime.datetime | None = None


@attrs.frozen
class Chronology:
    """A sequence of appends to build a log from, with the clock of that log.

    Attributes:
        appends: The appends, in order.
        start: The start of the log's :func:`stepping_clock`.
        step: Its step.
    """

    appends: tuple[Append, ...] = ()
    start: datetime.datetime = START
    step: datetime.timedelta = STEP

    @property
    def events(self) -> tuple[Event, ...]:
        """Every event, in append order: what corrections number their targets by."""
        return tuple(
            entry for append in self.appends for entry in append.entries if isinstance(entry, Event)
        )

    def prefix(self, count: int) -> Chronology:
        """The chronology of the first ``count`` appends."""
        return attrs.evolve(self, appends=self.appends[:count])

    def build(self, store: Store | None = None) -> Log:
        """Append the whole chronology to a new log over ``store`` (an empty one).

        Args:
            store: Where the log lives: a new :class:`~chronicle.MemoryStore` by default.

        Raises:
            CorrectionError: a correction names an event the chronology has not
                appended before it, or one of another stream.
        """
        log = Log(
            MemoryStore() if store is None else store, clock=stepping_clock(self.start, self.step)
        )
        ids: list[UUID] = []
        streams: list[str] = []
        for number, append in enumerate(self.appends, 1):
            entries = [self._entry(step, ids, streams, append, number) for step in append.entries]
            records = log.append(append.stream, entries, recorded_at=append.recorded_at)
            for record in records:
                if isinstance(record.event, Event):
                    ids.append(record.id)
                    streams.append(record.stream)
        return log

    @staticmethod
    def _entry(step: Step, ids: list[UUID], streams: list[str], append: Append, at: int) -> Entry:
        if isinstance(step, Event):
            return step
        if not 0 <= step.target < len(ids) or streams[step.target] != append.stream:
            raise CorrectionError(
                f"append {at}: {type(step).__name__} of event #{step.target}, but the "
                f"chronology appends no such event to {append.stream!r} before it"
            )
        target = ids[step.target]
        if isinstance(step, Retract):
            return Retracted(target=target, reason=step.reason)
        return Corrected(target=target, reason=step.reason, replacement=step.replacement)

    def describe(self) -> str:
        """The chronology as lines to read: each append, and each entry with its number."""
        lines: list[str] = []
        number = itertools.count()
        for index, append in enumerate(self.appends, 1):
            when = (
                "at the clock's time"
                if append.recorded_at is None
                else f"recorded at {append.recorded_at.isoformat()}"
            )
            lines.append(f"append {index} to {append.stream!r} {when}:")
            for step in append.entries:
                if isinstance(step, Event):
                    lines.append(f"  #{next(number)} {step!r}")
                elif isinstance(step, Retract):
                    lines.append(f"  retract #{step.target} ({step.reason})")
                else:
                    lines.append(f"  correct #{step.target} to {step.replacement!r}")
        return "\n".join(lines) or "(no appends)"
