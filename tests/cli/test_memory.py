"""A command's memory does not grow with the log: measured in a process of its own.

The in-process tests of ``test_streaming`` show what the writers keep; this one
runs the real command, reading a SQLite log of 10^4 and then 10^5 events, and
compares the peak resident memory of the two processes. Ten times the log may
cost a few pages of caches (the parse cache of dates, SQLite's page cache), not
ten times the records.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

import chronicle
from chronicle.politics import Count, CoupOccurred, HeadOfStateInstalled, OfficersArrested

GROWTH_MIB = 24
"""The most a command's peak memory may grow from 10^4 to 10^5 events."""

_CHILD = """
import resource, sys
from chronicle._cli import main

sys.argv = ["chronicle", *sys.argv[1:]]
try:
    main()
finally:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{peak}", file=sys.stderr)
"""


def _events(count: int, stream: int) -> list[chronicle.Event]:
    """``count`` events of one country, each on a day of its own, names never repeated."""
    first = datetime.date(1900, 1, 1) + datetime.timedelta(days=stream)
    events: list[chronicle.Event] = []
    for number in range(count):
        day = first + datetime.timedelta(days=3 * number)
        kind = number % 3
        if kind == 0:
            events.append(HeadOfStateInstalled(occurred=day, name=f"Leader {number}", title="P"))
        elif kind == 1:
            events.append(
                CoupOccurred(
                    occurred=day,
                    ousted=f"Leader {number - 1}",
                    seized_by=f"Officer {number}",
                    successful=bool(number % 2),
                )
            )
        else:
            events.append(OfficersArrested(occurred=day, officers=(), count=Count(number)))
    return events


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """SQLite logs of 10^4 and 10^5 events over ten streams."""
    made = {}
    for size in (10_000, 100_000):
        path = tmp_path_factory.mktemp("memory") / f"log-{size}.db"
        with chronicle.open(path) as log:
            for stream in range(10):
                per_stream = _events(size // 10, stream)
                for start in range(0, len(per_stream), 5_000):
                    log.append(f"country{stream}", per_stream[start : start + 5_000])
        made[size] = path
    return made


def _peak_mib(*arguments: str) -> float:
    """Run ``chronicle arguments`` in a new process, output discarded: its peak memory, MiB."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    return int(done.stderr.split()[-1]) / 1024


@pytest.mark.parametrize(
    "command",
    [["timeline"], ["export"]],
    ids=" ".join,
)
def test_peak_memory_does_not_follow_the_log(logs: dict[int, Path], command: list[str]) -> None:
    """Ten times more events: the command's peak memory grows by less than a fixed bound."""
    small, large = (_peak_mib(command[0], str(logs[size]), *command[1:]) for size in sorted(logs))
    assert large - small < GROWTH_MIB, f"{small:.0f} MiB at 10^4, {large:.0f} MiB at 10^5"
