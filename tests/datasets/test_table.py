"""Reading dataset files: row numbers, per-line decoding, header checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import DatasetError
from chronicle.datasets._table import read_rows
from tests.datasets.files import csv_bytes, data_file, file_examples

FIELD = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"))
COLUMNS = ("a", "b", "c")
RECORDS = st.lists(st.lists(FIELD, min_size=3, max_size=3).filter(any), max_size=20)


def read(data: bytes, *, columns: tuple[str, ...] = COLUMNS, delimiter: str = ","):
    with data_file(data) as path:
        return list(read_rows(path, columns=columns, delimiter=delimiter, what="test"))


class TestReadRows:
    @file_examples
    @given(RECORDS, st.sampled_from([",", "\t"]))
    def test_utf8_records_read_back_numbered_from_one(self, records, delimiter) -> None:
        """Every record comes back with its fields, numbered 1, 2, ... after the header."""
        rows = read(csv_bytes([COLUMNS, *records], delimiter=delimiter), delimiter=delimiter)
        assert [dict(zip(COLUMNS, r, strict=True)) for r in records] == [
            dict(row.fields) for row in rows
        ]
        assert list(range(1, len(records) + 1)) == [row.number for row in rows]
        assert [] == [row for row in rows if row.notes or row.unreadable]

    def test_blank_lines_are_not_rows(self) -> None:
        """Blank lines are passed over, as csv.DictReader does, and do not shift numbers."""
        rows = read(b"a,b,c\n1,2,3\n\n4,5,6\n")
        assert [(1, 2), (2, 4)] == [(row.number, row.line) for row in rows]

    def test_line_counts_the_lines_of_a_multiline_field(self) -> None:
        """A row's line is the physical line it starts on, after quoted newlines."""
        rows = read(b'a,b,c\n"x\ny",2,3\n4,5,6\n')
        assert [(1, 2), (2, 4)] == [(row.number, row.line) for row in rows]

    @file_examples
    @given(st.sampled_from([b"\x85", b"\x96", b"\xe9", b"\x80"]), st.integers(0, 3))
    def test_a_line_that_is_not_utf8_is_read_as_cp1252_and_noted(self, byte, where) -> None:
        """A cp1252 byte is decoded as cp1252, and the row's note names the line and byte."""
        rows = read(b"a,b,c\n1,2,3\n" + (b"x" * where) + byte + b",5,6\n7,8,9\n")
        assert "x" * where + byte.decode("cp1252") == rows[1].fields["a"]
        assert (
            f"line 3 is not UTF-8 (byte 0x{byte[0]:02x} at offset {where}): read as cp1252",
        ) == rows[1].notes
        assert ((), (), "") == (rows[0].notes, rows[2].notes, rows[1].unreadable)

    def test_utf8_lines_beside_a_cp1252_line_stay_utf8(self) -> None:
        """Decoding is per line: a UTF-8 name next to a cp1252 line is not garbled."""
        rows = read("a,b,c\nDačić,Á,3\n".encode() + b"x\x85,5,6\n")
        assert ("Dačić", "Á", "x…") == (
            rows[0].fields["a"],
            rows[0].fields["b"],
            rows[1].fields["a"],
        )

    def test_a_line_that_is_neither_utf8_nor_cp1252_is_unreadable(self) -> None:
        """A byte undefined in cp1252 too makes the row unreadable, saying which byte."""
        rows = read(b"a,b,c\n\x81,2,3\n")
        assert (
            "line 2 is not UTF-8 (byte 0x81 at offset 0), nor cp1252: the row cannot be read"
            == rows[0].unreadable
        )

    @file_examples
    @given(st.integers(1, 6).filter(lambda n: n != 3))
    def test_a_row_with_the_wrong_number_of_fields_is_unreadable(self, count) -> None:
        """A row with more or fewer fields than the header is unreadable, with both counts."""
        rows = read(b"a,b,c\n" + ",".join("x" * count).encode() + b"\n")
        assert f"has {count} fields where the header has 3" == rows[0].unreadable

    def test_a_byte_order_mark_is_not_part_of_the_first_column(self) -> None:
        """A UTF-8 byte order mark before the header is dropped."""
        rows = read(b"\xef\xbb\xbfa,b,c\n1,2,3\n")
        assert "1" == rows[0].fields["a"]

    def test_crlf_line_ends_are_not_part_of_the_last_field(self) -> None:
        """CRLF files read like LF files."""
        rows = read(b"a\tb\tc\r\n1\t2\t3\r\n", delimiter="\t")
        assert {"a": "1", "b": "2", "c": "3"} == dict(rows[0].fields)

    def test_a_missing_column_is_a_dataset_error_naming_it(self) -> None:
        """A header without a needed column raises DatasetError naming the column and file."""
        with data_file(b"a,b\n1,2\n") as path, pytest.raises(DatasetError) as raised:
            list(read_rows(path, columns=COLUMNS, what="test"))
        assert "lacks the column(s) 'c'" in str(raised.value)
        assert str(path) in str(raised.value)

    def test_an_empty_file_is_a_dataset_error(self) -> None:
        """A file without even a header raises DatasetError."""
        with data_file(b"") as path, pytest.raises(DatasetError, match="is empty"):
            list(read_rows(path, columns=COLUMNS, what="test"))

    def test_a_missing_file_is_a_dataset_error(self, tmp_path) -> None:
        """A file that cannot be opened raises DatasetError naming it."""
        path = tmp_path / "absent.csv"
        with pytest.raises(DatasetError, match=r"absent\.csv"):
            list(read_rows(path, columns=COLUMNS, what="test"))

    def test_broken_quoting_is_a_dataset_error_naming_the_line(self) -> None:
        """Text the csv module cannot parse raises DatasetError with the line number."""
        with data_file(b'a,b,c\n1,2,3\n4,"5"x,6\n') as path, pytest.raises(DatasetError) as raised:
            list(read_rows(path, columns=COLUMNS, what="test"))
        assert "line 3" in str(raised.value)
