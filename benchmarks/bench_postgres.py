"""Benchmark: append and read throughput of the PostgreSQL store against the SQLite store.

Both stores run with their default, durable settings (SQLite syncs each
transaction; PostgreSQL waits for its WAL to reach the disk on each commit), in
one process, one writer at a time. Three measures, each the median of several
repeats, in events a second:

- ``append x1``: appends of a single event (the cost of a transaction);
- ``append x1000``: appends of 1,000 events (the cost of storing events);
- ``read``: reading and decoding the whole log (the 26,000 records the appends
  left), record by record.

The ratio is PostgreSQL's throughput over SQLite's. PostgreSQL is reached through
the server named by ``CHRONICLE_TEST_POSTGRES`` (by default the local server
``postgresql://postgres@127.0.0.1:5432/test``); the benchmark works in a schema of
its own and drops it afterwards. Run: ``python -m benchmarks.bench_postgres``.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql

import chronicle
from chronicle import Event, Log, PostgresStore, SqliteStore, Store, StoreError

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/test"
SINGLES = 200
BATCH = 1_000
BATCHES = 5
REPEATS = 5


@chronicle.event("bench.postgres.counted")
class Counted(Event):
    """A number reported on a day."""

    amount: int


def _singles(log: Log) -> int:
    for n in range(SINGLES):
        log.append("singles", [Counted(occurred="2020-05", amount=n)])
    return SINGLES


def _batches(log: Log) -> int:
    for _ in range(BATCHES):
        log.append("batches", [Counted(occurred="2020-05", amount=n) for n in range(BATCH)])
    return BATCHES * BATCH


def _read(log: Log) -> int:
    return sum(1 for _ in log.read())


MEASURES: dict[str, Callable[[Log], int]] = {
    "append x1": _singles,
    f"append x{BATCH}": _batches,
    "read": _read,
}


def throughputs(store: Store) -> dict[str, float]:
    """Median events a second of each measure on ``store``, in order (the reads come last)."""
    log = Log(store)
    results: dict[str, float] = {}
    for name, measure in MEASURES.items():
        rates = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            count = measure(log)
            rates.append(count / (time.perf_counter() - started))
        results[name] = statistics.median(rates)
    return results


def main() -> None:
    """Measure both stores and print a table of events a second and their ratio."""
    dsn = os.environ.get("CHRONICLE_TEST_POSTGRES", DEFAULT_DSN)
    schema = f"chronicle_bench_{uuid.uuid4().hex[:12]}"
    try:
        postgres = PostgresStore(dsn, schema=schema)
    except StoreError as error:
        print(f"no PostgreSQL server to benchmark against: {error}")
        return
    try:
        on_postgres = throughputs(postgres)
    finally:
        postgres.close()
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
    with tempfile.TemporaryDirectory() as directory:
        sqlite = SqliteStore(Path(directory) / "bench.db")
        try:
            on_sqlite = throughputs(sqlite)
        finally:
            sqlite.close()
    print(f"events a second, median of {REPEATS} (PostgreSQL: {dsn.split('@')[-1]})")
    print(f"{'':14}{'SQLite':>12}{'PostgreSQL':>12}{'ratio':>8}")
    for name in MEASURES:
        ratio = on_postgres[name] / on_sqlite[name]
        print(f"{name:14}{on_sqlite[name]:12,.0f}{on_postgres[name]:12,.0f}{ratio:8.2f}")


if __name__ == "__main__":
    main()
