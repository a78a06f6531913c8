"""The commands for research: ``panel`` (a table per stream and date), and the flat CSV export.

``export --format csv`` writes through :func:`write_csv` here: one column per field
of the events, by :func:`chronicle.record_row`.
"""

from __future__ import annotations

import csv
import functools
import json
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import click

from chronicle._cli import _inputs
from chronicle._cli._app import app, fail, known_at, log_argument
from chronicle._flatten import RECORD_COLUMNS, Value, record_row
from chronicle._panel import panel as panel_of
from chronicle._record import Record
from chronicle._table import Table, csv_text

__all__ = ["panel", "write_csv"]


def write_csv(records: Iterable[Record], out: IO[str]) -> int:
    """Write the records as a flat CSV table, one column per field; return how many.

    The columns are the record's (position, stream, version, recorded_at, id, type,
    v), then every field met in the records, in first-seen order, nested values
    dotted (:func:`chronicle.record_row`). The records are read once: each row is
    kept in a temporary file until every column is known, so memory stays flat.
    """
    columns: dict[str, None] = dict.fromkeys(RECORD_COLUMNS)
    count = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for record in records:
            row = record_row(record)
            columns.update(dict.fromkeys(row))
            spool.write(json.dumps({k: csv_text(v) for k, v in row.items()}) + "\n")
            count += 1
        spool.seek(0)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for line in spool:
            cells = json.loads(line)
            writer.writerow([cells.get(name, "") for name in columns])
    return count


def _chosen(table: Table, wanted: tuple[str, ...]) -> Table:
    """The table with only the panel's own columns and the ``wanted`` state columns."""
    if not wanted:
        return table
    unknown = [name for name in wanted if name not in table.columns]
    if unknown:
        fail(
            f"--column: the state has no column {unknown[0]!r};"
            f" it has {', '.join(c for c in table.columns if c not in ('stream', 'date'))}"
        )
    keep = [
        index
        for index, name in enumerate(table.columns)
        if name in ("stream", "date", "name", "certain") or name in wanted
    ]
    return Table(
        tuple(table.columns[i] for i in keep),
        tuple(tuple(row[i] for i in keep) for row in table.rows),
    )


@app.command()
@log_argument
@click.option(
    "--projector",
    "-p",
    required=True,
    help="A projector name (politics.HeadOfState) or module:attribute.",
)
@click.option(
    "--every",
    type=click.Choice(["year", "month", "day"]),
    default="year",
    show_default=True,
    help="Sample once a year, once a month, or every day.",
)
@click.option(
    "--on",
    help="Which day: of the year as MM-DD (default 12-31), of the month as 1-31"
    " (default its last day).",
)
@click.option("--from", "start", help="The first day a sample may fall on (an EDTF date).")
@click.option("--to", "end", help="The last day a sample may fall on (an EDTF date).")
@click.option(
    "--stream", "-s", "streams", multiple=True, help="Only this stream (repeatable; default: all)."
)
@click.option(
    "--column",
    "-c",
    "wanted",
    multiple=True,
    help="Only this column of the state (repeatable; default: every field, flattened).",
)
@click.option(
    "--names", is_flag=True, help="Add a column with each stream's country name on each date."
)
@known_at
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file, .csv or .parquet (Parquet needs pyarrow), instead of stdout.",
)
def panel(
    *,
    log: str,
    projector: str,
    every: str,
    on: str | None,
    start: str | None,
    end: str | None,
    streams: tuple[str, ...],
    wanted: tuple[str, ...],
    names: bool,
    known_at: str | None,
    out: Path | None,
) -> None:
    """A projector's state for each stream on each date of a grid: a CSV table.

    One row per stream and date, one column per field of the state (nested fields
    dotted), and a column `certain`: false where counting the events that possibly
    happened by then gives another answer.
    """
    if out is not None and out.suffix not in (".csv", ".parquet"):
        fail(f"--out: {out.name!r} is neither a .csv nor a .parquet file", 2)
    chosen = _inputs.find_projector(projector)
    first = _inputs.when_option(start, "--from")
    last = _inputs.when_option(end, "--to")
    instant = _inputs.known_at_option(known_at)
    from chronicle.datasets import countries  # the country table, read only by this command

    day: Value = on if every != "month" or on is None else _day_of_month(on)
    with _inputs.open_target(log) as opened:
        table = panel_of(
            opened,
            chosen,
            every=every,  # type: ignore[arg-type]
            on=day,  # type: ignore[arg-type]
            start=first,
            end=last,
            streams=streams or None,
            known_at=instant,
            names=functools.partial(countries.name, default=None) if names else None,
        )
    chosen_table = _chosen(table, wanted)
    if out is None:
        chosen_table.write_csv(sys.stdout)
        return
    if out.suffix == ".parquet":
        try:
            chosen_table.write_parquet(out)
        except ImportError as error:
            fail(str(error))
    else:
        chosen_table.write_csv(out)
    click.echo(f"wrote {len(chosen_table)} rows to {out}", err=True)


def _day_of_month(text: str) -> int:
    if not text.isdigit():
        fail(f"--on: {text!r} is not a day of the month (1 to 31)", 2)
    return int(text)
