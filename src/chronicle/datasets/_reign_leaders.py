"""REIGN's leader list: one row per leader's spell in office, from 1945 to mid-2021.

Columns used: ``stateabb`` (the stream), ``ccode``, ``leader``, the start
``sdate``/``smonth``/``syear`` and the end ``emonth``/``eyear`` (blank while in
office). The end has no day, so it is a month (``1968-11``), never a made-up day.

A row becomes a ``HeadOfStateInstalled`` on its start day. Its end becomes a
``HeadOfStateLeft`` in its end month unless a later spell of the same state starts
in that month, whose installation already ends it. The departure would be wrong
there: it folds at the end of its month, after the successor's installation, and
would clear the successor if it is the same person returning (Souvanna Phouma,
Laos, April 1964). The months with nobody in office (an end, then a start months
later) are therefore empty in replay, as in the list. A spell that begins and ends
in one month ends in the interval from its start to the end of that month
(``1964-04-20/1964-04``): still no made-up day, and the departure folds after the
installation even when the spell starts on the month's last day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from chronicle._event import Event
from chronicle._log import Log
from chronicle._when import When
from chronicle.datasets._append import MappedRow, RecordedAt, append_rows
from chronicle.datasets._cow import LEADER_COLUMNS
from chronicle.datasets._fields import name, required, when
from chronicle.datasets._report import ImportReport
from chronicle.datasets._source import Dataset
from chronicle.datasets._table import Row, RowError, parse_rows, read_rows
from chronicle.politics import HeadOfStateInstalled, HeadOfStateLeft

__all__ = ["COLUMNS", "Term", "import_reign_leaders", "parse_term", "reign_leaders", "term_events"]

COLUMNS = (*LEADER_COLUMNS, "leader")
"""The columns the importer reads."""

TITLE = "leader"
"""REIGN's word for the person it lists: the state's effective ruler, whatever the office."""


def reign_leaders(version: str = "2021-08") -> Dataset:
    """The REIGN leader list, release ``version`` (a year and month)."""
    return Dataset(
        name="REIGN leader list",
        version=version,
        publisher="One Earth Future",
        url="https://oefdatascience.github.io/REIGN.github.io/",
        published=version,
    )


@attrs.frozen(kw_only=True)
class Term:
    """One leader's spell in office, as one row gives it.

    Attributes:
        row: The row's number.
        state: The COW state abbreviation (the stream).
        code: The COW state code.
        leader: The leader's name as REIGN spells it, without surrounding spaces.
        start: The first day in office.
        end: The month the spell ended, or None if it had not ended at the release.
        notes: Caveats about how the row was read.
    """

    row: int
    state: str
    code: int
    leader: str
    start: When
    end: When | None
    notes: tuple[str, ...] = ()


def parse_term(row: Row) -> Term:
    """Read one row of the leader list.

    Raises:
        RowError: The row is unreadable, a value is missing or invalid, or the spell
            ends before it starts.
    """
    if row.unreadable:
        raise RowError(row.unreadable)
    state, state_note = name(row, "stateabb")
    leader, leader_note = name(row, "leader")
    code = required(row, "ccode")
    start = when(row, "syear", "smonth", "sdate", what="start")
    if start.precision != "day":
        raise RowError(f"start {start} has no day")
    ended = bool(row.raw("eyear").strip() or row.raw("emonth").strip())
    end = when(row, "eyear", "emonth", None, what="end") if ended else None
    if end is not None and end.precision != "month":
        raise RowError(f"end {end} has no month")
    if end is not None and end.latest < start.earliest:
        raise RowError(f"the spell ends ({end}) before it starts ({start})")
    notes = (*row.notes, state_note, leader_note)
    return Term(
        row=row.number,
        state=state,
        code=code,
        leader=leader,
        start=start,
        end=end,
        notes=tuple(note for note in notes if note),
    )


def term_events(terms: Sequence[Term], dataset: Dataset) -> list[MappedRow]:
    """The events of every spell, one state's spells at a time (see the module docstring)."""
    starts: dict[str, list[tuple[int, When]]] = {}
    for term in terms:
        starts.setdefault(term.state, []).append((term.row, term.start))
    mapped = []
    for term in terms:
        source = dataset.source(term.row, "; ".join(term.notes))
        events: list[Event] = [
            HeadOfStateInstalled(
                occurred=term.start, sources=(source,), name=term.leader, title=TITLE
            )
        ]
        if term.end is not None and not _succeeded_in(term, starts[term.state]):
            left = _departure(term.start, term.end)
            events.append(HeadOfStateLeft(occurred=left, sources=(source,), name=term.leader))
        mapped.append(
            MappedRow(row=term.row, stream=term.state, events=tuple(events), notes=term.notes)
        )
    return mapped


def _departure(start: When, end: When) -> When:
    """When the spell ended: its end month, from its first day if it began that month.

    A spell that starts and ends in one month ended on or after its start: saying so
    keeps the departure after the installation in the fold order even when the spell
    starts on the month's last day (the month alone would sort before that day).
    """
    return When.between(start, end) if start.earliest in end else end


def _succeeded_in(term: Term, starts: Iterable[tuple[int, When]]) -> bool:
    """Whether a later spell of the state (by start, then row) starts in the month ``term`` ends."""
    end, after = term.end, (term.start.earliest, term.row)
    return end is not None and any(
        (start.earliest, row) > after and start.earliest in end for row, start in starts
    )


def import_reign_leaders(
    path: str | Path, log: Log, *, version: str = "2021-08", recorded_at: RecordedAt = None
) -> ImportReport:
    """Import a REIGN leader list: installations and departures, a stream per state.

    Args:
        path: The leader-list file (``leader_list_8_21.csv``).
        log: The log to append to. Rows already imported into it are not appended
            again; a later release corrects and retracts what it changed.
        version: The release the file is (a year and month), cited in every source.
        recorded_at: When the import is recorded: the log's clock (None), the
            release's publication (``"release"``: the first day of ``version``), or
            a UTC datetime.

    Returns:
        What was read, appended and skipped, row by row.

    Raises:
        DatasetError: The file cannot be read or lacks a needed column.
        ConcurrencyError: Another writer appended to a stream during the import.
        RecordTimeError: ``recorded_at`` is not after the log's last append.
    """
    dataset = reign_leaders(version)
    rows = read_rows(path, columns=COLUMNS, what="REIGN leader list")
    rows_read, terms, skipped = parse_rows(rows, parse_term)
    return append_rows(
        log,
        dataset=dataset.title,
        releases=[dataset],
        path=path,
        rows_read=rows_read,
        mapped=term_events(terms, dataset),
        skipped=skipped,
        recorded_at=recorded_at,
    )
