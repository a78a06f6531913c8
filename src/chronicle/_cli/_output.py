"""Where a command's answer goes, as it is computed: for people, or for programs.

Three forms, one choice per command run:

- **a terminal**: rich tables and wrapped sentences, words never split;
- **a pipe or a file**: plain aligned lines, one fact or event a line, nothing wrapped
  (what ``grep`` and ``less`` want);
- **``--json``**: JSON Lines, one object a line, through the codec's converter.

Everything is written as soon as it is known and nothing is kept: a section per
stream, a line per step, a table per chunk of events, so the first lines show while
the log is still being read, and memory does not grow with the output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from chronicle._cli import _app
from chronicle._codec import converter
from chronicle._when import When

__all__ = ["DATE_WIDTH", "Output", "date_cell", "json_line", "note"]

DATE_WIDTH = 15
"""Room for a date in a table: ``2021-12/2022-01``; a longer one breaks after its ``/``."""


def json_line(value: Any) -> str:
    """``value`` as one line of JSON, through the codec's converter (non-ASCII kept)."""
    return json.dumps(converter.unstructure(value), ensure_ascii=False)


def date_cell(when: When, width: int = DATE_WIDTH) -> str:
    """A date for a column ``width`` wide: an interval that does not fit breaks after ``/``."""
    written = str(when)
    if len(written) <= width or not when.is_interval:
        return written
    return f"{when.start}/\n{when.end}"


class Output:
    """stdout, as a terminal (rich), plain lines, or JSON Lines.

    Attributes:
        console: The rich console of stdout.
        terminal: Whether stdout is a terminal (and not JSON): tables and wrapping.
        as_json: Whether the answer is JSON Lines.
    """

    def __init__(self, *, as_json: bool = False) -> None:
        self.console: Console = _app.console()
        self.as_json = as_json
        self.terminal = self.console.is_terminal and not as_json

    def line(self, text: str = "") -> None:
        """One plain line (or one JSON line), written at once."""
        click.echo(text)

    def json(self, value: Any) -> None:
        """One object of the JSON Lines answer."""
        click.echo(json_line(value))

    def heading(self, title: str) -> None:
        """The heading of a section: bold on a terminal, a line of its own otherwise."""
        if self.terminal:
            self.console.print(Text(title, style="bold"))
        else:
            self.line(title)

    def rows(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        """A titled table of (label, text) rows: one section, written at once.

        On a terminal the texts wrap at word boundaries in their column; otherwise
        each row is a line, labels padded to align the texts.
        """
        if self.terminal:
            table = Table(title=title, title_justify="left", title_style="bold", show_header=False)
            table.add_column("label", style="bold", max_width=24)
            table.add_column("text", ratio=1)
            for label, text in rows:
                table.add_row(label, Text(text))
            self.console.print(table)
            return
        self.line(title)
        width = max((len(label) for label, _ in rows), default=0)
        for label, text in rows:
            self.line(f"  {label:<{width}}  {text}".rstrip())
        self.line()

    def dated(self, steps: Iterable[tuple[When, str]]) -> int:
        """Dated sentences, one a step, written as they come; return how many.

        On a terminal a sentence wraps under itself, its date hanging on the left.
        """
        count = 0
        for when, sentence in steps:
            if self.terminal:
                grid = Table.grid(padding=(0, 2))
                grid.add_column(width=DATE_WIDTH)
                grid.add_column(ratio=1)
                grid.add_row(date_cell(when), Text(sentence))
                self.console.print(grid)
            else:
                self.line(f"{when}: {sentence}")
            count += 1
        return count


def note(message: str) -> None:
    """A note on stderr: the answer is empty, and why (``chronicle: note: ...``)."""
    click.echo(f"chronicle: note: {message}", err=True)
