"""A hypothesis state machine that appends to a real store and checks replay against a model.

The model is deliberately simple and separate from chronicle's replay: a list
of what was appended, from which the events in force are worked out directly
(the last correction of an event wins; a retraction removes it), sorted by the
fold key and folded with the projector's naive :meth:`~chronicle.Projector.fold`.
After every step, every projector's replay must equal the model's fold.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, ClassVar
from uuid import UUID

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from chronicle._errors import ConcurrencyError
from chronicle._event import Corrected, Correction, Entry, Event, Retracted
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._record import Record
from chronicle._replay import replay
from chronicle._stores._base import Store
from chronicle._stores._memory import MemoryStore
from chronicle.testing._chronology import stepping_clock
from chronicle.testing._events import events as all_events
from chronicle.testing._profiles import heavy_examples

__all__ = ["ChronicleMachine"]


@attrs.frozen
class _Entry:
    """One record as the model holds it."""

    id: UUID
    stream: str
    position: int
    append: int
    entry: Entry


@attrs.define
class _Model:
    """What was appended, and the record time of each append."""

    entries: list[_Entry] = attrs.Factory(list)
    times: list[datetime.datetime] = attrs.Factory(list)

    def version(self, stream: str) -> int:
        return sum(1 for entry in self.entries if entry.stream == stream)

    def events(self) -> list[_Entry]:
        return [entry for entry in self.entries if isinstance(entry.entry, Event)]

    def in_force(
        self,
        *,
        stream: str | None = None,
        appends: int | None = None,
        as_of: datetime.date | None = None,
    ) -> list[Event]:
        """The events in force, in fold order.

        Only those known after the first ``appends`` appends, of ``stream`` (or of
        all), certainly past by ``as_of``.
        """
        known = [e for e in self.entries if appends is None or e.append < appends]
        last: dict[UUID, Entry] = {}
        for entry in known:
            if isinstance(entry.entry, Correction):
                last[entry.entry.target] = entry.entry
        kept: list[tuple[datetime.date, datetime.date, int, Event]] = []
        for entry in known:
            if not isinstance(entry.entry, Event) or stream not in (None, entry.stream):
                continue
            fix = last.get(entry.id)
            if isinstance(fix, Retracted):
                continue
            event = fix.replacement if isinstance(fix, Corrected) else entry.entry
            if as_of is None or event.occurred.latest <= as_of:
                kept.append((event.occurred.latest, event.occurred.earliest, entry.position, event))
        kept.sort(key=lambda item: item[:3])
        return [item[3] for item in kept]


class ChronicleMachine(RuleBasedStateMachine):
    """Appends random events and corrections to a log; checks every projector after each step.

    Subclass it for a domain: set :attr:`projectors`, and :attr:`events` (or leave
    it to draw every registered type), then expose its ``TestCase`` to pytest. A
    subclass runs a quarter of the profile's examples (each is a whole run of
    steps); decorate it with ``@settings(...)`` to choose.
    Override :meth:`make_store` to run it on another store; add rules that append
    domain commands through :meth:`append_entries`, and invariants of your own.

    Example::

        class StockMachine(ChronicleMachine):
            projectors = (stock,)
            events = events_of(Received) | events_of(Sold)

        TestStock = StockMachine.TestCase

    Attributes:
        projectors: The projectors checked against the model.
        events: The events the ``append`` rule draws.
        streams: The streams appended to.
        log: The log under test.
    """

    projectors: ClassVar[Sequence[Projector[Any]]] = ()
    events: ClassVar[st.SearchStrategy[Event]] = all_events()
    streams: ClassVar[Sequence[str]] = ("main",)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The settings hypothesis gives a machine's TestCase, with fewer examples: each
        # one is a whole run. A @settings decorator on the subclass replaces them.
        cls.TestCase.settings = settings(
            max_examples=heavy_examples(),
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )

    def __init__(self) -> None:
        super().__init__()
        self.log = Log(self.make_store(), clock=stepping_clock())
        self.model = _Model()

    def make_store(self) -> Store:
        """The store the log under test appends to: a new memory store by default."""
        return MemoryStore()

    def teardown(self) -> None:
        """Close the log's store."""
        self.log.close()

    def append_entries(
        self,
        stream: str,
        entries: Sequence[Entry],
        *,
        recorded_at: datetime.datetime | None = None,
    ) -> list[Record]:
        """Append to the log and the model, checking the records the store returns.

        The append expects the stream's version the model knows, so a store that
        lost or invented a record fails here with a ``ConcurrencyError``.
        """
        version = self.model.version(stream)
        records = self.log.append(
            stream, entries, expected_version=version, recorded_at=recorded_at
        )
        first = len(self.model.entries) + 1
        assert list(range(first, first + len(entries))) == [r.position for r in records]
        assert list(range(version + 1, version + 1 + len(entries))) == [r.version for r in records]
        moments = {record.recorded_at for record in records}
        assert len(moments) == 1, f"one append, several record times: {moments}"
        (moment,) = moments
        assert not self.model.times or self.model.times[-1] < moment
        if recorded_at is not None:
            assert recorded_at == moment
        append = len(self.model.times)
        self.model.times.append(moment)
        self.model.entries += [
            _Entry(record.id, stream, record.position, append, record.event) for record in records
        ]
        return records

    def _backdated(self, data: st.DataObject) -> datetime.datetime | None:
        if not self.model.times or not data.draw(st.booleans(), "backdated"):
            return None
        return self.model.times[-1] + datetime.timedelta(
            microseconds=data.draw(st.integers(1, 10**6))
        )

    @rule(data=st.data())
    def append(self, data: st.DataObject) -> None:
        """Append one to four events to a stream, at the clock's time or backdated."""
        stream = data.draw(st.sampled_from(self.streams), "stream")
        batch = data.draw(st.lists(self.events, min_size=1, max_size=4), "events")
        self.append_entries(stream, batch, recorded_at=self._backdated(data))

    @rule(data=st.data())
    def stale_append(self, data: st.DataObject) -> None:
        """An append that expects a version the stream is not at fails and changes nothing."""
        stream = data.draw(st.sampled_from(self.streams), "stream")
        actual = self.model.version(stream)
        wrong = data.draw(st.integers(0, actual + 2).filter(lambda v: v != actual), "expected")
        event = data.draw(self.events, "event")
        head = self.log.head
        try:
            self.log.append(stream, [event], expected_version=wrong)
        except ConcurrencyError as error:
            refused = error
        else:
            raise AssertionError(f"appending at version {wrong} to a stream at {actual} worked")
        assert (stream, wrong, actual) == (refused.stream, refused.expected, refused.actual)
        assert head == self.log.head

    def _target(self, data: st.DataObject) -> _Entry:
        return data.draw(st.sampled_from(self.model.events()), "target")

    @precondition(lambda self: self.model.events())
    @rule(data=st.data())
    def retract(self, data: st.DataObject) -> None:
        """Retract an event appended before."""
        target = self._target(data)
        self.append_entries(target.stream, [Retracted(target=target.id, reason="retracted")])

    @precondition(lambda self: self.model.events())
    @rule(data=st.data())
    def correct(self, data: st.DataObject) -> None:
        """Replace an event appended before by another."""
        target = self._target(data)
        replacement = data.draw(self.events, "replacement")
        fix = Corrected(target=target.id, reason="corrected", replacement=replacement)
        self.append_entries(target.stream, [fix])

    @precondition(lambda self: self.model.events())
    @rule(data=st.data())
    def replay_as_of(self, data: st.DataObject) -> None:
        """Replay as of a day equals the model's fold of the events certainly past by then."""
        bounds = sorted(
            {e.entry.occurred.latest for e in self.model.events()}  # type: ignore[union-attr]
        )
        day = data.draw(st.sampled_from(bounds) | st.dates(), "as_of")
        expected = tuple(p.fold(self.model.in_force(as_of=day)) for p in self.projectors)
        assert expected == replay(self.log, self.projectors, as_of=day)

    @precondition(lambda self: self.model.times)
    @rule(data=st.data())
    def replay_known_at(self, data: st.DataObject) -> None:
        """Replay known at an earlier append's time equals the model's fold at that append."""
        appends = data.draw(st.integers(1, len(self.model.times)), "appends known")
        moment = self.model.times[appends - 1]
        expected = tuple(p.fold(self.model.in_force(appends=appends)) for p in self.projectors)
        assert expected == replay(self.log, self.projectors, known_at=moment)

    @precondition(lambda self: self.model.times)
    @rule(data=st.data())
    def read_known_at(self, data: st.DataObject) -> None:
        """Reading the log as known at an append's time gives exactly the records appended by it."""
        appends = data.draw(st.integers(1, len(self.model.times)), "appends known")
        moment = self.model.times[appends - 1]
        expected = [entry.id for entry in self.model.entries if entry.append < appends]
        assert expected == [record.id for record in self.log.read(known_at=moment)]

    @rule(data=st.data())
    def replay_stream(self, data: st.DataObject) -> None:
        """Replay of one stream equals the model's fold of that stream's events."""
        stream = data.draw(st.sampled_from(self.streams), "stream")
        expected = tuple(p.fold(self.model.in_force(stream=stream)) for p in self.projectors)
        assert expected == replay(self.log, self.projectors, stream=stream, missing_ok=True)

    @invariant()
    def replay_matches_the_model(self) -> None:
        """After every step, every projector's replay of the log equals the model's fold."""
        expected = tuple(p.fold(self.model.in_force()) for p in self.projectors)
        assert expected == replay(self.log, self.projectors)
