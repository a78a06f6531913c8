"""Answers are written as the log is read, and what is written is not kept.

On a log of a million events ``timeline`` printed nothing for ten minutes while
its memory grew past 6 GiB. Now each command writes a stream's section, a chunk of
events or a line as soon as it has it: these tests record how far the log (or the
timeline source) had been read when the first line of the answer was written.
"""

from __future__ import annotations

import datetime
import os
import sys
import tracemalloc
import uuid
from collections.abc import Iterator

import pytest
from rich.console import Console

from chronicle import Log, Record
from chronicle._cli import _app, _inputs, _source
from chronicle._cli._output import Output
from chronicle._cli._timeline_out import CHUNK, write_timeline
from chronicle._replay import Occurrence
from chronicle.politics import CoupOccurred, HeadOfStateInstalled
from tests.cli.conftest import run
from tests.stores.kinds import OwnStore
from tests.strategies import stepping_clock


def written() -> int:
    """How many bytes the command run by the test runner has written to stdout so far."""
    sys.stdout.flush()
    return len(sys.stdout.buffer.getvalue())  # type: ignore[attr-defined]


class Recording(OwnStore):
    """A store that notes, for each record it yields, how much stdout held then.

    A store of one's own: each replay reads the log (a memory store reads it once).
    """

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[int] = []

    def read(self, **kwargs) -> Iterator[Record]:  # type: ignore[override]
        for record in super().read(**kwargs):
            self.seen.append(written())
            yield record


def countries(streams: int, events: int) -> Recording:
    """A log of ``streams`` countries, each with ``events`` heads of state and coups."""
    store = Recording()
    log = Log(store, clock=stepping_clock())
    first = datetime.date(1960, 1, 1)
    for number in range(streams):
        log.append(
            f"country{number:02}",
            [
                (HeadOfStateInstalled if day % 2 else CoupOccurred)(  # type: ignore[call-arg]
                    occurred=first + datetime.timedelta(days=day),
                    **(
                        {"name": f"Leader {day}", "title": "President"}
                        if day % 2
                        else {
                            "ousted": f"Leader {day - 1}",
                            "seized_by": f"Leader {day}",
                            "successful": True,
                        }
                    ),
                )
                for day in range(events)
            ],
        )
    store.seen.clear()
    return store


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch):
    """Make every command open the given store; return the function that gives it."""

    def use(store: Recording) -> Recording:
        monkeypatch.setattr(_inputs, "open_target", lambda target, create=False: Log(store))
        return store

    return use


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make stdout a terminal for rich (the runner's stdout still captures what is printed)."""
    monkeypatch.setattr(
        _app, "console", lambda: Console(highlight=False, force_terminal=True, width=100)
    )


COMMANDS = [
    ["timeline"],
    ["timeline", "--json"],
    ["state"],
    ["state", "--json"],
    ["history", "-p", "politics.HeadOfState"],
    ["history", "-p", "politics.HeadOfState", "--json"],
    ["export"],
]


class TestWrittenAsRead:
    @pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
    def test_first_lines_before_the_last_record(self, recording, command: list[str]) -> None:
        """On a log of several streams, output has begun before the last record is read."""
        store = recording(countries(streams=4, events=40))
        result = run(command[0], "LOG", *command[1:])
        assert 0 == result.exit_code, result.output
        assert 0 == store.seen[0]
        assert 0 < store.seen[-1] < len(result.stdout.encode())

    @pytest.mark.parametrize(
        "command", [["timeline"], ["state"], ["history", "-p", "politics.HeadOfState"]]
    )
    def test_on_a_terminal_too(self, recording, terminal, command: list[str]) -> None:
        """The tables of a terminal are written stream by stream as well."""
        store = recording(countries(streams=3, events=10))
        result = run(command[0], "LOG", *command[1:])
        assert 0 < store.seen[-1] < len(result.stdout.encode())

    def test_export_of_one_stream(self, recording) -> None:
        """export writes each record as it reads it, even from a single stream."""
        store = recording(countries(streams=1, events=300))
        result = run("export", "LOG")
        assert 0 < store.seen[-1] < len(result.stdout.encode())


class TestTimelineSource:
    """The timeline consumes its source lazily: a lazy source makes the first lines come early."""

    @pytest.fixture
    def consumed(self, monkeypatch: pytest.MonkeyPatch) -> list[int]:
        """Replace the timeline source by a lazy one over the log; note stdout at each item."""
        seen: list[int] = []
        real = _source.occurrences

        def lazy(log: Log, **kwargs) -> Iterator[Occurrence]:
            for occurrence in real(log, **kwargs):
                seen.append(written())
                yield occurrence

        monkeypatch.setattr(_source, "occurrences", lazy)
        return seen

    @pytest.mark.parametrize("form", [[], ["--json"], ["TERMINAL"]])
    def test_one_long_stream(self, recording, consumed: list[int], form, monkeypatch) -> None:
        """One stream of many events: the first events are written before the source ends."""
        if form == ["TERMINAL"]:
            monkeypatch.setattr(
                _app, "console", lambda: Console(highlight=False, force_terminal=True, width=100)
            )
            form = []
        recording(countries(streams=1, events=3 * CHUNK))
        result = run("timeline", "LOG", *form)
        assert 0 == result.exit_code
        assert 3 * CHUNK == len(consumed)
        assert 0 < consumed[-1] < len(result.stdout.encode())
        assert 0 < consumed[CHUNK]


def occurrences(count: int) -> Iterator[Occurrence]:
    """``count`` occurrences made on the fly (nothing of them is kept by the maker)."""
    moment = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    for position in range(1, count + 1):
        event = HeadOfStateInstalled(
            occurred=datetime.date(2000, 1, 1) + datetime.timedelta(days=position % 50),
            name=f"Leader {position % 50}",
            title="President of the Transition",
        )
        yield Occurrence(Record(uuid.uuid4(), "x", position, position, moment, event), event)


class TestMemory:
    @pytest.mark.parametrize(
        ("form", "small"), [("plain", 500), ("json", 500), ("terminal", CHUNK)]
    )
    def test_bounded_whatever_the_length(self, form: str, small: int, monkeypatch) -> None:
        """Writing ten times more events takes no more memory, within a fixed margin.

        (The events repeat a few dates and names: the parse cache of dates is the
        library's, not the writer's.)
        """
        sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - closed below
        monkeypatch.setattr(sys, "stdout", sink)
        monkeypatch.setattr(
            _app,
            "console",
            lambda: Console(file=sink, force_terminal=form == "terminal", width=100),
        )
        peaks = []
        try:
            for count in (small, 10 * small):
                out = Output(as_json=form == "json")
                tracemalloc.start()
                write_timeline(out, "x", occurrences(count), head=10 * small, event_width=24)
                peaks.append(tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()
        finally:
            sink.close()
        assert peaks[1] < peaks[0] + 256 * 1024, peaks
