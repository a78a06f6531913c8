"""The store contract, checked against every kind of store: what makes a store a store.

Each test runs once per kind in ``tests.stores.kinds.KINDS``. The memory store
is the reference: whatever a log does over it, it must do over every store.

Property tests share one store per kind (see ``StoreKind.shared``): each example
appends after the head it finds, in streams of its own, and checks what it
appended; the store's earlier records must not get in the way.
"""

from __future__ import annotations

import datetime
import itertools
import math
import threading
import uuid
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import (
    ANY,
    NO_STREAM,
    STREAM_EXISTS,
    ConcurrencyError,
    InvalidEvent,
    Log,
    MemoryStore,
    RecordTimeError,
    Store,
    history,
    replay,
)
from tests.domain import Counted, offices, total, trace
from tests.stores.helpers import START, Part, events, feed, plans, rich_events, stream_names
from tests.stores.kinds import StoreKind
from tests.strategies import FIRST, LAST, stepping_clock

UTC = datetime.UTC
HOUR = datetime.timedelta(hours=1)

appends = st.lists(st.tuples(stream_names, st.lists(events, min_size=1, max_size=3)), max_size=5)
"""A run of appends: each a stream name and a batch of events."""
rich_appends = st.lists(
    st.tuples(stream_names, st.lists(rich_events, min_size=1, max_size=3)), max_size=4
)
"""Appends of events whose text and sources may be anything."""


def counted(amount: int = 1) -> Counted:
    return Counted(occurred="2020-01-01", amount=amount)


class TestProtocol:
    def test_every_store_is_a_store(self, store_kind: StoreKind) -> None:
        """Each kind fulfils the Store protocol."""
        assert isinstance(store_kind.new(), Store)

    def test_a_new_store_is_empty(self, store_kind: StoreKind) -> None:
        """A new store holds nothing."""
        store = store_kind.new()
        assert ([], (0, None), [], 0, None) == (
            list(store.read()),
            store.head(),
            store.streams(),
            store.version("s"),
            store.get(uuid.uuid4()),
        )


class TestAppend:
    @given(appends=appends)
    def test_positions_versions_and_ids(self, store_kind: StoreKind, appends) -> None:
        """Positions run on from the head, versions from 1 in each stream; ids are unique.

        And the records an append returns are those the store reads back and get() finds.
        """
        part = Part(store_kind.shared())
        store, log = part.store, part.log()
        returned = [r for name, batch in appends for r in log.append(part.stream(name), batch)]
        records = part.records()
        assert returned == records
        assert list(range(part.base + 1, part.base + len(records) + 1)) == [
            r.position for r in records
        ]
        for stream in {part.stream(name) for name, _ in appends}:
            mine = [r.version for r in records if r.stream == stream]
            assert list(range(1, len(mine) + 1)) == mine
            assert len(mine) == store.version(stream)
        assert sorted({part.stream(name) for name, _ in appends}) == [
            stream for stream in store.streams() if part.mine(stream)
        ]
        if records:
            assert (records[-1].position, records[-1].recorded_at) == store.head()
        assert [e for _, batch in appends for e in batch] == [r.event for r in records]
        assert returned == [store.get(record.id) for record in returned]
        assert len(returned) == len({record.id for record in returned})
        assert None is store.get(uuid.uuid4())

    def test_record_time_is_shared_by_an_append_and_increases(self, store_kind: StoreKind) -> None:
        """recorded_at is shared within an append, and strictly increases with a stuck clock."""
        store = store_kind.new()
        log = Log(store, clock=lambda: START)
        first = log.append("s", [counted(), counted()])
        second = log.append("t", [counted()])
        third = log.append("s", [counted()])
        assert [START, START] == [r.recorded_at for r in first]
        assert START < second[0].recorded_at < third[0].recorded_at
        assert third[0].recorded_at == store.head()[1]
        assert [r.recorded_at for r in first + second + third] == [
            r.recorded_at for r in store.read()
        ]

    @given(
        clock=st.lists(
            st.datetimes(
                datetime.datetime(1900, 1, 1),  # noqa: DTZ001 -- hypothesis takes naive bounds
                datetime.datetime(2100, 1, 1),  # noqa: DTZ001
                timezones=st.just(UTC),
            ),
            min_size=1,
            max_size=6,
        )
    )
    def test_record_time_increases_whatever_the_clock(self, store_kind: StoreKind, clock) -> None:
        """A clock that jumps back or stands still still gives strictly increasing record times."""
        part = Part(store_kind.shared())
        readings = iter(clock)
        log = Log(part.store, clock=lambda: next(readings))
        before = part.store.head()[1]
        times = [log.append(part.stream("s"), [counted()])[0].recorded_at for _ in clock]
        assert all(a < b for a, b in itertools.pairwise(times))
        assert before is None or before < times[0]
        assert times == [r.recorded_at for r in part.records()]

    def test_backdated_append_before_the_head_stores_nothing(self, store_kind: StoreKind) -> None:
        """An exact recorded_at not after the head is refused, and nothing is stored."""
        store = store_kind.new()
        log = Log(store, clock=lambda: START)
        log.append("s", [counted()])
        with pytest.raises(RecordTimeError, match="not after the log's head"):
            log.append("s", [counted(2)], recorded_at=START)
        assert [1] == [r.event.amount for r in store.read()]
        assert (1, START) == store.head()

    @given(
        before=st.lists(events, max_size=3),
        batch=st.lists(events, max_size=3),
        at=st.integers(0, 3),
        poison=st.sampled_from([complex(1, 2), math.nan, math.inf, "\ud800", object()]),
    )
    def test_append_is_all_or_nothing(
        self, store_kind: StoreKind, before, batch, at, poison
    ) -> None:
        """An entry that cannot be stored stops its whole append, on every store alike.

        The memory store keeps objects, but refuses what the durable stores refuse:
        the log encodes every entry before any store sees it.
        """
        part = Part(store_kind.shared())
        store, log, stream = part.store, part.log(), part.stream("s")
        if before:
            log.append(stream, before)
        was, head = part.records(), store.head()
        # Construction refuses these (see test_strict); a store must still refuse an
        # entry that holds one (made with checks off), before it writes anything.
        with attrs.validators.disabled():
            poisoned = Counted(occurred="2020", amount=poison)
        bad = [*batch[:at], poisoned, *batch[at:]]
        with pytest.raises(InvalidEvent, match="cannot store"):
            log.append(stream, bad)
        assert was == part.records()
        assert (len(before), head) == (store.version(stream), store.head())
        log.append(stream, [counted()])  # and the store goes on
        assert len(before) + 1 == store.version(stream)


def satisfied(expected: object, actual: int) -> bool:
    """Whether a stream at version ``actual`` meets ``expected`` (the oracle)."""
    if expected is ANY:
        return True
    if expected is NO_STREAM:
        return actual == 0
    if expected is STREAM_EXISTS:
        return actual >= 1
    return expected == actual


class TestExpectedVersion:
    @given(
        length=st.integers(0, 3),
        expected=st.sampled_from([ANY, NO_STREAM, STREAM_EXISTS]) | st.integers(0, 4),
    )
    def test_append_happens_exactly_when_expected_version_holds(
        self, store_kind: StoreKind, length, expected
    ) -> None:
        """An append goes through iff the stream's version meets the expectation."""
        part = Part(store_kind.shared())
        store, log, stream = part.store, part.log(), part.stream("s")
        for _ in range(length):
            log.append(stream, [counted()])
        head = store.head()
        if satisfied(expected, length):
            log.append(stream, [counted(7)], expected_version=expected)
            assert length + 1 == store.version(stream)
        else:
            with pytest.raises(ConcurrencyError) as raised:
                log.append(stream, [counted(7)], expected_version=expected)
            assert (stream, expected, length) == (
                raised.value.stream,
                raised.value.expected,
                raised.value.actual,
            )
            assert (length, head) == (store.version(stream), store.head())

    def test_threads_appending_at_once_take_turns(self, store_kind: StoreKind) -> None:
        """Threads sharing a store: every append lands whole, positions and versions gap-free."""
        store = store_kind.new()
        log = Log(store)

        def write(thread: int) -> None:
            for n in range(20):
                log.append(f"t{thread % 2}", [counted(thread * 100 + n), counted(-1)])

        threads = [threading.Thread(target=write, args=(thread,)) for thread in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        records = list(store.read())
        assert list(range(1, 161)) == [r.position for r in records]
        for stream in ("t0", "t1"):
            assert list(range(1, 81)) == [r.version for r in records if r.stream == stream]
        assert all(second.event.amount == -1 for second in records[1::2])
        assert sorted(t * 100 + n for t in range(4) for n in range(20)) == sorted(
            first.event.amount for first in records[::2]
        )

    def test_versions_are_per_stream(self, store_kind: StoreKind) -> None:
        """Another stream's appends do not move a stream's version."""
        store = store_kind.new()
        log = Log(store)
        log.append("a", [counted()])
        log.append("b", [counted(), counted()])
        log.append("a", [counted()], expected_version=1)
        log.append("c", [counted()], expected_version=NO_STREAM)
        assert (2, 2, 1) == (store.version("a"), store.version("b"), store.version("c"))


class TestRead:
    def test_reads_interleaved_with_other_reads(self, store_kind: StoreKind) -> None:
        """A read in progress gives the same records whatever other reads do meanwhile.

        (JSON Lines reads shared a file offset: a read made while another was being
        consumed moved it, and the first then read from the wrong place.)
        """
        store = store_kind.new()
        log = Log(store, clock=stepping_clock())
        for number in range(40):
            log.append(
                "a" if number % 2 else "b",
                [Counted(occurred="2020", amount=number * 10 + n) for n in range(25)],
            )
        expected = list(store.read(stream="a"))
        seen = []
        for record in store.read(stream="a"):
            seen.append(record)
            assert store.get(record.id) == record
            if record.version % 5 == 1:  # other reads: unfinished, and in fold order
                assert 3 == len(list(itertools.islice(store.read(from_position=record.version), 3)))
                assert replay(log, total, known_at=record.recorded_at) > 0
        assert expected == seen

    @given(
        appends=st.lists(
            st.tuples(stream_names, st.lists(events, min_size=1, max_size=3)), max_size=6
        ),
        stream=st.none() | stream_names,
        skip=st.integers(-2, 12),
        known_hours=st.none() | st.integers(-1, 7),
    )
    def test_read_selects_by_stream_position_and_record_time(
        self, store_kind: StoreKind, appends, stream, skip, known_hours
    ) -> None:
        """read(stream=, from_position=, known_at=) gives exactly the records that match."""
        part = Part(store_kind.shared())
        log = part.log()  # append n is recorded n hours after the part's start
        for name, batch in appends:
            log.append(part.stream(name), batch)
        stream = None if stream is None else part.stream(stream)
        from_position = part.base + skip
        known_at = None if known_hours is None else part.start + HOUR * known_hours
        expected = [
            r
            for r in part.records()
            if (stream is None or r.stream == stream)
            and r.position >= from_position
            and (known_at is None or r.recorded_at <= known_at)
        ]
        actual = part.store.read(stream=stream, from_position=from_position, known_at=known_at)
        mine = [r for r in actual if r.position > part.base]
        assert expected == mine

    def test_read_is_lazy_and_holds_nothing(self, store_kind: StoreKind) -> None:
        """read() is an iterator; a read left half way does not stop appends."""
        store = store_kind.new()
        log = Log(store)
        log.append("s", [counted(n) for n in range(5)])
        reading = store.read()
        assert isinstance(reading, Iterator)
        first = next(reading)
        log.append("s", [counted(99)])
        assert [0, 1, 2, 3, 4] == [r.event.amount for r in [first, *reading]]
        assert 6 == len(list(store.read()))

    def test_read_of_an_unknown_stream_or_past_the_head_is_empty(
        self, store_kind: StoreKind
    ) -> None:
        """Reading a stream that does not exist, or from after the head, gives nothing."""
        store = store_kind.new()
        Log(store, clock=lambda: START).append("s", [counted()])
        assert [] == list(store.read(stream="nothing"))
        assert [] == list(store.read(from_position=2))
        assert [] == list(store.read(known_at=START - datetime.timedelta(microseconds=1)))

    def test_a_read_pages_through_a_long_log(self, store_kind: StoreKind) -> None:
        """A read of more records than a page holds gives them all, in order, once."""
        store = store_kind.new()
        log = Log(store)
        for start in range(0, 2500, 500):
            stream = "s" if start % 1000 else "t"
            log.append(stream, [counted(n) for n in range(start, start + 500)])
        assert list(range(2500)) == [r.event.amount for r in store.read()]
        assert list(range(2500))[500:1000] + list(range(1500, 2000)) == [
            r.event.amount for r in store.read(stream="s")
        ]


class TestReopen:
    @given(plan=plans(), appends=rich_appends)
    def test_reopening_gives_back_exactly_what_was_written(
        self, store_kind: StoreKind, plan, appends
    ) -> None:
        """Close and reopen: the same records, versions, head and streams; and appends go on.

        The log holds corrections, and events with any text and sources, in many streams.
        """
        store = store_kind.new()
        log = Log(store, clock=stepping_clock())
        feed(log, plan, "mali")
        for stream, batch in appends:
            log.append(stream, batch)
        records = list(store.read())
        streams = store.streams()
        versions = {stream: store.version(stream) for stream in streams}
        reopened = store_kind.reopen(store)
        assert records == list(reopened.read())
        assert records == [reopened.get(record.id) for record in records]
        assert (len(records), records[-1].recorded_at) == reopened.head()
        assert streams == reopened.streams()
        assert versions == {stream: reopened.version(stream) for stream in streams}
        more = Log(reopened).append("mali", [counted()], expected_version=versions["mali"])
        assert len(records) + 1 == more[0].position


class TestReplay:
    @given(
        plan=plans(),
        as_of=st.none() | st.dates(FIRST, LAST),
        known_hours=st.none() | st.integers(0, 6),
    )
    def test_replay_equals_replay_over_memory(
        self, store_kind: StoreKind, plan, as_of, known_hours
    ) -> None:
        """Replay, history and corrections over a store give what they give over memory.

        Each example has a store of its own: replay of one stream over a store that
        holds every example's records read them all, example after example.
        """
        part = Part(store_kind.new())
        stream = part.stream("s")
        reference, log = Log(MemoryStore(), clock=part.clock()), part.log()
        feed(reference, plan, stream)
        feed(log, plan, stream)
        known_at = None if known_hours is None else part.start + HOUR * known_hours
        for projector in (offices, total, trace):
            assert replay(reference, projector, as_of=as_of, known_at=known_at) == replay(
                log, projector, stream=stream, as_of=as_of, known_at=known_at
            )
        assert history(reference, trace, known_at=known_at) == history(
            log, trace, stream=stream, known_at=known_at
        )
