"""``chronicle plot``: the figure of a chronology, checked on its layout as well as its pixels.

The layout tests read the figure back from matplotlib's renderer: no two texts
overlap, an axis has few year labels, the key lies inside the figure and off the
panels, every leader has a colour of their own. They run on the Mali example and
on three streams of the public datasets (Mali, Burkina Faso, Thailand), and save
each figure in the ``artifacts`` folder, for a person to look at.
"""

from __future__ import annotations

import datetime
import itertools
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

import chronicle
import chronicle._replay._api
import chronicle._replay._possible
from chronicle import Log, Retracted, Source, When, history
from chronicle._cli._plot import draw
from chronicle._cli._plot_data import Chronology, human, read
from chronicle._cli._plot_layout import MAX_TICKS
from chronicle._stores._sql import SqlFoldReader
from chronicle.politics import (
    Count,
    CoupOccurred,
    ElectionHeld,
    ElectionPostponed,
    ElectionScheduled,
    HeadOfState,
    HeadOfStateInstalled,
    OfficersArrested,
)
from tests.cli import figures
from tests.cli.conftest import run

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DATASET_STREAMS = {"MLI": "Mali", "BFO": "Burkina Faso", "THI": "Thailand"}
"""The dataset streams drawn, and the name each figure's title must give."""


def figure_of(log_path: Path, stream: str, office: str | None = None) -> Figure:
    with chronicle.open(log_path) as log:
        return draw(read(log, stream=stream, office=office), title=None)


def check_layout(figure: Figure) -> None:
    """The layout laws every figure keeps, read back from the renderer."""
    assert [] == [f"{a} overlaps {b}" for a, b in figures.overlapping(figure)]
    for axis, labels in figures.year_labels(figure).items():
        assert len(labels) <= MAX_TICKS, f"{axis}: {labels}"
    whole = figure.bbox
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    for legend in figures.legends(figure):
        box = legend.get_window_extent(renderer)
        assert figures.inside(box, whole), f"the key runs off the figure: {box} in {whole}"
        for panel in figures.panels(figure):
            assert not box.overlaps(panel.get_window_extent(renderer)), "the key is on a panel"
    for shown in figures.texts(figure):
        assert figures.inside(shown.box, whole), f"{shown} runs off the figure"
    colours = figures.band_colours(figure)
    assert len(set(colours.values())) == len(colours), f"leaders share a colour: {colours}"


def title_of(figure: Figure) -> str:
    suptitle = figure.get_suptitle()
    assert isinstance(suptitle, str)
    return suptitle


def shown_texts(figure: Figure) -> list[str]:
    return [shown.text for shown in figures.texts(figure)]


class TestExample:
    def test_layout(self, shared_mali: Path, artifacts: Path) -> None:
        """The Mali example's figure keeps the layout laws; its title says the vote recedes."""
        figure = figure_of(shared_mali, "mali")
        figures.save(figure, artifacts, "plot-mali-example")
        check_layout(figure)
        assert "Mali: the promised vote keeps receding" == title_of(figure)

    def test_renders_a_png(self, shared_mali: Path, tmp_path: Path) -> None:
        """plot --out chart.png writes a PNG of the figure's size, with more than a few colours."""
        from matplotlib.image import imread

        out = tmp_path / "chart.png"
        result = run("plot", shared_mali, "--out", out)
        assert 0 == result.exit_code, result.output
        assert PNG_SIGNATURE == out.read_bytes()[:8]
        pixels = imread(out)
        assert 1650 == pixels.shape[1]
        colours = {tuple(p) for p in pixels.reshape(-1, pixels.shape[2])[::97]}
        assert len(colours) > 50

    def test_renders_an_svg_with_its_captions(self, shared_mali: Path, tmp_path: Path) -> None:
        """plot --out chart.svg writes an SVG that holds the title, the leaders and the dates."""
        out = tmp_path / "chart.svg"
        assert 0 == run("plot", shared_mali, "--out", out, "--title", "Mali, 2019-2025").exit_code
        text = out.read_text("utf-8")
        for caption in ["Mali, 2019-2025", "Assimi Goïta", "parties dissolved, 13 May 2025"]:
            assert caption in text


class TestDatasets:
    @pytest.mark.parametrize("stream", list(DATASET_STREAMS))
    def test_layout(self, datasets_db: Path, artifacts: Path, stream: str) -> None:
        """A dataset stream's figure keeps the layout laws, over sixty years and many leaders."""
        figure = figure_of(datasets_db, stream)
        figures.save(figure, artifacts, f"plot-datasets-{stream}")
        check_layout(figure)

    @pytest.mark.parametrize(("stream", "name"), DATASET_STREAMS.items())
    def test_title_names_the_state(self, datasets_db: Path, stream: str, name: str) -> None:
        """The title names the state ("Mali"), not its code ("Mli", "MLI")."""
        title = title_of(figure_of(datasets_db, stream))
        assert title.startswith(f"{name}: ")
        assert stream.title() not in title

    def test_mali_coups_labelled_apart(self, datasets_db: Path) -> None:
        """Mali's coups of 1991, 2012 and 2020-2021 are each labelled, none over another."""
        texts = shown_texts(figure_of(datasets_db, "MLI"))
        for label in (
            "coup, 26 Mar 1991",
            "failed coup, 14 Jul 1991",
            "coup, 22 Mar 2012",
            "coup, 18 Aug 2020",
            "coup, 21 May 2021",
        ):
            assert label in texts

    @pytest.mark.parametrize(
        ("stream", "caption"),
        [("MLI", "29 Jul 2023\npromised Mar 2021"), ("BFO", "30 Nov 2025\npromised Mar 2021")],
    )
    def test_promise_in_force_captioned(self, datasets_db: Path, stream: str, caption: str) -> None:
        """The date promised last, at the top right corner, keeps its caption."""
        assert caption in shown_texts(figure_of(datasets_db, stream))

    def test_no_receding_without_drift(self, datasets_db: Path) -> None:
        """The title claims the vote recedes only where the vote in force was put off."""
        with chronicle.open(datasets_db) as log:
            chronology = read(log, stream="MLI")
        assert 0 == chronology.current.postponements
        assert "receding" not in title_of(draw(chronology, title=None))

    def test_default_office_is_one_the_stream_has(self, datasets_db: Path) -> None:
        """REIGN's streams vote for "executive": it is drawn by default, with its promises."""
        with chronicle.open(datasets_db) as log:
            chronology = read(log, stream="MLI")
        assert "executive" == chronology.office
        assert ("executive", "referendum") == chronology.offices
        assert chronology.promises

    def test_office_the_stream_lacks(self, datasets_db: Path, tmp_path: Path) -> None:
        """--office president on a stream without it is an error that lists its offices."""
        result = run(
            "plot", datasets_db, "-s", "MLI", "--office", "president", "-o", tmp_path / "x.png"
        )
        assert 1 == result.exit_code
        assert (
            "no election office 'president' in stream 'MLI' (there are: 'executive',"
            " 'referendum')" in result.stderr
        )
        assert not (tmp_path / "x.png").exists()

    def test_stream_misspelt(self, datasets_db: Path, tmp_path: Path) -> None:
        """A stream that is not in the log is an error that names the close matches."""
        result = run("plot", datasets_db, "-s", "mli", "-o", tmp_path / "x.png")
        assert 1 == result.exit_code
        assert "did you mean 'MLI'?" in result.stderr

    def test_several_streams_listed_briefly(self, datasets_db: Path, tmp_path: Path) -> None:
        """Without --stream, a log of 200 streams is an error naming a few and counting the rest."""
        result = run("plot", datasets_db, "-o", tmp_path / "x.png")
        assert 1 == result.exit_code
        assert "holds 200 streams" in result.stderr
        assert "and 188 more): choose one with --stream" in result.stderr


class TestErrors:
    def test_unknown_format_fails_before_reading(self, tmp_path: Path) -> None:
        """An --out whose suffix names no format is refused, even before the log is opened."""
        result = run("plot", tmp_path / "missing.jsonl", "--out", tmp_path / "chart.gif")
        assert 1 == result.exit_code
        assert "end the name in .png, .svg, .pdf" in result.stderr

    def test_several_streams_need_one_chosen(self, mali: Path, tmp_path: Path) -> None:
        """A log of several streams is drawn one stream at a time."""
        with chronicle.open(mali) as log:
            log.append("niger", [HeadOfStateInstalled(occurred="2023-07-26", name="x", title="y")])
        result = run("plot", mali, "--out", tmp_path / "chart.png")
        assert 1 == result.exit_code
        assert "choose one with --stream" in result.stderr
        assert 0 == run("plot", mali, "--out", tmp_path / "c.png", "--stream", "mali").exit_code

    def test_stream_with_capital(self, shared_mali: Path, tmp_path: Path) -> None:
        """-s Mali for the stream mali is an error that suggests it."""
        result = run("plot", shared_mali, "-s", "Mali", "-o", tmp_path / "x.png")
        assert 1 == result.exit_code
        assert "did you mean 'mali'?" in result.stderr

    def test_office_misspelt(self, shared_mali: Path, tmp_path: Path) -> None:
        """--office presidnet is an error that suggests president."""
        result = run("plot", shared_mali, "--office", "presidnet", "-o", tmp_path / "x.png")
        assert 1 == result.exit_code
        assert "did you mean 'president'?" in result.stderr

    def test_stream_with_every_event_retracted(self, tmp_path: Path) -> None:
        """A stream whose events are all retracted has nothing to draw, and says so."""
        path = tmp_path / "log.jsonl"
        with chronicle.open(path) as log:
            (record,) = log.append(
                "niger", [HeadOfStateInstalled(occurred="2023", name="x", title="y")]
            )
            log.append("niger", [Retracted(target=record.id, reason="wrong")])
        result = run("plot", path, "-o", tmp_path / "x.png")
        assert 1 == result.exit_code
        assert "stream 'niger' holds no event to draw" in result.stderr

    def test_without_matplotlib(self, shared_mali: Path, tmp_path: Path, monkeypatch) -> None:
        """Without matplotlib, plot says which extra to install."""
        monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
        result = run("plot", shared_mali, "--out", tmp_path / "chart.png")
        assert 1 == result.exit_code
        assert "pip install 'chronicle-history[plot]'" in result.stderr

    def test_empty_log(self, tmp_path: Path) -> None:
        """A log with no event has nothing to draw, and says so."""
        empty = tmp_path / "empty.jsonl"
        empty.touch()
        result = run("plot", empty, "--out", tmp_path / "chart.png")
        assert 1 == result.exit_code
        assert "no event to draw" in result.stderr


def crowded_log(leaders: int, coups: int) -> Log:
    """A stream of ``leaders`` leaders one after another and ``coups`` coups, no source cited."""
    log = Log()
    start = datetime.date(1950, 1, 1)
    events: list[chronicle.Event] = [
        HeadOfStateInstalled(
            occurred=start + datetime.timedelta(days=400 * index),
            name=f"Leader Number{index}",
            title="President",
        )
        for index in range(leaders)
    ]
    events += [
        CoupOccurred(
            occurred=start + datetime.timedelta(days=300 * index + 7), successful=index % 3 > 0
        )
        for index in range(coups)
    ]
    log.append("x", events)
    return log


class TestCrowded:
    def test_many_leaders_and_no_sources(self, artifacts: Path) -> None:
        """Forty leaders, thirty coups: the key stays on the figure; no "Sources: ." footer."""
        log = crowded_log(40, 30)
        figure = draw(read(log, stream="x"), title=None)
        figures.save(figure, artifacts, "plot-crowded")
        check_layout(figure)
        texts = shown_texts(figure)
        assert not any("Sources:" in text for text in texts)
        assert any(text.startswith("and ") and "earlier leaders" in text for text in texts)
        assert "X: who ruled, and the coups" == title_of(figure)

    def test_sources_named(self, shared_mali: Path) -> None:
        """With sources, the footer names the most cited publishers."""
        texts = shown_texts(figure_of(shared_mali, "mali"))
        (footer,) = [text for text in texts if "Sources:" in text]
        assert "Sources: Reuters, unnamed news outlet, Government of Mali," in footer


_DAY = st.integers(0, 60 * 365)


@st.composite
def chronologies(draw: st.DrawFn) -> Chronology:
    """A random politics stream: leaders, coups, promised votes (some put off), arrests."""
    start = datetime.date(1950, 1, 1)

    def day(offset: int) -> datetime.date:
        return start + datetime.timedelta(days=offset)

    events: list[chronicle.Event] = []
    names = [f"Leader {index}" for index in range(draw(st.integers(1, 40)))]
    for offset in draw(st.lists(_DAY, max_size=60)):
        events.append(
            HeadOfStateInstalled(
                occurred=day(offset), name=draw(st.sampled_from(names)), title="head"
            )
        )
    for offset in draw(st.lists(_DAY, max_size=20)):
        events.append(CoupOccurred(occurred=day(offset), successful=draw(st.booleans())))
    for offset in draw(st.lists(_DAY, max_size=30)):
        ahead = day(offset + draw(st.integers(1, 900)))
        kind = draw(st.sampled_from(["scheduled", "postponed", "held"]))
        if kind == "scheduled":
            events.append(
                ElectionScheduled(occurred=day(offset), office="president", for_date=ahead)
            )
        elif kind == "postponed":
            new = draw(st.sampled_from([None, ahead]))
            events.append(ElectionPostponed(occurred=day(offset), office="president", new_date=new))
        else:
            events.append(ElectionHeld(occurred=day(offset), office="president"))
    for offset in draw(st.lists(_DAY, max_size=10)):
        events.append(OfficersArrested(occurred=day(offset).strftime("%Y-%m"), count=Count(3)))
    events.append(
        HeadOfStateInstalled(
            occurred=day(0), name="First", title="head", sources=[Source(publisher="p")]
        )
    )
    log = Log()
    log.append("s", events)
    return read(log, stream="s")


class TestAnyChronology:
    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(chronologies())
    def test_layout_laws(self, chronology: Chronology) -> None:
        """Whatever the stream holds, its figure keeps the layout laws."""
        check_layout(draw(chronology, title=None))


class TestRead:
    def test_tenures_follow_the_head_of_state(self, shared_mali: Path) -> None:
        """Tenures are the heads of state in order, one per person in a row, end to end."""
        with chronicle.open(shared_mali) as log:
            chronology = read(log, stream="mali")
            names = [s.current.name for _, s in history(log, HeadOfState) if s.current]
        tenures = chronology.tenures
        assert [name for name, _ in itertools.groupby(names)] == [t.name for t in tenures]
        for before, after in itertools.pairwise(tenures):
            assert before.until == after.since.latest
        assert chronology.last == tenures[-1].until

    def test_axis_ends_on_a_year_after_the_record(self, shared_mali: Path) -> None:
        """The axis starts on 1 January before the first coup or promise and ends on a 1 January."""
        with chronicle.open(shared_mali) as log:
            chronology = read(log, stream="mali")
        first = min([c.occurred.earliest for c in chronology.coups])
        assert datetime.date(first.year - 1, 1, 1) == chronology.start
        assert (1, 1) == (chronology.end.month, chronology.end.day)
        assert chronology.end - chronology.last >= datetime.timedelta(days=180)

    def test_every_promise_and_vote(self, datasets_db: Path) -> None:
        """All the office's promises are drawn, and its votes held and voided, in fold order."""
        with chronicle.open(datasets_db) as log:
            chronology = read(log, stream="MLI")
        kinds = [step.kind for step in chronology.steps]
        assert {"promise", "held", "voided"} == set(kinds)
        assert 1 < len(chronology.promises)
        days = [step.when.key for step in chronology.steps]
        assert sorted(days) == days

    def test_reads_only_its_stream(self, datasets_db: Path, monkeypatch) -> None:
        """Drawing a stream of a log of 200 streams reads that stream alone, by its index."""
        asked: list[str | None] = []
        read_events = SqlFoldReader.events_after

        def spy(
            self: SqlFoldReader, stream: str | None, *args: object, **options: object
        ) -> object:
            asked.append(stream)
            return read_events(self, stream, *args, **options)  # type: ignore[arg-type]

        monkeypatch.setattr(SqlFoldReader, "events_after", spy)
        monkeypatch.setattr(Log, "read", None)  # nothing reads the log whole
        with chronicle.open(datasets_db) as log:
            read(log, stream="BFO")
        assert asked
        assert {"BFO"} == set(asked)

    def test_reads_its_stream_once(self, mali: Path, monkeypatch) -> None:
        """The stream is read once, also when the figure looks for an undecided promise."""
        reads: list[str | None] = []
        real = chronicle._replay._api.iter_timeline

        def counted(log: Log, **options: object) -> object:
            reads.append(options.get("stream"))  # type: ignore[arg-type]
            return real(log, **options)  # type: ignore[arg-type]

        for module in (chronicle._replay._api, chronicle._replay._possible):
            monkeypatch.setattr(module, "iter_timeline", counted)
        with chronicle.open(mali) as log:
            chronology = read(log, stream="mali")
        assert chronology.undecided  # the Mali example's promise of 2027 or no date
        assert ["mali"] == reads


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


class TestUncertainPromise:
    def test_the_last_promise_is_drawn_uncertain(self, shared_mali: Path) -> None:
        """The 2027 claim, whose order with the charter is unknown, reads "2027 or no date"."""
        from matplotlib.text import Text

        from chronicle._cli._plot import draw

        with chronicle.open(shared_mali) as log:
            chronology = read(log, stream="mali", office="president")
        figure = draw(chronology, title=None)
        texts = [text.get_text() for text in figure.findobj(Text)]
        assert "2027 or no date\npostponed by Aug 2025, order unknown" in texts
        assert "may no longer stand (order unknown)" in texts

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
