"""Reading the values of a row: numbers, names, labels, dates at their precision."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import When
from chronicle.datasets._fields import integer, label, label_key, name, required, when
from chronicle.datasets._table import Row, RowError

SPACES = st.text(" \t", max_size=3)
LABELS = {label_key(text): text for text in ("Vote, As Scheduled", "Deadline Not Met", "Voided")}


def row(**fields: str) -> Row:
    return Row(7, 8, fields)


def respell(draw: st.DrawFn, text: str) -> str:
    """``text`` with case flipped at random, commas dropped or added, spaces padded."""
    words = text.replace(",", "").split()
    cased = [w.upper() if draw(st.booleans()) else w.lower() for w in words]
    glue = [draw(st.sampled_from([" ", "  ", ", "])) for _ in cased[1:]]
    joined = cased[0] + "".join(g + w for g, w in zip(glue, cased[1:], strict=True))
    return draw(SPACES) + joined + draw(SPACES)


class TestInteger:
    @given(st.integers(0, 10**6), SPACES, SPACES)
    def test_whole_numbers_are_read_through_surrounding_spaces(self, n, before, after) -> None:
        """A whole number with blanks around it reads as that number."""
        assert n == integer(row(x=f"{before}{n}{after}"), "x")

    @given(SPACES)
    def test_blank_is_none(self, blank) -> None:
        """An empty or all-space value is None: the column says nothing."""
        assert None is integer(row(x=blank), "x")

    @given(st.sampled_from(["-1", "1.5", "one", "1 2", "²"]))
    def test_anything_else_is_a_row_error_quoting_it(self, value) -> None:
        """A value that is not a whole number is a RowError naming the column and value."""
        with pytest.raises(RowError) as raised:
            integer(row(x=value), "x")
        assert f"x {value!r} is not a whole number" == str(raised.value)

    def test_required_refuses_a_blank(self) -> None:
        """required() is integer() that refuses a blank, naming the column."""
        with pytest.raises(RowError, match="ccode is blank"):
            required(row(ccode=" "), "ccode")


class TestName:
    @given(st.text(min_size=1).map(str.strip).filter(bool), SPACES, SPACES)
    def test_surrounding_spaces_are_removed_and_noted(self, text, before, after) -> None:
        """A name is stripped; the note quotes the raw value when there was anything to strip."""
        raw = before + text + after
        value, note = name(row(leader=raw), "leader")
        assert text == value
        expected = (
            "" if raw == text else f"leader {raw!r} read as {text!r} (surrounding spaces removed)"
        )
        assert expected == note

    def test_a_blank_name_is_a_row_error(self) -> None:
        """An empty name is a RowError, not an event about nobody."""
        with pytest.raises(RowError, match="leader is blank"):
            name(row(leader="  "), "leader")


class TestLabel:
    @given(st.data(), st.sampled_from(sorted(LABELS.values())))
    def test_variant_spellings_read_as_the_canonical_label(self, data, canonical) -> None:
        """Case, commas and spacing do not matter; the note says when the spelling differed."""
        raw = respell(data.draw, canonical)
        value, note = label(row(event=raw), "event", LABELS)
        assert canonical == value
        assert ("" if raw == canonical else f"event {raw!r} read as {canonical!r}") == note

    def test_an_unknown_label_is_a_row_error_quoting_it(self) -> None:
        """A label that matches none in any spelling is a RowError, never a guess."""
        with pytest.raises(RowError, match="event 'Postponed' is not a known label"):
            label(row(event="Postponed"), "event", LABELS)


class TestWhen:
    @given(st.dates(datetime.date(1000, 1, 1)), SPACES)
    def test_a_full_date_is_a_day(self, day, pad) -> None:
        """Year, month and day give a day."""
        fields = row(y=str(day.year), m=f"{day.month}{pad}", d=f"{pad}{day.day}")
        assert When(day) == when(fields, "y", "m", "d", what="date")

    @given(st.dates(datetime.date(1000, 1, 1)), SPACES)
    def test_a_blank_day_is_a_month_not_a_made_up_day(self, day, blank) -> None:
        """Without a day, the date is the month: no day is invented."""
        result = when(row(y=str(day.year), m=str(day.month), d=blank), "y", "m", "d", what="end")
        assert When(day.strftime("%Y-%m")) == result
        assert "month" == result.precision

    @given(st.integers(1000, 9999))
    def test_a_blank_month_is_a_year(self, year) -> None:
        """Without a month, the date is the year."""
        assert When(str(year)) == when(row(y=str(year), m=""), "y", "m", None, what="end")

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"y": "1991", "m": "2", "d": "30"}, "date 1991-2-30 is not a date: invalid EDTF"),
            ({"y": "1991", "m": "13", "d": ""}, "date 1991-13 is not a date"),
            ({"y": "", "m": "2", "d": "3"}, "date has no year"),
            ({"y": "1991", "m": "", "d": "3"}, "date has a day (3) but no month"),
            ({"y": "1991", "m": "x", "d": "3"}, "m 'x' is not a whole number"),
        ],
    )
    def test_impossible_dates_are_row_errors_saying_why(self, fields, message) -> None:
        """A date that names no day is a RowError quoting its parts."""
        with pytest.raises(RowError) as raised:
            when(row(**fields), "y", "m", "d", what="date")
        assert str(raised.value).startswith(message)
