"""What an import says it did: rows read, events appended, rows skipped and why.

A report accounts for every row: each row read is imported, already present
in the log (from an earlier run), or skipped with a reason. Rows imported with a
caveat (a line that is not UTF-8, a label spelt another way, a known defect of the
release) also carry a note. Nothing is dropped without a line in the report.
"""

from __future__ import annotations

import attrs

__all__ = ["ImportReport", "RowNote", "SkippedRow"]


@attrs.frozen
class SkippedRow:
    """A row the importer could not map to events, and why.

    Attributes:
        row: The row's number in the file: 1 is the first row after the header.
        reason: What is wrong with it, quoting the offending value.
    """

    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@attrs.frozen
class RowNote:
    """A caveat about a row that was imported: what was read differently from the file.

    Attributes:
        row: The row's number in the file: 1 is the first row after the header.
        note: What a reader should know (also kept in the events' source note).
    """

    row: int
    note: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.note}"


@attrs.frozen(kw_only=True)
class ImportReport:
    """The outcome of one import of one dataset file into a log.

    Every row read is counted exactly once in ``imported``, ``present``,
    ``corrected`` or ``skipped``.

    Attributes:
        dataset: The dataset's name and version, as its sources cite it.
        path: The file read.
        rows_read: The data rows in the file (the header is not a row).
        imported: The rows mapped to events and appended by this import.
        appended: The events appended (a row may give more than one).
        present: The rows already in the log from an earlier import, not appended again.
        corrected: The rows the log held otherwise (from an earlier release): their
            events were corrected to this file's.
        retracted: The rows of an earlier release that this file no longer has:
            their events were retracted.
        skipped: The rows that could not be mapped, with the reason, in row order.
        notes: Caveats about rows that were imported or present, in row order.
        streams: The streams appended to, sorted.
    """

    dataset: str
    path: str
    rows_read: int
    imported: int
    appended: int
    present: int
    corrected: int = 0
    retracted: int = 0
    skipped: tuple[SkippedRow, ...] = ()
    notes: tuple[RowNote, ...] = ()
    streams: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line: rows read, imported, already present, skipped, and events appended.

        Rows corrected and retracted (by a later release) are said when there are any.
        """
        changes = "".join(
            f", {count} {what}"
            for count, what in ((self.corrected, "corrected"), (self.retracted, "retracted"))
            if count
        )
        return (
            f"{self.dataset}: {self.rows_read} rows read, {self.imported} imported "
            f"({self.appended} events appended to {len(self.streams)} streams), "
            f"{self.present} already present{changes}, {len(self.skipped)} skipped"
        )
