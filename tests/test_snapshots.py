"""Snapshots: the snapshot path of replay gives exactly the naive fold's states."""

from __future__ import annotations

import datetime
import os
import pickle
import re
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    multiple,
    rule,
)

import chronicle
from chronicle import (
    Corrected,
    Event,
    Log,
    MemoryStore,
    Projector,
    Retracted,
    Snapshots,
    When,
    replay,
)
from chronicle._codec import stored_entry
from chronicle._replay import _checkpoints, snapshots_of
from chronicle._replay._checkpoint_codec import DIGEST_START, Checkpoint, CheckpointCodec
from chronicle._replay._fold import fold_stream
from chronicle._replay._signing import signing_key
from chronicle._stores._sqlite_checkpoints import SqliteCheckpointFile
from chronicle.stores import Batch, SeriesHead
from tests import postgres
from tests.domain import Appointed, Counted, Vacated, offices, total, trace
from tests.stores.helpers import shared_directory, unprivileged
from tests.strategies import stepping_clock

STREAMS = st.sampled_from(["a", "b"])
FIRST = datetime.date(2019, 1, 1)


def _when(offset: int, form: int, span: int) -> When:
    day = FIRST + datetime.timedelta(days=offset)
    if form == 3:
        return When(day.strftime("%Y-%m"))
    if form == 4:
        return When(day.strftime("%Y"))
    if form == 5:
        return When.between(day, day + datetime.timedelta(days=span))
    return When(day)


Spec = tuple[int, int, int, int, int]
"""An event drawn as integers: kind, day offset, form of its When, span, value."""

# Drawn as integers over a few years (far cheaper to draw than tests.strategies.events,
# and dense enough that fold keys often tie and checkpoints often sit on shared days).
SPECS = st.tuples(
    st.integers(0, 2), st.integers(0, 1500), st.integers(0, 5), st.integers(0, 400), st.integers()
)


def _event(spec: Spec, base: int = 0) -> Event:
    kind, offset, form, span, value = spec
    occurred = _when(base + offset, form, span)
    if kind == 0:
        return Counted(occurred=occurred, amount=value % 19 - 9)
    if kind == 1:
        return Appointed(occurred=occurred, office="pq"[value % 2], name="xyz"[value % 3])
    return Vacated(occurred=occurred, office="pq"[value % 2])


EVENTS = SPECS.map(_event)

tally: Projector[int] = Projector("test.snap.tally", initial=0)
"""How many Counted events the fold met."""


@tally.on(Counted)
def _tally(state: int, event: Counted) -> int:
    return state + 1


PROJECTOR_SETS = st.sampled_from([(trace,), (trace, total), (offices, total)])


class DurableMemoryStore(MemoryStore):
    """A memory store that keeps snapshot checkpoints in an SQLite file (as SQL stores do)."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def checkpoint_storage(self) -> SqliteCheckpointFile:
        return SqliteCheckpointFile(self.path)


class SnapshotMachine(RuleBasedStateMachine):
    """Random interleavings of appends, corrections, replays and cache resets.

    Every replay through the snapshot caches is compared with the naive replay;
    two caches share the log (and, when durable, the stored checkpoints) as two
    processes would.
    """

    records = Bundle("records")

    def __init__(self) -> None:
        super().__init__()
        self.directory = tempfile.TemporaryDirectory()
        self.log = Log(self.store(self.directory.name), clock=stepping_clock())
        self.mirror = Log(MemoryStore())
        self.moments: list[datetime.datetime] = []
        self.days: list[datetime.date] = []
        self.front = 0
        self.caches: list[Snapshots] = []
        self.spacing = mock.patch.object(_checkpoints, "DENSE", 2)

    @initialize(
        target=records,
        every=st.sampled_from([None, 1, 2, 3]),
        stream=STREAMS,
        base=st.lists(SPECS, min_size=4, max_size=24),
    )
    def open_caches(self, every: int | None, stream: str, base: list[Spec]) -> Any:
        """Two caches over a log that starts with a chronology appended in time order.

        With ``every`` None, the caches choose their spacing, here held in memory
        every 2 events and stored as the byte budget allows.
        """
        self.every = every
        self.spacing.start()
        self.caches = [Snapshots(self.log, every=every), Snapshots(self.log, every=every)]
        batch = sorted((_event(spec) for spec in base), key=lambda e: e.occurred.key)
        appended = []
        for start in range(0, len(batch), 4):
            appended += self.log.append(stream, batch[start : start + 4])
            self._appended(appended[-len(batch[start : start + 4]) :])
        self.front = (batch[-1].occurred.latest - FIRST).days
        return multiple(*appended)

    def store(self, _directory: str) -> chronicle.Store:
        """The store under test."""
        return MemoryStore()

    def _appended(self, records: list[chronicle.Record]) -> None:
        """Note the append, and make it in the mirror: a memory log, the oracle."""
        self.mirror.store.append(
            Batch(
                stream=records[0].stream,
                entries=[record.event for record in records],
                stored=[stored_entry(record.event) for record in records],
                ids=[record.id for record in records],
                expected_version=chronicle.ANY,
                recorded_at=records[0].recorded_at,
                exact_time=True,
            )
        )
        self.moments.append(records[0].recorded_at)
        self.days += [r.event.occurred.latest for r in records if isinstance(r.event, Event)]

    @rule(
        target=records,
        stream=STREAMS,
        specs=st.lists(SPECS, min_size=1, max_size=5),
        late=st.booleans(),
    )
    def append(self, stream: str, specs: list[Spec], late: bool) -> Any:
        """Append events anywhere in time, or (as chronologies mostly grow) near the front."""
        batch = [
            _event((kind, offset % 40, *rest), self.front) if late else _event(spec)
            for spec in specs
            for kind, offset, *rest in [spec]
        ]
        self.front = max(self.front, *((e.occurred.latest - FIRST).days for e in batch))
        appended = self.log.append(stream, batch)
        self._appended(appended)
        return multiple(*appended)

    @rule(record=consumes(records), replacement=st.one_of(st.none(), EVENTS))
    def correct(self, record: chronicle.Record, replacement: Event | None) -> None:
        fix = (
            Retracted(target=record.id, reason="false")
            if replacement is None
            else Corrected(target=record.id, reason="recount", replacement=replacement)
        )
        self._appended(self.log.append(record.stream, [fix]))

    @rule(record=records, replacement=EVENTS)
    def correct_again(self, record: chronicle.Record, replacement: Event) -> None:
        fix = Corrected(target=record.id, reason="again", replacement=replacement)
        self._appended(self.log.append(record.stream, [fix]))

    @rule(
        cache=st.integers(0, 1),
        projectors=PROJECTOR_SETS,
        stream=st.sampled_from([None, "a"]),
        as_of=st.integers(0, 2**16),
        known=st.integers(0, 2**16),
        possible=st.booleans(),
    )
    def query(
        self,
        cache: int,
        projectors: tuple[Projector[Any], ...],
        stream: str | None,
        as_of: int,
        known: int,
        possible: bool,
    ) -> None:
        """Any query. Integers pick its dates (they are far cheaper to draw than dates):

        ``as_of`` none, any day, or the day of an event appended (a checkpoint's edge);
        ``known_at`` none, the time of an append, or just before one.
        """
        day = None
        if as_of % 4 == 1:
            day = FIRST + datetime.timedelta(days=as_of // 4 % 1900)
        elif as_of % 4 > 1 and self.days:
            day = self.days[as_of // 4 % len(self.days)]
        known_at = None
        if known % 3 and self.moments:
            known_at = self.moments[known // 3 % len(self.moments)]
            known_at -= datetime.timedelta(microseconds=known % 3 - 1)
        options: dict[str, Any] = {
            "stream": stream,
            "as_of": day,
            "known_at": known_at,
            "policy": "possible" if possible else "certain",
            "missing_ok": True,
        }
        self._compare(cache, projectors, options)

    @rule(cache=st.integers(0, 1), projectors=PROJECTOR_SETS, as_of=st.integers(0, 10**6))
    def replay_as_of_a_day(
        self, cache: int, projectors: tuple[Projector[Any], ...], as_of: int
    ) -> None:
        """The common query: every stream, as known now, as of the day of some event."""
        day = self.days[as_of % len(self.days)] if self.days else None
        self._compare(cache, projectors, {"as_of": day})

    def _compare(
        self, cache: int, projectors: tuple[Projector[Any], ...], options: dict[str, Any]
    ) -> None:
        expected = replay(self.mirror, projectors, **options)
        assert expected == replay(self.log, projectors, **options)
        assert expected == replay(self.log, projectors, snapshots=self.caches[cache], **options)

    @rule(cache=st.integers(0, 1), reopen=st.booleans())
    def reset(self, cache: int, reopen: bool) -> None:
        """Forget the checkpoints, or start a new cache (a new process, when durable)."""
        if reopen:
            self.caches[cache].close()
            self.caches[cache] = Snapshots(self.log, every=self.every)
        else:
            self.caches[cache].clear()

    @invariant()
    def checkpoints_are_in_fold_order(self) -> None:
        for cache in self.caches:
            keys = cache.checkpoints(trace)
            assert sorted(set(keys)) == keys

    def teardown(self) -> None:
        for cache in self.caches:
            cache.close()
        self.log.close()
        self.directory.cleanup()
        self.spacing.stop()


class DurableSnapshotMachine(SnapshotMachine):
    """The same, with checkpoints pickled in an SQLite file shared by both caches."""

    def store(self, directory: str) -> chronicle.Store:
        return DurableMemoryStore(os.path.join(directory, "snapshots.db"))


class SqliteSnapshotMachine(SnapshotMachine):
    """The same on an SQLite log: fold-order reads by its index, checkpoints in its tables."""

    def store(self, directory: str) -> chronicle.Store:
        return chronicle.SqliteStore(os.path.join(directory, "log.db"), durable=False)


class JsonlSnapshotMachine(SnapshotMachine):
    """The same on a JSON Lines log, checkpoints in an SQLite file beside it."""

    def store(self, directory: str) -> chronicle.Store:
        return chronicle.JsonlStore(os.path.join(directory, "log.jsonl"), durable=False)


class PostgresSnapshotMachine(SnapshotMachine):
    """The same on a PostgreSQL log, in a schema of its own, dropped afterwards."""

    def store(self, _directory: str) -> chronicle.Store:
        self.schema = postgres.new_schema()
        return chronicle.PostgresStore(postgres.DSN, schema=self.schema)

    def teardown(self) -> None:
        super().teardown()
        postgres.drop_schema(self.schema)


# Drawing the steps of a state machine costs far more than running them: fewer, longer
# runs than the profile's default keep the suite fast and still reach deep interleavings.
MACHINE_SETTINGS = settings(max_examples=30, stateful_step_count=50)


class TestSnapshotPath:
    TestMemory = SnapshotMachine.TestCase
    TestMemory.settings = MACHINE_SETTINGS
    TestDurable = DurableSnapshotMachine.TestCase
    TestDurable.settings = MACHINE_SETTINGS
    TestSqlite = SqliteSnapshotMachine.TestCase
    TestSqlite.settings = MACHINE_SETTINGS
    TestJsonl = JsonlSnapshotMachine.TestCase
    TestJsonl.settings = MACHINE_SETTINGS
    TestPostgres = pytest.mark.skipif(not postgres.DSN, reason=postgres.SKIP_REASON)(
        PostgresSnapshotMachine.TestCase
    )
    TestPostgres.settings = MACHINE_SETTINGS


def counting(name: str) -> tuple[Projector[int], list[int]]:
    """A projector counting Counted events, and a list its handler appends to on each call.

    The list breaks the purity rule on purpose: it shows how many events a replay folded.
    """
    calls: list[int] = []
    projector: Projector[int] = Projector(name, initial=0)

    @projector.on(Counted)
    def _count(state: int, event: Counted) -> int:
        calls.append(event.amount)
        return state + 1

    return projector, calls


def daily(log: Log, count: int, start: datetime.date, stream: str = "s") -> list[chronicle.Record]:
    """Append ``count`` Counted events, one a day from ``start``, in one append."""
    return log.append(
        stream,
        [Counted(occurred=start + datetime.timedelta(days=i), amount=i + 1) for i in range(count)],
    )


START = datetime.date(2000, 1, 1)


class TestSnapshots:
    @pytest.mark.parametrize("every", [0, -3, 1.5, True])
    def test_every_must_be_a_positive_int(self, every: Any) -> None:
        """A checkpoint interval that is not an int >= 1 is refused."""
        with pytest.raises(ValueError, match="every"):
            Snapshots(Log(), every=every)

    def test_full_replay_leaves_a_checkpoint_every_n_events(self) -> None:
        """Folding 100 events with every=10 leaves checkpoints after events 10, 20, ... 100."""
        log = Log()
        records = daily(log, 100, START)
        cache = Snapshots(log, every=10)
        replay(log, total, snapshots=cache)
        expected = [(r.event.occurred.latest,) * 2 + (r.position,) for r in records[9::10]]
        assert expected == cache.checkpoints(total)

    def test_as_of_folds_only_from_the_nearest_checkpoint(self) -> None:
        """After a full replay, a replay as of a day folds fewer events than the interval."""
        log = Log()
        daily(log, 1000, START)
        projector, calls = counting("test.snap.count")
        cache = Snapshots(log, every=50)
        replay(log, projector, snapshots=cache)
        calls.clear()
        day = START + datetime.timedelta(days=777)
        assert 778 == replay(log, projector, as_of=day, snapshots=cache)
        assert list(range(751, 779)) == calls

    @pytest.mark.parametrize("durable", [False, True])
    def test_known_at_folds_from_checkpoints_of_the_log_as_known_then(
        self, durable: bool, tmp_path: Path
    ) -> None:
        """Behind backdated records appended since, known_at keeps checkpoints of its own."""
        log = Log(chronicle.SqliteStore(tmp_path / "log.db")) if durable else Log()
        daily(log, 300, START)
        moment = log.head_recorded_at
        daily(log, 10, START)  # backdated: before every checkpoint of the log as it is now
        projector, calls = counting("test.snap.known")
        cache = Snapshots(log, every=50)
        replay(log, projector, known_at=moment, snapshots=cache)
        calls.clear()
        day = START + datetime.timedelta(days=277)
        assert 278 == replay(log, projector, as_of=day, known_at=moment, snapshots=cache)
        assert list(range(251, 279)) == calls
        assert 288 == replay(log, projector, as_of=day, snapshots=cache)  # as known now

    def test_default_spacing_holds_many_checkpoints_and_stores_few(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """By default, every checkpoint is held in memory; the byte budget stores few of them.

        ``trace`` keeps every event, so a state grows with the log, and so would
        the stored checkpoints, were each of them kept.
        """
        monkeypatch.setattr(_checkpoints, "DENSE", 10)
        log = Log(chronicle.SqliteStore(tmp_path / "log.db"))
        daily(log, 1000, START)
        projector, calls = counting("test.snap.dense")
        with Snapshots(log) as cache:
            expected = replay(log, (trace, projector))
            assert expected == replay(log, (trace, projector), snapshots=cache)
            calls.clear()
            day = START + datetime.timedelta(days=777)
            assert 778 == replay(log, projector, as_of=day, snapshots=cache)
            assert list(range(771, 779)) == calls  # from the checkpoint held in memory
            stored = cache.checkpoints(trace)
        assert 1 < len(stored) < 20
        with sqlite3.connect(tmp_path / "log.db") as db:
            sizes = [
                size for (size,) in db.execute("SELECT length(state) FROM chronicle_checkpoints_v2")
            ]
        # What each stored checkpoint costs is earned by the events folded since the last.
        assert sum(sizes) <= 2 * _checkpoints.BYTES_PER_EVENT * 1000 * 2 + max(sizes)
        with Snapshots(log) as fresh:  # another process: from the stored checkpoints
            assert expected == replay(log, (trace, projector), snapshots=fresh)

    def test_backdated_event_drops_exactly_the_checkpoints_after_it(self) -> None:
        """An event appended with an earlier valid time invalidates the checkpoints after it."""
        log = Log()
        daily(log, 100, START)
        cache = Snapshots(log, every=10)
        replay(log, total, snapshots=cache)
        before = cache.checkpoints(total)
        (late,) = log.append("s", [Counted(occurred=START + datetime.timedelta(days=44), amount=1)])
        assert replay(log, total) == replay(log, total, snapshots=cache)
        kept = [key for key in before if key < (late.event.occurred.latest,) * 2 + (late.position,)]
        assert kept == cache.checkpoints(total)[: len(kept)]
        assert 4 == len(kept)

    def test_correction_drops_the_checkpoints_after_its_reach(self) -> None:
        """A correction invalidates checkpoints at or after its target's or replacement's key."""
        log = Log()
        records = daily(log, 100, START)
        cache = Snapshots(log, every=10)
        replay(log, total, snapshots=cache)
        target = records[84]
        replacement = Counted(occurred=START + datetime.timedelta(days=95), amount=0)
        log.append("s", [Corrected(target=target.id, reason="moved", replacement=replacement)])
        assert replay(log, total) == replay(log, total, snapshots=cache)
        assert [r.position for r in records[9:80:10]] == [k[2] for k in cache.checkpoints(total)][
            :8
        ]

    def test_correction_moving_an_event_back_drops_the_checkpoints_after(self) -> None:
        """A replacement dated before a checkpoint invalidates it, though its target is later."""
        log = Log()
        records = daily(log, 30, START)
        cache = Snapshots(log, every=10)
        replay(log, trace, snapshots=cache)
        moved = Counted(occurred=START + datetime.timedelta(days=5), amount=0)
        log.append("s", [Corrected(target=records[-1].id, reason="misdated", replacement=moved)])
        assert replay(log, trace) == replay(log, trace, snapshots=cache)

    def test_retraction_reaches_back_to_an_earlier_replacement(self) -> None:
        """Retracting an event whose replacement sits before a checkpoint invalidates it."""
        log = Log()
        records = daily(log, 30, START)
        moved = Counted(occurred=START + datetime.timedelta(days=5), amount=0)
        log.append("s", [Corrected(target=records[-1].id, reason="misdated", replacement=moved)])
        cache = Snapshots(log, every=10)
        replay(log, trace, snapshots=cache)
        log.append("s", [Retracted(target=records[-1].id, reason="never happened")])
        assert replay(log, trace) == replay(log, trace, snapshots=cache)

    def test_other_stream_leaves_a_stream_checkpoints(self) -> None:
        """An early event in another stream invalidates nothing of this stream's checkpoints."""
        log = Log()
        daily(log, 50, START, stream="a")
        cache = Snapshots(log, every=10)
        replay(log, total, stream="a", snapshots=cache)
        before = cache.checkpoints(total, stream="a")
        daily(log, 5, START, stream="b")
        assert sum(range(1, 51)) == replay(log, total, stream="a", snapshots=cache)
        assert before == cache.checkpoints(total, stream="a")

    def test_new_projector_version_starts_afresh(self) -> None:
        """Checkpoints belong to a projector's name and version: a new version has none."""
        log = Log()
        daily(log, 30, START)
        cache = Snapshots(log, every=10)
        replay(log, total, snapshots=cache)
        bumped: Projector[int] = Projector(total.name, initial=0, version=2)
        assert [] == cache.checkpoints(bumped)
        assert 3 == len(cache.checkpoints(total))

    def test_known_at_before_a_late_record_ignores_checkpoints_it_reaches(self) -> None:
        """A replay known before a backdated record does not use checkpoints made after it."""
        log = Log(clock=stepping_clock())
        daily(log, 40, START)
        (late,) = log.append("s", [Counted(occurred=START, amount=1000)])
        cache = Snapshots(log, every=10)
        replay(log, tally, snapshots=cache)
        earlier = late.recorded_at - datetime.timedelta(microseconds=1)
        assert 40 == replay(log, tally, known_at=earlier, snapshots=cache)
        assert 41 == replay(log, tally, snapshots=cache)

    def test_snapshots_true_uses_the_logs_own_cache(self) -> None:
        """snapshots=True makes the log's cache once and reuses it."""
        log = Log()
        daily(log, 1000, START)
        assert 1000 == replay(log, tally, snapshots=True)
        assert snapshots_of(log) is snapshots_of(log)
        assert [] != snapshots_of(log).checkpoints(tally)

    def test_clear_changes_nothing_but_speed(self) -> None:
        """Clearing the checkpoints leaves every replay's result as it was."""
        log = Log()
        daily(log, 30, START)
        cache = Snapshots(log, every=7)
        first = replay(
            log, (trace, total), as_of=START + datetime.timedelta(days=20), snapshots=cache
        )
        cache.clear()
        assert [] == cache.checkpoints(total)
        again = replay(
            log, (trace, total), as_of=START + datetime.timedelta(days=20), snapshots=cache
        )
        assert first == again


class TestDurableSnapshots:
    def test_checkpoints_survive_a_new_cache(self, tmp_path: Any) -> None:
        """A second cache over the same storage finds the first one's checkpoints and uses them."""
        log = Log(DurableMemoryStore(str(tmp_path / "s.db")))
        daily(log, 100, START)
        first = Snapshots(log, every=10)
        replay(log, total, snapshots=first)
        first.close()
        projector, calls = counting(total.name)
        second = Snapshots(log, every=10)
        assert sum(range(1, 101)) == replay(log, projector, snapshots=second)
        assert [] == calls
        second.close()

    def test_unreadable_checkpoint_is_ignored_and_deleted(self, tmp_path: Any) -> None:
        """Checkpoints whose bytes are not a signed checkpoint are skipped and rebuilt."""
        path = str(tmp_path / "s.db")
        log = Log(DurableMemoryStore(path))
        daily(log, 30, START)
        cache = Snapshots(log, every=10)
        replay(log, tally, snapshots=cache)
        with sqlite3.connect(path) as db:
            db.execute("UPDATE chronicle_checkpoints_v2 SET state = x'00ff'")
        assert 30 == replay(log, tally, snapshots=cache)
        assert [10, 20, 30] == [key[2] for key in cache.checkpoints(tally)]
        cache.close()

    def test_checkpoints_of_another_log_are_dropped(self, tmp_path: Any) -> None:
        """Stored checkpoints made on another log of the same length are not applied."""
        path = str(tmp_path / "s.db")
        one, other = Log(DurableMemoryStore(path)), Log(DurableMemoryStore(path))
        daily(one, 20, START)
        daily(other, 20, START + datetime.timedelta(days=1000))
        first = Snapshots(one, every=5)
        replay(one, trace, snapshots=first)
        second = Snapshots(other, every=5)
        assert replay(other, trace) == replay(other, trace, snapshots=second)
        first.close()
        second.close()

    def test_a_state_the_codec_cannot_keep_is_refused(self, tmp_path: Any) -> None:
        """A durable cache refuses a state it cannot encode as data, saying how to fix it."""
        log = Log(DurableMemoryStore(str(tmp_path / "s.db")))
        daily(log, 20, START)
        local: Projector[Any] = Projector("test.snap.unencodable", initial=())

        @local.on(Counted)
        def _keep(state: Any, event: Counted) -> Any:
            return (*state, lambda: event)

        with (
            Snapshots(log, every=5) as cache,
            pytest.raises(chronicle.CheckpointError, match="state_type"),
        ):
            replay(log, local, snapshots=cache)
        with Snapshots(log, every=5, durable=False) as memory:  # objects, kept as they are
            assert 20 == len(replay(log, local, snapshots=memory))

    def test_a_type_that_loses_information_is_refused(self, tmp_path: Any) -> None:
        """A state that would not come back equal (events in a bare tuple) is refused."""
        log = Log(DurableMemoryStore(str(tmp_path / "s.db")))
        daily(log, 10, START)
        bare: Projector[Any] = Projector("test.snap.bare", initial=())
        bare.on(Counted)(lambda state, event: (*state, event))
        with Snapshots(log, every=5) as cache, pytest.raises(chronicle.CheckpointError):
            replay(log, bare, snapshots=cache)


class TestCheckpointsAreData:
    """A log from elsewhere cannot run code, or change an answer, through its checkpoints."""

    def _tampered(self, path: str, payload: Any) -> None:
        with sqlite3.connect(path) as db:
            db.execute("UPDATE chronicle_checkpoints_v2 SET state = ?", (payload,))

    def test_a_pickle_payload_runs_nothing(self, tmp_path: Any) -> None:
        """A pickle planted as a checkpoint is never loaded: no code runs, the answer stands."""
        path = str(tmp_path / "s.db")
        log = Log(DurableMemoryStore(path))
        daily(log, 30, START)
        with Snapshots(log, every=10) as cache:
            replay(log, tally, snapshots=cache)
        marker = tmp_path / "ran"
        self._tampered(path, pickle.dumps(_Planted(str(marker))))
        with Snapshots(log, every=10) as cache:
            audit = cache.audit([tally])
            assert 30 == replay(log, tally, snapshots=cache)
            day = START + datetime.timedelta(days=14)
            assert 15 == replay(log, tally, as_of=day, snapshots=cache)
        assert not marker.exists()
        assert 3 == len(audit.problems)

    def test_a_forged_well_formed_state_changes_no_answer(self, tmp_path: Any) -> None:
        """A checkpoint whose state is rewritten (its signature kept) is ignored, and named."""
        path = str(tmp_path / "s.db")
        log = Log(DurableMemoryStore(path))
        daily(log, 30, START)
        with Snapshots(log, every=10) as cache:
            replay(log, tally, snapshots=cache)
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT rowid, state FROM chronicle_checkpoints_v2").fetchall()
            for rowid, state in rows:
                forged = state[:32] + re.sub(rb'"state":(\d+)', rb'"state":999', state[32:])
                db.execute(
                    "UPDATE chronicle_checkpoints_v2 SET state = ? WHERE rowid = ?", (forged, rowid)
                )
        with Snapshots(log, every=10) as cache:
            audit = cache.audit([tally])
            assert 3 == len(audit.problems)
            assert all("not signed" in problem for problem in audit.problems)
            assert 30 == replay(log, tally, snapshots=cache)
            assert cache.audit([tally]).sound  # the replay dropped them and made its own

    def test_checkpoints_signed_with_another_key_are_ignored(
        self, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A log's checkpoints made elsewhere (another key) are not used, and verify names them."""
        path = str(tmp_path / "s.db")
        log = Log(DurableMemoryStore(path))
        daily(log, 30, START)
        monkeypatch.setenv("CHRONICLE_CHECKPOINT_KEY", "ab" * 32)
        signing_key.cache_clear()
        try:
            with Snapshots(log, every=10) as theirs:
                replay(log, tally, snapshots=theirs)
        finally:
            monkeypatch.delenv("CHRONICLE_CHECKPOINT_KEY")
            signing_key.cache_clear()
        with Snapshots(log, every=10) as ours:
            assert [] == ours.checkpoints(tally)
            audit = ours.audit([tally])
            assert ["another key" in problem for problem in audit.problems] == [True]
            assert 30 == replay(log, tally, snapshots=ours)

    def test_a_wrong_state_is_found_by_the_audit(self, tmp_path: Any) -> None:
        """A signed checkpoint whose state is not the fold's (a bug, say) is named by the audit."""
        path = str(tmp_path / "s.db")
        log = Log(DurableMemoryStore(path))
        daily(log, 30, START)
        codec = CheckpointCodec(signing_key())
        with Snapshots(log, every=10) as cache:
            replay(log, tally, snapshots=cache)
            keys = cache.checkpoints(tally)
        with sqlite3.connect(path) as db:
            wrong = codec.encode(tally, None, keys[0], Checkpoint(12345, DIGEST_START))
            db.execute(
                "UPDATE chronicle_checkpoints_v2 SET state = ? WHERE position = ?",
                (wrong, keys[0][2]),
            )
        with Snapshots(log, every=10) as cache:
            audit = cache.audit([tally])
        assert 1 == len(audit.problems)
        assert "differs from the fold" in audit.problems[0]

    def test_pickled_checkpoints_of_earlier_versions_are_dropped_unread(
        self, tmp_path: Any
    ) -> None:
        """The tables of pickled checkpoints an earlier chronicle made are dropped, not read."""
        path = tmp_path / "log.db"
        with Log(chronicle.SqliteStore(path)) as log:
            daily(log, 5, START)
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE chronicle_snapshots_v1 (state BLOB)")
            db.execute("CREATE TABLE chronicle_snapshot_series_v1 (id INTEGER)")
            db.execute("INSERT INTO chronicle_snapshots_v1 VALUES (?)", (b"\x80\x04K\x01.",))
        with Log(chronicle.SqliteStore(path)) as log:
            assert 5 == replay(log, tally, snapshots=True)
        with sqlite3.connect(path) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert not tables & {"chronicle_snapshots_v1", "chronicle_snapshot_series_v1"}


class _Planted:
    """A pickle that, if ever loaded, leaves a file behind."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path(self.marker).touch, ())


class TestSnapshotsOnAppointments:
    @given(st.lists(st.tuples(STREAMS, EVENTS), min_size=1, max_size=40), st.integers(1, 5))
    def test_full_replay_by_stream(self, appended: list[tuple[str, Event]], every: int) -> None:
        """One-event appends in random order: every stream's snapshot replay is the naive one."""
        log = Log()
        for stream, event in appended:
            log.append(stream, [event])
        cache = Snapshots(log, every=every)
        for stream in (None, "a", "b"):
            assert replay(log, offices, stream=stream, missing_ok=True) == replay(
                log, offices, stream=stream, snapshots=cache, missing_ok=True
            )

    def test_appointments_as_of(self) -> None:
        """Who held the office as of a day, through the cache, is who the naive fold says."""
        log = Log()
        log.append("s", [Appointed(occurred="2020-08-18", office="p", name="Goïta")])
        log.append("s", [Appointed(occurred="2020", office="p", name="N'Daou")])
        cache = Snapshots(log, every=1)
        assert "N'Daou" == replay(log, offices, snapshots=cache).get("p")
        assert "Goïta" == replay(log, offices, as_of="2020-12-30", snapshots=cache).get("p")


class TestFoldStream:
    @given(st.lists(EVENTS, min_size=1, max_size=30), st.data())
    def test_each_projector_folds_only_after_its_start(self, batch: list[Event], data: Any) -> None:
        """Projectors starting at different keys end where a fold from the beginning ends."""
        items = sorted(
            ((e.occurred.latest, e.occurred.earliest, i), e) for i, e in enumerate(batch, 1)
        )
        every = data.draw(st.integers(1, 7))
        cuts = [data.draw(st.integers(0, len(items))) for _ in range(3)]
        starts = [items[cut - 1][0] if cut else None for cut in cuts]
        states = [tuple(e for _, e in items[:cut]) for cut in cuts]
        first = min(cuts)
        fold_stream(
            [trace, trace, trace],
            starts,
            states,
            iter(items[first:]),
            every=every,
            keep=lambda _key: True,
        )
        assert [tuple(e for _, e in items)] * 3 == states


class TestSnapshotsLifetime:
    def test_a_cache_is_a_context_manager_closing_its_storage(self, tmp_path: Any) -> None:
        """Leaving the with block closes a durable cache's database connection."""
        log = Log(DurableMemoryStore(str(tmp_path / "s.db")))
        daily(log, 10, START)
        with Snapshots(log, every=5) as cache:
            assert 10 == replay(log, tally, snapshots=cache)
        with pytest.raises(chronicle.StoreError, match="closed"):
            cache.checkpoints(tally)


@pytest.mark.skipif(not postgres.DSN, reason=postgres.SKIP_REASON)
class TestPostgresSnapshotStorage:
    def test_a_checkpoint_waits_for_a_writer_moving_its_series(self) -> None:
        """Writes to a series take turns: a checkpoint made at the old head is not kept.

        Another process moves the series to a new head (dropping the checkpoint's key)
        in a transaction still open; a checkpoint computed at the old head must wait
        for it, then find the series moved on, rather than land in it stale.
        """
        import psycopg
        import psycopg.sql

        with postgres.temporary_store() as store:
            storage = store.checkpoint_storage()
            series = ("test.snap.tally", 1, None, "")
            storage.reset(series, 5, None)
            key = (START, START, 3)
            with psycopg.connect(postgres.DSN) as other:
                other.execute(
                    psycopg.sql.SQL("UPDATE {} SET head = 6 WHERE projector = %s").format(
                        psycopg.sql.Identifier(store.schema, "checkpoint_series_v2")
                    ),
                    (series[0],),
                )
                adding = threading.Thread(target=storage.add, args=(series, 5, [(key, 42)]))
                adding.start()
                adding.join(0.5)
                waited = adding.is_alive()
                other.commit()
            adding.join()
            assert waited
            assert storage.load(series) == SeriesHead(6, None, [])


class TestJsonlSnapshots:
    def test_checkpoints_live_in_a_side_file(self, tmp_path: Any) -> None:
        """A JSON Lines log keeps its checkpoints in <name>.snapshots, for the next process."""
        path = tmp_path / "log.jsonl"
        with Log(chronicle.JsonlStore(path)) as log:
            daily(log, 30, START)
            with Snapshots(log, every=10) as cache:
                replay(log, tally, snapshots=cache)
        assert (tmp_path / "log.jsonl.snapshots").exists()
        with Log(chronicle.JsonlStore(path)) as log, Snapshots(log, every=10) as cache:
            assert 3 == len(cache.checkpoints(tally))

    def test_a_damaged_side_file_is_refused_and_left_as_it_was(self, tmp_path: Any) -> None:
        """A side file that is not a database is a StoreError naming it, not silently ignored."""
        path = tmp_path / "log.jsonl"
        side = tmp_path / "log.jsonl.snapshots"
        side.write_bytes(b"not a database " * 100)
        with Log(chronicle.JsonlStore(path)) as log:
            daily(log, 3, START)
            with pytest.raises(chronicle.StoreError) as caught:
                Snapshots(log)
            assert 3 == replay(log, tally)
        assert str(side) in str(caught.value)
        assert "remove it" in str(caught.value)
        assert b"not a database " * 100 == side.read_bytes()

    def test_a_read_only_directory_keeps_checkpoints_in_memory(self) -> None:
        """Where no side file can be made, replays through a cache still work, from memory."""
        with shared_directory() as directory:
            path = directory / "log.jsonl"
            with Log(chronicle.JsonlStore(path)) as log:
                daily(log, 30, START)

            def use() -> tuple[int, int, int]:
                with Log(chronicle.JsonlStore(path)) as log, Snapshots(log, every=10) as cache:
                    full = replay(log, tally, snapshots=cache)
                    part = replay(log, tally, as_of=START + datetime.timedelta(days=14))
                    return full, part, len(cache.checkpoints(tally))

            directory.chmod(0o555)
            try:
                assert (30, 15, 3) == unprivileged(use)
            finally:
                directory.chmod(0o755)
            # The log and its append marker; no side file of checkpoints.
            assert ["log.jsonl", "log.jsonl.pending"] == sorted(
                child.name for child in directory.iterdir()
            )


class TestSqliteFoldReads:
    @pytest.mark.parametrize("method", ["events_after", "events_only_after"])
    @pytest.mark.parametrize(
        ("stream", "index"), [(None, "records_fold_order"), ("s", "records_stream_fold_order")]
    )
    def test_reads_in_fold_order_search_a_fold_index(
        self, tmp_path: Any, stream: str | None, index: str, method: str
    ) -> None:
        """Events after a key, up to a day, of the log or a stream, are a range of an index."""
        store = chronicle.SqliteStore(tmp_path / "log.db")
        statements: list[tuple[str, Any]] = []
        source = store.fold_reader()
        source._fetch = lambda *statement: statements.append(statement) or []  # type: ignore[method-assign]
        after = (START, START, 1)
        read = getattr(source, method)
        list(read(stream, after, latest_max=START, earliest_max=None, head=9))
        with sqlite3.connect(tmp_path / "log.db") as db:
            plan = db.execute("EXPLAIN QUERY PLAN " + statements[0][0], statements[0][1])
            details = " ".join(row[-1] for row in plan)
        assert f"SEARCH records USING INDEX {index} (" in details
        assert "TEMP B-TREE" not in details
        store.close()

    def test_as_of_reads_only_what_follows_the_checkpoint(self, tmp_path: Any) -> None:
        """After a full replay, a replay as of a day reads fewer events than the interval."""
        with Log(chronicle.SqliteStore(tmp_path / "log.db", durable=False)) as log:
            daily(log, 2500, START)
            with Snapshots(log, every=100) as cache:
                replay(log, tally, snapshots=cache)
                read: list[int] = []
                real = type(log.store.fold_reader()).events_only_after

                def counting(source: Any, *args: Any, **kwargs: Any) -> Any:
                    for item in real(source, *args, **kwargs):
                        read.append(item[0][2])
                        yield item

                with pytest.MonkeyPatch.context() as patch:
                    patch.setattr(type(log.store.fold_reader()), "events_only_after", counting)
                    day = START + datetime.timedelta(days=2345)
                    assert 2346 == replay(log, tally, as_of=day, snapshots=cache)
                assert list(range(2301, 2347)) == read

    def test_a_cache_asks_the_least_key_of_a_range_once(self, tmp_path: Any) -> None:
        """known_at queries behind the head ask the reader for what reaches back once.

        The question scans up to the whole range of positions; its answer cannot
        change while the record at the range's end is the same. An append since
        asks it again, of the new range.
        """
        with Log(chronicle.SqliteStore(tmp_path / "log.db", durable=False)) as log:
            daily(log, 300, START)
            moment = log.head_recorded_at
            daily(log, 10, START)  # backdated
            asked: list[tuple[Any, ...]] = []
            reader = type(log.store.fold_reader())
            real = reader.least_event_key

            def counting(source: Any, *args: Any) -> Any:
                asked.append(args)
                return real(source, *args)

            with Snapshots(log, every=50) as cache, pytest.MonkeyPatch.context() as patch:
                patch.setattr(reader, "least_event_key", counting)
                replay(log, tally, snapshots=cache)
                answers = [
                    replay(
                        log,
                        tally,
                        as_of=START + datetime.timedelta(days=n),
                        known_at=moment,
                        snapshots=cache,
                    )
                    for n in (100, 200, 280)
                ]
                assert answers == [101, 201, 281]
                assert asked == [(None, 300, 310)]
                daily(log, 1, START)
                assert 292 == replay(
                    log, tally, as_of=START + datetime.timedelta(days=280), snapshots=cache
                )
                assert 281 == replay(
                    log,
                    tally,
                    as_of=START + datetime.timedelta(days=280),
                    known_at=moment,
                    snapshots=cache,
                )
                assert asked[1:] == [(None, 310, 311), (None, 300, 311)]

    def test_a_long_replay_reads_every_page(self, tmp_path: Any) -> None:
        """A replay from SQLite over several pages of records equals the memory log's."""
        memory, sqlite = Log(), Log(chronicle.SqliteStore(tmp_path / "log.db", durable=False))
        for log in (memory, sqlite):
            daily(log, 1234, START, stream="a")
            daily(log, 1234, START + datetime.timedelta(days=3), stream="b")
        assert replay(memory, (trace, total)) == replay(sqlite, (trace, total))
        sqlite.close()
