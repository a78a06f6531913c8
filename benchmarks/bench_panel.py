"""Benchmark: a country-month panel of the three datasets, against a replay per cell.

The three public datasets (Powell & Thyne, the REIGN leader and election lists)
are imported into one memory log, each recorded at its release. The panel is
``HeadOfState`` for every one of the 200 streams on the last day of every month
from January 1945 to December 2021: 924 months, 184,800 cells. ``chronicle.panel``
computes it in one pass per stream; the alternative is one ``replay(...,
stream=s, as_of=day)`` per cell. Replaying every cell takes too long to repeat,
so that side is timed on a random sample of cells (the same sample each run) and
extrapolated to the whole panel; the sample's cells are checked equal to the
panel's. Times are medians of several runs.

The datasets are read from ``shared/data`` beside the repository checkout. Run:
``python benchmarks/bench_panel.py`` (or ``python -m benchmarks``).
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from chronicle import Log, Panel, panel, replay
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
REPEATS = 3
SAMPLE = 1000


def imported() -> Log:
    """The three datasets in one memory log, each recorded at its release (oldest first)."""
    log = Log()
    states = state_codes(LEADERS)
    import_reign_elections(ELECTIONS, log, states=states, recorded_at="release")
    import_reign_leaders(LEADERS, log, recorded_at="release")
    import_powell_thyne(COUPS, log, states=states, recorded_at="release")
    return log


def country_months(log: Log) -> Panel[Leadership]:
    """HeadOfState for every stream on the last day of every month, 1945 to 2021."""
    return panel(log, HeadOfState, every="month", start="1945-01", end="2021-12")


def main(*, quick: bool = False) -> None:
    """Time the panel and the per-cell replays; print the figures."""
    if not all(path.is_file() for path in (COUPS, LEADERS, ELECTIONS)):
        print(f"panel: skipped, the files are not in {DATA}")
        return
    log = imported()
    events = log.head
    panels, result = [], None
    for _ in range(1 if quick else REPEATS):
        start = time.perf_counter()
        result = country_months(log)
        panels.append(time.perf_counter() - start)
    assert result is not None
    cells = random.Random(1945).sample(result.cells, 100 if quick else SAMPLE)
    per_cell = []
    for _ in range(1 if quick else REPEATS):
        start = time.perf_counter()
        for cell in cells:
            state = replay(log, HeadOfState, stream=cell.stream, as_of=cell.date)
            assert state == cell.state, (cell.stream, cell.date)
        per_cell.append((time.perf_counter() - start) / len(cells))
    panel_time, cell_time = statistics.median(panels), statistics.median(per_cell)
    whole = cell_time * len(result)
    uncertain = sum(not cell.certain for cell in result.cells)
    print(f"log: {events} records in {len(log.streams())} streams")
    print(
        f"panel: {len(result)} rows ({len(log.streams())} streams x 924 months), "
        f"{uncertain} uncertain"
    )
    print(f"{'':<34}{'median':>12}")
    print(f"{'chronicle.panel, whole panel':<34}{panel_time:>10.2f} s")
    print(f"{'replay per cell, one cell':<34}{cell_time * 1000:>9.2f} ms")
    print(f"{'replay per cell, whole panel (est.)':<34}{whole:>10.0f} s")
    print(f"ratio: the panel is {whole / panel_time:,.0f} times faster than a replay per cell")


if __name__ == "__main__":
    main()
