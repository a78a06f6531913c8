"""Country codes that change with time: the streams to COW, Gleditsch-Ward and ISO codes."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import CountryCodeError, InvalidDate
from chronicle.datasets import countries, state_codes
from chronicle.datasets.countries import COUNTRIES
from tests.datasets.files import LEADER_FILE, needs_data


class TestLookups:
    @pytest.mark.parametrize(
        ("stream", "on", "cow", "gw", "iso", "name"),
        [
            ("GFR", "1970", 260, 260, "DEU", "West Germany"),
            ("GMY", "1985-06-01", 260, 260, "DEU", "West Germany"),
            ("GMY", "1990-10-03", 255, 260, "DEU", "Germany"),
            ("GDR", "1989", 265, 265, "DDR", "East Germany"),
            ("YAR", "1980", 678, 678, "YEM", "North Yemen"),
            ("YEM", "1995", 679, 678, "YEM", "Yemen"),
            ("YPR", "1980", 680, 680, "YMD", "South Yemen"),
            ("DRV", "1970", 816, 816, "VNM", "North Vietnam"),
            ("DRV", "1980", 816, 816, "VNM", "Vietnam"),
            ("RVN", "1970", 817, 817, None, "South Vietnam"),
            ("YUG", "1990", 345, 345, "YUG", "Yugoslavia"),
            ("YUG", "2004", 345, 345, "SCG", "Serbia and Montenegro"),
            ("YUG", "2010", 345, 340, "SRB", "Serbia"),
            ("RUS", "1990", 365, 365, "SUN", "Soviet Union"),
            ("RUS", "1992", 365, 365, "RUS", "Russia"),
            ("CZE", "1990", 315, 315, "CSK", "Czechoslovakia"),
            ("SUD", "2020", 625, 625, "SDN", "Sudan"),
            ("SSD", "2020", 626, 626, "SSD", "South Sudan"),
            ("AUS", "2000", 305, 305, "AUT", "Austria"),
            ("KOS", "2010", 347, 347, None, "Kosovo"),
            ("TUV", "2000", 947, 973, "TUV", "Tuvalu"),
            ("MLI", datetime.date(2021, 5, 24), 432, 432, "MLI", "Mali"),
        ],
    )
    def test_codes_on_a_date(self, stream, on, cow, gw, iso, name) -> None:
        """Each code and the name of a stream on a date, where they change with it."""
        assert (cow, gw, iso, name) == (
            countries.cow_number(stream, on),
            countries.gw_number(stream, on),
            countries.iso3(stream, on),
            countries.name(stream, on),
        )

    def test_reverse_lookups(self) -> None:
        """From a code and a date to the stream, including a number that changes hands."""
        assert "GMY" == countries.from_cow_number(255, "1991")
        assert "YEM" == countries.from_gw_number(678, "1995")
        assert "YAR" == countries.from_gw_number(678, "1985")
        assert "YUG" == countries.from_gw_number(340, "2010")
        assert "AUL" == countries.from_iso3("AUS", "2000")
        assert "CZR" == countries.from_iso3("CZE", "2000")

    def test_what_cannot_be_answered_is_an_error(self) -> None:
        """Unknown streams, dates outside every span, ambiguous dates and codes raise."""
        with pytest.raises(CountryCodeError, match="'XXX' is not in the country table"):
            countries.cow_number("XXX", "2000")
        with pytest.raises(CountryCodeError, match="no line that holds on 1990"):
            countries.cow_number("GMY", "1990")  # the year holds both of GMY's numbers
        with pytest.raises(CountryCodeError, match="several streams"):
            countries.from_cow_number(260, "1985")
        with pytest.raises(InvalidDate):
            countries.name("MLI", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))  # type: ignore[arg-type]
        assert None is countries.name("XXX", "2000", default=None)


class TestTable:
    def test_spans_of_a_stream_do_not_overlap(self) -> None:
        """No day is held by two lines of one stream: a lookup never has two answers."""
        by_stream: dict[str, list[countries.Country]] = {}
        for line in COUNTRIES:
            by_stream.setdefault(line.stream, []).append(line)
        for lines in by_stream.values():
            lines.sort(key=lambda c: c.first or datetime.date.min)
            for a, b in itertools.pairwise(lines):
                assert a.last is not None
                assert b.first is not None
                assert a.last < b.first

    @given(
        st.sampled_from(COUNTRIES), st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 1, 1))
    )
    def test_a_line_is_found_on_every_day_it_holds(self, line, day) -> None:
        """country(stream, day) is the line whose span holds the day."""
        if line.holds(day, day):
            assert line == countries.country(line.stream, day)


@needs_data
class TestAgainstTheLeaderList:
    def test_the_table_has_every_stream_and_its_numbers(self) -> None:
        """Every abbreviation and COW number of REIGN is in the table, on the spell's days."""
        codes = state_codes(LEADER_FILE)
        for number, spans in codes.spans.items():
            for span in spans:
                # REIGN moves Kohl to 255 on 1 October 1990, two days before the unification.
                first = max(span.first, datetime.date(1990, 10, 3)) if number == 255 else span.first
                assert number == countries.cow_number(span.abbreviation, first)
        assert {s.abbreviation for spans in codes.spans.values() for s in spans} == {
            c.stream for c in COUNTRIES
        }
