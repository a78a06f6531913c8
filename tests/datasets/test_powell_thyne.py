"""Importing Powell & Thyne's coups: one CoupOccurred per row, in the stream of its state."""

from __future__ import annotations

import csv
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import DatasetError, Log, When
from chronicle.datasets import DatasetRow, Span, StateCodes, import_powell_thyne
from chronicle.datasets._powell_thyne import parse_coup
from chronicle.datasets._table import RowError, read_rows
from chronicle.politics import CoupOccurred
from tests.datasets.files import PT_FILE, csv_bytes, data_file, file_examples, needs_data

HEADER = ("country", "ccode", "ccode_gw", "ccode_polity", "year", "month", "day", "coup", "version")
STATES = StateCodes(
    {
        432: (Span("MLI", datetime.date(1960, 9, 22), None),),
        436: (Span("NIR", datetime.date(1960, 8, 3), None),),
    }
)
COUNTRIES = {432: "Mali", 436: "Niger"}


@st.composite
def coup_rows(draw: st.DrawFn) -> tuple[str, ...]:
    """A well-formed row: a known state, a real day (or a blank day), 1 or 2."""
    code = draw(st.sampled_from(sorted(COUNTRIES)))
    day = draw(st.dates(datetime.date(1950, 1, 1), datetime.date(2023, 12, 31)))
    blank_day = draw(st.booleans())
    return (
        COUNTRIES[code],
        str(code),
        "",
        "",
        str(day.year),
        str(day.month),
        "" if blank_day else str(day.day),
        draw(st.sampled_from(["1", "2"])),
        "V2023.09.08",
    )


def expected_when(row: tuple[str, ...]) -> When:
    """The date a generated row states: a day, or its month when the day is blank."""
    year, month, day = row[4:7]
    return When(f"{int(year):04d}-{int(month):02d}" + (f"-{int(day):02d}" if day else ""))


def pt_file(rows: list[tuple[str, ...]]) -> bytes:
    return csv_bytes([HEADER, *rows], delimiter="\t")


class TestParseCoup:
    @file_examples
    @given(coup_rows())
    def test_a_row_reads_at_its_precision(self, values) -> None:
        """Country, code, date (a month if the day is blank), outcome and release are read."""
        with data_file(pt_file([values])) as path:
            (row,) = read_rows(path, columns=HEADER, delimiter="\t", what="test")
        coup = parse_coup(row)
        assert (values[0], int(values[1]), expected_when(values), values[7] == "2") == (
            coup.country,
            coup.code,
            coup.occurred,
            coup.successful,
        )

    @pytest.mark.parametrize(
        ("change", "reason"),
        [
            ({7: "3"}, "coup '3' is neither 1 (failed) nor 2 (successful)"),
            ({7: ""}, "coup '' is neither 1 (failed) nor 2 (successful)"),
            ({6: "31", 5: "6"}, "date 2020-6-31 is not a date"),
            ({1: ""}, "ccode is blank"),
            ({8: " "}, "version is blank"),
        ],
    )
    def test_a_bad_value_is_a_row_error_saying_which(self, change, reason) -> None:
        """A row with an impossible value raises RowError quoting it."""
        values = ["Mali", "432", "", "", "2020", "8", "18", "2", "V2023.09.08"]
        for index, value in change.items():
            values[index] = value
        with data_file(pt_file([tuple(values)])) as path:
            (row,) = read_rows(path, columns=HEADER, delimiter="\t", what="test")
        with pytest.raises(RowError) as raised:
            parse_coup(row)
        assert str(raised.value).startswith(reason)


class TestImportPowellThyne:
    @file_examples
    @given(st.lists(coup_rows(), max_size=15))
    def test_each_row_is_one_coup_in_its_state_stream_citing_its_row(self, rows) -> None:
        """Row n becomes a CoupOccurred in its state's stream, dated as the row, citing row n."""
        log = Log()
        with data_file(pt_file(rows), "coups.tsv") as path:
            report = import_powell_thyne(path, log, states=STATES)
        found = {
            DatasetRow.of(r.event.sources[0]).row: (r.stream, r.event)  # type: ignore[union-attr]
            for r in log.read()
        }
        assert len(rows) == report.imported == report.appended == len(found)
        for number, values in enumerate(rows, 1):
            stream, event = found[number]
            assert isinstance(event, CoupOccurred)
            assert ({432: "MLI", 436: "NIR"}[int(values[1])], expected_when(values)) == (
                stream,
                event.occurred,
            )
            assert (values[7] == "2", "", "") == (event.successful, event.ousted, event.seized_by)
            assert f"Global Instances of Coups V2023.09.08, row {number}" == (
                event.sources[0].title
            )

    @file_examples
    @given(st.lists(coup_rows(), min_size=1, max_size=10))
    def test_a_rerun_appends_nothing(self, rows) -> None:
        """Importing the same file twice appends each row once; the second run finds all present."""
        log = Log()
        with data_file(pt_file(rows), "coups.tsv") as path:
            import_powell_thyne(path, log, states=STATES)
            again = import_powell_thyne(path, log, states=STATES)
        assert (0, 0, len(rows)) == (again.imported, again.appended, again.present)
        assert len(rows) == log.head

    def test_bad_rows_are_skipped_with_reasons_and_the_rest_imported(self) -> None:
        """Rows that cannot be mapped are in the report, with number and reason; others go in."""
        rows = [
            ("Mali", "432", "", "", "2020", "8", "18", "2", "V2023.09.08"),
            ("Atlantis", "999", "", "", "2020", "8", "18", "2", "V2023.09.08"),
            ("Mali", "432", "", "", "2021", "2", "30", "2", "V2023.09.08"),
            ("Mali", "432", "", "", "2021", "5", "21", "2", "V2023.09.08"),
        ]
        log = Log()
        with data_file(pt_file(rows), "coups.tsv") as path:
            report = import_powell_thyne(path, log, states=STATES)
        assert [2, 3] == [skip.row for skip in report.skipped]
        first, second = (skip.reason for skip in report.skipped)
        assert "ccode 999 (Atlantis) is not a state code of the REIGN leader list" == first
        assert second.startswith("date 2021-2-30 is not a date: invalid EDTF date '2021-02-30'")
        assert (4, 2, 2) == (report.rows_read, report.imported, log.head)

    def test_a_file_broken_midway_appends_nothing(self) -> None:
        """A file that cannot be read to its end raises DatasetError before any append."""
        good = pt_file([("Mali", "432", "", "", "2020", "8", "18", "2", "V2023.09.08")])
        log = Log()
        with data_file(good + b'"Mali"x\t432\n', "coups.tsv") as path, pytest.raises(DatasetError):
            import_powell_thyne(path, log, states=STATES)
        assert 0 == log.head

    def test_a_file_without_the_columns_appends_nothing(self) -> None:
        """A file of another dataset raises DatasetError naming the missing columns."""
        log = Log()
        with data_file(b"a,b\n1,2\n") as path, pytest.raises(DatasetError, match="'country'"):
            import_powell_thyne(path, log, states=STATES)
        assert 0 == log.head


@needs_data
class TestRealCoupFile:
    def test_every_row_is_imported(self, imported) -> None:
        """All 491 rows of V2023.09.08 map to events: nothing is skipped."""
        report = imported.coups
        assert (491, 491, 491, ()) == (
            report.rows_read,
            report.imported,
            report.appended,
            report.skipped,
        )

    def test_the_known_niger_defect_is_kept_as_given_and_noted(self, imported) -> None:
        """Niger 2023 stays coded 26 June, and both the report and the source say it is wrong."""
        (note,) = [note for note in imported.coups.notes if note.row == 208]
        assert "26 July 2023" in note.note
        (coup,) = [
            r.event
            for r in imported.log.read("NIR")
            if isinstance(r.event, CoupOccurred) and r.event.occurred == When("2023-06-26")
        ]
        assert note.note == coup.sources[0].note

    def test_the_log_holds_the_file_coup_for_coup(self, imported) -> None:
        """Per state, the successful and failed coups in the log are those of the file."""
        with PT_FILE.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        from_file = sorted(
            (
                imported.states.abbreviation(int(r["ccode"]), When(r["year"])),
                datetime.date(int(r["year"]), int(r["month"]), int(r["day"])),
                r["coup"] == "2",
            )
            for r in rows
        )
        from_log = sorted(
            (r.stream, r.event.occurred.earliest, r.event.successful)
            for r in imported.log.read()
            if isinstance(r.event, CoupOccurred)
        )
        assert from_file == from_log
