"""Benchmark: every command on a long log — wall time, peak memory, time to the first line.

On a generated politics log (``benchmarks/_generate.py``) in SQLite, of 10^6 events
(``--quick``: 10^5), each command runs in a process of its own, its output read
through a pipe (so tables are written as plain lines, as into a file). For each:
the wall time, the time until its first line of output reached the pipe, and the
peak resident memory of the process (``ru_maxrss``, read by the process itself as
it exits), beside that of a process that only imports chronicle. Targets
(issue 20): every command under 200 MiB at 10^6, the first line of ``timeline``
in under 1 s, a one-month ``timeline`` in under 2 s.

``python -m benchmarks.bench_commands [--quick] [--once] [WORD ...]``; the log is kept
in ``benchmarks/.data`` (made on the first run, which takes minutes at 10^6). Each
command runs three times (``--once``: once); words given choose the commands whose
name holds one of them (``verify``, ``one month``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import chronicle
from benchmarks import _generate

SIZES = (1_000_000,)
QUICK = (100_000,)
REPEATS = 3
DATA = Path(__file__).resolve().parent / ".data"
LIMIT_MIB = 200

_CHILD = """
import atexit, resource, sys
from chronicle._cli import main

PEAK = sys.argv[1]

def report():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open(PEAK, "w") as file:
        file.write(f"{peak:.1f}")

atexit.register(report)
sys.argv = ["chronicle", *sys.argv[2:]]
main()
"""


def prepared(size: int) -> Path:
    """The generated log of ``size`` events (made once, then kept)."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"commands-{size}.db"
    if not path.exists():
        partial = path.with_suffix(".partial.db")
        partial.unlink(missing_ok=True)
        with chronicle.open(partial) as log:
            _generate.fill(log, size)
        partial.rename(path)
    return path


def run(arguments: list[str]) -> tuple[float, float, float, int]:
    """Run ``chronicle arguments``: wall seconds, seconds to the first line, peak MiB, lines."""
    with tempfile.NamedTemporaryFile(suffix=".peak") as peak:
        began = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, peak.name, *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "COLUMNS": "120"},
        )
        assert child.stdout is not None
        first = child.stdout.readline()
        first_at = time.perf_counter() - began if first else float("nan")
        lines = 1 if first else 0
        for _ in child.stdout:
            lines += 1
        child.wait()
        wall = time.perf_counter() - began
        text = Path(peak.name).read_text()
    return wall, first_at, float(text or "nan"), lines


def commands(log: Path, work: Path) -> list[tuple[str, list[str]]]:
    """The commands measured, by name."""
    target = str(log)
    return [
        ("state (every stream)", ["state", target]),
        ("state --as-of, --snapshots", ["state", target, "--as-of", "2008-06-30", "--snapshots"]),
        ("timeline", ["timeline", target]),
        ("timeline --json", ["timeline", target, "--json"]),
        ("timeline, one month", ["timeline", target, "--from", "2008-06", "--to", "2008-06"]),
        ("history -p PromisedElection", ["history", target, "-p", "politics.PromisedElection"]),
        ("promises", ["promises", target]),
        ("export", ["export", target]),
        ("verify", ["verify", target]),
        ("plot -s mali", ["plot", target, "-s", "mali", "--out", str(work / "mali.png")]),
    ]


def measure(size: int, *, repeats: int = REPEATS, only: Sequence[str] = ()) -> None:
    """Print the table of the commands (those named by a word of ``only``) on ``size`` events."""
    log = prepared(size)
    _drop_checkpoints(log)
    with tempfile.TemporaryDirectory() as directory:
        baseline = statistics.median(run(["--version"])[2] for _ in range(repeats))
        print(
            f"\n{size:,} events ({log.stat().st_size / 2**20:.0f} MiB); "
            f"a process importing chronicle peaks at {baseline:.0f} MiB"
        )
        print(
            f"{'command':32} {'wall':>8} {'first line':>11} {'peak MiB':>9} {'lines':>9}  "
            f"under {LIMIT_MIB} MiB"
        )
        for name, arguments in commands(log, Path(directory)):
            if only and not any(word in name for word in only):
                continue
            runs = [run(arguments) for _ in range(repeats)]
            wall = statistics.median(r[0] for r in runs)
            first = statistics.median(r[1] for r in runs)
            peak = max(r[2] for r in runs)
            lines = runs[-1][3]
            verdict = "yes" if peak < LIMIT_MIB else "NO"
            print(f"{name:32} {wall:7.2f}s {first:10.2f}s {peak:9.0f} {lines:9,}  {verdict}")
            if "--snapshots" in arguments:
                print(f"{'  (its first run, making them)':32} {runs[0][0]:7.2f}s")


def _drop_checkpoints(log: Path) -> None:
    """Start without checkpoints, so that the first --snapshots run makes them."""
    with chronicle.open(log) as opened, chronicle.Snapshots(opened) as cache:
        cache.clear()


def main(*, quick: bool = False, once: bool = False, only: Sequence[str] = ()) -> None:
    for size in QUICK if quick else SIZES:
        measure(size, repeats=1 if once else REPEATS, only=only)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(
        quick="--quick" in arguments,
        once="--once" in arguments,
        only=[word for word in arguments if not word.startswith("--")],
    )
