"""Values of a row: whole numbers, names, labels and dates, read strictly.

Each reader returns the value or raises :class:`RowError` quoting the column and
the value, which the import turns into a skipped row. Readers that tidy a value
(surrounding spaces, a label spelt another way) say so in a note rather than
tidy it silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from chronicle._errors import InvalidDate
from chronicle._when import When
from chronicle.datasets._table import Row, RowError

__all__ = ["integer", "label", "label_key", "name", "required", "when"]

_WHOLE = re.compile(r"[0-9]+")
_SPACES = re.compile(r"\s+")


def integer(row: Row, column: str) -> int | None:
    """The whole number in ``column``, or None if it is blank.

    Raises:
        RowError: The value is neither blank nor a whole number.
    """
    value = row.raw(column).strip()
    if not value:
        return None
    if not _WHOLE.fullmatch(value):
        raise RowError(f"{column} {row.raw(column)!r} is not a whole number")
    return int(value)


def required(row: Row, column: str) -> int:
    """The whole number in ``column``.

    Raises:
        RowError: The value is blank or not a whole number.
    """
    value = integer(row, column)
    if value is None:
        raise RowError(f"{column} is blank")
    return value


def name(row: Row, column: str) -> tuple[str, str]:
    """The name in ``column`` without surrounding spaces, and a note if there were any.

    Raises:
        RowError: The name is blank.
    """
    raw = row.raw(column)
    value = raw.strip()
    if not value:
        raise RowError(f"{column} is blank")
    note = (
        f"{column} {raw!r} read as {value!r} (surrounding spaces removed)" if value != raw else ""
    )
    return value, note


def label_key(text: str) -> str:
    """The form labels are compared in: case-folded, commas dropped, spaces collapsed."""
    return _SPACES.sub(" ", text.replace(",", " ")).strip().casefold()


def label(row: Row, column: str, known: Mapping[str, str]) -> tuple[str, str]:
    """The canonical label for the value of ``column``, and a note if it was spelt otherwise.

    Args:
        row: The row.
        column: The column holding the label.
        known: :func:`label_key` of each accepted spelling -> its canonical label.

    Raises:
        RowError: The label is not one of ``known``, in any spelling.
    """
    raw = row.raw(column)
    canonical = known.get(label_key(raw))
    if canonical is None:
        raise RowError(f"{column} {raw!r} is not a known label")
    note = f"{column} {raw!r} read as {canonical!r}" if raw != canonical else ""
    return canonical, note


def when(row: Row, year: str, month: str, day: str | None, *, what: str) -> When:
    """The date in three columns, at the precision the row gives.

    A blank day gives a month (``1968-11``), a blank month a year: never a made-up day.

    Args:
        row: The row.
        year: The year column (required).
        month: The month column.
        day: The day column, or None if the dataset has none.
        what: What the date is, for messages (``"start"``).

    Raises:
        RowError: The year is blank, a day is given without a month, a value is not a
            whole number, or the parts name no real day.
    """
    y, m = integer(row, year), integer(row, month)
    d = None if day is None else integer(row, day)
    if y is None:
        raise RowError(f"{what} has no year ({year} is blank)")
    if m is None and d is not None:
        raise RowError(f"{what} has a day ({d}) but no month")
    text = f"{y:04d}" + ("" if m is None else f"-{m:02d}") + ("" if d is None else f"-{d:02d}")
    try:
        return When(text)
    except InvalidDate as error:
        shown = "-".join(str(part) for part in (y, m, d) if part is not None)
        raise RowError(f"{what} {shown} is not a date: {error}") from error
