"""The commands that draw a stream for people to look at: ``plot`` (a figure), ``html`` (a page)."""

from __future__ import annotations

from pathlib import Path

import click

from chronicle._cli import _inputs, _plot, _plot_data
from chronicle._cli._app import app, log_argument

__all__ = ["plot"]

_stream = click.option(
    "--stream", "-s", help="The stream to draw (required if the log has several)."
)
_office = click.option(
    "--office",
    help="Whose election's drift to draw (default: president, else executive,"
    " else the office with the most promises).",
)


@app.command()
@log_argument
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write: .png, .svg or .pdf.",
)
@_stream
@_office
@click.option("--title", help="The figure's title (default: the state's name and what it shows).")
def plot(*, log: str, out: Path, stream: str | None, office: str | None, title: str | None) -> None:
    """Draw the chronology: heads of state, coups, arrests, and the promised election's drift.

    Needs matplotlib (pip install 'chronicle-history[plot]').
    """
    _plot.check_format(out)
    with _inputs.open_target(log) as opened:
        chosen = _plot_data.choose_stream(opened, stream, target=log)
        chronology = _plot_data.read(opened, stream=chosen, office=office)
    _plot.save(_plot.draw(chronology, title=title), out)
    click.echo(f"wrote {out}")
