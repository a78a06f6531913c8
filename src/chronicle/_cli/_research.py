"""The commands for research: ``panel``, ``diff`` and ``cite``, and the flat CSV export.

``panel`` prints a table per stream and date; ``diff`` what the log learned between
two record times; ``cite`` the sources behind a state. ``export --format csv``
writes through :func:`write_csv` here: one column per field of the events, by
:func:`chronicle.record_row`.
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
from rich.table import Table as RichTable

from chronicle._cite import citations
from chronicle._cli import _inputs, _words
from chronicle._cli._app import app, console, fail, known_at, log_argument, source
from chronicle._cli._output import json_line
from chronicle._codec import encode
from chronicle._diff import Diff
from chronicle._diff import diff as diff_of
from chronicle._event import Correction, Event
from chronicle._flatten import RECORD_COLUMNS, Value, record_row
from chronicle._panel import panel as panel_of
from chronicle._record import Record
from chronicle._table import Table, csv_text

__all__ = ["cite", "diff", "panel", "write_csv"]


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
@source
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
    source: str | None,
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
            sources=source,
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


def _event_text(event: Event | None) -> str:
    if event is None:
        return "-"
    stored = encode(event)
    return f"{event.occurred} {stored['type'].rpartition('.')[2]}"


@app.command()
@log_argument
@click.option(
    "--known-at",
    "instants",
    multiple=True,
    required=True,
    help="The two record times to compare, earlier first (give --known-at twice).",
)
@click.option("--stream", "-s", help="Only this stream (default: all).")
@click.option(
    "--projector",
    "-p",
    help="Also show the streams whose state this projector folds differently.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def diff(
    *,
    log: str,
    instants: tuple[str, ...],
    stream: str | None,
    projector: str | None,
    as_json: bool,
) -> None:
    """What the log learned between two record times: entries appended, states changed.

    Lists the events added, corrected and retracted after the first --known-at and
    by the second, each with the event in force before and after; with
    --projector, the streams whose state differs, from the first day it differs.
    """
    if len(instants) != 2:
        fail(f"--known-at: give two record times, not {len(instants)}", 2)
    first, last = (_inputs.known_at_option(instant) for instant in instants)
    chosen = None if projector is None else _inputs.find_projector(projector)
    with _inputs.open_target(log) as opened:
        found = diff_of(opened, first, last, stream=stream, projector=chosen)  # type: ignore[arg-type]
    if as_json:
        click.echo(json_line(_diff_dict(found)))
        return
    out = console()
    table = RichTable(title="changes", title_justify="left")
    for column in ("#", "stream", "kind", "before", "after", "reason"):
        table.add_column(column, overflow="fold")
    for change in found.changes:
        entry = change.record.event
        reason = entry.reason if isinstance(entry, Correction) else ""
        table.add_row(
            str(change.record.position),
            change.record.stream,
            change.kind,
            _event_text(change.before),
            _event_text(change.after),
            reason or "-",
        )
    out.print(table)
    if chosen is not None:
        states = RichTable(title=f"{chosen.name}: states that differ", title_justify="left")
        for column in ("stream", "since", "change"):
            states.add_column(column, overflow="fold")
        for state in found.states:
            what = "\n".join(_words.changes(state.before, state.after)) or "-"
            states.add_row(state.stream, str(state.since), what)
        out.print(states)


def _diff_dict(found: Diff[object]) -> dict[str, object]:
    return {
        "since": found.since,
        "until": found.until,
        "changes": [
            {
                "kind": change.kind,
                "position": change.record.position,
                "stream": change.record.stream,
                "recorded_at": change.record.recorded_at,
                "before": None if change.before is None else encode(change.before),
                "after": None if change.after is None else encode(change.after),
            }
            for change in found.changes
        ],
        "states": [
            {"stream": s.stream, "since": s.since, "before": s.before, "after": s.after}
            for s in found.states
        ],
    }


@app.command()
@log_argument
@click.option("--projector", "-p", required=True, help="The projector whose state is cited.")
@click.option("--stream", "-s", help="Only this stream's events (default: all).")
@click.option("--as-of", help="The state at the end of this EDTF date (default: all events).")
@known_at
@source
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["bibtex", "csl-json"]),
    default="bibtex",
    show_default=True,
    help="BibTeX entries or CSL-JSON items.",
)
def cite(
    *,
    log: str,
    projector: str,
    stream: str | None,
    as_of: str | None,
    known_at: str | None,
    source: str | None,
    output_format: str,
) -> None:
    """The sources of the events that made a state, as BibTeX or CSL-JSON."""
    chosen = _inputs.find_projector(projector)
    day = _inputs.when_option(as_of, "--as-of")
    instant = _inputs.known_at_option(known_at)
    with _inputs.open_target(log) as opened:
        found = citations(
            opened, chosen, stream=stream, as_of=day, known_at=instant, sources=source
        )
    if output_format == "bibtex":
        click.echo(found.bibtex(), nl=False)
    else:
        click.echo(json.dumps(found.csl_json(), ensure_ascii=False, indent=2))
