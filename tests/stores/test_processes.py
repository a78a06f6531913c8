"""Several processes on one log, and a writer killed in the middle of its appends.

These run for every kind of store that keeps its log outside the process, with
real processes (``tests.stores.writer``) opening the log through ``chronicle.open``.
"""

from __future__ import annotations

import itertools
import signal
import subprocess
import sys
from pathlib import Path

import chronicle
from chronicle import Log
from tests.domain import Counted
from tests.stores.kinds import StoreKind
from tests.stores.writer import BATCH, TRIES

ROOT = Path(__file__).resolve().parents[2]


def start(mode: str, target: str, writer: int) -> subprocess.Popen[str]:
    """A writer process (see ``tests.stores.writer``)."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.stores.writer", mode, target, str(writer)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def go(*processes: subprocess.Popen[str]) -> None:
    """Wait until every process has opened the log, then let them all append at once."""
    for process in processes:
        assert process.stdout is not None
        assert "ready\n" == process.stdout.readline()
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()


def race(target: str) -> tuple[dict[int, int], list[chronicle.Record]]:
    """Two writers racing on the log at ``target``: the positions each won, and the records."""
    writers = [start("race", target, writer) for writer in (1, 2)]
    go(*writers)
    outputs = [writer.communicate(timeout=60)[0].splitlines() for writer in writers]
    assert [0, 0] == [writer.returncode for writer in writers]
    assert [TRIES, TRIES] == [len(lines) for lines in outputs]
    assert all(line == "conflict" or line.startswith("ok ") for out in outputs for line in out)
    won = {
        int(line.split()[1]): 1000 * writer + attempt
        for writer, lines in enumerate(outputs, 1)
        for attempt, line in enumerate(lines)
        if line != "conflict"
    }
    with chronicle.open(target) as log:
        return won, list(log.read())


class TestTwoWriters:
    def test_each_expected_version_is_won_once(self, persistent_kind: StoreKind) -> None:
        """Two processes racing on one stream: each try succeeds or is a ConcurrencyError,
        and no version or position is taken twice or skipped."""
        won, records = race(persistent_kind.target(persistent_kind.new()))
        assert won == {r.position: r.event.amount for r in records}
        assert list(range(1, len(records) + 1)) == [r.position for r in records]
        assert list(range(1, len(records) + 1)) == [r.version for r in records]
        # A try fails only when the other writer won in between, so at least half win.
        assert len(records) >= TRIES

    def test_two_processes_creating_one_log(self, persistent_kind: StoreKind) -> None:
        """Two processes opening, at once, a log that does not exist yet share one new log."""
        won, records = race(persistent_kind.new_target())
        assert won == {r.position: r.event.amount for r in records}
        assert list(range(1, len(records) + 1)) == [r.version for r in records]

    def test_a_store_sees_what_another_appended(self, persistent_kind: StoreKind) -> None:
        """Two stores open on one log: each one's appends count in the other's checks."""
        first = persistent_kind.new()
        second = persistent_kind.another(first)
        Log(first).append("s", [Counted(occurred="2020", amount=1)])
        (record,) = Log(second).append(
            "s", [Counted(occurred="2020", amount=2)], expected_version=1
        )
        assert (2, 2) == (record.position, record.version)
        assert [1, 2] == [r.event.amount for r in first.read()]
        assert (2, record.recorded_at) == first.head()


class TestKilledWriter:
    def test_acknowledged_appends_survive_and_none_is_half_written(
        self, persistent_kind: StoreKind
    ) -> None:
        """SIGKILL a writer in the middle of its appends: every append it acknowledged is
        there, whole, and any other is either whole or gone (a torn tail is repaired)."""
        store = persistent_kind.new()
        target = persistent_kind.target(store)
        writer = start("forever", target, 0)
        go(writer)
        assert writer.stdout is not None
        # Killed once it has acknowledged two appends: in the middle of its work.
        first, second = writer.stdout.readline(), writer.stdout.readline()
        writer.send_signal(signal.SIGKILL)
        lines = [first, second, *writer.communicate(timeout=30)[0].splitlines()]
        assert -signal.SIGKILL == writer.returncode
        acknowledged = {int(line.split()[1]): int(line.split()[2]) for line in lines if line}
        assert len(acknowledged) >= 2

        store = persistent_kind.reopen(store)
        persistent_kind.recover(store)
        records = list(store.read())
        batches = [list(group) for _, group in itertools.groupby(records, lambda r: r.recorded_at)]
        assert [[batch * 10 + n for n in range(BATCH)] for batch in range(1, len(batches) + 1)] == [
            [r.event.amount for r in group] for group in batches
        ]
        assert len(batches) in (max(acknowledged), max(acknowledged) + 1)
        assert acknowledged == {
            batch: group[-1].position
            for batch, group in enumerate(batches, 1)
            if batch in acknowledged
        }
        Log(store).append("crash", [Counted(occurred="2021", amount=-1)])
        assert len(records) + 1 == store.head()[0]
