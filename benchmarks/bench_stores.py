"""Benchmark: peak memory of reading a long SQLite log, at 10^5 and 10^6 events.

For each size, a log is written once (appends of 1,000 events, ``durable=False``
to write it quickly), then read in a fresh child process, whose peak resident
memory (``VmHWM``) is the figure. Two readings:

- ``stream``: every record in position order, folded as it comes
  (``projector.fold(record.event for record in log.read())``): the store's
  streaming read alone. Its peak must not grow with the log.
- ``replay``: ``chronicle.replay``, which reads in fold order (valid time)
  through the log's fold-order index, a page at a time, and so must not grow
  either. (Before that index, replay sorted the events in memory and held them all.)

Run from the repository root with chronicle importable:
``PYTHONPATH=src python benchmarks/bench_stores.py`` (a few minutes; the logs
are written to a temporary directory and removed afterwards).
"""

from __future__ import annotations

import datetime
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import chronicle
from chronicle import Event, Log, Projector, SqliteStore

SIZES = (100_000, 1_000_000)
BATCH = 1_000
ROOT = Path(__file__).resolve().parents[1]


@chronicle.event("bench.stores.counted")
class Counted(Event):
    """A number reported on a day."""

    amount: int


total: Projector[int] = Projector("bench.stores.total", initial=0)


@total.on(Counted)
def _add(state: int, event: Counted) -> int:
    return state + event.amount


def write(path: Path, size: int) -> None:
    """A log of ``size`` events at ``path``, days spread over 30 years, appended out of order."""
    start = datetime.date(1995, 1, 1)
    with Log(SqliteStore(path, durable=False)) as log:
        for first in range(0, size, BATCH):
            log.append(
                f"stream-{first % 7}",
                [
                    Counted(occurred=start + datetime.timedelta(days=(n * 7919) % 11_000), amount=1)
                    for n in range(first, min(first + BATCH, size))
                ],
            )


def peak_kib() -> int:
    """This process's peak resident memory so far, in KiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(mode: str, path: str) -> None:
    """Read the log at ``path`` as ``mode`` says; print the result and the peak memory."""
    baseline = peak_kib()
    with Log(SqliteStore(path)) as log:
        if mode == "stream":
            result = total.fold(record.event for record in log.read())
        else:
            result = chronicle.replay(log, total)
    print(result, baseline, peak_kib())


def measure(mode: str, path: Path) -> tuple[int, int, int, float]:
    """The result, the peak memory before and after reading, and the seconds taken, of a child."""
    began = time.perf_counter()
    output = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from benchmarks.bench_stores import child; child({mode!r}, {str(path)!r})",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seconds = time.perf_counter() - began
    result, baseline, peak = map(int, output.split())
    return result, baseline, peak, seconds


def main() -> None:
    print("Peak resident memory (VmHWM) of a process reading an SQLite log")
    print(f"{'events':>10} {'reading':>8} {'before MiB':>11} {'peak MiB':>9} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as directory:
        for size in SIZES:
            path = Path(directory) / f"log-{size}.db"
            began = time.perf_counter()
            write(path, size)
            print(f"{size:>10} {'(write)':>8} {'':>11} {'':>9} {time.perf_counter() - began:>8.1f}")
            for mode in ("stream", "replay"):
                result, baseline, peak, seconds = measure(mode, path)
                assert result == size, (mode, result, size)
                print(
                    f"{size:>10} {mode:>8} {baseline / 1024:>11.1f} {peak / 1024:>9.1f}"
                    f" {seconds:>8.1f}"
                )
            path.unlink()


if __name__ == "__main__":
    main()
