"""The in-memory fold index: its least-item blocks, and refreshes that fail midway.

:class:`MemoryFoldReader` is the oracle the JSON Lines reader is compared with
(``tests/test_jsonl_fold.py``), so its parts are held here to plain definitions:
the least item of a range is the ``min`` of that slice, and an index refreshed
after a failed read is the index of a log read without failure.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import CorruptLog, Event, Log, MemoryStore, Record, Retracted, Snapshots, replay
from chronicle._replay import _api, _checkpoints
from chronicle._stores._memory_fold import MemoryFoldReader
from chronicle._stores._range_min import RangeMin
from tests.domain import Counted, total, trace
from tests.stores.helpers import feed, plans
from tests.stores.test_read_path import naive_events
from tests.strategies import stepping_clock


class SmallBlocks(RangeMin):
    """Blocks of 3 items, so that a short list crosses many of them."""

    BLOCK = 3


@given(
    st.lists(
        st.one_of(
            st.integers(-50, 50),
            st.lists(st.integers(-50, 50), max_size=10),
        ),
        max_size=12,
    )
)
def test_least_of_every_range_is_the_min_of_its_slice(steps: list[int | list[int]]) -> None:
    """Items added one by one or many at once: the least of any range is the slice's min.

    Each item is ``(value, position)``, positions from 1, as the index's items are
    keys that end with their position.
    """
    blocks = SmallBlocks(operator.itemgetter(1))
    added: list[tuple[int, int]] = []
    for step in steps:
        if isinstance(step, list):
            items = [(value, len(added) + n + 1) for n, value in enumerate(step)]
            blocks.extend(items)
            added += items
        else:
            added.append((step, len(added) + 1))
            blocks.append(added[-1])
    assert len(blocks) == len(added)
    for low in range(len(added) + 1):
        for high in range(low, len(added) + 2):
            assert (low, high, blocks.least(low, high)) == (
                low,
                high,
                min(added[low:high], default=None),
            )


class FailsOnce(MemoryStore):
    """A memory store whose next read fails after ``after`` records, once."""

    def __init__(self) -> None:
        super().__init__()
        self.after: int | None = None

    def read(self, *args: Any, **kwargs: Any) -> Iterator[Record]:
        after, self.after = self.after, None
        for count, record in enumerate(super().read(*args, **kwargs)):
            if count == after:
                raise CorruptLog("a read that fails midway")
            yield record


def _state(log: Log, reader: MemoryFoldReader) -> list[Any]:
    """Everything the reader answers about the whole log, of every stream."""
    head = reader.head()[0]
    bounds = {"latest_max": None, "earliest_max": None, "head": head}
    return [
        reader.head(),
        [reader.head_at(record.recorded_at) for record in log.read()],
        *(list(reader.events_only_after(stream, None, **bounds)) for stream in (None, "s", "t")),
        *(
            reader.least_event_key(stream, low, high)
            for stream in (None, "s", "t")
            for low in range(head + 1)
            for high in range(low, head + 1)
        ),
        [(record.position, target) for record, target in reader.corrections(0, head)],
    ]


@given(first=plans(max_steps=3), second=plans(max_steps=3), fail_after=st.integers(0, 8))
def test_a_refresh_that_fails_midway_leaves_the_index_as_it_was(
    first: Any, second: Any, fail_after: int
) -> None:
    """A failed refresh changes nothing; the next takes in every record a plain one would.

    The index of each stream is asked for before the failure, so that it too is
    brought up to date by the refresh that fails, and by the one that follows.
    """
    store = FailsOnce()
    log = Log(store, clock=stepping_clock())
    feed(log, first, "s")
    feed(log, first, "t")
    reader = MemoryFoldReader(log)
    reader.refresh()
    before = _state(log, reader)
    feed(log, second, "s")
    feed(log, second, "t")
    new = len(list(log.read(from_position=reader.head()[0] + 1)))
    store.after = fail_after
    if fail_after < new:
        with pytest.raises(CorruptLog, match="fails midway"):
            reader.refresh()
        store.after = None
        after = _state(log, reader)
        assert (after[0], after[2:]) == (before[0], before[2:])
    reader.refresh()
    fresh = MemoryFoldReader(log)
    fresh.refresh()
    assert _state(log, reader) == _state(log, fresh)


def test_a_snapshot_cache_over_a_read_that_failed_loses_no_event() -> None:
    """A query through a cache whose log failed to read midway answers as a plain replay.

    The cache keeps its index between queries; a failed read must not leave it
    believing it has taken in records it dropped.
    """
    store = FailsOnce()
    log = Log(store, clock=stepping_clock())
    log.append("s", [Counted(occurred="2020-01-01", amount=1)])
    with Snapshots(log, durable=False) as cache:
        assert replay(log, total, snapshots=cache) == 1
        log.append("s", [Counted(occurred=f"2020-02-0{n}", amount=10) for n in (1, 2, 3)])
        store.after = 2
        with pytest.raises(CorruptLog, match="fails midway"):
            replay(log, total, snapshots=cache)
        assert replay(log, total, snapshots=cache) == replay(log, total) == 31


class TestSharedByThreads:
    """The memory store's index serves every replay of its log, from any thread."""

    def test_replay_reads_the_log_as_it_stood_when_it_caught_up(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Records another thread's replay takes in meanwhile are not read, nor half read.

        Between a replay's catching up and its reading, another thread appends an
        event and a retraction and refreshes the shared index: the replay folds the
        log as of its own head, not the new event without the retraction.
        """
        log = Log(MemoryStore(), clock=stepping_clock())
        first = log.append("s", [Counted(occurred="2020-01-01", amount=1)])[0]
        expected = replay(log, total)
        real = _api.catch_up

        def meanwhile(*args: Any, **kwargs: Any) -> tuple[int, Any]:
            caught = real(*args, **kwargs)
            log.append(
                "s",
                [
                    Counted(occurred="2020-01-02", amount=100),
                    Retracted(target=first.id, reason="no"),
                ],
            )
            log.store.fold_reader().refresh()
            return caught

        monkeypatch.setattr(_api, "catch_up", meanwhile)
        assert replay(log, total, known_at="2999-01-01") == expected == 1

    def test_a_snapshot_cache_reads_the_log_as_it_stood_when_it_caught_up(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        log = Log(MemoryStore(), clock=stepping_clock())
        first = log.append("s", [Counted(occurred="2020-01-01", amount=1)])[0]
        real = _checkpoints.catch_up
        appended: list[bool] = []

        def meanwhile(*args: Any, **kwargs: Any) -> tuple[int, Any]:
            caught = real(*args, **kwargs)
            if not appended:
                appended.append(True)
                log.append(
                    "s",
                    [
                        Counted(occurred="2020-01-02", amount=100),
                        Retracted(target=first.id, reason="no"),
                    ],
                )
                log.store.fold_reader().refresh()
            return caught

        monkeypatch.setattr(_checkpoints, "catch_up", meanwhile)
        with Snapshots(log, durable=False) as cache:
            assert replay(log, total, snapshots=cache, known_at="2999-01-01") == 1

    def test_replays_in_threads_while_another_appends_each_see_one_head(self) -> None:
        """Each replay, taken while events dated anywhere are appended, is the fold at a head."""
        log = Log(MemoryStore(), clock=stepping_clock())
        days = [f"20{10 + n % 13}-0{1 + n % 9}-1{n % 10}" for n in range(120)]
        found: list[tuple[Event, ...]] = []
        done = threading.Event()

        def append() -> None:
            for day in days:
                log.append("s", [Counted(occurred=day, amount=1)])
            done.set()

        def read() -> None:
            while not done.is_set():
                found.append(replay(log, trace))

        threads = [threading.Thread(target=read) for _ in range(3)]
        threads.append(threading.Thread(target=append))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        records = list(log.read())
        folds = {
            tuple(
                trace.fold(
                    naive_events(
                        records[:head], stream=None, as_of=None, known_at=None, policy="certain"
                    )
                )
            )
            for head in range(len(records) + 1)
        }
        assert found
        assert all(state in folds for state in found)
        assert replay(log, trace) == tuple(
            trace.fold(
                naive_events(records, stream=None, as_of=None, known_at=None, policy="certain")
            )
        )
