"""Benchmark: ``chronicle plot`` of one stream of a large SQLite log.

On the generated politics log (``benchmarks/_generate.py``: eight countries, one
stream each) of 10^5 and 10^6 events (``--quick``: 10^5 only), in an SQLite file:

1. ``command``: the whole command, ``chronicle plot LOG -s mali -o figure.png``, in a
   fresh process (Python and matplotlib starting included), median of 3 runs.
   Target: under 10 s at 10^6.
2. its phases, in this process, median of 3: ``read`` (the stream's events and the
   states the figure draws, :func:`chronicle._cli._plot_data.read`), ``draw`` (the
   figure laid out and labelled) and ``save`` (the PNG written).
3. where the time goes: the functions that take most of one ``read`` and ``draw``,
   from a profile (cProfile, which slows Python down: its times are shares, not
   figures to compare).

Run: ``python -m benchmarks --only plot [--quick]``, or
``python -m benchmarks.bench_plot [--quick]``.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

import chronicle
from benchmarks import _generate
from chronicle import Log, SqliteStore
from chronicle._cli._plot import draw, save
from chronicle._cli._plot_data import read

SIZES = (100_000, 1_000_000)
QUICK = SIZES[:1]
REPEATS = 3
STREAM = "mali"
TARGET = 10.0
"""Seconds the whole command may take at 10^6 events."""
SHOWN = 8
"""How many functions of the profile are printed."""
COMMAND = "from chronicle._cli import main; main()"


@attrs.frozen
class Timing:
    """The medians of several runs: elapsed seconds, and CPU seconds (this process or a child)."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:6.2f} s (CPU {self.cpu:5.2f} s)"


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children."""
    mine, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def timed(work: Callable[[], Any]) -> tuple[Timing, Any]:
    """The median times of ``work()`` over :data:`REPEATS` runs, and its last result.

    CPU time is given beside elapsed time: on a machine shared with other work, it
    is the steadier figure.
    """
    walls, cpus, result = [], [], None
    for _ in range(REPEATS):
        began, used = time.perf_counter(), _cpu()
        result = work()
        walls.append(time.perf_counter() - began)
        cpus.append(_cpu() - used)
    return Timing(statistics.median(walls), statistics.median(cpus)), result


def command(log: Path, out: Path) -> None:
    """Run ``chronicle plot`` on the log's stream in a new process."""
    argv = [sys.executable, "-c", COMMAND, "plot", str(log), "-s", STREAM, "-o", str(out)]
    subprocess.run(argv, check=True, capture_output=True)


def profile(work: Callable[[], Any]) -> str:
    """The functions ``work()`` spends most of its own time in, from cProfile."""
    profiler = cProfile.Profile()
    profiler.runcall(work)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(SHOWN)
    lines = text.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return "\n".join(f"    {line}" for line in lines[start : start + SHOWN + 1])


def measure(size: int, directory: Path) -> None:
    """Generate the log of ``size`` events, then time the command and its phases."""
    path = directory / f"politics-{size}.db"
    began = time.perf_counter()
    with Log(SqliteStore(path, durable=False)) as log:
        _generate.fill(log, size)
    made = time.perf_counter() - began
    out = directory / "figure.png"
    whole, _ = timed(lambda: command(path, out))
    with chronicle.open(path) as log:
        reading, chronology = timed(lambda: read(log, stream=STREAM))
        events = sum(1 for _ in log.read(STREAM))
        read_profile = profile(lambda: read(log, stream=STREAM))
    drawing, figure = timed(lambda: draw(chronology, title=None))
    saving, _ = timed(lambda: save(figure, out))
    draw_profile = profile(lambda: draw(chronology, title=None))
    verdict = "" if size < SIZES[-1] else (" met" if whole.wall < TARGET else " NOT MET")
    print(f"{size:,} events (log made in {made:.0f} s); stream {STREAM!r}: {events:,} records")
    print(f"  chronicle plot -s {STREAM}: {whole}  target < {TARGET:.0f} s at 10^6{verdict}")
    print(f"    read {reading}, draw {drawing}, save {saving}")
    print(
        f"    drawn: {len(chronology.tenures)} tenures, {len(chronology.coups)} coups,"
        f" {len(chronology.steps)} steps of the {chronology.office} vote,"
        f" {len(chronology.marks)} marks"
    )
    print(f"  where read spends its time (cProfile, own time):\n{read_profile}")
    print(f"  where draw spends its time (cProfile, own time):\n{draw_profile}", flush=True)


def main(*, quick: bool = False) -> None:
    """Measure ``chronicle plot`` at each size and print the figures."""
    print(f"medians of {REPEATS} runs")
    with tempfile.TemporaryDirectory() as directory:
        for size in QUICK if quick else SIZES:
            measure(size, Path(directory))


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
