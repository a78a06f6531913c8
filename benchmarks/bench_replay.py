"""Benchmark: replay against a hand-written fold, the eventsourcing library and raw sqlite3.

On a generated politics log (``benchmarks/_generate.py``) of 10^4, 10^5 and 10^6
events (``--quick``: the first two), each ratio measured in the same run:

1. ``fold``: a full replay through the five politics projectors of a memory log,
   against a hand-written fold of the same event objects (a stable sort by valid
   time, then a dict from event class to handlers). Target: at most 2x. And the same
   for a counter, against sorting and dispatching by hand: at most 1.2x, for a
   replay of a log replayed before (the memory store keeps its fold-order index)
   and for a log's first replay (which makes the index).
2. ``eventsourcing``: appending the events (in appends of 1,000) and rebuilding
   the state from them, in memory and in SQLite, against the eventsourcing
   library: one aggregate per country whose events carry the same event objects
   (a transcoding per event class, by chronicle's codec), rebuilt by its
   repository, then sorted and folded as the hand-written fold does. Target:
   chronicle at least 5x faster rebuilding, 2x appending.
3. ``sqlite``: appending to SQLite in appends of 1,000, and reading every record
   back decoded, against raw sqlite3: ``executemany`` of the same rows (the cattrs
   form by ``json.dumps``, into a table with the same columns and indexes), and
   ``SELECT`` + ``json.loads`` + cattrs structuring of the events. Target: at
   least half the raw throughput.
4. ``as_of``: a replay as of a random day, with a snapshot cache, against a full
   replay, on a memory log and on an SQLite log. Target: the median query at most
   1/100 of the full replay at 10^6, and nearly flat from 10^4 to 10^6.
5. ``memory``: the peak resident memory of a process replaying the SQLite log, then
   the JSON Lines log, in full (``VmHWM`` above what it had before opening the log,
   the peak of its imports reset), and the CPU time it took to open the log and to
   replay it: the memory must not grow with the log.
6. ``rate``: a full replay of the memory log through the politics projectors, in
   events per second, against a full replay through a counter (a state that does
   not grow, a handler that does nothing): what the politics states and handlers
   cost above replay itself. Target at 10^6: at least 500,000 events per second,
   and the counter at most 1.5 times as fast.

Figures are medians of several runs (fewer for the long ones: see ``REPEATS``).
``python -m benchmarks.bench_replay [--quick] [PART ...]`` measures only the parts
named (``fold``, ``eventsourcing``, ``sqlite``, ``as_of``, ``memory``, ``rate``).
"""

from __future__ import annotations

import copy
import datetime
import gc
import json
import operator
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Transcoder, Transcoding

import chronicle
from benchmarks import _generate
from chronicle import (
    Event,
    JsonlStore,
    Log,
    MemoryStore,
    Projector,
    Snapshots,
    SqliteStore,
    Vector,
    When,
    replay,
)
from chronicle._codec import converter
from chronicle._ids import new_ids
from chronicle.politics import PROJECTORS, Count, Drift, Elections, Promise
from chronicle.politics._states import make_drift, make_promise

SIZES = (10_000, 100_000, 1_000_000)
QUICK = SIZES[:2]
REPEATS = {10_000: 5, 100_000: 3, 1_000_000: 1}
QUERIES = 25
"""How many random days ``as_of`` is measured at."""
ROOT = Path(__file__).resolve().parents[1]
ALL = tuple(PROJECTORS.values())


def timed(work: Callable[[], Any], repeats: int) -> float:
    """The median seconds of ``work()`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def interleaved(
    first: Callable[[], Any], second: Callable[[], Any], repeats: int
) -> tuple[float, float]:
    """The median seconds of ``first()`` and of ``second()``, run in turns ``repeats`` times."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for work, spent in zip((first, second), times, strict=True):
            began = time.perf_counter()
            work()
            spent.append(time.perf_counter() - began)
    return statistics.median(times[0]), statistics.median(times[1])


class Table:
    """Rows of figures printed as they are measured."""

    def __init__(self) -> None:
        print(
            f"{'measure':<34} {'events':>9} {'chronicle':>10} {'other':>10} {'ratio':>8}  target",
            flush=True,
        )

    def row(
        self,
        what: str,
        size: int,
        ours: float,
        theirs: float,
        ratio: float,
        target: str,
        met: bool | None,
    ) -> None:
        """Print one comparison (times in seconds); ``met`` None: the target is for 10^6 only."""
        verdict = "(applies at 10^6)" if met is None else "met" if met else "NOT MET"
        print(
            f"{what:<34} {size:>9,} {ours:>9.3f}s {theirs:>9.3f}s {ratio:>7.2f}x"
            f"  {target} {verdict}",
            flush=True,
        )

    def note(self, what: str, size: int, text: str) -> None:
        """Print a figure without a comparison."""
        print(f"{what:<34} {size:>9,} {text}", flush=True)


# -- 1. the hand-written fold --------------------------------------------------------


def handlers_by_class(events: Sequence[Event]) -> dict[type, list[tuple[int, Any]]]:
    """For each event class in ``events``, the index and handler of each projector handling it.

    This is the baseline's dispatch table: built once, outside the timing, from
    the same handler functions the projectors hold.
    """
    table: dict[type, list[tuple[int, Any]]] = {}
    for cls in {type(event) for event in events}:
        table[cls] = [
            (index, handler)
            for index, projector in enumerate(ALL)
            if (handler := projector.handler_for(cls)) is not None
        ]
    return table


_valid_time = operator.attrgetter("occurred.latest", "occurred.earliest")


def by_hand(
    events: list[Event], table: dict[type, list[tuple[int, Any]]], initial: Sequence[Any] = ()
) -> list[Any]:
    """The hand-written fold: sort by valid time (stable: ties stay in log order), dispatch."""
    return dispatched(sorted(events, key=_valid_time), table, initial)


def dispatched(
    events: list[Event], table: dict[type, list[tuple[int, Any]]], initial: Sequence[Any] = ()
) -> list[Any]:
    """Each event, in the order given, handed to the handlers of its class.

    From the ``initial`` states (by default those of the politics projectors).
    """
    states = list(initial) or [projector.initial for projector in ALL]
    for event in events:
        for index, handler in table[type(event)]:
            states[index] = handler(states[index], event)
    return states


def fold(table: Table, size: int, log: Log) -> None:
    """Ratio 1: replay of a memory log against the hand-written fold of its events."""
    # The events in force in log (position) order: the hand-written fold sorts them itself.
    found = sorted(chronicle.timeline(log), key=lambda occurrence: occurrence.record.position)
    events = [occurrence.event for occurrence in found]
    dispatch = handlers_by_class(events)
    assert list(replay(log, ALL)) == by_hand(events, dispatch)
    repeats = REPEATS[size]
    ours = timed(lambda: replay(log, ALL), repeats)
    theirs = timed(lambda: by_hand(events, dispatch), repeats)
    table.row(
        "1 fold: replay / by hand", size, ours, theirs, ours / theirs, "<= 2", ours <= 2 * theirs
    )
    counting = {cls: [(0, _count)] for cls in dispatch}
    assert [replay(log, counter)] == by_hand(events, counting, [0])
    ours, theirs = interleaved(
        lambda: replay(log, counter), lambda: by_hand(events, counting, [0]), repeats
    )
    table.row(
        "1 fold, a counter: replay / by hand",
        size,
        ours,
        theirs,
        ours / theirs,
        "<= 1.2",
        ours <= 1.2 * theirs,
    )
    ours, theirs = first_replays(size, events, counting, repeats)
    table.row(
        "1 fold, a counter, first replay",
        size,
        ours,
        theirs,
        ours / theirs,
        "<= 1.2",
        ours <= 1.2 * theirs,
    )


def first_replays(
    size: int, events: list[Event], counting: dict[type, list[tuple[int, Any]]], repeats: int
) -> tuple[float, float]:
    """The median seconds of the first replay of a new memory log, and of the fold by hand.

    The memory store indexes its records in fold order at its first replay and
    keeps the index: each run fills a new log with the generator's events (untimed;
    ``events`` are those in force, in log order), then times its first replay and,
    in turn, the hand-written fold of its events. Replay pauses the cyclic
    collector while it reads and folds; the fold by hand runs with it paused too,
    or its sort would pay for collections of the new log's objects.
    """
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        fresh = Log(MemoryStore())
        _generate.fill(fresh, size)
        gc.collect()
        began = time.perf_counter()
        replay(fresh, counter)
        times[0].append(time.perf_counter() - began)
        gc.collect()
        gc.disable()
        try:
            began = time.perf_counter()
            by_hand(events, counting, [0])
            times[1].append(time.perf_counter() - began)
        finally:
            gc.enable()
    return statistics.median(times[0]), statistics.median(times[1])


# -- 2. the eventsourcing library ----------------------------------------------------


class Country(Aggregate):
    """An eventsourcing aggregate holding a country's chronicle events, in append order.

    Each with the time eventsourcing recorded it: what orders the events of
    different countries that happened on the same day, as positions do in a log.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.events: list[tuple[datetime.datetime, Event]] = []

    class Happened(Aggregate.Event):
        """An eventsourcing event carrying one chronicle event."""

        event: Event

        def apply(self, aggregate: Country) -> None:  # type: ignore[override]
            aggregate.events.append((self.timestamp, self.event))

    def happened(self, event: Event) -> None:
        """Record that ``event`` happened."""
        self.trigger_event(self.Happened, event=event)


def _transcoding(info: chronicle.EventType) -> Transcoding:
    """Stores a chronicle event class by chronicle's codec (its cattrs form)."""

    class ByCodec(Transcoding):
        type = info.cls
        name = info.name

        def encode(self, obj: Any) -> Any:
            return converter.unstructure(obj)

        def decode(self, data: Any) -> Any:
            return converter.structure(data, info.cls)

    return ByCodec()


class Chronicles(Application):  # type: ignore[type-arg]
    """An eventsourcing application whose events carry chronicle events."""

    def register_transcodings(self, transcoder: Transcoder) -> None:
        super().register_transcodings(transcoder)  # type: ignore[arg-type]
        for info in chronicle.registered_types().values():
            if issubclass(info.cls, Event):
                transcoder.register(_transcoding(info))


def es_append(app: Chronicles, batches: list[tuple[str, list[Event]]]) -> list[Any]:
    """Append the batches to ``app``, one save per batch; return the aggregate ids."""
    countries: dict[str, Country] = {}
    for name, batch in batches:
        country = countries.get(name) or countries.setdefault(name, Country(name))
        for event in batch:
            country.happened(event)
        app.save(country)
    return [country.id for country in countries.values()]


def es_rebuild(app: Chronicles, ids: list[Any], dispatch: dict[type, Any]) -> list[Any]:
    """Rebuild every country from the store, then fold their events in fold order."""
    timed_events = [pair for one in ids for pair in app.repository.get(one).events]
    timed_events.sort(key=lambda pair: (*_valid_time(pair[1]), pair[0]))
    return dispatched([event for _, event in timed_events], dispatch)


def chronicle_append(log: Log, batches: list[tuple[str, list[Event]]]) -> None:
    """Append the batches to ``log``, one append per batch."""
    for name, batch in batches:
        log.append(name, batch)


def appended(
    make: Callable[[], Any], append: Callable[[Any], Any], repeats: int
) -> tuple[float, Any, Any]:
    """Median seconds of ``append`` into a new ``make()`` a run; the last target and result."""
    times = []
    for _ in range(repeats):
        target = make()
        began = time.perf_counter()
        result = append(target)
        times.append(time.perf_counter() - began)
    return statistics.median(times), target, result


def eventsourcing(table: Table, size: int, batches: list[tuple[str, list[Event]]]) -> None:
    """Ratio 2: append and rebuild, in memory and in SQLite, against eventsourcing."""
    with tempfile.TemporaryDirectory() as directory:
        paths = (os.path.join(directory, f"{n}.db") for n in range(10**6))

        def sqlite_log() -> Log:
            return Log(SqliteStore(next(paths)))

        def sqlite_app() -> Chronicles:
            env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": next(paths)}
            return Chronicles(env=env)

        against_eventsourcing(table, size, batches, "memory", Log, Chronicles)
        against_eventsourcing(table, size, batches, "sqlite", sqlite_log, sqlite_app)


def against_eventsourcing(
    table: Table,
    size: int,
    batches: list[tuple[str, list[Event]]],
    kind: str,
    new_log: Callable[[], Log],
    new_app: Callable[[], Chronicles],
) -> None:
    """Append to a new log and a new eventsourcing application, then rebuild from them."""
    dispatch = handlers_by_class([event for _, batch in batches for event in batch])
    repeats = min(REPEATS[size], 3)
    ours, log, _ = appended(new_log, lambda log: chronicle_append(log, batches), repeats)
    theirs, app, ids = appended(new_app, lambda app: es_append(app, batches), repeats)
    table.row(
        f"2 eventsourcing append, {kind}",
        size,
        ours,
        theirs,
        theirs / ours,
        ">= 2",
        theirs >= 2 * ours,
    )
    assert list(replay(log, ALL)) == es_rebuild(app, ids, dispatch)
    ours = timed(lambda: replay(log, ALL), repeats)
    theirs = timed(lambda: es_rebuild(app, ids, dispatch), repeats)
    table.row(
        f"2 eventsourcing rebuild, {kind}",
        size,
        ours,
        theirs,
        theirs / ours,
        ">= 5",
        theirs >= 5 * ours,
    )
    log.close()


# -- 3. raw sqlite3 -----------------------------------------------------------------


RAW_SCHEMA = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    """CREATE TABLE records (
        position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
        version INTEGER NOT NULL, recorded_at INTEGER NOT NULL, type TEXT NOT NULL,
        v INTEGER NOT NULL, data TEXT NOT NULL, occurred_earliest TEXT, occurred_latest TEXT
    )""",
    "CREATE INDEX records_by_stream ON records (stream, position)",
    "CREATE INDEX records_by_recorded_at ON records (recorded_at)",
    "CREATE INDEX records_fold_order ON records (occurred_latest, occurred_earliest, position)",
    "CREATE INDEX records_stream_fold_order"
    " ON records (stream, occurred_latest, occurred_earliest, position)",
)
"""The columns and indexes of chronicle's SQLite log: the same rows, written by hand."""


def raw_append(path: str, batches: list[tuple[str, list[Event]]]) -> None:
    """Insert every event as chronicle's rows, a transaction of ``executemany`` per batch.

    With ids made as chronicle makes them (time-ordered), so the indexes see the same keys.
    """
    connection = sqlite3.connect(path, isolation_level=None)
    for statement in RAW_SCHEMA:
        connection.execute(statement)
    versions: dict[str, int] = {}
    for stream, batch in batches:
        micros = time.time_ns() // 1000
        version = versions.get(stream, 0)
        rows = []
        for record_id, event in zip(new_ids(len(batch)), batch, strict=True):
            info = chronicle.event_type(event)
            version += 1
            rows.append((
                str(record_id), stream, version, micros, info.name, info.version,
                json.dumps(converter.unstructure(event)),
                event.occurred.earliest.isoformat(), event.occurred.latest.isoformat(),
            ))  # fmt: skip
        versions[stream] = version
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO records (id, stream, version, recorded_at, type, v, data,"
            " occurred_earliest, occurred_latest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        connection.execute("COMMIT")
    connection.close()


def raw_read(path: str) -> int:
    """Read every row back as an event: ``json.loads`` then cattrs structuring."""
    classes = {name: info.cls for name, info in chronicle.registered_types().items()}
    connection = sqlite3.connect(path)
    count = 0
    for kind, data in connection.execute("SELECT type, data FROM records ORDER BY position"):
        converter.structure(json.loads(data), classes[kind])
        count += 1
    connection.close()
    return count


def raw_sqlite(table: Table, size: int, batches: list[tuple[str, list[Event]]]) -> None:
    """Ratio 3: chronicle's SQLite store against raw sqlite3, appending and reading."""
    repeats = min(REPEATS[size], 3)
    with tempfile.TemporaryDirectory() as directory:
        paths = (os.path.join(directory, f"{n}.db") for n in range(10**6))

        def ours_append(path: str) -> str:
            with Log(SqliteStore(path, durable=False)) as log:
                chronicle_append(log, batches)
            return path

        def theirs_append(path: str) -> str:
            raw_append(path, batches)
            return path

        ours, _, ours_path = appended(lambda: next(paths), ours_append, repeats)
        theirs, _, raw_path = appended(lambda: next(paths), theirs_append, repeats)
        table.row(
            "3 sqlite append / raw sqlite3",
            size,
            ours,
            theirs,
            theirs / ours,
            ">= 0.5",
            theirs >= 0.5 * ours,
        )

        def ours_read() -> int:
            with Log(SqliteStore(ours_path)) as log:
                return sum(1 for _ in log.read())

        assert ours_read() == raw_read(raw_path) == size
        ours = timed(ours_read, repeats)
        theirs = timed(lambda: raw_read(raw_path), repeats)
        table.row(
            "3 sqlite read / raw sqlite3",
            size,
            ours,
            theirs,
            theirs / ours,
            ">= 0.5",
            theirs >= 0.5 * ours,
        )


# -- 4. as_of with snapshots, and 5. peak memory --------------------------------------


def random_days(size: int) -> list[datetime.date]:
    """``QUERIES`` days drawn (seeded) over the span of the generated chronologies."""
    rng = random.Random(size)
    return [
        _generate.START + datetime.timedelta(days=rng.randint(0, _generate.SPAN_DAYS))
        for _ in range(QUERIES)
    ]


def as_of(table: Table, size: int, log: Log, kind: str, flat: dict[str, float]) -> None:
    """Ratio 4: a replay as of a random day through a snapshot cache, against a full replay."""
    full = timed(lambda: replay(log, ALL), REPEATS[size])
    cache = Snapshots(log)
    cache.clear()
    began = time.perf_counter()
    replay(log, ALL, snapshots=cache)
    built = time.perf_counter() - began
    days = random_days(size)
    for day in days[:3]:
        assert replay(log, ALL, as_of=day, snapshots=cache) == replay(log, ALL, as_of=day)
    times = []
    for day in days:
        began = time.perf_counter()
        replay(log, ALL, as_of=day, snapshots=cache)
        times.append(time.perf_counter() - began)
    query = statistics.median(times)
    flat.setdefault(kind, query)
    checkpoints = len(cache.checkpoints(ALL[0]))
    cache.close()
    table.note(
        f"4 as_of, {kind}: first snapshot replay",
        size,
        f"{built:.3f}s, the default spacing ({checkpoints} stored a projector)",
    )
    met = full >= 100 * query if size == SIZES[-1] else None
    table.row(f"4 as_of, {kind}: as_of / full", size, query, full, full / query, ">= 100", met)
    table.note(f"4 as_of, {kind}: growth", size, f"{query / flat[kind]:.2f}x the first size's")
    if kind == "sqlite":
        cold = []
        for day in days[:5]:
            began = time.perf_counter()
            with Snapshots(log) as fresh:
                replay(log, ALL, as_of=day, snapshots=fresh)
            cold.append(time.perf_counter() - began)
        path = os.fspath(cast("SqliteStore", log.store).path)
        with sqlite3.connect(path) as db:
            (stored,) = db.execute(
                "SELECT sum(length(state)) FROM chronicle_checkpoints_v2"
            ).fetchone()
        table.note(
            "4 as_of, sqlite: new cache a query",
            size,
            f"{statistics.median(cold):.3f}s (checkpoints stored: {stored / 2**20:.1f} MiB)",
        )
    counted = counted_as_of(log, kind, days)
    flat.setdefault(f"{kind} counter", counted)
    table.note(
        f"4 as_of, {kind}: with a counter",
        size,
        f"{counted:.4f}s, {counted / flat[f'{kind} counter']:.2f}x the first size's",
    )


counter: Projector[int] = Projector("bench.replay.counter", initial=0)
"""Counts the events folded: a state that does not grow with the log."""


@counter.on(Event)
def _count(state: int, _event: Event) -> int:
    return state + 1


def counted_as_of(log: Log, kind: str, days: list[datetime.date]) -> float:
    """The median ``as_of`` query of the counter through its own snapshot cache.

    The politics states grow with the log, and so does the cost of their handlers
    and of unpickling them; the counter's does not, which leaves what the snapshot
    path itself costs as the log grows.
    """
    with Snapshots(log) as cache:
        replay(log, counter, snapshots=cache)
        times = []
        for day in days:
            began = time.perf_counter()
            replay(log, counter, as_of=day, snapshots=cache)
            times.append(time.perf_counter() - began)
    return statistics.median(times)


def peak_kib(key: str = "VmHWM") -> int:
    """This process's peak resident memory so far (or ``key`` of its status), in KiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/self/status")


def child(path: str, politics: bool) -> None:
    """Replay the log at ``path``; print the memory before and the peak after, in KiB,
    and the CPU seconds that opening the log and then replaying it took.

    The log is SQLite or JSON Lines, by the file's suffix (``.db`` or ``.jsonl``).
    Before: what the process holds once it has imported what it needs, the peak of
    the imports reset (``/proc/self/clear_refs``), so that the peak after is the
    replay's own, above what the process held before opening the log.
    """
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    before = peak_kib("VmRSS")
    began = time.process_time()
    with chronicle.open(path) as log:
        opened = time.process_time()
        replay(log, ALL if politics else counter)
    print(before, peak_kib(), opened - began, time.process_time() - opened)


def memory(table: Table, size: int, path: str, kind: str = "sqlite") -> None:
    """Figure 5: the peak memory a full replay of the log at ``path`` adds to a fresh process.

    With the politics projectors, whose states grow with the log (every attack,
    every former leader), and with a counter, whose state does not: the second
    shows what replay itself holds. ``kind`` names the store in the table.
    """
    for politics in (True, False):
        output = subprocess.run(
            [
                sys.executable,
                "-c",
                f"from benchmarks.bench_replay import child; child({path!r}, {politics})",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        before, after, opening, replaying = output.split()
        what = "politics projectors" if politics else "a counter"
        table.note(
            f"5 peak memory, {kind} replay, {'politics' if politics else 'counter'}",
            size,
            f"+{(int(after) - int(before)) / 1024:.1f} MiB ({what}; CPU: open"
            f" {float(opening):.2f} s, replay {float(replaying):.2f} s)",
        )


def rate(table: Table, size: int, log: Log) -> None:
    """Figure 6: events per second of a full replay, the politics projectors against a counter.

    Both rates count the events folded (the events in force: a retracted event
    and a correction's target are not folded). The two replays take turns, so
    that a change in the machine's load falls on both.
    """
    folded = replay(log, counter)
    repeats = max(REPEATS[size], 3)
    politics, counted = interleaved(lambda: replay(log, ALL), lambda: replay(log, counter), repeats)
    per_second = folded / politics
    met = per_second >= 500_000 and politics <= 1.5 * counted if size == SIZES[-1] else None
    table.row(
        "6 rate: politics / counter (time)",
        size,
        politics,
        counted,
        politics / counted,
        "<= 1.5 at >= 500k/s",
        met,
    )
    table.note(
        "6 rate: events per second",
        size,
        f"politics {per_second:,.0f}/s, counter {folded / counted:,.0f}/s ({folded:,} folded)",
    )
    # What the handlers alone cost: the same events, sorted beforehand, folded by hand.
    found = sorted(chronicle.timeline(log), key=lambda occurrence: occurrence.record.position)
    events = sorted((occurrence.event for occurrence in found), key=_valid_time)
    dispatch = handlers_by_class(events)
    counting = {cls: [(0, _count)] for cls in dispatch}
    handlers, alone = interleaved(
        lambda: dispatched(events, dispatch), lambda: dispatched(events, counting, [0]), repeats
    )
    table.note("6 rate: one construction", size, constructions())
    tracemalloc.start()
    copies = copy.deepcopy(replay(log, ALL))  # what the final states hold, as new objects
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del copies
    table.note("6 rate: the final politics states", size, f"{held / 2**20:.1f} MiB")
    table.note(
        "6 rate: handlers alone, per event",
        size,
        f"politics {handlers / len(events) * 1e9:,.0f} ns, counter {alone / len(events) * 1e9:,.0f}"
        f" ns; replay of a counter {counted / folded * 1e9:,.0f} ns",
    )


def constructions() -> str:
    """What the politics handlers make, each timed alone: the floor under their cost.

    An election's postponement makes a promise, appends it to the drift's promises,
    makes the drift and puts it in the elections; an arrest adds two counts. The
    counter's handler adds one to an int. The handlers make states by their makers
    (``chronicle._fastinit.maker``): the same steps as calling the class, without the call.
    """
    day = When("2021-05-03")
    promise = Promise(made=day, date=day)
    drift = Drift(office="president", promises=Vector((promise,)))
    elections = Elections().with_drift(drift)
    three, four = Count(3), Count(4, "at least")
    made: dict[str, Callable[[], object]] = {
        "Count(3)": lambda: Count(3),
        "Count + Count": lambda: three + four,
        "Promise(...)": lambda: Promise(made=day, date=day),
        "Promise by its maker": lambda: make_promise(made=day, date=day),
        "Vector.append": lambda: drift.promises.append(promise),
        "Drift(...)": lambda: Drift(office="president", promises=drift.promises),
        "Drift by its maker": lambda: make_drift(office="president", promises=drift.promises),
        "Elections.with_drift": lambda: elections.with_drift(drift),
        "the counter's handler": lambda: _count(1, promise),  # type: ignore[arg-type]
    }
    number = 100_000
    return ", ".join(
        f"{name} {min(timeit.repeat(make, number=number, repeat=3)) / number * 1e9:,.0f} ns"
        for name, make in made.items()
    )


PARTS = ("fold", "eventsourcing", "sqlite", "as_of", "memory", "rate")
"""The measures, by the name ``--part`` takes: ratios 1 to 4, figures 5 and 6."""


def main(*, quick: bool = False, parts: Sequence[str] = PARTS) -> None:
    """Measure the ``parts`` (every one by default) at every size and print the table."""
    table = Table()
    flat: dict[str, float] = {}
    for size in QUICK if quick else SIZES:
        batches = list(_generate.batches(size))
        with tempfile.TemporaryDirectory() as directory:
            if "fold" in parts or "as_of" in parts or "rate" in parts:
                memory_log = Log(MemoryStore())
                _generate.fill(memory_log, size)
            if "fold" in parts:
                fold(table, size, memory_log)
            if "rate" in parts:
                rate(table, size, memory_log)
            if "eventsourcing" in parts:
                eventsourcing(table, size, batches)
            if "sqlite" in parts:
                raw_sqlite(table, size, batches)
            if "as_of" in parts:
                as_of(table, size, memory_log, "memory", flat)
            path = os.path.join(directory, "politics.db")
            if "as_of" in parts or "memory" in parts:
                with Log(SqliteStore(path, durable=False)) as sqlite_log:
                    _generate.fill(sqlite_log, size)
                    if "as_of" in parts:
                        as_of(table, size, sqlite_log, "sqlite", flat)
            if "memory" in parts:
                memory(table, size, path)
                jsonl = os.path.join(directory, "politics.jsonl")
                with Log(JsonlStore(jsonl, durable=False)) as jsonl_log:
                    _generate.fill(jsonl_log, size)
                memory(table, size, jsonl, "jsonl")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    chosen = [name for name in arguments if not name.startswith("--")]
    unknown = sorted(set(chosen) - set(PARTS))
    if unknown:
        sys.exit(f"unknown part(s) {', '.join(unknown)}; the parts are {', '.join(PARTS)}")
    main(quick="--quick" in arguments, parts=chosen or PARTS)
