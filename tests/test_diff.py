"""What changed between two record times: the entries appended, and the states they changed."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import InvalidArgument, Log, diff, replay, timeline
from chronicle.testing import Chronology, chronologies
from tests.domain import Appointed, offices, trace
from tests.strategies import events

CHRONOLOGIES = chronologies(events, streams=("a", "b"), max_events=8)


def readings(log: Log) -> list[datetime.datetime]:
    return sorted({record.recorded_at for record in log.read()})


class TestDiff:
    @given(CHRONOLOGIES, st.data())
    def test_the_changes_turn_one_reading_into_the_other(
        self, chronology: Chronology, data
    ) -> None:
        """The events in force at A, changed by each change in order, are those in force at B."""
        log = chronology.build()
        times = readings(log)
        if not times:
            return
        first = data.draw(st.sampled_from(times))
        last = data.draw(st.sampled_from([t for t in times if t >= first]))
        found = diff(log, first, last, projector=trace)
        in_force = {o.record.id: o.event for o in timeline(log, known_at=first)}
        for change in found.changes:
            entry = change.record.event
            if change.kind == "added":
                in_force[change.record.id] = change.after
            elif change.kind == "corrected":
                in_force[entry.target] = change.after
            else:
                in_force.pop(entry.target, None)
        assert {o.record.id: o.event for o in timeline(log, known_at=last)} == in_force
        assert all(first < c.record.recorded_at <= last for c in found.changes)
        differing = {
            stream
            for stream in log.streams()
            if replay(log, trace, stream=stream, known_at=first)
            != replay(log, trace, stream=stream, known_at=last)
        }
        assert differing == {state.stream for state in found.states}
        for state in found.states:
            ask = {"stream": state.stream, "as_of": state.since}
            assert replay(log, trace, **ask, known_at=first) != replay(
                log, trace, **ask, known_at=last
            )
            before = state.since - datetime.timedelta(days=1)
            ask["as_of"] = before
            assert replay(log, trace, **ask, known_at=first) == replay(
                log, trace, **ask, known_at=last
            )

    def test_kinds_before_and_after(self) -> None:
        """An event added, one corrected and one retracted, each with what was in force."""
        from chronicle import Corrected, Retracted

        log = Log()
        t = [datetime.datetime(2024, 1, d, tzinfo=datetime.UTC) for d in (1, 2)]
        old = Appointed(occurred="2020-01-01", office="president", name="A")
        gone = Appointed(occurred="2020-02-01", office="minister", name="B")
        first, second = log.append("s", [old, gone], recorded_at=t[0])
        fix = Appointed(occurred="2020-01-05", office="president", name="C")
        late = Appointed(occurred="2021", office="minister", name="D")
        log.append(
            "s",
            [
                Corrected(target=first.id, reason="a later decree", replacement=fix),
                Retracted(target=second.id, reason="a rumour"),
                late,
            ],
            recorded_at=t[1],
        )
        found = diff(log, t[0], t[1], projector=offices)
        assert [("corrected", old, fix), ("retracted", gone, None), ("added", None, late)] == [
            (c.kind, c.before, c.after) for c in found.changes
        ]
        assert (1, 1, 1) == tuple(
            len(found.of_kind(k)) for k in ("added", "corrected", "retracted")
        )
        (state,) = found.states
        assert ("s", datetime.date(2020, 1, 1)) == (state.stream, state.since)
        assert "C" == state.after.get("president")

    def test_the_earlier_time_comes_first(self) -> None:
        """Record times in the wrong order are a InvalidArgument."""
        with pytest.raises(InvalidArgument, match="give the earlier one first"):
            diff(Log(), "2024-02-01", "2024-01-01")
