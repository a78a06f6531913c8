"""Log.subscribe over a store that must be polled: catching up, following, stopping, resuming."""

from __future__ import annotations

import threading
import time
from contextlib import closing

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import Log, Record
from tests.domain import Counted
from tests.stores.helpers import events

batches = st.lists(st.tuples(st.sampled_from("ab"), st.lists(events, min_size=1, max_size=3)))


def counted(amount: int = 1) -> Counted:
    return Counted(occurred="2020-01-01", amount=amount)


def filled(appends: list) -> Log:
    log = Log()
    for stream, batch in appends:
        log.append(stream, batch)
    return log


class TestSubscribe:
    @given(batches, st.integers(-1, 30), st.sampled_from([None, "a", "b"]))
    def test_catches_up_with_what_read_gives(self, appends, position, stream) -> None:
        """Without new appends, a subscription yields exactly what a read from there does."""
        log = filled(appends)
        expected = list(log.read(stream, from_position=position))
        assert expected == list(log.subscribe(position, stream=stream, idle_timeout=0))

    @given(batches, st.data())
    def test_resuming_after_the_last_record_loses_and_repeats_nothing(self, appends, data) -> None:
        """Stop anywhere, subscribe again from the last position + 1: every record once."""
        log = filled(appends)
        first = data.draw(st.integers(0, log.head), label="records before the break")
        got: list[Record] = []
        with closing(log.subscribe(idle_timeout=0)) as subscription:
            for record in subscription:
                if len(got) == first:
                    break
                got.append(record)
        resume_at = got[-1].position + 1 if got else 1
        got += log.subscribe(resume_at, idle_timeout=0)
        assert list(log.read()) == got

    def test_follows_appends_made_while_it_waits(self) -> None:
        """Records appended by another thread come through, in order, as they are appended.

        The writer waits for the subscriber to have seen each append before the next,
        so the subscription is waiting whenever an append lands, whatever the load.
        """
        log = Log()
        log.append("s", [counted(0)])
        seen = threading.Semaphore(0)
        total = 1 + sum(n % 3 + 1 for n in range(1, 20))

        def append() -> None:
            for n in range(1, 20):
                assert seen.acquire(timeout=30), "the subscriber stopped reading"
                log.append("s" if n % 2 else "t", [counted(n)] * (n % 3 + 1))

        writer = threading.Thread(target=append)
        writer.start()
        got: list[chronicle.Record] = []
        stop = threading.Event()
        threading.Timer(60, stop.set).start()  # a bound, in case records never come
        for record in log.subscribe(poll_interval=0.01, stop=stop):
            got.append(record)
            if record.position == log.head:
                seen.release()
            if len(got) == total:
                break
        stop.set()
        writer.join()
        assert list(log.read()) == got

    def test_the_stop_event_ends_a_waiting_subscription_at_once(self) -> None:
        """Setting stop wakes a subscription that waits for appends, whatever its poll interval."""
        log = Log()
        log.append("s", [counted()])
        stop = threading.Event()
        threading.Timer(0.2, stop.set).start()
        started = time.monotonic()
        got = list(log.subscribe(poll_interval=30, stop=stop))
        assert [1] == [r.position for r in got]
        assert time.monotonic() - started < 5

    def test_idle_timeout_counts_from_the_last_record(self) -> None:
        """A subscription ends once no record came for idle_timeout seconds."""
        log = Log()
        started = time.monotonic()
        assert [] == list(log.subscribe(poll_interval=0.01, idle_timeout=0.2))
        assert 0.2 <= time.monotonic() - started < 5

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({"poll_interval": 0}, "poll_interval must be positive"),
            ({"poll_interval": float("nan")}, "poll_interval must be positive"),
            ({"idle_timeout": -1}, "idle_timeout must not be negative"),
        ],
    )
    def test_bad_timing_is_refused_at_once(self, options, message: str) -> None:
        """A non-positive poll interval or a negative idle timeout is a ValueError on the call."""
        with pytest.raises(ValueError, match=message):
            Log().subscribe(**options)
