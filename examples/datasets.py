"""Import three public datasets into one log, then hold them against each other and against Mali.

The datasets are Powell & Thyne's coups, REIGN's leader list and REIGN's election list,
as published (see ``shared/data/SOURCES.md``). ``shared/`` sits beside the repository
checkout, so from the repository they are in ``../shared/data``.

The script prints, for each import, the rows read, imported and skipped (with the
reasons) and the caveats noted; then the share of Powell & Thyne's successful coups
from 1950 to mid-2021 that REIGN follows with a new leader within 7 days, with
every disagreement; then where the datasets' Mali disagrees with the hand-written
chronology (``mali.jsonl``).

Run::

    python examples/datasets.py
    python examples/datasets.py --data path/to/shared/data
"""

from __future__ import annotations

import argparse
import collections
import datetime
from collections.abc import Sequence
from pathlib import Path

import chronicle
from chronicle import history
from chronicle.datasets import (
    ImportReport,
    compare_streams,
    coup_leader_changes,
    import_powell_thyne,
    import_reign_elections,
    import_reign_leaders,
    state_codes,
)
from chronicle.politics import HeadOfState

ROOT = Path(__file__).resolve().parents[1]
DATA = (ROOT / ".." / "shared" / "data").resolve()
COUPS = "powell_thyne_coups_V2023.09.08.tsv"
LEADERS = "reign_leader_list_2021_08.csv"
ELECTIONS = "reign_election_list_2021_03.csv"
MID_2021 = datetime.date(2021, 6, 30)
"""The end of the coups compared: well inside the leader list (its last start is July 2021)."""
REIGN_END = datetime.date(2021, 7, 31)
"""The last month the leader list covers."""
MALI_SPELLING = {
    "Keita": "Ibrahim Boubacar Keïta",
    "Assimi Goita": "Assimi Goïta",
    "Ba N'Daou": "Bah N'Daw",
}
"""REIGN's spelling of Mali's leaders from 2013 -> the chronology's."""


def reason_kind(reason: str) -> str:
    """A skip reason without the values that vary from row to row, to count alike reasons."""
    return reason.partition(":")[0].partition(" (")[0]


def show_report(report: ImportReport) -> None:
    print(report.summary())
    kinds: dict[str, list[str]] = collections.defaultdict(list)
    for skip in report.skipped:
        kinds[reason_kind(skip.reason)].append(str(skip))
    for kind, skips in sorted(kinds.items(), key=lambda item: -len(item[1])):
        if len(skips) == 1:
            print(f"  skipped    1: {skips[0]}")
            continue
        rows = [skip.partition(":")[0].removeprefix("row ") for skip in skips]
        shown = ", ".join(rows[:6]) + (", ..." if len(rows) > 6 else "")
        print(f"  skipped {len(skips):4d}: {kind} (rows {shown})")
    for note in report.notes:
        print(f"  note: {note}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared/data directory")
    args = parser.parse_args(argv)
    data: Path = args.data

    log = chronicle.Log()
    states = state_codes(data / LEADERS)
    print("== Imports")
    for report in (
        import_reign_leaders(data / LEADERS, log),
        import_powell_thyne(data / COUPS, log, states=states),
        import_reign_elections(data / ELECTIONS, log, states=states),
    ):
        show_report(report)
    print(f"The log: {log.head} events in {len(log.streams())} streams.\n")

    check = coup_leader_changes(log, until=MID_2021)
    print("== Powell & Thyne's successful coups against REIGN's changes of leader")
    print(
        f"{len(check.agreements)} of the {len(check.checks)} successful coups from "
        f"{check.start} to {check.until} ({check.share:.1%}) are followed within "
        f"{check.within} days by a new leader in REIGN. The {len(check.disagreements)} others:"
    )
    for disagreement in check.disagreements:
        print(f"  {disagreement}")
    (mali_2021,) = [c for c in check.checks if c.stream == "MLI" and c.coup_row.row == 184]
    print(f"For instance: {mali_2021} (agrees: {mali_2021.agrees}).\n")

    print("== Mali: the datasets (MLI) against the hand-written chronology (mali)")
    with chronicle.open(ROOT / "examples" / "mali.jsonl") as mali:
        start = history(mali, HeadOfState, stream="mali")[0][0].latest
        comparison = compare_streams(
            mali,
            log,
            left_stream="mali",
            right_stream="MLI",
            start=start,
            end=REIGN_END,
            names=MALI_SPELLING,
        )
    print(f"From {comparison.start} to {comparison.end}, REIGN spelling read as the chronology's:")
    for theirs, ours in MALI_SPELLING.items():
        print(f"  {theirs!r} is {ours!r}")
    print("Days with different heads of state (left: the chronology; right: the datasets):")
    for difference in comparison.heads:
        print(f"  {difference}")
    print("Coups only the chronology dates so:", ", ".join(map(str, comparison.left_coups)))
    print("Coups only Powell & Thyne date so:", ", ".join(map(str, comparison.right_coups)))


if __name__ == "__main__":
    main()
