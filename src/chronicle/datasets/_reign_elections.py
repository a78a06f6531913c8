"""REIGN's election list: the events of each election, announced to held or voided.

Columns used: ``ccode``, ``country``, ``elecnum`` (the election), ``sequence``,
``elec_year``/``elec_month``/``elec_day`` (the date of this event; a blank day
makes it a month), ``event`` (what happened) and ``type`` (``X`` an executive
election, ``L`` a legislative one, ``R`` a referendum: the ``office`` of the events
is ``"executive"``, ``"legislature"`` or ``"referendum"``).

How each ``event`` label maps (labels are matched whatever their case, commas and
spacing, and two shortened forms are read as the full label, each with a note):

- ``Vote, As Scheduled``, ``Vote, Early``: an ``ElectionHeld``.
- ``Announced``, ``Announcement Assumed``: an ``ElectionScheduled`` on the row's date,
  for the date of the vote the announcement was followed by (the election's next
  row, a vote or an upcoming vote), which the note cites. An announcement followed
  by anything else (a delay, a missed deadline, nothing) states no date for the vote,
  and is skipped with that reason.
- ``Upcoming, Scheduled``: an ``ElectionScheduled`` for the row's date; ``Upcoming,
  Deadline``: one for the window from the release to the row's date. The list does
  not say when either was set, so both are dated to the release (its month): what
  the release knew.
- ``Delay Announced``: an ``ElectionPostponed`` on the row's date, with no new date
  (REIGN gives none). ``Deadline Not Met``: likewise at the deadline: the vote due by
  then was put off.
- ``Voided``, ``Voided by Regime Change``, ``Anulled``: an ``ElectionVoided``.
- ``Deadline Met`` restates that the election's vote was held in time, and
  ``Regime Failure`` marks the fall of the government (the leader and coup lists'
  subject): neither is an event of the election, and both are skipped, saying so.

An event that cannot be true (an upcoming vote dated before the release that lists
it) is skipped with the reason the event gave.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from chronicle._errors import InvalidEvent
from chronicle._event import Event, Source
from chronicle._log import Log
from chronicle._when import When
from chronicle.datasets._append import MappedRow, RecordedAt, append_rows
from chronicle.datasets._cow import StateCodes
from chronicle.datasets._fields import label, label_key, name, required, when
from chronicle.datasets._report import ImportReport, SkippedRow
from chronicle.datasets._source import Dataset
from chronicle.datasets._table import Row, RowError, parse_rows, read_rows
from chronicle.politics import (
    ElectionHeld,
    ElectionPostponed,
    ElectionScheduled,
    ElectionVoided,
)

__all__ = [
    "COLUMNS",
    "KINDS",
    "ElectionRow",
    "election_events",
    "import_reign_elections",
    "parse_election",
    "reign_elections",
]

COLUMNS = (
    "ccode",
    "country",
    "elecnum",
    "sequence",
    "elec_year",
    "elec_month",
    "elec_day",
    "event",
    "type",
)
"""The columns the importer reads."""

KINDS = (
    "Announced",
    "Announcement Assumed",
    "Upcoming, Scheduled",
    "Upcoming, Deadline",
    "Delay Announced",
    "Deadline Not Met",
    "Deadline Met",
    "Vote, As Scheduled",
    "Vote, Early",
    "Voided",
    "Voided by Regime Change",
    "Anulled",
    "Regime Failure",
)
"""The ``event`` labels of the list, spelt as most of its rows spell them."""

_SHORT_FORMS = {"Announcement": "Announced", "Delay": "Delay Announced"}
"""Shortened labels found in the list, and the label each stands for."""

_LABELS: Mapping[str, str] = {
    **{label_key(kind): kind for kind in KINDS},
    **{label_key(short): kind for short, kind in _SHORT_FORMS.items()},
}

CONTESTS: Mapping[str, str] = {"X": "executive", "L": "legislature", "R": "referendum"}
"""The ``type`` codes: what the election is for."""


def reign_elections(version: str = "2021-03") -> Dataset:
    """The REIGN election list, release ``version`` (a year and month)."""
    return Dataset(
        name="REIGN election list",
        version=version,
        publisher="One Earth Future",
        url="https://oefdatascience.github.io/REIGN.github.io/",
        published=version,
    )


@attrs.frozen(kw_only=True)
class ElectionRow:
    """One event of one election, as one row gives it.

    Attributes:
        row: The row's number.
        country: The country's name as the file gives it.
        code: The COW state code.
        election: REIGN's id of the election (``elecnum``).
        sequence: The event's place among its election's events.
        occurred: The date of the event, at the precision the row gives.
        kind: The event, one of :data:`KINDS`.
        contest: What the election is for, a value of :data:`CONTESTS`.
        notes: Caveats about how the row was read.
    """

    row: int
    country: str
    code: int
    election: int
    sequence: int
    occurred: When
    kind: str
    contest: str
    notes: tuple[str, ...] = ()


def parse_election(row: Row) -> ElectionRow:
    """Read one row of the election list.

    Raises:
        RowError: The row is unreadable, or a value is missing or invalid.
    """
    if row.unreadable:
        raise RowError(row.unreadable)
    country, country_note = name(row, "country")
    kind, kind_note = label(row, "event", _LABELS)
    code, election, sequence = (
        required(row, column) for column in ("ccode", "elecnum", "sequence")
    )
    contest = CONTESTS.get(row.raw("type").strip())
    if contest is None:
        raise RowError(f"type {row.raw('type')!r} is none of {', '.join(CONTESTS)}")
    notes = (*row.notes, country_note, kind_note)
    return ElectionRow(
        row=row.number,
        country=country,
        code=code,
        election=election,
        sequence=sequence,
        occurred=when(row, "elec_year", "elec_month", "elec_day", what="date"),
        kind=kind,
        contest=contest,
        notes=tuple(note for note in notes if note),
    )


_VOTES = ("Vote, As Scheduled", "Vote, Early")
_DATED = (*_VOTES, "Upcoming, Scheduled")
_VOIDS = ("Voided", "Voided by Regime Change", "Anulled")
_NOT_EVENTS = {
    "Deadline Met": "'Deadline Met' restates that the election's vote was held in time: "
    "it is not an event of its own",
    "Regime Failure": "'Regime Failure' marks the fall of the government, which the leader "
    "and coup lists record: it is not an event of the election",
}


def _next_rows(rows: Sequence[ElectionRow]) -> dict[int, ElectionRow]:
    """Row number -> the next row of the same election, in sequence order."""
    elections: dict[int, list[ElectionRow]] = {}
    for row in rows:
        elections.setdefault(row.election, []).append(row)
    following: dict[int, ElectionRow] = {}
    for events in elections.values():
        ordered = sorted(events, key=lambda row: (row.sequence, row.row))
        following.update((a.row, b) for a, b in itertools.pairwise(ordered))
    return following


def _event(row: ElectionRow, after: ElectionRow | None, dataset: Dataset) -> Event:
    """The event of one row; ``after`` is the next row of its election, if any.

    Its source note says where a date not in the row comes from.

    Raises:
        RowError: The row is not an event of the election, or states no date it needs.
        InvalidEvent: The event cannot be true.
    """

    def cited(origin: str = "") -> tuple[Source, ...]:
        notes = (*row.notes, origin) if origin else row.notes
        return (dataset.source(row.row, "; ".join(notes)),)

    office, kind, release = row.contest, row.kind, dataset.published
    if kind in _NOT_EVENTS:
        raise RowError(_NOT_EVENTS[kind])
    if kind in _VOTES:
        return ElectionHeld(occurred=row.occurred, office=office, sources=cited())
    if kind in _VOIDS:
        return ElectionVoided(occurred=row.occurred, office=office, sources=cited())
    if kind in ("Delay Announced", "Deadline Not Met"):
        origin = "REIGN gives no new date"
        return ElectionPostponed(occurred=row.occurred, office=office, sources=cited(origin))
    if kind.startswith("Upcoming"):
        deadline = kind == "Upcoming, Deadline"
        due = f"due by {row.occurred}, " if deadline else ""
        origin = f"{due}listed as upcoming by the {dataset.version} release"
        for_date = When.between(release, row.occurred) if deadline else row.occurred
        return ElectionScheduled(
            occurred=release, office=office, for_date=for_date, sources=cited(origin)
        )
    if after is None or after.kind not in _DATED:
        then = "nothing" if after is None else f"'{after.kind}' (row {after.row})"
        raise RowError(f"'{kind}' states no date for the vote: the election's next row is {then}")
    origin = f"the date announced is that of the '{after.kind}' of row {after.row}"
    return ElectionScheduled(
        occurred=row.occurred, office=office, for_date=after.occurred, sources=cited(origin)
    )


def election_events(
    rows: Sequence[ElectionRow], dataset: Dataset, states: StateCodes
) -> tuple[list[MappedRow], list[SkippedRow]]:
    """The event of each row, in the stream of its state, and the rows that have none."""
    following = _next_rows(rows)
    mapped: list[MappedRow] = []
    skipped: list[SkippedRow] = []
    for row in rows:
        try:
            stream = states.abbreviation(row.code, row.occurred, country=row.country)
            event = _event(row, following.get(row.row), dataset)
        except RowError as error:
            skipped.append(SkippedRow(row.row, str(error)))
            continue
        except InvalidEvent as error:
            skipped.append(SkippedRow(row.row, f"the event would not be true: {error}"))
            continue
        mapped.append(MappedRow(row=row.row, stream=stream, events=(event,), notes=row.notes))
    return mapped, skipped


def import_reign_elections(
    path: str | Path,
    log: Log,
    *,
    states: StateCodes,
    version: str = "2021-03",
    recorded_at: RecordedAt = None,
) -> ImportReport:
    """Import a REIGN election list: the events of each election, a stream per state.

    Args:
        path: The election-list file (``electionlist_3_21.csv``).
        log: The log to append to. Rows already imported into it are not appended
            again; a later release corrects and retracts what it changed.
        states: The state codes, from the REIGN leader list (:func:`state_codes`).
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
    dataset = reign_elections(version)
    rows = read_rows(path, columns=COLUMNS, what="REIGN election list")
    rows_read, parsed, skipped = parse_rows(rows, parse_election)
    mapped, unmapped = election_events(parsed, dataset, states)
    return append_rows(
        log,
        dataset=dataset.title,
        releases=[dataset],
        path=path,
        rows_read=rows_read,
        mapped=mapped,
        skipped=[*skipped, *unmapped],
        recorded_at=recorded_at,
    )
