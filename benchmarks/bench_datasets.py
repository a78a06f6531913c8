"""Benchmark: import the three public datasets, then replay every state's head of state.

Measures, on a memory log: the three imports (Powell & Thyne, the REIGN leader and
election lists: about 7,300 events in 200 streams), a re-run of all three (which
appends nothing: the cost of finding every row present), and one ``replay`` of
``HeadOfState`` per stream. Times are the median of several runs; peak memory is
measured in a separate run under ``tracemalloc``, which slows Python down.

The datasets are read from ``shared/data`` beside the repository checkout. Run:
``python benchmarks/bench_datasets.py`` (or ``python -m benchmarks``, which runs
every benchmark).
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from chronicle import Log, replay
from chronicle.datasets import (
    import_powell_thyne,
    import_reign_elections,
    import_reign_leaders,
    state_codes,
)
from chronicle.politics import HeadOfState, Leadership

DATA = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data").resolve()
COUPS = DATA / "powell_thyne_coups_V2023.09.08.tsv"
LEADERS = DATA / "reign_leader_list_2021_08.csv"
ELECTIONS = DATA / "reign_election_list_2021_03.csv"
REPEATS = 5


def import_all(log: Log) -> int:
    """Import the three files into ``log``; return the events appended."""
    states = state_codes(LEADERS)
    reports = (
        import_reign_leaders(LEADERS, log),
        import_powell_thyne(COUPS, log, states=states),
        import_reign_elections(ELECTIONS, log, states=states),
    )
    return sum(report.appended for report in reports)


def replay_all(log: Log) -> dict[str, Leadership]:
    """Every stream's head of state at the end of its log."""
    return {stream: replay(log, HeadOfState, stream=stream) for stream in log.streams()}


def _timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def _peak(step: Callable[[], object]) -> float:
    """The peak memory ``step`` allocates, in MiB."""
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    """Time and measure the imports, a re-run, and the replays; print the figures."""
    if not all(path.is_file() for path in (COUPS, LEADERS, ELECTIONS)):
        print(f"datasets: skipped, the files are not in {DATA}")
        return
    imports, reruns, replays = [], [], []
    for _ in range(REPEATS):
        log = Log()
        imports.append(_timed(lambda log=log: import_all(log)))
        reruns.append(_timed(lambda log=log: import_all(log)))
        replays.append(_timed(lambda log=log: replay_all(log)))
    events, streams = log.head, len(log.streams())
    fresh = Log()
    import_peak = _peak(lambda: import_all(fresh))
    replay_peak = _peak(lambda: replay_all(fresh))
    print(f"datasets: {events:,} events in {streams} streams; medians of {REPEATS} runs")
    _report("import the three files", statistics.median(imports), import_peak)
    _report("re-run (appends nothing)", statistics.median(reruns), None)
    _report(f"replay HeadOfState x {streams}", statistics.median(replays), replay_peak)


def _report(label: str, seconds: float, peak: float | None) -> None:
    memory = "" if peak is None else f", peak {peak:6.1f} MiB"
    print(f"  {label:<28}: {seconds * 1e3:9.1f} ms{memory}")


if __name__ == "__main__":
    main()
