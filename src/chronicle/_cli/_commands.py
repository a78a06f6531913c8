"""The commands of ``chronicle``: each reads its options, asks the library, prints the answer."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Literal

import click

from chronicle._cli import (
    _entries,
    _hazards,
    _inputs,
    _notes,
    _outputs,
    _progress,
    _research,
    _sections,
    _source,
    _timelinejs,
    _uncertain,
    _verify,
)
from chronicle._cli._app import (
    app,
    as_json,
    as_of,
    fail,
    known_at,
    log_argument,
    policy,
    source,
    stream,
)
from chronicle._cli._choices import streams_of
from chronicle._cli._output import Output, note
from chronicle._cli._timeline_out import write_timeline
from chronicle._cli._words import type_label
from chronicle._errors import ChronicleError, StoreError
from chronicle._event import registered_types
from chronicle._log import Log
from chronicle._open import repair as repair_log
from chronicle._replay import Snapshots, replay

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
@source
@policy
@click.option(
    "--snapshots",
    is_flag=True,
    help="Start from the checkpoints kept beside the log, and leave new ones"
    " (fast on a long log; writes to the log's database or a side file). Checkpoints"
    " are signed data: one this machine did not sign (a log from elsewhere) is never"
    " read, only rebuilt.",
)
@click.option(
    "--why", "why", is_flag=True, help="List the events, with their sources, behind each answer."
)
@as_json
def state(
    *,
    log: str,
    as_of: str | None,
    known_at: str | None,
    projectors: tuple[str, ...],
    stream: str | None,
    source: str | None,
    policy: Literal["certain", "possible"],
    snapshots: bool,
    why: bool,
    as_json: bool,
) -> None:
    """The state the events fold into, as of a date and as known at an instant.

    One section per stream (the one given with --stream, or each of the log's),
    written as each stream is replayed. An answer the record leaves uncertain (events
    whose order, or whether they had happened by then, their dates leave open) says
    so, with each state it allows and the events that split them. With --json, one
    JSON object a line, a stream each.
    """
    chosen = (
        [_inputs.find_projector(name) for name in projectors]
        if projectors
        else list(_inputs.known_projectors().values())
    )
    day = _inputs.when_option(as_of, "--as-of")
    instant = _inputs.known_at_option(known_at)
    out = Output(as_json=as_json)
    title = _sections.question(as_of, known_at)
    untouched = True
    with (
        _progress.work() as work,
        _inputs.open_target(log) as opened,
        Snapshots(opened) if snapshots else nullcontext() as cache,
    ):
        streams = streams_of(opened, stream, log)
        early = _notes.before_first_record(opened, instant, known_at)
        replaying = work.phase("replaying", total=len(streams), unit="streams")
        for name in streams:
            replaying.describe(f"replaying {name}")
            states = replay(
                opened,
                chosen,
                stream=name,
                as_of=day,
                known_at=instant,
                policy=policy,
                snapshots=False if cache is None else cache,
                sources=source,
            )
            found = _uncertain.answers(
                opened,
                chosen,
                states,
                stream=name,
                day=None if day is None else day.latest,
                known_at=instant,
                policy=policy,
                why=why,
                for_people=not as_json,
            )
            _sections.write_states(out, f"{name}{title}", name, found, why=why)
            untouched = untouched and all(
                value == projector.initial for projector, value in zip(chosen, states, strict=True)
            )
            replaying.advance()
        if untouched and day is not None and streams and not early:
            _notes.before_first_event(
                opened, streams, as_of=day, text=str(as_of), known_at=instant, policy=policy
            )
    if not streams:
        note(f"{log} holds no events")


@app.command()
@log_argument
@stream
@click.option("--from", "start", help="Only events that may have happened on or after this date.")
@click.option("--to", "end", help="Only events that may have happened on or before this date.")
@known_at
@source
@as_json
def timeline(
    *,
    log: str,
    stream: str | None,
    source: str | None,
    start: str | None,
    end: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """The events in fold order, dated at their own precision, with sources and corrections.

    One section per stream, written as it is read. Retracted events are listed,
    struck through, where they were; corrected ones show their replacement. An
    event is listed if its date overlaps --from/--to. With --json, one JSON object
    a line, an event each.
    """
    first = _inputs.when_option(start, "--from")
    last = _inputs.when_option(end, "--to")
    instant = _inputs.known_at_option(known_at)
    if _notes.empty_range(first, last, str(start), str(end)):
        return
    out = Output(as_json=as_json)
    event_width = max(map(len, map(type_label, registered_types())), default=0)
    written = 0
    with _progress.work() as work, _inputs.open_target(log) as opened:
        streams = streams_of(opened, stream, log)
        if _notes.before_first_record(opened, instant, known_at):
            return
        reading = work.phase("reading", total=len(streams), unit="streams")
        events = work.phase("written", unit="events")
        for name in streams:
            reading.describe(f"reading {name}")
            found = _source.occurrences(
                opened, stream=name, known_at=instant, start=first, end=last, sources=source
            )
            written += write_timeline(
                out, name, events.track(found), head=opened.head, event_width=event_width
            )
            reading.advance()
    if not written:
        note(
            f"no event of {log} overlaps the dates asked for"
            if first is not None or last is not None
            else f"{log} holds no events"
        )


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
@source
@as_json
def history(
    *,
    log: str,
    projector: str,
    stream: str | None,
    source: str | None,
    as_of: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """Each change of a projector's state, as a dated sentence: what the event of that date did.

    One section per stream that has changes, written as it is read. With --json,
    one JSON object a line: the stream, the date, and the whole state after it.
    """
    chosen = _inputs.find_projector(projector)
    day = _inputs.when_option(as_of, "--as-of")
    instant = _inputs.known_at_option(known_at)
    out = Output(as_json=as_json)
    written = 0
    with _progress.work() as work, _inputs.open_target(log) as opened:
        streams = streams_of(opened, stream, log)
        if _notes.before_first_record(opened, instant, known_at):
            return
        reading = work.phase("reading", total=len(streams), unit="streams")
        for name in streams:
            reading.describe(f"reading {name}")
            steps = _source.steps(
                opened, chosen, stream=name, as_of=day, known_at=instant, sources=source
            )
            title = f"{name}: {chosen.name}{_sections.question(as_of, known_at)}"
            written += _sections.write_steps(out, title, name, chosen, steps)
            reading.advance()
        if (
            not written
            and day is not None
            and streams
            and _notes.before_first_event(
                opened, streams, as_of=day, text=str(as_of), known_at=instant
            )
        ):
            return
    if not written:
        note(f"no event of {log} changes {chosen.name}'s state")


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
    _outputs.check_not_an_input(log, option="LOG", inputs={"FILE.jsonl": file})
    with _progress.work() as work:
        checking = work.phase(f"checking {file.name}", file.stat().st_size, unit="bytes")
        batches = _entries.read_entries(file, stream=stream, advance=checking.advance)
        checking.done()
        with _inputs.open_target(log, create=True) as opened:
            work.phase("checking corrections' targets")
            _entries.check_targets(opened, file, batches)
            appending = work.phase("appending", sum(len(batch.entries) for batch in batches))
            for name, count in _appended(opened, batches):
                appending.advance(count)
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
    _outputs.check_not_an_input(log, option="LOG", inputs={"FILE.jsonl": file})
    with _progress.work() as work:
        checking = work.phase(f"checking {file.name}", file.stat().st_size, unit="bytes")
        records = _entries.read_records(file, advance=checking.advance)
        checking.done()
        with _inputs.open_target(log, create=True) as opened:
            importing = work.phase("importing", len(records))
            copied = _entries.copy_records(opened, records, advance=importing.advance)
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

    With --out, the file is written whole or not at all (a temporary file renamed
    into place), and must not be LOG itself or one of its side files. Or, with
    --format timelinejs, one stream's events in force for Knight Lab's TimelineJS.
    """
    instant = _inputs.known_at_option(known_at)
    if out is None:
        _outputs.check_stdout({"LOG": log})
    else:
        _outputs.check_not_an_input(out, option="--out", inputs={"LOG": log})
    if output_format == "timelinejs":
        _timelinejs.export(log, out, stream=stream, known_at=instant)
        return
    write = _entries.write_jsonl if output_format == "jsonl" else _research.write_csv
    with _progress.work() as work, _inputs.open_target(log) as opened:
        streams_of(opened, stream, log)
        total = opened.head if stream is None else opened.version(stream)
        records = work.phase("exporting", total).track(opened.read(stream, known_at=instant))
        if out is None:
            write(records, sys.stdout)
            return
        with _outputs.replacing(out) as file:
            count = write(records, file)
    click.echo(f"exported {count} records to {out}", err=True)


@app.command()
@log_argument
@click.option(
    "--snapshots",
    is_flag=True,
    help="Also check the snapshot checkpoints kept beside the log: each is read back and"
    " compared with the fold of the log; one that is forged, unreadable or wrong is named.",
)
@click.option(
    "--projector",
    "-p",
    "projectors",
    multiple=True,
    help="With --snapshots: a projector whose checkpoints to check (name or module:attribute);"
    " repeatable. Default: every known projector.",
)
def verify(*, log: str, snapshots: bool, projectors: tuple[str, ...]) -> None:
    """Read every record and check it: decoding, order, record times, corrections.

    Prints each problem with its position. With --snapshots, also checks every
    checkpoint stored beside the log against the fold of the log. Exit code 0: the
    log (and its checkpoints) are sound; 1: they are not. A sound log is then
    searched for events whose dates straddle a precise event of their stream that a
    projector also handles: each gets a warning that says whether their unknown
    order leaves an answer uncertain (warnings do not make a log unsound).
    """
    problems = 0
    with _progress.work() as work, _inputs.open_target(log) as opened:
        count = opened.head
        checking = work.phase("verifying", count)
        for problem in _verify.verify(opened, track=checking.track):
            click.echo(str(problem))
            problems += 1
        if not problems:
            work.phase("looking for events whose order is unknown")
            for hazard in _hazards.hazards(opened, _inputs.known_projectors()):
                click.echo(str(hazard))
        if snapshots and not problems:
            work.phase("checking snapshot checkpoints")
            chosen = (
                [_inputs.find_projector(name) for name in projectors]
                if projectors
                else list(_inputs.known_projectors().values())
            )
            with Snapshots(opened) as cache:
                audit = cache.audit(chosen)
            for line in (*audit.problems, *audit.unchecked):
                click.echo(f"checkpoints: {line}")
            problems += len(audit.problems)
            click.echo(f"{log}: {audit.checked} checkpoints checked", err=True)
    if problems:
        fail(f"{log}: {problems} problem{'s' if problems > 1 else ''} found")
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
