"""The layout rules of the figures: year ticks, colours, labels spread apart, names of states."""

from __future__ import annotations

import collections
import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle._cli._choices import close_matches
from chronicle._cli._names import STATE_NAMES, display_name
from chronicle._cli._plot_labels import widest_gaps
from chronicle._cli._plot_layout import MAX_TICKS, band_colours, spread, year_ticks
from chronicle.datasets._table import read_rows
from tests.datasets.files import ELECTION_FILE, LEADER_FILE, PT_FILE, needs_data

DAYS = st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))


class TestYearTicks:
    @given(DAYS, DAYS)
    def test_few_labels_evenly_spaced(self, one: datetime.date, other: datetime.date) -> None:
        """Any span gets at most MAX_TICKS labels, on years a step apart, inside the span."""
        first, last = min(one, other), max(one, other)
        ticks = year_ticks(first, last)
        assert len(ticks.labels) <= MAX_TICKS
        days = [day for day, _ in ticks.labels]
        assert all(first <= day <= last for day in days)
        assert all(b.year - a.year == ticks.step for a, b in itertools.pairwise(days))
        assert [str(day.year) for day in days] == [label for _, label in ticks.labels]

    @given(DAYS, st.integers(0, 10))
    def test_every_year_when_it_fits(self, first: datetime.date, years: int) -> None:
        """A span of up to ten years labels every year it covers the middle of."""
        if first.year + years > 9999:
            return
        last = first.replace(year=first.year + years, month=12, day=31)
        ticks = year_ticks(first, last)
        assert 1 == ticks.step
        expected = [y for y in range(first.year, last.year + 1) if datetime.date(y, 7, 2) >= first]
        assert [str(year) for year in expected] == [label for _, label in ticks.labels]

    def test_fifty_eight_years(self) -> None:
        """Mali's REIGN stream (1958-2022) is labelled every ten years."""
        ticks = year_ticks(datetime.date(1958, 1, 1), datetime.date(2022, 1, 1))
        assert 10 == ticks.step
        assert ["1960", "1970", "1980", "1990", "2000", "2010", "2020"] == [
            label for _, label in ticks.labels
        ]


class TestBandColours:
    @given(st.integers(0, 300))
    def test_distinct(self, count: int) -> None:
        """However many leaders, each gets a colour of their own, pale enough to write on."""
        colours = band_colours(count)
        assert count == len(colours) == len(set(colours))
        for colour in colours:
            red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
            assert 0.2126 * red + 0.7152 * green + 0.0722 * blue > 140  # dark ink reads on it

    def test_seventh_leader(self) -> None:
        """The seventh leader no longer shares the first one's colour (Keïta and Ba N'Daou)."""
        colours = band_colours(7)
        assert colours[6] != colours[0]


class TestSpread:
    @given(
        st.lists(st.floats(0, 1000), max_size=40).map(sorted),
        st.floats(1, 50),
        st.lists(st.floats(0, 1000), max_size=10),
    )
    def test_apart_in_order(self, wanted: list[float], width: float, avoid: list[float]) -> None:
        """Labels keep their order, lie a width apart, and within bounds when they fit there."""
        low, high = 0.0, 1000.0
        centres = spread(wanted, width, low, high, avoid)
        assert len(wanted) == len(centres)
        assert all(b - a >= width - 1e-6 for a, b in itertools.pairwise(centres))
        assert all(centre <= high + 1e-6 for centre in centres)
        if len(wanted) * width <= high - low:
            assert all(centre >= low - 1e-6 for centre in centres)

    @given(st.lists(st.floats(0, 1000), max_size=20).map(sorted))
    def test_unmoved_when_apart(self, wanted: list[float]) -> None:
        """Labels already a width apart, in bounds and clear of lines, stay where they are."""
        width = 1.0
        if any(b - a < width for a, b in itertools.pairwise(wanted)):
            return
        assert wanted == spread(wanted, width, -10.0, 2000.0)

    def test_clear_of_lines(self) -> None:
        """A label pushed along does not come to rest on another coup's line."""
        assert [5.0, 25.0] == spread([5.0, 7.0], 10.0, 0.0, 100.0, avoid=[0.0, 12.0, 20.0])

    def test_unsorted(self) -> None:
        """The wanted places must be in order."""
        with pytest.raises(ValueError, match="sorted"):
            spread([3.0, 1.0], 1.0, 0.0, 10.0)


class TestWidestGaps:
    @given(st.lists(st.floats(-1e6, 1e6)), st.floats(-1e6, 0), st.floats(1, 1e6))
    def test_middle_of_the_widest(self, points: list[float], first: float, last: float) -> None:
        """The first place is inside the range, with no point nearer to it than the widest gap."""
        middle = widest_gaps(points, first, last)[0]
        inside = sorted(p for p in points if first < p < last)
        widest = max(b - a for a, b in itertools.pairwise([first, *inside, last]))
        assert first <= middle <= last
        assert all(abs(p - middle) >= widest / 2 - 1e-6 for p in inside)


class TestNames:
    @pytest.mark.parametrize(
        ("stream", "name"),
        [("MLI", "Mali"), ("BFO", "Burkina Faso"), ("THI", "Thailand"), ("mali", "Mali"),
         ("burkina faso", "Burkina faso"), ("GFR", "GFR"), ("Niger-2", "Niger-2"), ("", "")],
    )  # fmt: skip
    def test_display_name(self, stream: str, name: str) -> None:
        """A dataset code is named as the datasets name its country; lower case is capitalised."""
        assert name == display_name(stream)

    @needs_data
    def test_table_is_what_the_datasets_give(self) -> None:
        """STATE_NAMES is the join of the leader list's codes with the countries the files name."""
        codes = collections.defaultdict(set)
        for row in read_rows(LEADER_FILE, columns=("stateabb", "ccode"), what="leaders"):
            codes[row.raw("ccode").strip()].add(row.raw("stateabb").strip())
        named: dict[str, collections.Counter[str]] = {}
        for path, delimiter in ((ELECTION_FILE, ","), (PT_FILE, "\t")):
            found = collections.defaultdict(collections.Counter)
            for row in read_rows(path, columns=("ccode", "country"), delimiter=delimiter, what="x"):
                found[row.raw("ccode").strip()][row.raw("country").strip()] += 1
            for code, counter in found.items():
                named.setdefault(code, counter)
        expected = {
            next(iter(abbreviations)): named[code].most_common(1)[0][0]
            for code, abbreviations in codes.items()
            if len(abbreviations) == 1 and code in named
        }
        assert expected == dict(STATE_NAMES)


class TestCloseMatches:
    def test_case_alone(self) -> None:
        """A name that differs only in case is the one meant, alone."""
        assert ["MLI"] == close_matches("mli", ["MLT", "MLI", "MSI"])

    def test_misspelt(self) -> None:
        """A misspelling is matched to the close names, the closest first."""
        assert "president" == close_matches("presidnet", ["executive", "president"])[0]

    def test_nothing_close(self) -> None:
        """A name close to none has no match."""
        assert [] == close_matches("zzz", ["MLI", "BFO"])
