"""Progress on stderr for work that may take a while: one line per phase, gone when done.

Reading a log of a million records takes seconds to minutes; a command that says
nothing for that long looks hung. Each long command shows what it is doing (the
phase, how far it is, how long it has run) on stderr, and only when stderr is a
terminal: piped or redirected, it stays quiet, and the display vanishes at the end
either way. When stdout is the same terminal, what a command prints while the
display is up is printed above it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import Literal, TypeVar

from rich.console import Console
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

__all__ = ["Phase", "Work", "err_console", "work"]

T = TypeVar("T")
Unit = Literal["records", "events", "bytes", "streams"]
"""What a phase counts, which says how its amounts are printed."""

_BATCH = 512
"""Items a tracked phase counts between updates of the display (an update takes a lock)."""


def err_console() -> Console:
    """The console progress is drawn on: stderr."""
    return Console(stderr=True)


def _stdout_is_terminal() -> bool:
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty is not None and isatty())


class _Amount(ProgressColumn):
    """How far a phase is: ``1.2/52.4 MB``, ``1,024/9,999 records``, or a count with no total."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "records")
        done, total = int(task.completed), task.total
        if unit == "bytes":
            text = decimal(done) if total is None else f"{decimal(done)}/{decimal(int(total))}"
        else:
            text = f"{done:,}" if total is None else f"{done:,}/{int(total):,}"
            text += f" {unit}"
        return Text(text, style="progress.download")


class Phase:
    """One phase of a command's work, as a line of the progress display."""

    def __init__(self, progress: Progress, task: TaskID, *, shown: bool) -> None:
        self._progress = progress
        self._task = task
        self._shown = shown

    def advance(self, amount: int = 1) -> None:
        """Count ``amount`` more items (or bytes) done."""
        if self._shown:
            self._progress.advance(self._task, amount)

    def describe(self, description: str) -> None:
        """Say what the phase is doing now (``replaying niger, 2/3``)."""
        if self._shown:
            self._progress.update(self._task, description=description)

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """``items``, counted as they are consumed."""
        if not self._shown:
            yield from items
            return
        pending = 0
        try:
            for item in items:
                yield item
                pending += 1
                if pending == _BATCH:
                    self._progress.advance(self._task, pending)
                    pending = 0
        finally:
            self._progress.advance(self._task, pending)

    def done(self) -> None:
        """Mark the phase finished (its line stays, full, until the command ends)."""
        if self._shown:
            task = self._progress.tasks[self._task]
            self._progress.update(self._task, total=task.completed, completed=task.completed)


class Work:
    """The progress display of one command: a line for each of its phases."""

    def __init__(self, progress: Progress, *, shown: bool) -> None:
        self._progress = progress
        self.shown = shown
        """Whether the display is drawn (stderr is a terminal)."""

    def phase(self, description: str, total: int | None = None, *, unit: Unit = "records") -> Phase:
        """Start a phase: ``total`` items to do (None: a count, with no end known)."""
        task = self._progress.add_task(description, total=total, unit=unit, start=True)
        return Phase(self._progress, task, shown=self.shown)


@contextlib.contextmanager
def work() -> Iterator[Work]:
    """A progress display on stderr for the duration of the block, if stderr is a terminal."""
    console = err_console()
    shown = console.is_terminal
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        _Amount(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not shown,
        redirect_stdout=shown and _stdout_is_terminal(),
        redirect_stderr=False,
    )
    with progress:
        yield Work(progress, shown=shown)
