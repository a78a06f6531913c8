"""Two chronologies side by side: the days they differ on, and the coups only one dates so."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle import Log, When, replay
from chronicle.datasets import HeadDifference, compare_streams
from chronicle.politics import CoupOccurred, HeadOfState, HeadOfStateInstalled, HeadOfStateLeft

START = datetime.date(2020, 8, 1)
END = datetime.date(2020, 9, 30)
NAMES = st.sampled_from(["Keita", "Goita", "N'Daou"])
DAYS = st.dates(datetime.date(2020, 7, 1), datetime.date(2020, 10, 31))
MONTHS = st.sampled_from(["2020-07", "2020-08", "2020-09", "2020-10"])

events = st.one_of(
    st.builds(HeadOfStateInstalled, occurred=DAYS, name=NAMES, title=st.just("leader")),
    st.builds(HeadOfStateLeft, occurred=MONTHS, name=NAMES),
    st.builds(CoupOccurred, occurred=DAYS, successful=st.booleans(), seized_by=NAMES),
)


def log_of(items) -> Log:
    log = Log()
    if items:
        log.append("s", items)
    return log


def head_on(log: Log, day: datetime.date) -> str | None:
    current = replay(log, HeadOfState, stream="s", as_of=day, missing_ok=True).current
    return None if current is None else current.name


class TestCompareStreams:
    @settings(max_examples=min(100, settings.default.max_examples))
    @given(st.lists(events, max_size=6), st.lists(events, max_size=6))
    def test_the_differences_are_the_days_replays_differ(self, left, right) -> None:
        """Each day from start to end is in a difference exactly when the two replays differ."""
        a, b = log_of(left), log_of(right)
        result = compare_streams(a, b, left_stream="s", right_stream="s", start=START, end=END)
        listed = {
            day: (difference.left, difference.right)
            for difference in result.heads
            for day in (
                difference.first + datetime.timedelta(days=n)
                for n in range((difference.last - difference.first).days + 1)
            )
        }
        expected = {}
        day = START
        while day <= END:
            ours, theirs = head_on(a, day), head_on(b, day)
            if ours != theirs:
                expected[day] = (ours, theirs)
            day += datetime.timedelta(days=1)
        assert expected == listed

    def test_a_day_of_agreement_splits_two_alike_differences(self) -> None:
        """Two runs naming the same pair, with a day of agreement between, stay two runs."""
        a = log_of([HeadOfStateInstalled(occurred="2020-07-01", name="Keita", title="t")])
        b = log_of([
            HeadOfStateInstalled(occurred="2020-07-01", name="Goita", title="t"),
            HeadOfStateInstalled(occurred="2020-08-02", name="Keita", title="t"),
            HeadOfStateInstalled(occurred="2020-08-03", name="Goita", title="t"),
        ])  # fmt: skip
        result = compare_streams(a, b, left_stream="s", right_stream="s", start=START, end=END)
        assert (
            HeadDifference(START, START, "Keita", "Goita"),
            HeadDifference(datetime.date(2020, 8, 3), END, "Keita", "Goita"),
        ) == result.heads

    def test_spellings_of_one_name_are_not_differences(self) -> None:
        """Names mapped through ``names`` compare equal."""
        a = log_of([HeadOfStateInstalled(occurred="2020-08-19", name="Goïta", title="t")])
        b = log_of([HeadOfStateInstalled(occurred="2020-08-19", name="Goita", title="t")])
        result = compare_streams(
            a, b, left_stream="s", right_stream="s", start=START, end=END, names={"Goita": "Goïta"}
        )
        assert result.agree

    def test_a_day_apart_is_a_one_day_difference(self) -> None:
        """A change a day later on one side is a difference of that one day."""
        a = log_of([HeadOfStateInstalled(occurred="2020-08-18", name="Goita", title="t")])
        b = log_of([HeadOfStateInstalled(occurred="2020-08-19", name="Goita", title="t")])
        result = compare_streams(a, b, left_stream="s", right_stream="s", start=START, end=END)
        day = datetime.date(2020, 8, 18)
        assert (HeadDifference(day, day, "Goita", None),) == result.heads
        assert "2020-08-18: Goita (left), nobody (right)" == str(result.heads[0])

    def test_coups_dated_differently_are_listed_on_their_side(self) -> None:
        """A coup one side dates 21 May and the other 24 May is listed on both sides."""
        a = log_of([CoupOccurred(occurred="2021-05-24", successful=True)])
        b = log_of([CoupOccurred(occurred="2021-05-21", successful=True)])
        result = compare_streams(
            a,
            b,
            left_stream="s",
            right_stream="s",
            start=datetime.date(2021, 1, 1),
            end=datetime.date(2021, 12, 31),
        )
        assert ((When("2021-05-24"),), (When("2021-05-21"),)) == (
            result.left_coups,
            result.right_coups,
        )
