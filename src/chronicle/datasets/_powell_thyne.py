"""Powell & Thyne's Global Instances of Coups: one row per coup attempt, 1950 to present.

Columns used: ``country``, ``ccode`` (COW code), ``year``, ``month``, ``day`` and
``coup`` (1 a failed attempt, 2 a successful coup), and ``version``, the release
each row belongs to (it goes into the row's source). Each row becomes one
``CoupOccurred`` in the stream of its state, at the precision the row gives.

The file names neither the ousted nor those who seized power, so the events say
so (``ousted`` and ``seized_by`` are empty): who led the state before and after
is the REIGN leader list's claim, kept in that dataset's own events.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import attrs

from chronicle._log import Log
from chronicle._when import When
from chronicle.datasets._append import MappedRow, RecordedAt, append_rows
from chronicle.datasets._cow import StateCodes
from chronicle.datasets._fields import integer, name, required, when
from chronicle.datasets._report import ImportReport
from chronicle.datasets._source import Dataset
from chronicle.datasets._table import Row, RowError, parse_rows, read_rows
from chronicle.politics import CoupOccurred

__all__ = ["COLUMNS", "Coup", "import_powell_thyne", "parse_coup", "powell_thyne"]

COLUMNS = ("country", "ccode", "year", "month", "day", "coup", "version")
"""The columns the importer reads."""

_OUTCOMES = {1: False, 2: True}

KNOWN_DEFECTS: Mapping[tuple[str, int], str] = {
    ("V2023.09.08", 208): (
        "known defect of this release: Niger's 2023 coup is coded 2023-06-26, but it took "
        "place on 26 July 2023; the date is kept as the dataset gives it"
    ),
}
"""Rows of a release known to be wrong: imported as given, with this note."""


def powell_thyne(version: str) -> Dataset:
    """The Powell & Thyne dataset, release ``version`` (``"V2023.09.08"``)."""
    published = version.removeprefix("V").replace(".", "-")
    return Dataset(
        name="Global Instances of Coups",
        version=version,
        publisher="Jonathan M. Powell and Clayton L. Thyne",
        url="https://www.uky.edu/~clthyn2/coup_data/powell_thyne_coups_final.txt",
        published=published,
    )


@attrs.frozen(kw_only=True)
class Coup:
    """One row of the file, read and checked.

    Attributes:
        row: The row's number.
        country: The country's name as the file gives it.
        code: The COW state code.
        occurred: The date of the attempt, at the precision the row gives.
        successful: Whether the coup succeeded (``coup`` is 2) or failed (1).
        version: The release the row belongs to.
        notes: Caveats about how it was read.
    """

    row: int
    country: str
    code: int
    occurred: When
    successful: bool
    version: str
    notes: tuple[str, ...] = ()


def parse_coup(row: Row) -> Coup:
    """Read one row of the file.

    Raises:
        RowError: The row is unreadable or a value is missing or invalid.
    """
    if row.unreadable:
        raise RowError(row.unreadable)
    country, country_note = name(row, "country")
    code, outcome = required(row, "ccode"), integer(row, "coup")
    if outcome not in _OUTCOMES:
        raise RowError(f"coup {row.raw('coup')!r} is neither 1 (failed) nor 2 (successful)")
    version, version_note = name(row, "version")
    notes = [*row.notes, country_note, version_note, KNOWN_DEFECTS.get((version, row.number), "")]
    return Coup(
        row=row.number,
        country=country,
        code=code,
        occurred=when(row, "year", "month", "day", what="date"),
        successful=_OUTCOMES[outcome],
        version=version,
        notes=tuple(note for note in notes if note),
    )


def import_powell_thyne(
    path: str | Path, log: Log, *, states: StateCodes, recorded_at: RecordedAt = None
) -> ImportReport:
    """Import a Powell & Thyne coup file: one ``CoupOccurred`` per row, a stream per state.

    Args:
        path: The tab-separated file (``powell_thyne_coups_final.txt``, any release).
        log: The log to append to. Rows already imported into it are not appended
            again; a later release corrects and retracts what it changed.
        states: The state codes, from the REIGN leader list (:func:`state_codes`).
        recorded_at: When the import is recorded: the log's clock (None), the
            release's publication (``"release"``: the ``version`` of its rows, a
            date), or a UTC datetime.

    Returns:
        What was read, appended and skipped, row by row.

    Raises:
        DatasetError: The file cannot be read or lacks a needed column.
        ConcurrencyError: Another writer appended to a stream during the import.
        RecordTimeError: ``recorded_at`` is not after the log's last append.
    """

    def located(row: Row) -> tuple[Coup, str]:
        coup = parse_coup(row)
        return coup, states.abbreviation(coup.code, coup.occurred, country=coup.country)

    rows = read_rows(path, columns=COLUMNS, delimiter="\t", what="Powell & Thyne coup")
    rows_read, coups, skipped = parse_rows(rows, located)
    mapped: list[MappedRow] = []
    versions: set[str] = set()
    for coup, stream in coups:
        versions.add(coup.version)
        source = powell_thyne(coup.version).source(coup.row, "; ".join(coup.notes))
        event = CoupOccurred(occurred=coup.occurred, sources=(source,), successful=coup.successful)
        mapped.append(MappedRow(row=coup.row, stream=stream, events=(event,), notes=coup.notes))
    named = ", ".join(sorted(versions)) or "no readable release"
    return append_rows(
        log,
        dataset=f"Global Instances of Coups {named}",
        releases=[powell_thyne(version) for version in sorted(versions)],
        path=path,
        rows_read=rows_read,
        mapped=mapped,
        skipped=skipped,
        recorded_at=recorded_at,
    )
