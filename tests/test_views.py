"""One source's view of a merged log (``sources=``), and two views compared day by day."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import Event, InvalidArgument, Log, Source, View, compare, history, replay, timeline
from tests.domain import Appointed, Counted, offices, total, trace
from tests.strategies import FIRST, LAST, OFFICES, whens

REIGN = Source(publisher="One Earth Future", title="REIGN leader list, 2021 release")
POWELL = Source(publisher="Jonathan M. Powell and Clayton L. Thyne", title="Coups, V2023")
BOTH = (REIGN, POWELL)

sourced = st.one_of(
    st.builds(
        Appointed,
        occurred=whens(),
        office=OFFICES,
        name=st.sampled_from(["Keïta", "Goïta"]),
        sources=st.sampled_from([(REIGN,), (POWELL,), BOTH, ()]),
    ),
    st.builds(
        Counted,
        occurred=whens(),
        amount=st.integers(-5, 5),
        sources=st.sampled_from([(REIGN,), (POWELL,), BOTH, ()]),
    ),
)


def reign(source: Source) -> bool:
    return source is REIGN or source == REIGN


class TestSources:
    @given(st.lists(sourced, max_size=12), st.sampled_from(["REIGN", "powell", reign]))
    def test_a_source_s_view_is_the_log_of_its_events(self, events: list[Event], which) -> None:
        """Replay, history and timeline with sources= equal those of a log of only its events."""
        merged, alone = Log(), Log()
        merged.append("s", events) if events else None
        kept = chronicle._replay._sources.keeping(which)
        assert kept is not None
        mine = [event for event in events if kept(event)]
        alone.append("s", mine) if mine else None
        for projector in (trace, total, offices):
            assert replay(alone, projector, stream="s", missing_ok=True) == replay(
                merged, projector, stream="s", missing_ok=True, sources=which
            )
            assert history(alone, projector, stream="s", missing_ok=True) == history(
                merged, projector, stream="s", missing_ok=True, sources=which
            )
        assert [o.event for o in timeline(alone)] == [
            o.event for o in timeline(merged, sources=which)
        ]

    def test_matching_is_on_publisher_or_title_case_aside(self) -> None:
        """A text matches a source whose publisher or title contains it, in any case."""
        log = Log()
        log.append("s", [Counted(occurred="2020", amount=1, sources=(REIGN,))])
        log.append("s", [Counted(occurred="2021", amount=10, sources=(POWELL,))])
        assert (1, 10, 1) == (
            replay(log, total, sources="reign"),
            replay(log, total, sources="THYNE"),
            replay(log, total, sources="one earth"),
        )

    def test_snapshots_are_not_used_but_the_answer_is_the_same(self) -> None:
        """A sources= replay through a cache folds without checkpoints, and agrees."""
        log = Log()
        log.append("s", [Counted(occurred="2020", amount=n, sources=(REIGN,)) for n in range(9)])
        log.append("s", [Counted(occurred="2021", amount=100, sources=(POWELL,))])
        with chronicle.Snapshots(log, every=2) as cache:
            assert 36 == replay(log, total, sources="REIGN", snapshots=cache)
            assert [] == cache.checkpoints(total)

    @pytest.mark.parametrize("bad", ["", "  ", 7])
    def test_a_bad_filter_is_refused(self, bad: object) -> None:
        """A blank text or something that is neither text nor function is an InvalidArgument."""
        with pytest.raises(InvalidArgument, match="sources="):
            replay(Log(), total, sources=bad)  # type: ignore[arg-type]


def _day(start: datetime.date, n: int) -> datetime.date:
    return start + datetime.timedelta(days=n)


class TestCompare:
    @given(st.lists(sourced, max_size=10), st.integers(0, 400), st.integers(0, 400))
    def test_differences_are_exactly_the_days_replays_differ(
        self, events: list[Event], first: int, span: int
    ) -> None:
        """Each day from start to end is in a difference iff the two views' replays differ."""
        log = Log()
        if events:
            log.append("s", events)
        start = _day(FIRST, first * 9)
        end = min(_day(start, span * 9), LAST)
        if end < start:
            return
        found = compare(
            offices,
            View(log=log, stream="s", sources="REIGN"),
            View(log=log, stream="s", sources="Powell"),
            start=start,
            end=end,
        )
        differing = {_day(d.first, n) for d in found for n in range((d.last - d.first).days + 1)}
        days = sorted({start, end} | {d for e in events for d in (e.occurred.latest,)})
        for day in days:
            if not start <= day <= end:
                continue
            ours = replay(log, offices, stream="s", as_of=day, sources="REIGN", missing_ok=True)
            theirs = replay(log, offices, stream="s", as_of=day, sources="Powell", missing_ok=True)
            assert (ours != theirs) == (day in differing)
        for difference in found:
            assert difference.left != difference.right

    def test_a_view_as_known_at_an_earlier_time(self) -> None:
        """Two record times of one log, compared: the days a correction changed."""
        log = Log()
        moment = datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC)
        (first,) = log.append(
            "s", [Appointed(occurred="2020-01", office="p", name="A")], recorded_at=moment
        )
        fix = Appointed(occurred="2020-03", office="p", name="A")
        later = moment + datetime.timedelta(days=1)
        log.append(
            "s",
            [chronicle.Corrected(target=first.id, reason="March", replacement=fix)],
            recorded_at=later,
        )
        found = compare(
            offices,
            View(log=log, stream="s", known_at=moment),
            View(log=log, stream="s"),
            start=datetime.date(2020, 1, 1),
            end=datetime.date(2020, 12, 31),
            key=lambda state: state.get("p"),
        )
        assert [(datetime.date(2020, 1, 31), datetime.date(2020, 3, 30), "A", None)] == [
            (d.first, d.last, d.left, d.right) for d in found
        ]
