"""A full replay of a JSON Lines log holds numbers per record, not records: measured in a process.

A replay of a log of 10^4 and then 10^5 events, each in a new process, through
a projector whose state does not grow: the peak resident memory the replay adds
to its process (opening the log included) may grow by a few bytes a record
(the index's offsets, streams and hashes of ids, the fold order's days and
positions), not by the records themselves, which took some 900 bytes each when
replay held them. The peak is measured from what the process holds once it has
imported chronicle (the peak of the imports is reset, Linux's ``clear_refs``), so
that it is the replay's own.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

import chronicle
from chronicle import JsonlStore, Log
from chronicle.politics import Count, OfficersArrested

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads and resets the peak memory in /proc"
)

GROWTH_MIB = 9
"""The most the memory a replay adds may grow from 10^4 to 10^5 events: +5.7 MiB measured
(+4.3 to +10.0); +11 MiB when the index kept whole ids, every record time and a stream
number of four bytes a record, and the reader its own copy of the streams (+3.2 to
+14.2); +66 MiB when replay held every decoded record."""

_CHILD = """
import gc, pathlib, sys
import chronicle
import chronicle.politics

counter = chronicle.Projector("memory.counter", initial=0)

@counter.on(chronicle.Event)
def _count(state, _event):
    return state + 1

def status(key):
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])

gc.collect()
# The peak so far is the imports': the replay's may be lower. Reset it to what the
# process holds now (Linux), so that the peak after is the replay's own.
pathlib.Path("/proc/self/clear_refs").write_text("5")
before = status("VmRSS:")
with chronicle.open(sys.argv[1], create=False) as log:
    folded = chronicle.replay(log, counter)
print(before, status("VmHWM:"), folded)
"""


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """JSON Lines logs of 10^4 and 10^5 events over ten streams, days shuffled across them."""
    made = {}
    first = datetime.date(1900, 1, 1)
    for size in (10_000, 100_000):
        path = tmp_path_factory.mktemp("jsonl-memory") / f"log-{size}.jsonl"
        with Log(JsonlStore(path, durable=False)) as log:
            for start in range(0, size, 5_000):
                stream = start // 5_000 % 10
                events = [
                    OfficersArrested(
                        occurred=first + datetime.timedelta(days=(7 * number + stream) % 40_000),
                        officers=(),
                        count=Count(number + 1),
                    )
                    for number in range(start, start + 5_000)
                ]
                log.append(f"country{stream}", events)
        made[size] = path
    return made


def _replay_mib(path: Path) -> float:
    """Replay the log at ``path`` in a new process: the peak memory the replay added, MiB."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    before, peak, folded = map(int, done.stdout.split())
    with chronicle.open(path, create=False) as log:
        assert folded == log.head
    return (peak - before) / 1024


def test_replay_memory_does_not_follow_the_log(logs: dict[int, Path]) -> None:
    """Ten times more events: the memory a replay adds grows by less than a fixed bound."""
    small, large = (_replay_mib(logs[size]) for size in sorted(logs))
    assert large - small < GROWTH_MIB, f"+{small:.0f} MiB at 10^4, +{large:.0f} MiB at 10^5"
