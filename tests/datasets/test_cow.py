"""State codes derived from the leader list: code -> abbreviation, by date where ambiguous."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import When
from chronicle.datasets import StateCodes, state_codes
from chronicle.datasets._cow import Span
from chronicle.datasets._table import RowError
from tests.datasets.files import LEADER_FILE, csv_bytes, data_file, needs_data

HEADER = ("stateabb", "ccode", "leader", "sdate", "smonth", "syear", "emonth", "eyear")


def leader_file(*rows: tuple[str, ...]) -> bytes:
    return csv_bytes([HEADER, *rows])


GERMANY = leader_file(
    ("GFR", "260", "Adenauer", "16", "9", "1949", "10", "1963"),
    ("GFR", "260", "Schmidt", "16", "5", "1974", "9", "1990"),
    ("GMY", "260", "Kohl", "3", "10", "1990", "10", "1998"),
    ("GMY", "260", "Merkel", "22", "11", "2005", "", ""),
    ("MLI", "432", "Keita", "22", "9", "1960", "11", "1968"),
    ("MLI", "432", "broken", "x", "9", "1960", "", ""),
)


def germany() -> StateCodes:
    with data_file(GERMANY) as path:
        return state_codes(path)


CODES = germany()


class TestStateCodes:
    def test_spans_run_from_the_first_start_to_the_last_end_month(self) -> None:
        """A code's spans run from its first leader's start to the end of its last end month."""
        codes = germany()
        assert (
            Span("GFR", datetime.date(1949, 9, 16), datetime.date(1990, 9, 30)),
            Span("GMY", datetime.date(1990, 10, 3), None),
        ) == codes.spans[260]
        assert (Span("MLI", datetime.date(1960, 9, 22), datetime.date(1968, 11, 30)),) == (
            codes.spans[432]
        )

    @given(st.dates(datetime.date(1800, 1, 1)))
    def test_a_code_with_one_abbreviation_maps_to_it_at_any_date(self, day) -> None:
        """An unambiguous code names its state whatever the date, even outside its span."""
        codes = StateCodes({432: (Span("MLI", datetime.date(1960, 9, 22), None),)})
        assert "MLI" == codes.abbreviation(432, When(day))

    @given(st.dates(datetime.date(1949, 9, 16), datetime.date(2030, 12, 31)))
    def test_an_ambiguous_code_maps_by_the_span_that_holds_the_date(self, day) -> None:
        """Code 260 is GFR up to September 1990 and GMY from 3 October 1990."""
        codes = CODES
        if datetime.date(1990, 10, 1) <= day < datetime.date(1990, 10, 3):
            with pytest.raises(RowError, match="falls in none"):
                codes.abbreviation(260, When(day))
        else:
            expected = "GFR" if day < datetime.date(1990, 10, 1) else "GMY"
            assert expected == codes.abbreviation(260, When(day))

    def test_a_date_in_two_spans_is_an_error_not_a_guess(self) -> None:
        """A month that overlaps both spans picks neither."""
        with pytest.raises(RowError, match="more than one"):
            CODES.abbreviation(260, When("1990"), country="Germany")

    def test_an_unknown_code_is_an_error_naming_the_country(self) -> None:
        """A code absent from the leader list is a RowError naming the code and country."""
        with pytest.raises(RowError) as raised:
            StateCodes({}).abbreviation(533, When("2019"), country="Malawi")
        assert "ccode 533 (Malawi) is not a state code of the REIGN leader list" == str(
            raised.value
        )


@needs_data
class TestRealLeaderList:
    def test_mali_is_432_and_germany_is_the_only_ambiguous_code(self) -> None:
        """In REIGN's list, 432 is MLI, and only 260 (GFR, GMY) has two abbreviations."""
        codes = state_codes(LEADER_FILE)
        assert "MLI" == codes.abbreviation(432, When("2021-05-21"))
        assert {260: ("GFR", "GMY")} == {
            code: tuple(span.abbreviation for span in spans)
            for code, spans in codes.spans.items()
            if len(spans) > 1
        }


@needs_data
class TestCovers:
    def test_the_leader_list_covers_a_state_from_its_first_leader_to_its_end(self) -> None:
        """Czechoslovakia is covered until December 1992, the Czech Republic from 1993."""
        codes = state_codes(LEADER_FILE)
        assert codes.covers("CZE", datetime.date(1992, 12, 31))
        assert not codes.covers("CZE", datetime.date(1993, 1, 1))
        assert codes.covers("CZR", datetime.date(1993, 1, 1))
        assert not codes.covers("MLI", datetime.date(1960, 9, 21))
        assert codes.covers("MLI", datetime.date(2030, 1, 1))  # Goïta is still in office
        assert not codes.covers("XXX", datetime.date(2000, 1, 1))
