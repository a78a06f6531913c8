"""Snapshots with the default settings: ``as_of``, ``known_at``, first build, checkpoint size.

On a generated politics log (see :mod:`benchmarks._generate`) of 10^4, 10^5 and
10^6 events, in SQLite and in JSON Lines, with the five politics projectors and
``Snapshots(log)`` as it comes (no setting given):

- ``full``: a full replay without snapshots (median);
- ``build``: the first replay through a new cache, which leaves the checkpoints,
  and its ratio to ``full`` (target <= 1.5);
- ``as_of``: the median replay as of a random day through the cache (target
  <= 10 ms on SQLite, and at most twice the 10^4 figure at 10^6);
- ``known_at``: the median replay as of a random day, known at the time the
  middle record of the log was appended, through the cache, and its share of
  ``full`` (target <= 1 % at 10^6);
- ``new cache``: the median replay as of a random day through a new cache, which
  starts from the stored checkpoints alone (a new process);
- ``stored``: the bytes of the stored checkpoints against the log's own bytes
  (target <= 20 %).

Run ``python -m benchmarks.bench_snapshots [--quick] [sqlite] [jsonl] [SIZE ...]``.
"""

from __future__ import annotations

import datetime
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks import _generate
from chronicle import JsonlStore, Log, Snapshots, SqliteStore, replay
from chronicle.politics import PROJECTORS

SIZES = (10_000, 100_000, 1_000_000)
QUICK = SIZES[:2]
REPEATS = {10_000: 3, 100_000: 3}
"""Full replays timed at each size (once at larger sizes)."""
QUERIES = 25
ALL = tuple(PROJECTORS.values())
KINDS = ("sqlite", "jsonl")


def timed(work: Callable[[], Any], repeats: int) -> float:
    """The median seconds of ``work()`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def random_days(size: int) -> list[datetime.date]:
    """``QUERIES`` days drawn (seeded) over the span of the generated chronologies."""
    rng = random.Random(size)
    return [
        _generate.START + datetime.timedelta(days=rng.randint(0, _generate.SPAN_DAYS))
        for _ in range(QUERIES)
    ]


def median_query(log: Log, cache: Snapshots, days: list[datetime.date], **query: Any) -> float:
    """The median seconds of a replay of every politics projector as of each day."""
    times = []
    for day in days:
        began = time.perf_counter()
        replay(log, ALL, as_of=day, snapshots=cache, **query)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def stored_bytes(path: Path) -> int:
    """The bytes of the checkpoint states an SQLite database holds."""
    with sqlite3.connect(path) as db:
        (stored,) = db.execute("SELECT sum(length(state)) FROM chronicle_checkpoints_v2").fetchone()
    return int(stored or 0)


def measure(kind: str, size: int, directory: str) -> None:
    """Print one row of figures for a log of ``size`` events in store ``kind``."""
    path = Path(directory) / ("politics.db" if kind == "sqlite" else "politics.jsonl")
    store = SqliteStore(path, durable=False) if kind == "sqlite" else JsonlStore(path)
    with Log(store) as log:
        _generate.fill(log, size)
    log_bytes = os.path.getsize(path)
    with Log(SqliteStore(path) if kind == "sqlite" else JsonlStore(path)) as log:
        full = timed(lambda: replay(log, ALL), REPEATS.get(size, 1))
        with Snapshots(log) as cache:
            cache.clear()
            began = time.perf_counter()
            replay(log, ALL, snapshots=cache)
            build = time.perf_counter() - began
            days = random_days(size)
            for day in days[:2]:
                assert replay(log, ALL, as_of=day, snapshots=cache) == replay(log, ALL, as_of=day)
            as_of = median_query(log, cache, days)
            middle = next(log.read(from_position=max(1, log.head // 2))).recorded_at
            assert replay(log, ALL, as_of=days[0], known_at=middle, snapshots=cache) == replay(
                log, ALL, as_of=days[0], known_at=middle
            )
            known = median_query(log, cache, days, known_at=middle)
            count = len(cache.checkpoints(ALL[0]))
        cold = []
        for day in days[: 5 if size < 10**6 else 2]:  # a new cache each: a new process
            began = time.perf_counter()
            with Snapshots(log) as fresh:
                replay(log, ALL, as_of=day, snapshots=fresh)
            cold.append(time.perf_counter() - began)
        side = path if kind == "sqlite" else path.with_name(path.name + ".snapshots")
        stored = stored_bytes(side)
    print(
        f"{kind:6} {size:>9,}  full {full:8.3f}s  build {build:8.3f}s ({build / full:4.2f}x)"
        f"  as_of {as_of * 1000:8.2f} ms  known_at {known * 1000:8.2f} ms"
        f" ({100 * known / full:5.2f} % of full)  stored {stored / 2**20:7.2f} MiB"
        f" ({100 * stored / log_bytes:5.1f} % of {log_bytes / 2**20:.1f} MiB)"
        f"  {count} stored ({ALL[0].name})  new cache as_of {statistics.median(cold):.3f}s",
        flush=True,
    )


def main(*, quick: bool = False, kinds: Sequence[str] = KINDS, sizes: Sequence[int] = ()) -> None:
    """Measure every kind of store at every size (or at ``sizes``)."""
    for size in sizes or (QUICK if quick else SIZES):
        for kind in kinds:
            with tempfile.TemporaryDirectory() as directory:
                measure(kind, size, directory)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    chosen = [name for name in arguments if name in KINDS] or list(KINDS)
    sizes = [int(name) for name in arguments if name.isdigit()]
    main(quick="--quick" in arguments, kinds=chosen, sizes=sizes)
