"""Reading a dataset file into numbered rows, saying where the bytes were not what they claim.

Each physical line is decoded as UTF-8. A line that is not UTF-8 is decoded as
Windows-1252 (cp1252), the usual culprit in files edited in spreadsheets, and the
rows it belongs to carry a note saying so and quoting the byte; a line that is
neither makes its row unreadable, and the row is skipped with that reason. A
file-wide guess (reading everything as cp1252 or Latin-1) would garble the rows
that are proper UTF-8, so the decision is made line by line.

Rows are numbered as :class:`csv.DictReader` counts them: 1 is the first record
after the header, and blank lines are not rows.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

import attrs

from chronicle._errors import DatasetError
from chronicle.datasets._report import SkippedRow

__all__ = ["Row", "RowError", "parse_rows", "read_rows"]

T = TypeVar("T")


class RowError(DatasetError):
    """A row that cannot be mapped; the import turns it into a skipped row of its report."""


@attrs.frozen
class Row:
    """One record of a dataset file.

    Attributes:
        number: The row's number: 1 is the first record after the header.
        line: The physical line it starts on (the header is line 1).
        fields: Column name to value, exactly as decoded (not stripped).
        notes: Caveats about how the row was read (a line that was not UTF-8).
        unreadable: Why the row cannot be used at all, if it cannot ("" if it can).
    """

    number: int
    line: int
    fields: Mapping[str, str]
    notes: tuple[str, ...] = ()
    unreadable: str = ""

    def raw(self, column: str) -> str:
        """The value of ``column`` as decoded, surrounding whitespace included."""
        return self.fields[column]


def _decode(raw: bytes, line: int) -> tuple[str, str, str]:
    """A line's text, a note if it was not UTF-8, and why it is unreadable if it is neither."""
    try:
        return raw.decode("utf-8"), "", ""
    except UnicodeDecodeError as error:
        byte = raw[error.start]
        where = f"line {line} is not UTF-8 (byte 0x{byte:02x} at offset {error.start})"
    try:
        return raw.decode("cp1252"), f"{where}: read as cp1252", ""
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        return text, "", f"{where}, nor cp1252: the row cannot be read"


def _lines(data: bytes, flags: dict[int, tuple[str, str]]) -> Iterator[str]:
    """The decoded lines of ``data``; ``flags`` is filled with line -> (note, unreadable)."""
    for number, raw in enumerate(data.splitlines(keepends=True), 1):
        text, note, unreadable = _decode(raw, number)
        if note or unreadable:
            flags[number] = (note, unreadable)
        yield text.removeprefix("\ufeff") if number == 1 else text


def read_rows(
    path: str | Path, *, columns: tuple[str, ...], delimiter: str = ",", what: str
) -> Iterator[Row]:
    r"""The rows of a delimited text file, each with its number and how it was read.

    Args:
        path: The file.
        columns: The columns the importer needs; the header must name each of them.
        delimiter: The field separator (``","``, or ``"\t"`` for tab-separated files).
        what: The dataset's name, for messages.

    Raises:
        DatasetError: The file cannot be read, is empty, or its header lacks a column.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise DatasetError(f"cannot read {what} file {str(path)!r}: {error.strerror}") from error
    flags: dict[int, tuple[str, str]] = {}
    reader = csv.reader(_lines(data, flags), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise DatasetError(f"{what} file {str(path)!r} is empty: it has no header")
        missing = [column for column in columns if column not in header]
        if missing:
            raise DatasetError(
                f"{str(path)!r} is not a {what} file: its header lacks the column(s) "
                f"{', '.join(map(repr, missing))} (it has {', '.join(map(repr, header))})"
            )
        first_line, number = reader.line_num + 1, 0
        for record in reader:
            if record:
                number += 1
                lines = range(first_line, reader.line_num + 1)
                yield _row(number, record, lines=lines, header=header, flags=flags)
            first_line = reader.line_num + 1
    except csv.Error as error:
        raise DatasetError(
            f"{what} file {str(path)!r}, line {reader.line_num}: not valid delimited text: {error}"
        ) from error


def _row(
    number: int,
    record: list[str],
    *,
    lines: range,
    header: list[str],
    flags: Mapping[int, tuple[str, str]],
) -> Row:
    """Build the row of ``record``, which spans the physical ``lines``."""
    marks = [flags[line] for line in lines if line in flags]
    notes = tuple(note for note, _ in marks if note)
    unreadable = next((why for _, why in marks if why), "")
    if not unreadable and len(record) != len(header):
        unreadable = f"has {len(record)} fields where the header has {len(header)}"
    fields = dict(zip(header, record, strict=False))
    return Row(number, lines.start, fields, notes, unreadable)


def parse_rows(
    rows: Iterable[Row], parse: Callable[[Row], T]
) -> tuple[int, list[T], list[SkippedRow]]:
    """How many rows were read; what ``parse`` made of each; the rows it refused, and why.

    ``parse`` refuses a row by raising :class:`RowError`, whose message becomes the
    skipped row's reason; any other error propagates.
    """
    rows_read = 0
    parsed: list[T] = []
    skipped: list[SkippedRow] = []
    for row in rows:
        rows_read += 1
        try:
            parsed.append(parse(row))
        except RowError as error:
            skipped.append(SkippedRow(row.number, str(error)))
    return rows_read, parsed, skipped
