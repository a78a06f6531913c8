"""A light table: named columns and rows of plain values, out to CSV, pandas, Arrow and Parquet.

Panels and flat exports give a :class:`Table`. It depends on nothing: CSV is
written by the standard library, and pandas and pyarrow, imported only when
asked for, are the optional extra ``chronicle-history[tables]``.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from chronicle._flatten import Value

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = ["Table", "csv_text"]

_EXTRA = "pip install 'chronicle-history[tables]'"


def csv_text(value: Value) -> str:
    """A cell as CSV text: empty for None, ``true``/``false``, dates and datetimes in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    return str(value)


@attrs.frozen
class Table:
    """Rows of plain values under named columns.

    Iterating gives each row as a ``{column: value}`` dict. Cells hold strings,
    whole numbers, floats, booleans, dates, datetimes or None (see
    :func:`chronicle.flatten` for how richer values become these).

    Attributes:
        columns: The column names, in order.
        rows: The rows, each a tuple with one value per column.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...] = ()

    @classmethod
    def from_dicts(cls, rows: Iterable[Mapping[str, Value]], *, first: Iterable[str] = ()) -> Table:
        """A table of dict rows: columns in first-seen order (``first`` ahead), None if missing."""
        listed = list(rows)
        columns = dict.fromkeys(first)
        for row in listed:
            columns.update(dict.fromkeys(row))
        names = tuple(columns)
        return cls(names, tuple(tuple(row.get(name) for name in names) for row in listed))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Value]]:
        return (dict(zip(self.columns, row, strict=True)) for row in self.rows)

    def column(self, name: str) -> tuple[Value, ...]:
        """The values of one column, top to bottom.

        Raises:
            KeyError: no column has that name.
        """
        try:
            index = self.columns.index(name)
        except ValueError:
            known = ", ".join(self.columns)
            raise KeyError(f"no column {name!r}; the columns are {known}") from None
        return tuple(row[index] for row in self.rows)

    def write_csv(self, target: str | Path | IO[str]) -> None:
        """Write the table as CSV with a header row, to a path or an open text file.

        Cells are written by :func:`csv_text`: None as an empty cell, booleans as
        ``true``/``false``, dates and datetimes in ISO 8601.
        """
        if isinstance(target, str | Path):
            with Path(target).open("w", encoding="utf-8", newline="") as file:
                self.write_csv(file)
            return
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([csv_text(value) for value in row] for row in self.rows)

    def to_csv(self) -> str:
        """The table as CSV text (see :meth:`write_csv`)."""
        out = io.StringIO()
        self.write_csv(out)
        return out.getvalue()

    def to_pandas(self) -> pandas.DataFrame:
        """The table as a pandas DataFrame (needs the extra ``chronicle-history[tables]``).

        Dates stay :class:`datetime.date` objects (``pandas.to_datetime`` turns a
        column into datetimes); an empty cell is missing (``pandas.isna`` is true).

        Raises:
            ImportError: pandas is not installed.
        """
        try:
            import pandas
        except ImportError as error:
            raise ImportError(f"Table.to_pandas() needs pandas: {_EXTRA}") from error
        return pandas.DataFrame.from_records(list(self.rows), columns=list(self.columns))

    def to_arrow(self) -> pyarrow.Table:
        """The table as a pyarrow Table (needs the extra ``chronicle-history[tables]``).

        Each column's type is inferred by pyarrow from its values (dates as
        ``date32``, datetimes with their UTC zone).

        Raises:
            ImportError: pyarrow is not installed.
        """
        try:
            import pyarrow
        except ImportError as error:
            raise ImportError(f"Table.to_arrow() needs pyarrow: {_EXTRA}") from error
        data: dict[str, list[Any]] = {
            name: [row[index] for row in self.rows] for index, name in enumerate(self.columns)
        }
        return pyarrow.table(data)

    def write_parquet(self, path: str | Path) -> None:
        """Write the table as a Parquet file (needs the extra ``chronicle-history[tables]``).

        Raises:
            ImportError: pyarrow is not installed.
        """
        table = self.to_arrow()
        import pyarrow.parquet

        pyarrow.parquet.write_table(table, str(path))
