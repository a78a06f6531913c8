"""The store contract, continued: what the read path asks of a store, and a store's lifetime.

Run once per kind of store. Every path that reads a log (replay through the
store's fold-order reader or the in-memory index, replay through snapshot
caches, history, timeline) must give what the naive fold of the design gives,
computed here from ``store.read()`` alone; and corrections that do not apply
(a missing target, a target in another stream or after it, a target that is a
correction, a replacement that is not an event) must give one answer on every
path: they correct nothing.
"""

from __future__ import annotations

import datetime
import gc
import os
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chronicle
from chronicle import (
    ANY,
    Corrected,
    Event,
    InapplicableCorrection,
    InvalidArgument,
    InvalidEvent,
    Log,
    Projector,
    Record,
    Retracted,
    Snapshots,
    StoreError,
    history,
    replay,
    timeline,
)
from chronicle._codec import stored_entry
from chronicle.stores import Batch, ReadsEventsOnly, Store
from tests.domain import Counted, offices, total, trace
from tests.stores.helpers import feed, plans
from tests.stores.kinds import StoreKind
from tests.strategies import FIRST, LAST, stepping_clock

HOUR = datetime.timedelta(hours=1)
YEAR = datetime.timedelta(days=366)


def naive_events(
    records: list[Record],
    *,
    stream: str | None,
    as_of: datetime.date | None,
    known_at: datetime.datetime | None,
    policy: str,
) -> list[Event]:
    """The oracle: the events a replay folds, by the design's rules, in fold order."""
    known = [r for r in records if known_at is None or r.recorded_at <= known_at]
    by_id = {r.id: r for r in known}
    in_force: dict[uuid.UUID, Record] = {}
    for record in known:
        entry = record.event
        if isinstance(entry, Retracted | Corrected):
            target = by_id.get(entry.target)
            if (
                target is not None
                and isinstance(target.event, Event)
                and target.stream == record.stream
                and target.position < record.position
            ):
                in_force[target.id] = record
    chosen: list[tuple[tuple[Any, ...], Event]] = []
    for record in known:
        if not isinstance(record.event, Event) or stream not in (None, record.stream):
            continue
        fix = in_force.get(record.id)
        if fix is None:
            event = record.event
        elif isinstance(fix.event, Corrected):
            event = fix.event.replacement
        else:
            continue
        bound = event.occurred.latest if policy == "certain" else event.occurred.earliest
        if as_of is None or bound <= as_of:
            chosen.append(
                ((event.occurred.latest, event.occurred.earliest, record.position), event)
            )
    chosen.sort(key=lambda item: item[0])
    return [event for _, event in chosen]


def every_path(log: Log, projector: Projector[Any], **query: Any) -> dict[str, Any]:
    """The state by every way of reading the log, by name."""
    with Snapshots(log, every=2, durable=False) as memory, Snapshots(log, every=3) as durable:
        found = {
            "replay": replay(log, projector, **query),
            "snapshots in memory, first": replay(log, projector, snapshots=memory, **query),
            "snapshots in memory, again": replay(log, projector, snapshots=memory, **query),
            "snapshots beside the log": replay(log, projector, snapshots=durable, **query),
            "snapshots beside the log, again": replay(log, projector, snapshots=durable, **query),
        }
    found["the log's own snapshots"] = replay(log, projector, snapshots=True, **query)
    query.pop("missing_ok", None)
    steps = history(log, projector, missing_ok=True, **query)
    found["history"] = steps[-1][1] if steps else projector.initial
    found["timeline"] = projector.fold(o.event for o in timeline(log, missing_ok=True, **query))
    return found


class TestEveryPathIsTheNaiveFold:
    @settings(max_examples=40)
    @given(
        plan=plans(),
        as_of=st.none() | st.dates(FIRST, LAST),
        known_hours=st.none() | st.integers(0, 6),
        policy=st.sampled_from(["certain", "possible"]),
    )
    def test_replay_history_timeline_and_snapshots(
        self, store_kind: StoreKind, plan, as_of, known_hours, policy
    ) -> None:
        """Each path gives the naive fold of the records the store reads back.

        Each example has a store of its own: every path, snapshots included, reads it whole.
        """
        store = store_kind.new()
        log = Log(store, clock=stepping_clock())
        feed(log, plan, "s")
        records = list(store.read())
        start = records[0].recorded_at
        known_at = None if known_hours is None else start + HOUR * known_hours
        query = {"stream": "s", "as_of": as_of, "known_at": known_at, "policy": policy}
        events = naive_events(records, stream="s", as_of=as_of, known_at=known_at, policy=policy)
        for projector in (trace, total, offices):
            expected = projector.fold(events)
            for path, state in every_path(log, projector, **query).items():
                assert (path, expected) == (path, state)

    @settings(max_examples=25)
    @given(
        plan=plans(max_steps=6),
        as_of=st.none() | st.dates(FIRST, LAST),
        known_hours=st.none() | st.integers(0, 6),
    )
    def test_a_log_read_after_each_append_is_the_naive_fold_each_time(
        self, store_kind: StoreKind, plan, as_of, known_hours
    ) -> None:
        """Readers that keep their index from one read to the next take in each append.

        Appends dated before what was read already land inside the index (the
        memory store's index, a JSON Lines side index), and a correction after
        the events it corrects: each read between appends is the naive fold.
        """
        store = store_kind.new()
        log = Log(store, clock=stepping_clock())
        with Snapshots(log, every=2, durable=False) as cache:
            for step in range(len(plan)):
                feed(log, plan[step : step + 1], "s")
                records = list(store.read())
                known_at = (
                    None if known_hours is None else records[0].recorded_at + HOUR * known_hours
                )
                query = {"stream": None, "as_of": as_of, "known_at": known_at}
                events = naive_events(records, policy="certain", **query)
                for projector in (trace, offices):
                    expected = projector.fold(events)
                    assert expected == replay(log, projector, **query)
                    assert expected == replay(log, projector, snapshots=cache, **query)

    @settings(max_examples=20)
    @given(
        days=st.lists(st.dates(FIRST, LAST), min_size=1, max_size=6),
        moved=st.lists(st.dates(LAST + YEAR, LAST + 2 * YEAR), min_size=2, max_size=6),
    )
    def test_replacements_after_every_event_are_each_folded(
        self, store_kind: StoreKind, days: list[datetime.date], moved: list[datetime.date]
    ) -> None:
        """Corrections that move several events past every other: each is folded, in order.

        The replacements in force are merged into the log's own events; those
        that come after the last of them must not be lost.
        """
        log = Log(store_kind.new(), clock=stepping_clock())
        records = log.append(
            "s", [Counted(occurred=day.isoformat(), amount=n) for n, day in enumerate(days)]
        )
        log.append(
            "s",
            [
                Corrected(
                    target=record.id,
                    reason="redated",
                    replacement=Counted(occurred=day.isoformat(), amount=100 + n),
                )
                for n, (record, day) in enumerate(zip(records, moved, strict=False))
            ],
        )
        events = naive_events(
            list(log.read()), stream="s", as_of=None, known_at=None, policy="certain"
        )
        assert sum(e.occurred.latest > LAST for e in events) == min(len(days), len(moved))
        for path, state in every_path(log, trace, stream="s").items():
            assert (path, tuple(events)) == (path, state)


def _bad_corrections(
    store: Store, log: Log, clock: Callable[[], datetime.datetime]
) -> tuple[list[Record], list[str]]:
    """A log with one good correction and one of each kind that does not apply.

    Returns the records, and the kinds of the corrections that do not apply.
    """
    a, b, c = log.append("s", [Counted(occurred=f"2020-0{n}", amount=n) for n in (1, 2, 3)])
    (other,) = log.append("t", [Counted(occurred="2020-04", amount=4)])
    (good,) = log.append("s", [Retracted(target=b.id, reason="wrong")])
    later = uuid.uuid4()
    bad = {
        "a missing target": Retracted(target=uuid.uuid4(), reason="no such record"),
        "a target in another stream": Retracted(target=other.id, reason="not ours"),
        "a target that is a correction": Retracted(target=good.id, reason="a correction"),
        "a target appended after it": Retracted(target=later, reason="not yet there"),
        "a replacement that is a correction": InapplicableCorrection(
            target=c.id,
            reason="replaced by a retraction",
            replacement_json=(
                f'{{"type":"chronicle.retracted","v":1,"data":'
                f'{{"target":"{a.id}","reason":"nested"}}}}'
            ),
        ),
        "a replacement of a later record": Corrected(
            target=later,
            reason="not yet there",
            replacement=Counted(occurred="2019", amount=100),
        ),
    }
    for entry in bad.values():
        store.append(
            Batch(
                stream="s",
                entries=[entry],
                stored=[stored_entry(entry)],
                ids=[uuid.uuid4()],
                expected_version=ANY,
                recorded_at=clock(),
                exact_time=False,
            )
        )
    store.append(
        Batch(
            stream="s",
            entries=[Counted(occurred="2020-05", amount=5)],
            stored=[stored_entry(Counted(occurred="2020-05", amount=5))],
            ids=[later],
            expected_version=ANY,
            recorded_at=clock(),
            exact_time=False,
        )
    )
    return list(store.read()), list(bad)


class TestCorrectionsThatDoNotApply:
    def test_they_correct_nothing_on_every_path(self, store_kind: StoreKind) -> None:
        """Replay, history, timeline and snapshots agree: only the good retraction applies."""
        store = store_kind.new()
        clock = stepping_clock()
        log = Log(store, clock=clock)
        _, kinds = _bad_corrections(store, log, clock)
        assert 6 == len(kinds)
        expected = (1, 3, 5)  # the amounts in force: 2 is retracted, nothing else changes
        for path, state in every_path(log, trace, stream="s").items():
            assert (path, expected) == (path, tuple(event.amount for event in state))
        assert (1, 3, 5) == tuple(
            o.event.amount for o in timeline(log, stream="s") if isinstance(o.event, Counted)
        )
        assert 9 == replay(log, total, stream="s")

    def test_a_store_reads_an_inapplicable_correction_back(self, store_kind: StoreKind) -> None:
        """A stored correction whose replacement is a correction reads back as inapplicable."""
        store = store_kind.new()
        clock = stepping_clock()
        log = Log(store, clock=clock)
        records, _ = _bad_corrections(store, log, clock)
        found = [r.event for r in store.read() if isinstance(r.event, InapplicableCorrection)]
        assert 1 == len(found)
        assert found[0] == next(
            r.event for r in records if isinstance(r.event, InapplicableCorrection)
        )


class TestReadsWhatIsAsked:
    """A read of one stream decodes that stream's corrections, not the whole log's."""

    def _two_streams(self, log: Log) -> dict[str, list[Record]]:
        """Streams "s" and "t", each with two events and a correction of each."""
        fixes: dict[str, list[Record]] = {}
        for stream in ("s", "t"):
            a, b = log.append(stream, [Counted(occurred=f"2020-0{n}", amount=n) for n in (1, 2)])
            fixes[stream] = log.append(
                stream,
                [
                    Retracted(target=a.id, reason="wrong"),
                    Corrected(
                        target=b.id, reason="late", replacement=Counted(occurred="2021", amount=9)
                    ),
                ],
            )
        return fixes

    def test_the_fold_reader_gives_one_stream_s_corrections(self, store_kind: StoreKind) -> None:
        """``corrections(low, high, stream)`` is the stream's part of ``corrections(low, high)``."""
        log = Log(store_kind.new(), clock=stepping_clock())
        fixes = self._two_streams(log)
        reader = chronicle._replay._checkpoints.reader_for(log)
        reader.refresh()
        head = reader.head()[0]
        every = [record.id for record, _ in reader.corrections(0, head)]
        assert [r.id for r in fixes["s"] + fixes["t"]] == every
        for stream in ("s", "t"):
            assert [r.id for r in fixes[stream]] == [
                record.id for record, _ in reader.corrections(0, head, stream)
            ]
            after_first = reader.corrections(fixes[stream][0].position, head, stream)
            assert [fixes[stream][1].id] == [record.id for record, _ in after_first]
        assert [] == list(reader.corrections(0, head, "nowhere"))

    def test_replay_and_timeline_of_a_stream_ask_for_its_corrections_only(
        self, store_kind: StoreKind, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each read of stream "s" takes in no correction of stream "t", and folds right."""
        log = Log(store_kind.new(), clock=stepping_clock())
        self._two_streams(log)
        taken: list[str] = []
        real = chronicle._replay._in_force.Corrections.add

        def add(fixes: Any, record: Record, target: Any) -> None:
            taken.append(record.stream)
            real(fixes, record, target)

        monkeypatch.setattr(chronicle._replay._in_force.Corrections, "add", add)
        assert 9 == replay(log, total, stream="s")
        assert [9] == [o.event.amount for o in timeline(log, stream="s")]  # type: ignore[attr-defined]
        assert [9] == [state for _, state in history(log, total, stream="s")]
        assert {"s"} == set(taken)


class TestEventsOnly:
    @settings(max_examples=30)
    @given(
        plan=plans(),
        other=plans(max_steps=2),
        stream=st.sampled_from([None, "s", "t"]),
        after=st.none() | st.tuples(st.dates(FIRST, LAST), st.integers(0, 12)),
        latest_max=st.none() | st.dates(FIRST, LAST),
        earliest_max=st.none() | st.dates(FIRST, LAST),
        head_back=st.integers(0, 3),
    )
    def test_events_only_are_the_events_of_the_records_read(
        self, store_kind: StoreKind, plan, other, stream, after, latest_max, earliest_max, head_back
    ) -> None:
        """A fold reader that reads events without their records gives, for any arguments,
        the events of the records it reads with them, in the same order, with the same keys."""
        log = Log(store_kind.new(), clock=stepping_clock())
        reader = chronicle._replay._checkpoints.reader_for(log)
        if not isinstance(reader, ReadsEventsOnly):
            log.close()
            pytest.skip(f"a {store_kind.name} log's fold reader reads records only")
        feed(log, plan, "s")
        feed(log, other, "t")
        reader.refresh()
        head = max(reader.head()[0] - head_back, 0)
        key = None if after is None else (after[0], after[0], after[1])
        bounds = {"latest_max": latest_max, "earliest_max": earliest_max, "head": head}
        whole = reader.events_after(stream, key, **bounds)
        assert [((a, b, p), record.event) for a, b, p, record in whole] == list(
            reader.events_only_after(stream, key, **bounds)
        )
        log.close()


class TestRefusals:
    @pytest.mark.parametrize("name", ["", "  ", "a\x00b", "\ud800", 7])
    def test_every_store_refuses_the_same_stream_names(
        self, store_kind: StoreKind, name: object
    ) -> None:
        """A blank name, a NUL character or a lone surrogate is refused, and nothing is stored."""
        store = store_kind.new()
        with pytest.raises(InvalidArgument, match="stream name"):
            Log(store).append(name, [Counted(occurred="2020", amount=1)])  # type: ignore[arg-type]
        assert (0, None) == store.head()

    @pytest.mark.parametrize("text", ["\ud800", "a\udfffb"])
    def test_every_store_refuses_text_utf8_cannot_hold(
        self, store_kind: StoreKind, text: str
    ) -> None:
        """An event whose text holds a lone surrogate is refused by every store alike."""
        store = store_kind.new()
        source = chronicle.Source(publisher=text)
        with pytest.raises(InvalidEvent, match="cannot store"):
            Log(store).append("s", [Counted(occurred="2020", amount=1, sources=(source,))])
        assert (0, None) == store.head()

    def test_a_replacement_must_be_a_registered_event(self) -> None:
        """A correction is refused when made if its replacement is a correction or unregistered."""

        class Unregistered(Event):
            pass

        target = uuid.uuid4()
        with pytest.raises(chronicle.CorrectionError, match="must be an event"):
            Corrected(target=target, reason="r", replacement=Retracted(target=target, reason="q"))  # type: ignore[arg-type]
        with pytest.raises(chronicle.EventTypeError, match="not a registered event type"):
            Corrected(target=target, reason="r", replacement=Unregistered(occurred="2020"))


class TestLifecycle:
    def test_a_closed_store_refuses_every_call(self, store_kind: StoreKind) -> None:
        """After close(), appends and reads raise StoreError; closing again is harmless."""
        store = store_kind.new()
        log = Log(store)
        (record,) = log.append("s", [Counted(occurred="2020", amount=1)])
        store.close()
        calls: dict[str, Callable[[], object]] = {
            "append": lambda: log.append("s", [Counted(occurred="2021", amount=2)]),
            "read": lambda: list(store.read()),
            "get": lambda: store.get(record.id),
            "version": lambda: store.version("s"),
            "head": store.head,
            "streams": store.streams,
        }
        for name, call in calls.items():
            with pytest.raises(StoreError, match="closed"):
                call()
            assert name  # each call is refused
        store.close()

    def test_closing_a_log_releases_every_descriptor_it_opened(self, store_kind: StoreKind) -> None:
        """replay(..., snapshots=True) opens the log's cache; Log.close() closes it with the store.

        The process holds as many open descriptors after as before (files, their
        journals, database connections).
        """
        store_kind.close_all()
        gc.collect()
        before = _descriptors()
        for _ in range(3):
            log = Log(store_kind.new(), clock=stepping_clock())
            log.append("s", [Counted(occurred="2020", amount=n) for n in range(5)])
            assert 10 == replay(log, total, snapshots=True)
            assert 10 == replay(log, total, as_of="2021", snapshots=True)
            log.close()
        gc.collect()
        assert before == _descriptors()


def _descriptors() -> int:
    """How many descriptors the process has open."""
    return len(os.listdir("/proc/self/fd"))
