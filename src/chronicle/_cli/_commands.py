"""The commands of ``chronicle``: each reads its options, asks the library, prints the answer."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Literal

import click

from chronicle._cli import _entries, _inputs, _render, _timelinejs, _verify
from chronicle._cli._app import (
    app,
    as_json,
    as_of,
    console,
    fail,
    known_at,
    log_argument,
    policy,
    progress,
    stream,
)
from chronicle._errors import ChronicleError, StoreError
from chronicle._log import Log
from chronicle._open import repair as repair_log
from chronicle._replay import history as history_of
from chronicle._replay import replay
from chronicle._replay import timeline as timeline_of
from chronicle._snapshots import Snapshots

__all__ = [
    "append",
    "export",
    "history",
    "import_",
    "repair",
    "state",
    "timeline",
    "verify",
]

_input_file = click.argument(
    "file", metavar="FILE.jsonl", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


@app.command()
@log_argument
@as_of
@known_at
@click.option(
    "--projector",
    "-p",
    "projectors",
    multiple=True,
    help="A projector name (politics.HeadOfState) or module:attribute; repeatable."
    " Default: every known projector.",
)
@stream
@policy
@click.option(
    "--snapshots",
    is_flag=True,
    help="Start from the checkpoints kept beside the log, and leave new ones"
    " (fast on a long log; writes to the log's database or a side file).",
)
@as_json
def state(
    *,
    log: str,
    as_of: str | None,
    known_at: str | None,
    projectors: tuple[str, ...],
    stream: str | None,
    policy: Literal["certain", "possible"],
    snapshots: bool,
    as_json: bool,
) -> None:
    """The state the events fold into, as of a date and as known at an instant."""
    chosen = (
        [_inputs.find_projector(name) for name in projectors]
        if projectors
        else list(_inputs.known_projectors().values())
    )
    day = _inputs.when_option(as_of, "--as-of")
    instant = _inputs.known_at_option(known_at)
    with (
        _inputs.open_target(log) as opened,
        Snapshots(opened) if snapshots else nullcontext() as cache,
    ):
        states = replay(
            opened,
            chosen,
            stream=stream,
            as_of=day,
            known_at=instant,
            policy=policy,
            snapshots=False if cache is None else cache,
        )
    named = {projector.name: value for projector, value in zip(chosen, states, strict=True)}
    if as_json:
        click.echo(_render.dumps(named))
        return
    out = console()
    for name, value in named.items():
        out.print(_render.state_table(name, value))


@app.command()
@log_argument
@stream
@click.option("--from", "start", help="Only events that may have happened on or after this date.")
@click.option("--to", "end", help="Only events that may have happened on or before this date.")
@known_at
@as_json
def timeline(
    *,
    log: str,
    stream: str | None,
    start: str | None,
    end: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """The events in fold order, dated at their own precision, with sources and corrections.

    Retracted events are listed, struck through, where they were; corrected ones
    show their replacement. An event is listed if its date overlaps --from/--to.
    """
    first = _inputs.when_option(start, "--from")
    last = _inputs.when_option(end, "--to")
    instant = _inputs.known_at_option(known_at)
    with _inputs.open_target(log) as opened:
        found = timeline_of(opened, stream=stream, known_at=instant, include_retracted=True)
        several = len(opened.streams()) > 1
    shown = [
        occurrence
        for occurrence in found
        if (first is None or occurrence.event.occurred.latest >= first.earliest)
        and (last is None or occurrence.event.occurred.earliest <= last.latest)
    ]
    if as_json:
        click.echo(_render.dumps([_render.occurrence_dict(o) for o in shown]))
        return
    console().print(_render.timeline_table(shown, with_stream=stream is None and several))


@app.command()
@log_argument
@click.option(
    "--projector",
    "-p",
    required=True,
    help="A projector name (politics.HeadOfState) or module:attribute.",
)
@stream
@as_of
@known_at
@as_json
def history(
    *,
    log: str,
    projector: str,
    stream: str | None,
    as_of: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """Each change of a projector's state, with the date of the event that made it."""
    chosen = _inputs.find_projector(projector)
    day = _inputs.when_option(as_of, "--as-of")
    instant = _inputs.known_at_option(known_at)
    with _inputs.open_target(log) as opened:
        steps = history_of(opened, chosen, stream=stream, as_of=day, known_at=instant)
    if as_json:
        click.echo(_render.dumps([{"date": when, "state": value} for when, value in steps]))
        return
    console().print(_render.history_table(chosen.name, chosen.initial, steps))


def _appended(log: Log, batches: Sequence[_entries.Batch]) -> Iterator[tuple[str, int]]:
    """Append each batch in one append; yield (stream, count) after each.

    Raises:
        StoreError: an append after the first failed (a concurrent writer, a lost
            connection); the message names the streams already appended, which stay.
    """
    done: list[str] = []
    for batch in batches:
        try:
            log.append(batch.stream, batch.entries)
        except ChronicleError as error:
            if not done:
                raise
            raise StoreError(
                f"stream {batch.stream!r} and those after it were not appended ({error});"
                f" appended before it, and kept: {', '.join(map(repr, done))}"
            ) from error
        done.append(batch.stream)
        yield batch.stream, len(batch.entries)


@app.command()
@log_argument
@_input_file
@click.option("--stream", "-s", help="The stream of the lines that name none.")
def append(*, log: str, file: Path, stream: str | None) -> None:
    """Append events and corrections from a JSON Lines file: all checked first, then appended.

    FILE.jsonl holds one {"stream", "type", "v", "data"} object a line. The whole
    file is decoded and checked (types, fields, correction targets) before the
    first append, so a bad file changes nothing. Each stream's entries go in one
    atomic append, streams in the order the file first names them.
    """
    size = file.stat().st_size
    with progress(size, "checking") as bar:
        task = bar.add_task("checking", total=size)
        batches = _entries.read_entries(
            file, stream=stream, advance=lambda read: bar.advance(task, read)
        )
    with _inputs.open_target(log, create=True) as opened:
        _entries.check_targets(opened, file, batches)
        for name, count in _appended(opened, batches):
            click.echo(f"appended {count} entries to stream {name!r}")


@app.command("import")
@log_argument
@_input_file
def import_(*, log: str, file: Path) -> None:
    """Copy an exported log into LOG, keeping its streams, order and record times.

    FILE.jsonl is what `chronicle export --format jsonl` writes. Use it to move a
    log from one store to another (a .jsonl file into a .db or PostgreSQL). LOG
    must be new, or hold only records older than the file's. Each of the file's
    appends is one append, backdated to its record time; an import that fails
    midway leaves a prefix of the file in LOG, and says how much.
    """
    size = file.stat().st_size
    with progress(size, "checking") as bar:
        task = bar.add_task("checking", total=size)
        records = _entries.read_records(file, advance=lambda read: bar.advance(task, read))
    with _inputs.open_target(log, create=True) as opened:
        copied = _entries.copy_records(opened, records)
    click.echo(f"imported {copied} records")


@app.command()
@log_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "csv", "timelinejs"]),
    default="jsonl",
    show_default=True,
    help="JSON Lines (the form `import` reads), a flat CSV table, or one stream's events"
    " as TimelineJS JSON.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of stdout.",
)
@stream
@known_at
def export(
    *,
    log: str,
    output_format: str,
    out: Path | None,
    stream: str | None,
    known_at: str | None,
) -> None:
    """Write every record, in position order: JSON Lines or a CSV table.

    Or, with --format timelinejs, one stream's events in force for Knight Lab's TimelineJS.
    """
    instant = _inputs.known_at_option(known_at)
    if output_format == "timelinejs":
        _timelinejs.export(log, out, stream=stream, known_at=instant)
        return
    write = _entries.write_jsonl if output_format == "jsonl" else _entries.write_csv
    with _inputs.open_target(log) as opened:
        records = opened.read(stream, known_at=instant)
        if out is None:
            write(records, sys.stdout)
            return
        with out.open("w", encoding="utf-8", newline="") as file:
            count = write(records, file)
    click.echo(f"exported {count} records to {out}", err=True)


@app.command()
@log_argument
def verify(*, log: str) -> None:
    """Read every record and check it: decoding, order, record times, corrections.

    Prints each problem with its position. Exit code 0: the log is sound; 1: it is not.
    """
    with _inputs.open_target(log) as opened:
        problems = list(_verify.verify(opened))
        count = opened.head
    for problem in problems:
        click.echo(str(problem))
    if problems:
        fail(f"{log}: {len(problems)} problem{'s' if len(problems) > 1 else ''} found")
    click.echo(f"{log}: {count} records, no problems")


@app.command()
@log_argument
def repair(*, log: str) -> None:
    """Move the torn tail a crash left at the end of a JSON Lines log to a side file.

    The intact records stay; the torn bytes are kept, exactly, in a side file next
    to the log. A healthy log is left as it is.
    """
    report = repair_log(log)
    if report.moved_to is None:
        click.echo(f"{log}: nothing to repair")
        return
    click.echo(f"{log}: moved {report.size} bytes, from line {report.line}, to {report.moved_to}")
