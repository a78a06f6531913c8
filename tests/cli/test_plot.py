"""``chronicle plot``: the figure of the Mali chronology, and what it is drawn from."""

from __future__ import annotations

import datetime
import itertools
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import When, history
from chronicle._cli._plot import _widest_gap, draw
from chronicle._cli._plot_data import human, read
from chronicle.politics import HeadOfState
from tests.cli.conftest import run
from tests.domain import Appointed

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class TestPlot:
    def test_renders_a_png(self, shared_mali: Path, tmp_path: Path) -> None:
        """plot --out chart.png writes a PNG of the figure's size, with more than a few colours."""
        from matplotlib.image import imread

        out = tmp_path / "chart.png"
        result = run("plot", shared_mali, "--out", out)
        assert 0 == result.exit_code, result.output
        assert PNG_SIGNATURE == out.read_bytes()[:8]
        pixels = imread(out)
        assert (1230, 1650) == pixels.shape[:2]
        colours = {tuple(p) for p in pixels.reshape(-1, pixels.shape[2])[::97]}
        assert len(colours) > 50

    def test_renders_an_svg_with_its_captions(self, shared_mali: Path, tmp_path: Path) -> None:
        """plot --out chart.svg writes an SVG that holds the title, the leaders and the dates."""
        out = tmp_path / "chart.svg"
        assert 0 == run("plot", shared_mali, "--out", out, "--title", "Mali, 2019-2025").exit_code
        text = out.read_text("utf-8")
        with chronicle.open(shared_mali) as log:
            chronology = read(log, stream="mali", office="president")
        for caption in ["Mali, 2019-2025", *(t.name for t in chronology.tenures[1:])]:
            assert caption in text

    def test_the_last_promise_is_drawn_uncertain(self, shared_mali: Path) -> None:
        """The 2027 claim, whose order with the charter is unknown, reads "2027 or no date"."""
        from matplotlib.text import Text

        with chronicle.open(shared_mali) as log:
            chronology = read(log, stream="mali", office="president")
        figure = draw(chronology, office="president", title=None)
        texts = [text.get_text() for text in figure.findobj(Text)]
        assert "2027 or no date\npostponed by Aug 2025, order unknown" in texts

    def test_unknown_format_fails_before_reading(self, tmp_path: Path) -> None:
        """An --out whose suffix names no format is refused, even before the log is opened."""
        result = run("plot", tmp_path / "missing.jsonl", "--out", tmp_path / "chart.gif")
        assert 1 == result.exit_code
        assert "end the name in .png, .svg, .pdf" in result.stderr

    def test_several_streams_need_one_chosen(self, mali: Path, tmp_path: Path) -> None:
        """A log of several streams is drawn one stream at a time."""
        with chronicle.open(mali) as log:
            log.append("niger", [Appointed(occurred="2023-07-26", office="p", name="x")])
        result = run("plot", mali, "--out", tmp_path / "chart.png")
        assert 1 == result.exit_code
        assert "choose one with --stream" in result.stderr
        assert 0 == run("plot", mali, "--out", tmp_path / "c.png", "--stream", "mali").exit_code

    def test_without_matplotlib(self, shared_mali: Path, tmp_path: Path, monkeypatch) -> None:
        """Without matplotlib, plot says which extra to install."""
        monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
        result = run("plot", shared_mali, "--out", tmp_path / "chart.png")
        assert 1 == result.exit_code
        assert "pip install 'chronicle[plot]'" in result.stderr

    def test_empty_log(self, tmp_path: Path) -> None:
        """A log with no event has nothing to draw, and says so."""
        empty = tmp_path / "empty.jsonl"
        empty.touch()
        result = run("plot", empty, "--out", tmp_path / "chart.png")
        assert 1 == result.exit_code
        assert "no event to draw" in result.stderr


class TestRead:
    def test_tenures_follow_the_head_of_state(self, shared_mali: Path) -> None:
        """Tenures are the heads of state in order, one per person in a row, end to end."""
        with chronicle.open(shared_mali) as log:
            chronology = read(log, stream="mali", office="president")
            names = [s.current.name for _, s in history(log, HeadOfState) if s.current]
        tenures = chronology.tenures
        assert [name for name, _ in itertools.groupby(names)] == [t.name for t in tenures]
        for before, after in itertools.pairwise(tenures):
            assert before.until == after.since.latest
        assert chronology.last == tenures[-1].until

    def test_the_promises_whose_order_decides(self, shared_mali: Path) -> None:
        """The drift's open promises are the charter's and the article's; 2027 or no date stands."""
        with chronicle.open(shared_mali) as log:
            chronology = read(log, stream="mali", office="president")
        assert (["2027", None], ["2025-07-08", "2023-09/2025-08"]) == (
            [None if date is None else str(date) for date in chronology.alternatives],
            [str(promise.made) for promise in chronology.undecided],
        )

    def test_a_certain_drift_has_no_alternatives(self, mali: Path) -> None:
        """Without the article's claim, the promise in force is certain: nothing is open."""
        with chronicle.open(mali) as log:
            [claim] = [
                r for r in log.read() if str(getattr(r.event, "occurred", "")) == "2023-09/2025-08"
            ]
            log.append("mali", [chronicle.Retracted(target=claim.id, reason="undated")])
            chronology = read(log, stream="mali", office="president")
        assert ((), ()) == (chronology.alternatives, chronology.undecided)

    def test_axis_ends_on_a_year_after_the_record(self, shared_mali: Path) -> None:
        """The axis starts on 1 January before the first coup or promise and ends on a 1 January."""
        with chronicle.open(shared_mali) as log:
            chronology = read(log, stream="mali", office="president")
        first = min([c.occurred.earliest for c in chronology.coups])
        assert datetime.date(first.year - 1, 1, 1) == chronology.start
        assert (1, 1) == (chronology.end.month, chronology.end.day)
        assert chronology.end - chronology.last >= datetime.timedelta(days=180)


class TestHuman:
    @given(st.dates(datetime.date(1000, 1, 1)))
    def test_day(self, day: datetime.date) -> None:
        """A day reads "18 Aug 2020"."""
        assert f"{day.day} {day:%b} {day.year}" == human(When(day))

    @given(st.dates(datetime.date(1000, 1, 1)))
    def test_month_year_interval(self, day: datetime.date) -> None:
        """A month reads "Aug 2020", a year "2020", an interval "by" its end."""
        month, year = When(f"{day:%Y-%m}"), When(f"{day:%Y}")
        assert f"{day:%b} {day.year}" == human(month)
        assert str(day.year) == human(year)
        assert f"by {human(month)}" == human(When.between(year, month))


class TestWidestGap:
    @given(st.lists(st.floats(-1e6, 1e6)), st.floats(-1e6, 0), st.floats(1, 1e6))
    def test_middle_of_a_free_stretch(self, points: list[float], first, last) -> None:
        """The place chosen is inside the range, and no point lies nearer to it than a wider gap."""
        middle = _widest_gap(points, first, last)
        inside = sorted(p for p in points if first < p < last)
        edges = [first, *inside, last]
        widest = max(b - a for a, b in itertools.pairwise(edges))
        assert first <= middle <= last
        assert all(abs(p - middle) >= widest / 2 - 1e-6 for p in inside)
