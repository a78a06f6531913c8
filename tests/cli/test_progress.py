"""Long commands show their progress on stderr, on a terminal only: every phase of them.

``import`` of a large export once spent four minutes silent after its "checking"
bar; ``verify``, ``export`` and ``state`` on a million records showed nothing.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from chronicle._cli import _progress
from tests.cli.conftest import run

COMMANDS = {
    "verify": (["verify", "LOG"], ["verifying"]),
    "export": (["export", "LOG"], ["exporting"]),
    "import": (["import", "NEW", "EXPORT"], ["checking export.jsonl", "importing"]),
    "append": (["append", "NEW", "ENTRIES"], ["checking entries.jsonl", "appending"]),
    "state": (["state", "LOG"], ["replaying"]),
    "history": (["history", "LOG", "-p", "politics.HeadOfState"], ["reading"]),
    "timeline": (["timeline", "LOG"], ["reading", "written"]),
    "promises": (["promises", "LOG"], ["replaying"]),
}


@pytest.fixture
def arguments(mali: Path, tmp_path: Path):
    """The command line of each command, on a copy of the Mali chronology."""
    exported = tmp_path / "export.jsonl"
    exported.write_text(mali.read_text(encoding="utf-8"), encoding="utf-8")
    entries = tmp_path / "entries.jsonl"
    entries.write_text(
        '{"stream": "mali", "type": "politics.parties_restored", "v": 1,'
        ' "data": {"occurred": "2026", "scope": "all parties"}}\n',
        encoding="utf-8",
    )
    places = {"LOG": mali, "NEW": tmp_path / "new.db", "EXPORT": exported, "ENTRIES": entries}

    def line(name: str) -> list[str | Path]:
        return [places.get(arg, arg) for arg in COMMANDS[name][0]]

    return line


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Make stderr a terminal, as far as progress is concerned; return what it is shown."""
    shown = io.StringIO()
    monkeypatch.setattr(
        _progress, "err_console", lambda: Console(file=shown, force_terminal=True, width=100)
    )
    return shown


class TestProgress:
    @pytest.mark.parametrize("name", sorted(COMMANDS))
    def test_quiet_without_a_terminal(self, name: str, arguments) -> None:
        """Piped or redirected, stderr gets nothing: no bar, no control codes."""
        result = run(*arguments(name))
        assert (0, "") == (result.exit_code, result.stderr)

    @pytest.mark.parametrize("name", sorted(COMMANDS))
    def test_every_phase_is_shown_on_a_terminal(
        self, name: str, arguments, terminal: io.StringIO
    ) -> None:
        """On a terminal each phase of the command is drawn, by name."""
        result = run(*arguments(name))
        assert 0 == result.exit_code, result.output
        for phase in COMMANDS[name][1]:
            assert phase in terminal.getvalue()

    def test_answer_stays_on_stdout(self, arguments, terminal: io.StringIO) -> None:
        """While progress is drawn on stderr, the answer goes to stdout, whole."""
        plain = run(*arguments("export")).stdout
        shown = run(*arguments("export"))
        assert plain == shown.stdout
        assert "exporting" in terminal.getvalue()


class TestPhase:
    @pytest.mark.parametrize("count", [0, 1, 511, 512, 1500])
    def test_track_counts_every_item(self, count: int, terminal: io.StringIO) -> None:
        """A tracked phase counts each item it passes on, in batches or not."""
        with _progress.work() as work:
            phase = work.phase("counting", count)
            assert list(range(count)) == list(phase.track(range(count)))
        assert "counting" in terminal.getvalue()
        assert f"{count:,}/{count:,} records" in terminal.getvalue()
