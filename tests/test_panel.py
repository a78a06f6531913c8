"""Panels: every cell is the replay at its day, under both policies; the grid; the columns."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import (
    InvalidArgument,
    InvalidDate,
    Log,
    Panel,
    panel,
    replay,
)
from chronicle._panel import grid
from chronicle.testing import Chronology, chronologies
from tests.domain import Appointed, Counted, offices, total, trace
from tests.strategies import FIRST, LAST, events

STREAMS = ("a", "b")
CHRONOLOGIES = chronologies(events, streams=STREAMS, max_events=10)
GRIDS = st.one_of(
    st.tuples(st.just("year"), st.sampled_from([None, "12-31", "01-01", "06-30"])),
    st.tuples(st.just("month"), st.sampled_from([None, 1, 15, 31])),
)


def record_times(log: Log) -> list[datetime.datetime | None]:
    """None, and each distinct record time of the log: the known_at worth asking."""
    return [None, *sorted({record.recorded_at for record in log.read()})]


class TestCellsAreReplays:
    @given(CHRONOLOGIES, GRIDS, st.dates(FIRST, LAST), st.integers(0, 40), st.data())
    def test_every_cell_equals_replay_at_its_day(
        self, chronology: Chronology, every_on, start, years, data
    ) -> None:
        """Each cell's states are replay's at its day and known_at, certain and possible."""
        log = chronology.build()
        known_at = data.draw(st.sampled_from(record_times(log)))
        every, on = every_on
        end = min(LAST, start + datetime.timedelta(days=366 * years // 4 + 40))
        result = panel(log, trace, every=every, on=on, start=start, end=end, known_at=known_at)
        expected_days = grid(every, start, end, on=on)
        assert [(s, d) for s in sorted(log.streams()) for d in expected_days] == [
            (cell.stream, cell.date) for cell in result.cells
        ]
        for cell in result.cells:
            ask = {"stream": cell.stream, "as_of": cell.date, "known_at": known_at}
            assert replay(log, trace, **ask) == cell.state
            assert replay(log, trace, **ask, policy="possible") == cell.possible
            assert (cell.state == cell.possible) == cell.certain

    @given(CHRONOLOGIES, st.dates(FIRST, LAST))
    def test_a_daily_panel_matches_replay_on_each_day(self, chronology: Chronology, start) -> None:
        """Every day of a month: the Offices state is replay's, for each stream."""
        log = chronology.build()
        end = start + datetime.timedelta(days=30)
        result = panel(log, offices, every="day", start=start, end=end, streams=["b"])
        assert 31 == len(result)
        for cell in result.cells:
            assert replay(log, offices, stream="b", as_of=cell.date, missing_ok=True) == cell.state


class TestGrid:
    def test_years_on_a_day(self) -> None:
        """One day a year, within the bounds."""
        days = grid("year", datetime.date(2000, 7, 1), datetime.date(2003, 3, 1), on="07-01")
        assert [datetime.date(y, 7, 1) for y in (2000, 2001, 2002)] == days

    def test_months_clip_to_their_last_day(self) -> None:
        """on=31 gives each month's last day; no on gives the last day too."""
        first, last = datetime.date(2024, 1, 1), datetime.date(2024, 4, 30)
        expected = [datetime.date(2024, m, d) for m, d in ((1, 31), (2, 29), (3, 31), (4, 30))]
        assert expected == grid("month", first, last, on=31) == grid("month", first, last)
        assert datetime.date(2024, 2, 15) == grid("month", first, last, on=15)[1]

    @pytest.mark.parametrize(
        ("every", "on"),
        [
            ("week", None),
            ("year", "02-29"),
            ("year", "13-01"),
            ("year", 5),
            ("month", 0),
            ("month", "1"),
            ("day", 1),
        ],
    )
    def test_a_malformed_grid_is_a_query_error(self, every, on) -> None:
        """An unknown period or a day not every period has is refused, naming the value."""
        with pytest.raises(InvalidArgument, match=repr(on) if on is not None else "week"):
            panel(Log(), total, every=every, on=on, start="2000", end="2001")


class TestColumns:
    def log(self) -> Log:
        log = Log()
        log.append("b", [Appointed(occurred="2020-03-01", office="president", name="Keïta")])
        log.append("a", [Counted(occurred="2020", amount=5), Counted(occurred="2021-02", amount=1)])
        return log

    def test_default_columns_and_certainty(self) -> None:
        """A non-attrs state is one 'state' column; a year-long event makes a cell uncertain."""
        result = panel(self.log(), total, start="2020-06-30", end="2021", every="year", on="06-30")
        assert ("stream", "date", "state", "certain") == result.columns
        assert [
            {"stream": "a", "date": datetime.date(2020, 6, 30), "state": 0, "certain": False},
            {"stream": "a", "date": datetime.date(2021, 6, 30), "state": 6, "certain": True},
            {"stream": "b", "date": datetime.date(2020, 6, 30), "state": 0, "certain": True},
            {"stream": "b", "date": datetime.date(2021, 6, 30), "state": 0, "certain": True},
        ] == list(result)

    def test_possible_columns_and_names(self) -> None:
        """possible=True adds the other policy's values; names= adds a name column."""
        result = panel(
            self.log(),
            total,
            on="06-30",
            start="2020",
            end="2020",
            streams=["a"],
            names=lambda stream, day: f"{stream.upper()} {day.year}",
            possible=True,
        )
        assert ("stream", "date", "name", "state", "certain", "possible.state") == result.columns
        assert [("a", datetime.date(2020, 6, 30), "A 2020", 0, False, 5)] == list(result.rows)

    def test_attrs_states_are_flattened(self) -> None:
        """An attrs state's fields are columns; a user function chooses others."""
        log = self.log()
        flat = panel(log, offices, start="2020-12-31", end="2020", streams=["b"])
        assert ("stream", "date", "holders", "certain") == flat.columns
        assert '[["president", "Keïta"]]' == flat.column("holders")[0]
        chosen = panel(
            log, offices, start="2020", end="2020", columns=lambda s: {"head": s.get("president")}
        )
        assert (None, "Keïta") == chosen.column("head")

    def test_keep_leaves_rows_out(self) -> None:
        """keep=(stream, day) -> bool leaves out the rows it refuses, and only those."""
        result = panel(
            self.log(),
            total,
            start="2020",
            end="2021",
            keep=lambda s, d: (s, d.year) != ("a", 2020),
        )
        assert [("a", 2021), ("b", 2020), ("b", 2021)] == [
            (row["stream"], row["date"].year)
            for row in result  # type: ignore[union-attr]
        ]
        assert [(c.stream, c.date.year) for c in result.cells] == [
            (row["stream"], row["date"].year)
            for row in result  # type: ignore[union-attr]
        ]

    def test_a_column_named_like_the_panels_own_is_refused(self) -> None:
        """A state column called 'date' would hide the day: a InvalidArgument says so."""
        with pytest.raises(InvalidArgument, match="'date'"):
            panel(self.log(), total, start="2020", end="2020", columns=lambda s: {"date": s})

    def test_bounds_default_to_the_events_and_malformed_ones_are_refused(self) -> None:
        """Without bounds the grid spans the events' days; a datetime bound is an InvalidDate."""
        result = panel(self.log(), total, every="month", on=1)
        dates = result.column("date")
        assert (datetime.date(2020, 1, 1), datetime.date(2021, 2, 1)) == (min(dates), max(dates))
        assert isinstance(result, Panel)
        with pytest.raises(InvalidDate):
            panel(self.log(), total, start=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    def test_an_empty_log_gives_an_empty_panel(self) -> None:
        """No events and no bounds: no rows."""
        assert 0 == len(panel(Log(), total))
