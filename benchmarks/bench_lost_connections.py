"""Benchmark: a PostgreSQL log whose connections the server ends 40 times, while it is used.

Two measures, on the server named by ``CHRONICLE_TEST_POSTGRES`` (by default
``postgresql://postgres@127.0.0.1:5432/test``), in a schema of its own dropped
afterwards. The store's connections carry an ``application_name`` of their own,
and ``pg_terminate_backend`` ends them all, as a server restart or a network cut
would.

- **Subscriber stalls.** A subscriber follows the log (polling every 5 s, so
  only the notification on its own connection brings a record sooner). 40
  times: every connection of the store is ended, then one event is appended;
  the stall is the time from the append's call to the subscriber's receipt of
  the record. Printed: the median and the longest (the target: under 2 s).
- **Appends cut short.** A writer appends single events without pause while
  the store's connections are ended 40 times, 20 to 60 ms apart. Printed: how
  many appends returned, how many raised NotStored (definitely not stored), how
  many raised another error, and how many appends whose answer was lost were
  settled on a new connection (and whether they had committed); at the end, the
  log must hold exactly the appends that returned.

Run: ``python -m benchmarks.bench_lost_connections``.
"""

from __future__ import annotations

import logging
import os
import random
import statistics
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable

import psycopg
from psycopg import sql

import chronicle
from chronicle import Event, Log, NotStored, PostgresStore, Record, StoreError

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/test"
LOSSES = 40
GIVE_UP = 40.0
"""Seconds a round waits for the subscriber before counting the record as not received."""


@chronicle.event("bench.lost_connections.counted")
class Counted(Event):
    """A number reported on a day."""

    amount: int


def _end_connections(dsn: str, name: str) -> int:
    """Terminate every server connection whose application_name is ``name``."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            [name],
        ).fetchall()
    return len(rows)


def subscriber_stalls(dsn: str, log: Log, name: str) -> list[float]:
    """The seconds from each append's call to the subscriber's receipt, one connection loss each."""
    received: dict[int, float] = {}
    arrived = threading.Condition()
    stop = threading.Event()

    def follow() -> None:
        for record in log.subscribe(from_position=log.head + 1, poll_interval=5, stop=stop):
            with arrived:
                received[record.position] = time.monotonic()
                arrived.notify_all()

    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    time.sleep(0.2)  # the subscriber is listening
    stalls = []
    for n in range(LOSSES):
        _end_connections(dsn, name)
        began = time.monotonic()
        (record,) = _append_surely(log, n)
        with arrived:
            arrived.wait_for(lambda: record.position in received, timeout=GIVE_UP)  # noqa: B023
        stalls.append(received.get(record.position, began + GIVE_UP) - began)
    stop.set()
    _append_surely(log, LOSSES)  # wakes the subscriber to see stop
    follower.join(GIVE_UP)
    return stalls


def _append_surely(log: Log, amount: int) -> list[Record]:
    while True:
        try:
            return log.append("s", [Counted(occurred="2020", amount=amount)])
        except NotStored:
            continue


def cut_appends(dsn: str, store: PostgresStore, name: str) -> Counter[str]:
    """Append without pause while the connections are ended; count what each append did."""
    outcomes: Counter[str] = Counter()
    settle: Callable[..., list[Record]] | None = getattr(store, "_settle", None)
    if settle is not None:

        def counting(*args: object) -> list[Record]:
            try:
                records = settle(*args)
            except NotStored:
                outcomes["settled: not stored"] += 1
                raise
            outcomes["settled: committed"] += 1
            return records

        store._settle = counting  # type: ignore[method-assign]
    log = Log(store)
    returned: list[Record] = []
    done = threading.Event()

    def write() -> None:
        n = 0
        while not done.is_set():
            n += 1
            try:
                returned.extend(log.append("w", [Counted(occurred="2020", amount=n)]))
                outcomes["returned"] += 1
            except NotStored:
                outcomes["raised NotStored"] += 1
            except StoreError:
                outcomes["raised another StoreError"] += 1

    writer = threading.Thread(target=write)
    writer.start()
    rng = random.Random(1)
    for _ in range(LOSSES):
        time.sleep(rng.uniform(0.02, 0.06))
        _end_connections(dsn, name)
    done.set()
    writer.join()
    stored = [record for record in log.read() if record.stream == "w"]
    outcomes["stored as returned" if stored == returned else "STORED DIFFERS"] += 1
    return outcomes


def main() -> None:
    """Run both measures and print their figures."""
    dsn = os.environ.get("CHRONICLE_TEST_POSTGRES", DEFAULT_DSN)
    logging.getLogger("psycopg").setLevel(logging.ERROR)  # a warning for each pipeline cut
    schema = f"chronicle_bench_{uuid.uuid4().hex[:12]}"
    tagged = psycopg.conninfo.make_conninfo(dsn, application_name=schema)
    try:
        store = PostgresStore(tagged, schema=schema, timeout=30)
    except StoreError as error:
        print(f"no PostgreSQL server to benchmark against: {error}")
        return
    try:
        with Log(store) as log:
            stalls = subscriber_stalls(dsn, log, schema)
            print(f"subscriber stall after each of {LOSSES} connection losses, seconds:")
            print(f"  median {statistics.median(stalls):.3f}, longest {max(stalls):.3f}")
            outcomes = cut_appends(dsn, store, schema)
            print(f"appends while the connections were ended {LOSSES} times:")
            for outcome, count in sorted(outcomes.items()):
                print(f"  {outcome}: {count}")
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


if __name__ == "__main__":
    main()
