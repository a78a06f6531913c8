"""Benchmark: reading and appending records against the raw work they cannot avoid.

On the generated politics log (``benchmarks/_generate.py``) of 10^5 events (and
10^6 without ``--quick``), each ratio measured in the same run, medians of
several runs:

Reading is timed in CPU time; appending in wall-clock time, and in CPU time
as a figure (see :func:`compared`).

1. ``decode``: the rows of an SQLite log (``type, v, data``) read into entries as the
   store reads them (``decode_text``: the payload parsed by orjson where installed and
   where it reads as ``json`` does, then decoded), against ``json.loads`` of the same
   payloads. Target: parsing and decoding at least 0.5x the rate of ``json.loads``
   alone. Also, as figures, the public functions (``parse_json`` then
   ``chronicle.decode`` of the stored form) and ``chronicle.decode`` alone (payloads
   parsed beforehand).
2. ``replay``: a counter projector replayed from the SQLite log against a raw
   ``SELECT type, v, data`` in fold order + ``json.loads`` of each payload.
3. ``append``: appends of 1,000 events to a durable SQLite log against raw
   sqlite3 on chronicle's own schema, in the same WAL mode and synchronous
   level, encoding each event as the benchmark of ratio 3 in ``bench_replay``
   does (``json.dumps`` of the converter's unstructured form). Targets: at least
   150k events/s and 0.7x raw sqlite3. Also, as a figure, the encoding alone:
   ``stored_entry`` of every event (what an append encodes) against ``json.dumps`` of
   the converter's form.
4. ``jsonl``: appends of 1,000 events to a durable JSON Lines log against
   writing the same lines to a file, one ``write`` and one ``fsync`` a batch.
   Target: at least 150k events/s.

``python -m benchmarks.bench_io [--quick] [PART ...]`` measures only the parts named.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import chronicle
from benchmarks import _generate
from chronicle import Event, JsonlStore, Log, Projector, SqliteStore, _codec, replay
from chronicle._codec import converter, parse_json, stored_entry
from chronicle._ids import new_ids
from chronicle._stores._sqlite import _SCHEMA

SIZES = (100_000, 1_000_000)
QUICK = SIZES[:1]
REPEATS = {100_000: 3, 1_000_000: 1}
PARTS = ("decode", "replay", "append", "jsonl")
_NUMBERS = itertools.count()
"""Numbers the files appended to."""

counter: Projector[int] = Projector("bench.io.counter", initial=0)
"""Counts the events folded: what replay costs beyond the handlers."""


@counter.on(Event)
def _count(state: int, _event: Event) -> int:
    return state + 1


def compared(
    ours: Callable[[], Any], theirs: Callable[[], Any], repeats: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The median seconds of ``ours()`` and of ``theirs()``, run in turns: wall, then CPU.

    In turns, so that a change in the machine's load falls on both sides alike. The
    process's CPU time (``time.process_time``) is disturbed far less than the wall
    clock by other work on a shared machine, but leaves out waiting for the disk,
    which is part of what an append costs: appends are quoted by both.
    """
    times: tuple[list[float], ...] = ([], [], [], [])
    for _ in range(repeats):
        for work, wall, cpu in ((ours, times[0], times[2]), (theirs, times[1], times[3])):
            began, used = time.perf_counter(), time.process_time()
            work()
            wall.append(time.perf_counter() - began)
            cpu.append(time.process_time() - used)
    medians = [statistics.median(each) for each in times]
    return (medians[0], medians[1]), (medians[2], medians[3])


def row(what: str, size: int, ours: float, theirs: float, target: str) -> None:
    """Print a comparison: both rates (events per second) and the ratio of ours to theirs."""
    print(
        f"{what:<40} {size:>9,} {size / ours:>10,.0f}/s {size / theirs:>10,.0f}/s"
        f" {theirs / ours:>6.2f}x  {target}",
        flush=True,
    )


# -- 1 and 2: reading ---------------------------------------------------------------


def stored_rows(path: str) -> list[tuple[str, int, str]]:
    """The ``type, v, data`` of every record, in position order."""
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT type, v, data FROM records ORDER BY position").fetchall()


def decode_rows(rows: list[tuple[str, int, str]]) -> None:
    """Parse and decode every row as the SQLite store reads it.

    By ``decode_text``; a version of chronicle before it (a "before" run) read a row
    by ``parse_json`` and ``decode``.
    """
    decode_text = getattr(_codec, "decode_text", None)
    if decode_text is None:
        decode_stored(rows)
        return
    for kind, schema, data in rows:
        decode_text(kind, schema, data)


def decode_stored(rows: list[tuple[str, int, str]]) -> None:
    """Parse and decode every row by the public functions: parse_json, then chronicle.decode."""
    decode, parse = chronicle.decode, parse_json
    for kind, schema, data in rows:
        decode({"type": kind, "v": schema, "data": parse(data)})


def load_rows(rows: list[tuple[str, int, str]]) -> None:
    """``json.loads`` of every row's payload."""
    loads = json.loads
    for _, _, data in rows:
        loads(data)


def decoding(size: int, path: str) -> None:
    """Ratio 1: parsing and decoding against ``json.loads`` alone, on the same rows."""
    rows = stored_rows(path)
    repeats = REPEATS[size]
    _, (ours, theirs) = compared(lambda: decode_rows(rows), lambda: load_rows(rows), repeats)
    row("1 parse+decode (a row) / json.loads", size, ours, theirs, ">= 0.5")
    _, (public, theirs) = compared(lambda: decode_stored(rows), lambda: load_rows(rows), repeats)
    row("1 parse_json+decode / json.loads", size, public, theirs, "(figure)")
    parsed = [{"type": kind, "v": schema, "data": json.loads(data)} for kind, schema, data in rows]
    decode = chronicle.decode

    def decode_all() -> None:
        for stored in parsed:
            decode(stored)

    _, (alone, theirs) = compared(decode_all, lambda: load_rows(rows), repeats)
    row("1 decode alone / json.loads", size, alone, theirs, "(figure)")


def raw_replay(path: str) -> int:
    """A raw read in fold order: ``SELECT`` and ``json.loads`` of every event row, counted."""
    loads = json.loads
    count = 0
    with sqlite3.connect(path) as connection:
        for _, _, data in connection.execute(
            "SELECT type, v, data FROM records WHERE occurred_latest IS NOT NULL"
            " ORDER BY occurred_latest, occurred_earliest, position"
        ):
            loads(data)
            count += 1
    return count


def replaying(size: int, path: str) -> None:
    """Ratio 2: a counter replayed from SQLite against the raw read of its rows."""
    with Log(SqliteStore(path)) as log:
        assert replay(log, counter) == raw_replay(path) == size
        repeats = REPEATS[size]
        _, (ours, theirs) = compared(
            lambda: replay(log, counter), lambda: raw_replay(path), repeats
        )
        row("2 sqlite replay counter / SELECT+loads", size, ours, theirs, "(closer to 1)")
        _, (stream, theirs) = compared(
            lambda: sum(1 for _ in log.read()), lambda: raw_replay(path), repeats
        )
        row("2 sqlite log.read() / SELECT+loads", size, stream, theirs, "(figure)")


# -- 3 and 4: appending -------------------------------------------------------------


def chronicle_append(log: Log, batches: Sequence[tuple[str, list[Event]]]) -> None:
    """Append the batches to ``log``, one append per batch."""
    for name, batch in batches:
        log.append(name, batch)


def appended(
    ours: Callable[[str], Any], theirs: Callable[[str], Any], directory: str, repeats: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median seconds of ``ours`` and ``theirs`` appending to a new file each, run in turns."""

    def into_new(append: Callable[[str], Any]) -> Callable[[], Any]:
        return lambda: append(os.path.join(directory, f"log-{next(_NUMBERS)}"))

    return compared(into_new(ours), into_new(theirs), repeats)


def raw_sqlite_append(
    path: str, batches: Sequence[tuple[str, list[Event]]], *, durable: bool = True
) -> None:
    """chronicle's rows by hand: encode, then one transaction of ``executemany`` per batch."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    connection.executescript(_SCHEMA)
    versions: dict[str, int] = {}
    position = 0
    for stream, batch in batches:
        micros = time.time_ns() // 1000
        version = versions.get(stream, 0)
        rows = []
        for record_id, event in zip(new_ids(len(batch)), batch, strict=True):
            info = chronicle.event_type(event)
            version += 1
            position += 1
            rows.append((
                position, str(record_id), stream, version, micros, info.name, info.version,
                json.dumps(converter.unstructure(event), ensure_ascii=False, separators=(",", ":")),
                event.occurred.earliest.isoformat(), event.occurred.latest.isoformat(),
            ))  # fmt: skip
        versions[stream] = version
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO records (position, id, stream, version, recorded_at, type, v, data,"
            " occurred_earliest, occurred_latest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        connection.execute(
            "INSERT INTO streams (name, version) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET version = excluded.version",
            (stream, version),
        )
        connection.execute("COMMIT")
    connection.close()


def encoding(size: int, batches: Sequence[tuple[str, list[Event]]]) -> None:
    """A figure: what an append encodes (``stored_entry``) against ``json.dumps`` of the form."""
    events = [event for _, batch in batches for event in batch]

    def ours() -> None:
        for event in events:
            stored_entry(event)

    def theirs() -> None:
        unstructure = converter.unstructure
        for event in events:
            json.dumps(unstructure(event), ensure_ascii=False, separators=(",", ":"))

    _, (mine, raw) = compared(ours, theirs, REPEATS[size])
    row("3 encode: stored_entry / json.dumps", size, mine, raw, "(figure, CPU)")


def sqlite_appending(size: int, batches: Sequence[tuple[str, list[Event]]], directory: str) -> str:
    """Ratio 3: SQLite appends against raw sqlite3 on the same schema; the last log written.

    Durable (``synchronous=FULL``, the store's default), then not (``NORMAL``).
    """
    repeats = REPEATS[size]
    last = ""
    for durable in (True, False):

        def ours(path: str, durable: bool = durable) -> None:
            nonlocal last
            last = path
            with Log(SqliteStore(path, durable=durable)) as log:
                chronicle_append(log, batches)

        def raw(path: str, durable: bool = durable) -> None:
            raw_sqlite_append(path, batches, durable=durable)

        wall, cpu = appended(ours, raw, directory, repeats)
        what = "durable" if durable else "durable=False"
        row(f"3 sqlite append ({what}) / raw", size, *wall, ">= 150k/s and >= 0.7")
        row(f"3 sqlite append ({what}), CPU / raw", size, *cpu, "(figure)")
    return last


def raw_lines_append(path: str, batches: Sequence[bytes]) -> None:
    """The lines of each batch written to ``path`` with one ``write`` and one ``fsync``."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
    try:
        for payload in batches:
            os.write(fd, payload)
            os.fsync(fd)
    finally:
        os.close(fd)


def jsonl_appending(size: int, batches: Sequence[tuple[str, list[Event]]], directory: str) -> None:
    """Ratio 4: durable JSON Lines appends against the same lines, a write and fsync a batch."""
    repeats = REPEATS[size]
    last = ""

    def ours(path: str) -> None:
        nonlocal last
        last = path
        with Log(JsonlStore(path)) as log:
            chronicle_append(log, batches)

    with tempfile.TemporaryDirectory() as first:  # the lines chronicle writes, for the raw side
        ours(os.path.join(first, "log.jsonl"))
        lines = Path(last).read_bytes().splitlines(keepends=True)
    counts = [len(batch) for _, batch in batches]
    starts = [sum(counts[:n]) for n in range(len(counts))]
    payloads = [
        b"".join(lines[start : start + count]) for start, count in zip(starts, counts, strict=True)
    ]
    wall, cpu = appended(ours, lambda path: raw_lines_append(path, payloads), directory, repeats)
    row("4 jsonl append / lines + one fsync", size, *wall, ">= 150k/s")
    row("4 jsonl append, CPU / lines + one fsync", size, *cpu, "(figure)")


def main(*, quick: bool = False, parts: Sequence[str] = PARTS) -> None:
    """Measure the ``parts`` (every one by default) at every size and print the table."""
    print(
        f"{'measure':<40} {'events':>9} {'chronicle':>12} {'other':>12} {'ratio':>7}  target",
        flush=True,
    )
    for size in QUICK if quick else SIZES:
        batches = list(_generate.batches(size))
        with tempfile.TemporaryDirectory() as directory:
            if "append" in parts:
                encoding(size, batches)
                path = sqlite_appending(size, batches, directory)
            else:
                path = os.path.join(directory, "log.db")
                with Log(SqliteStore(path, durable=False)) as log:
                    chronicle_append(log, batches)
            if "jsonl" in parts:
                jsonl_appending(size, batches, directory)
            if "decode" in parts:
                decoding(size, path)
            if "replay" in parts:
                replaying(size, path)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    chosen = [name for name in arguments if not name.startswith("--")]
    unknown = sorted(set(chosen) - set(PARTS))
    if unknown:
        sys.exit(f"unknown part(s) {', '.join(unknown)}; the parts are {', '.join(PARTS)}")
    main(quick="--quick" in arguments, parts=chosen or PARTS)
