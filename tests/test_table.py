"""Tables: rows under named columns, out to CSV, pandas, Arrow and Parquet."""

from __future__ import annotations

import csv
import datetime
import io
import sys
from pathlib import Path

import pytest

from chronicle import Table

DAY = datetime.date(2021, 5, 24)
MOMENT = datetime.datetime(2021, 5, 24, 12, tzinfo=datetime.UTC)
TABLE = Table(
    ("stream", "date", "head", "certain", "count", "at"),
    (("MLI", DAY, "Goïta, Assimi", True, 2, MOMENT), ("NIR", DAY, None, False, 0, None)),
)


class TestTable:
    def test_rows_are_dicts_and_columns_are_read_by_name(self) -> None:
        """Iterating gives {column: value}; column() one column; an unknown name is a KeyError."""
        assert {
            "stream": "NIR",
            "date": DAY,
            "head": None,
            "certain": False,
            "count": 0,
            "at": None,
        } == list(TABLE)[1]
        assert ("MLI", "NIR") == TABLE.column("stream")
        with pytest.raises(KeyError, match="'nope'"):
            TABLE.column("nope")

    def test_from_dicts_unites_the_columns(self) -> None:
        """Columns come in first-seen order, after those named first; missing cells are None."""
        table = Table.from_dicts([{"b": 1}, {"a": 2, "b": 3}], first=["id"])
        assert ("id", "b", "a") == table.columns
        assert ((None, 1, None), (None, 3, 2)) == table.rows

    def test_csv_text(self, tmp_path: Path) -> None:
        """None is empty, booleans true/false, dates ISO; text with commas is quoted."""
        expected = (
            "stream,date,head,certain,count,at\n"
            'MLI,2021-05-24,"Goïta, Assimi",true,2,2021-05-24T12:00:00+00:00\n'
            "NIR,2021-05-24,,false,0,\n"
        )
        assert expected == TABLE.to_csv()
        TABLE.write_csv(tmp_path / "t.csv")
        assert expected == (tmp_path / "t.csv").read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(expected)))
        assert "Goïta, Assimi" == rows[1][2]

    def test_pandas(self) -> None:
        """to_pandas() keeps the columns and the values; None is missing."""
        frame = TABLE.to_pandas()
        assert list(TABLE.columns) == list(frame.columns)
        assert ["MLI", "NIR"] == frame["stream"].tolist()
        assert DAY == frame["date"][0]
        import pandas

        assert pandas.isna(frame["head"][1])

    def test_arrow_and_parquet(self, tmp_path: Path) -> None:
        """to_arrow() types the columns; a Parquet file reads back equal."""
        import pyarrow
        import pyarrow.parquet

        arrow = TABLE.to_arrow()
        assert pyarrow.date32() == arrow.schema.field("date").type
        assert pyarrow.bool_() == arrow.schema.field("certain").type
        TABLE.write_parquet(tmp_path / "t.parquet")
        assert arrow.equals(pyarrow.parquet.read_table(tmp_path / "t.parquet"))

    def test_without_pandas_the_error_names_the_extra(self, monkeypatch) -> None:
        """With pandas missing, to_pandas() raises ImportError saying what to install."""
        monkeypatch.setitem(sys.modules, "pandas", None)
        with pytest.raises(ImportError, match=r"chronicle-history\[tables\]"):
            TABLE.to_pandas()
        monkeypatch.setitem(sys.modules, "pyarrow", None)
        with pytest.raises(ImportError, match=r"chronicle-history\[tables\]"):
            TABLE.write_parquet("x.parquet")
