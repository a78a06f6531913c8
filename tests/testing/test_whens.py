"""chronicle.testing.whens: valid times of every form, inside their bounds."""

from __future__ import annotations

import datetime
import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import InvalidDate, When
from chronicle.testing import whens
from tests.testing.helpers import sample

BOUNDS = st.tuples(st.dates(), st.dates()).map(sorted)


@functools.cache
def _drawn() -> list[When]:
    return sample(whens())


class TestWhens:
    @given(BOUNDS, st.data())
    def test_values_lie_inside_the_bounds(self, bounds: list[datetime.date], data) -> None:
        """Every value's earliest and latest days lie inside [min_value, max_value]."""
        low, high = bounds
        when = data.draw(whens(low, high))
        assert low <= when.earliest <= when.latest <= high

    @given(whens())
    def test_values_are_canonical_edtf(self, when: When) -> None:
        """A drawn value prints as EDTF that parses back to itself."""
        assert when == When(str(when))

    @pytest.mark.parametrize(
        ("form", "holds"),
        [
            ("day", lambda w: w.precision == "day"),
            ("month", lambda w: w.precision == "month"),
            ("year", lambda w: w.precision == "year"),
            ("interval", lambda w: w.is_interval),
            ("uncertain", lambda w: w.uncertain and not w.approximate),
            ("approximate", lambda w: w.approximate and not w.uncertain),
            ("both", lambda w: w.uncertain and w.approximate),
        ],
    )
    def test_every_form_is_drawn(self, form: str, holds) -> None:
        """Days, months, years, intervals and each qualifier all come up."""
        assert any(holds(when) for when in _drawn()), form

    def test_narrow_bounds_give_finer_forms(self) -> None:
        """Bounds of one day give that day, whatever precision is asked for."""
        day = datetime.date(2020, 2, 29)
        for precision in ("day", "month", "year"):
            drawn = whens(day, day, qualified=False, intervals=False, precisions=[precision])
            assert {When("2020-02-29")} == set(sample(drawn, 10))

    @given(whens(precisions=["year"], qualified=False, intervals=False))
    def test_options_restrict_the_forms(self, when: When) -> None:
        """precisions, qualified and intervals leave out the forms not asked for."""
        assert ("year", False, False, False) == (
            when.precision,
            when.uncertain,
            when.approximate,
            when.is_interval,
        )

    def test_reversed_bounds_are_refused(self) -> None:
        """A max_value before min_value is an InvalidDate naming both."""
        with pytest.raises(InvalidDate, match="2020-01-01 is before min_value 2021-01-01"):
            whens(datetime.date(2021, 1, 1), datetime.date(2020, 1, 1))

    @pytest.mark.parametrize("precisions", [[], ["week"]])
    def test_unknown_precisions_are_refused(self, precisions: list[str]) -> None:
        """precisions must name some of day, month and year."""
        with pytest.raises(InvalidDate, match="precisions must be some of"):
            whens(precisions=precisions)  # type: ignore[list-item]
