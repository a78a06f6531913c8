"""``chronicle promises``: each date promised for a vote, and how far it slipped.

The drift of a promised election (:class:`~chronicle.politics.Drift`) as a table:
when each promise was made, the date it promised, how far that moved from the
previous dated promise, and its sources; then a sentence for the whole drift.
Promises whose order the record leaves open, and decides which promise stands
(see :func:`chronicle.possibilities`), say so, and the sentence then gives every
date that may now be promised.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator, Sequence

import click
from rich.table import Table
from rich.text import Text

from chronicle._cli import _inputs, _notes, _progress
from chronicle._cli._app import app, as_json, as_of, known_at, log_argument, stream
from chronicle._cli._choices import streams_of, unknown
from chronicle._cli._output import Output, date_cell, note
from chronicle._cli._politics_words import slip_text
from chronicle._cli._uncertain import LIMIT
from chronicle._cli._words import EMPTY
from chronicle._errors import TooUncertain
from chronicle._replay import Occurrence, Possibilities, Possibility, possibilities, replay
from chronicle._when import When
from chronicle.politics import Drift, Elections, Promise, PromisedElection

__all__ = ["Uncertainty", "change_text", "promise_rows", "promises", "summary"]

_HEADER = ("made", "promised", "change", "sources")
_DATE_WIDTH = 11
"""Room for a day (``2020-09-12?``) in a terminal's table; an interval breaks after its ``/``."""


class Uncertainty:
    """What the record leaves open about one office's promises.

    Attributes:
        now: Every date that may be promised now (``None``: no date), in the order
            met; one if the promise in force is certain.
        undecided: The events whose unknown order decides which promise stands.
    """

    def __init__(
        self, found: Possibilities[Elections], office: str, day: datetime.date | None
    ) -> None:
        self.now: list[When | None] = list(
            dict.fromkeys(possibility.state[office].current for possibility in found)
        )
        self.undecided = [o for o in found.undecided if getattr(o.event, "office", None) == office]
        self.maybe = day is not None and any(o.event.occurred.latest > day for o in self.undecided)
        """Whether some of them may not have been made yet by the date asked about."""

    def marks(self, promise: Promise) -> bool:
        """Whether ``promise`` was made by an event whose order is unknown."""
        return any(_made_by(promise, occurrence) for occurrence in self.undecided)


def _made_by(promise: Promise, occurrence: Occurrence) -> bool:
    event = occurrence.event
    return event.occurred == promise.made and event.sources == promise.sources


def change_text(promise: Promise, slip: int | None, *, order_unknown: bool = False) -> str:
    """What a promise did to the date: ``first promise``, ``postponed, 707 days later``...

    A promise whose place among the others is unknown adds ``order unknown``.
    """
    if promise.date is None:
        text = "postponed, no new date"
    else:
        moved = "" if slip is None else slip_text(slip)
        postponed = "postponed" if promise.postponement else ""
        text = ", ".join(filter(None, [postponed, moved])) or "first promise"
    return f"{text}; order unknown" if order_unknown else text


def promise_rows(
    drift: Drift, uncertainty: Uncertainty | None = None
) -> Iterator[tuple[str, str, str, str]]:
    """Each promise of ``drift`` as (made, promised, change, sources) texts."""
    for promise, slip in zip(drift.promises, drift.slips(), strict=True):
        unknown = uncertainty is not None and uncertainty.marks(promise)
        yield (
            str(promise.made),
            EMPTY if promise.date is None else str(promise.date),
            change_text(promise, slip, order_unknown=unknown),
            ", ".join(source.publisher for source in promise.sources) or EMPTY,
        )


def _dates(dates: Collection[When | None]) -> str:
    return " or ".join("no date" if date is None else str(date) for date in dates)


def summary(drift: Drift, uncertainty: Uncertainty | None = None) -> str:
    """The drift in one sentence: ``Postponed 4 times: the promised date moved 2,101 days ...``.

    If the promise in force is uncertain, the sentence names every date that may
    be promised now, and the promises whose order is unknown.
    """
    dated = [promise.date for promise in drift.promises if promise.date is not None]
    total = drift.total_slip
    times = "once" if drift.postponements == 1 else f"{drift.postponements} times"
    if uncertainty is not None and len(uncertainty.now) > 1:
        made = [str(o.event.occurred) for o in uncertainty.undecided]
        listed = ", ".join(made[:-1]) + f" and {made[-1]}" if len(made) > 1 else "".join(made)
        moved = (
            f" The dates promised went from {dated[0].latest} to {dated[-1].latest},"
            f" {total:,} days (about {total / 365.25:.1f} years) later."
            if total and dated
            else ""
        )
        unknown = (
            "their order, and whether they were made by then,"
            if uncertainty.maybe
            else ("their order")
        )
        return (
            f"Postponed {times}. Which promise stands is uncertain, as the dates of the"
            f" promises made {listed} leave {unknown} open: the vote is now promised for"
            f" {_dates(uncertainty.now)}.{moved}"
        )
    if total is None or not dated or (total == 0 and not drift.postponements):
        return "The promised date never moved."
    return (
        f"Postponed {times}: the promised date moved {total:,} days"
        f" (about {total / 365.25:.1f} years), from {dated[0].latest} to {dated[-1].latest}."
    )


def _write(out: Output, stream: str, drift: Drift, uncertainty: Uncertainty) -> None:
    title = f"{stream}: the vote for {drift.office}, promise by promise"
    rows = list(promise_rows(drift, uncertainty))
    if out.terminal:
        table = Table(title=title, title_justify="left", title_style="bold")
        for name in _HEADER[:2]:
            table.add_column(name, min_width=_DATE_WIDTH)
        table.add_column(_HEADER[2], ratio=1)
        table.add_column(_HEADER[3], ratio=2)
        for promise, (_, _, change, sources) in zip(drift.promises, rows, strict=True):
            promised = EMPTY if promise.date is None else date_cell(promise.date, _DATE_WIDTH)
            table.add_row(
                date_cell(promise.made, _DATE_WIDTH), promised, Text(change), Text(sources)
            )
        out.console.print(table)
        out.console.print(Text(summary(drift, uncertainty)))
        return
    widths = [max(len(row[column]) for row in [_HEADER, *rows]) for column in range(3)]
    out.line(title)
    for row in [_HEADER, *rows]:
        aligned = "  ".join(f"{text:<{width}}" for text, width in zip(row[:3], widths, strict=True))
        out.line(f"  {aligned}  {row[3]}")
    out.line(f"  {summary(drift, uncertainty)}")
    out.line()


def _json(out: Output, stream: str, drift: Drift, uncertainty: Uncertainty) -> None:
    for promise, slip in zip(drift.promises, drift.slips(), strict=True):
        out.json(
            {
                "stream": stream,
                "office": drift.office,
                "made": promise.made,
                "date": promise.date,
                "postponement": promise.postponement,
                "days_later": slip,
                "reason": promise.reason,
                "sources": promise.sources,
                "order_unknown": uncertainty.marks(promise),
            }
        )


def _in_force(elections: Elections) -> tuple[tuple[str, When | None], ...]:
    """What decides the answer: the promise in force for each office."""
    return tuple((drift.office, drift.current) for drift in elections.drifts)


def _drifts(elections: Elections, office: str | None) -> Sequence[Drift]:
    if office is None:
        return elections.drifts
    return [elections[office]] if office in elections.offices else []


@app.command()
@log_argument
@stream
@click.option("--office", help="Only the vote for this office (default: every office promised).")
@as_of
@known_at
@as_json
def promises(
    *,
    log: str,
    stream: str | None,
    office: str | None,
    as_of: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """Every date promised for a vote, promise by promise: when, for when, how far it slipped.

    One table per stream and office (politics.PromisedElection's drift). Promises
    whose order the record leaves open are marked, and if the promise in force is
    uncertain the summary gives each date that may be promised now. With --json,
    one JSON object a line, a promise each.
    """
    day = _inputs.when_option(as_of, "--as-of")
    instant = _inputs.known_at_option(known_at)
    out = Output(as_json=as_json)
    offices: set[str] = set()
    shown = 0
    with _progress.work() as work, _inputs.open_target(log) as opened:
        streams = streams_of(opened, stream, log)
        if _notes.before_first_record(opened, instant, known_at):
            return
        reading = work.phase("replaying", total=len(streams), unit="streams")
        for name in streams:
            reading.describe(f"replaying {name}")
            try:
                found = possibilities(
                    opened,
                    PromisedElection,
                    stream=name,
                    as_of=day,
                    known_at=instant,
                    view=_in_force,
                    limit=LIMIT,
                )
            except TooUncertain as error:  # too wide to tell: the fold order's answer, said so
                note(f"{name}: which promise stands was not checked: {error}")
                state = replay(opened, PromisedElection, stream=name, as_of=day, known_at=instant)
                found = Possibilities((Possibility(state),))
            elections = found.replayed
            offices.update(elections.offices)
            for drift in _drifts(elections, office):
                uncertainty = Uncertainty(found, drift.office, None if day is None else day.latest)
                (_json if as_json else _write)(out, name, drift, uncertainty)
                shown += 1
            reading.advance()
    if office is not None and office not in offices:
        where = f"in stream {stream!r}" if stream is not None else f"in {log}"
        raise unknown("--office", "promised vote for office", office, sorted(offices), where)
    if not shown:
        note(f"no vote was promised in {log}" + ("" if as_of is None else f" by {as_of}"))
