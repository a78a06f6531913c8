"""The commands that draw a stream for people to look at: ``plot`` (a figure), ``html`` (a page)."""

from __future__ import annotations

from pathlib import Path

import click

from chronicle._cli import _inputs, _outputs, _page, _page_data, _plot, _plot_data
from chronicle._cli._app import app, log_argument

__all__ = ["html", "plot"]

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
    _outputs.check_not_an_input(out, option="--out", inputs={"LOG": log})
    with _inputs.open_target(log) as opened:
        chosen = _plot_data.choose_stream(opened, stream, target=log)
        chronology = _plot_data.read(opened, stream=chosen, office=office)
    figure = _plot.draw(chronology, title=title)
    with _outputs.replacing_bytes(out) as file:
        _plot.save(figure, file, out.suffix)
    click.echo(f"wrote {out}")


@app.command()
@log_argument
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The page to write (.html).",
)
@_stream
@_office
@click.option("--title", help="The page's title (default: the state's name and what it shows).")
def html(*, log: str, out: Path, stream: str | None, office: str | None, title: str | None) -> None:
    """Write one self-contained HTML page of the chronology, ready to publish.

    Heads of state as bands, coups and events as marks on a time axis, the promised
    vote's drift, each event's sources as footnotes, and a control to see the record
    as known at an earlier date. Everything is in the one file: no network needed.
    """
    _outputs.check_not_an_input(out, option="--out", inputs={"LOG": log})
    with _inputs.open_target(log) as opened:
        chosen = _plot_data.choose_stream(opened, stream, target=log)
        data = _page_data.page_data(opened, chosen, office)
    _page.write(data, out, title=title)
    click.echo(f"wrote {out}")
