"""Replay laws: fold order, as_of, known_at, corrections, several projectors, history."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import (
    Event,
    InvalidDate,
    Log,
    Retracted,
    history,
    replay,
    timeline,
)
from chronicle.testing import Chronology, chronologies, whens
from tests.domain import Appointed, Counted, Offices, offices, total, trace
from tests.strategies import FIRST, LAST, events, stepping_clock

CHRONOLOGIES = chronologies(events, streams=["s"])
"""Chronologies of the test domain: late arrivals, backdated appends, corrections."""
DAYS = st.one_of(st.none(), whens(FIRST, LAST).map(lambda w: w.latest))


def appends(log: Log) -> list[list[chronicle.Record]]:
    """The records of each append, in order (an append's records share their record time)."""
    records = list(log.read())
    return [list(group) for _, group in itertools.groupby(records, lambda r: r.recorded_at)]


def fold_by_hand(items: list[tuple[int, Event]], day: datetime.date | None) -> tuple[Event, ...]:
    """The oracle: (position, event) pairs filtered by latest <= day, sorted by the fold key."""
    kept = [(p, e) for p, e in items if day is None or e.occurred.latest <= day]
    kept.sort(key=lambda pe: (pe[1].occurred.latest, pe[1].occurred.earliest, pe[0]))
    return tuple(e for _, e in kept)


def in_force(log: Log) -> list[tuple[int, Event]]:
    """(position, event) of every event record after corrections, computed independently."""
    records = list(log.read())
    last: dict[object, chronicle.Record] = {}
    for record in records:
        if isinstance(record.event, chronicle.Correction):
            last[record.event.target] = record
    result = []
    for record in records:
        if isinstance(record.event, chronicle.Correction):
            continue
        fix = last.get(record.id)
        if fix is None:
            result.append((record.position, record.event))
        elif isinstance(fix.event, chronicle.Corrected):
            result.append((record.position, fix.event.replacement))
    return result


class TestFoldOrder:
    @given(st.lists(events, min_size=1, max_size=30), st.randoms(use_true_random=False))
    def test_state_independent_of_append_order(self, batch: list[Event], rng) -> None:
        """Events with distinct fold keys fold to the same state whatever their append order."""
        unique = list({(e.occurred.latest, e.occurred.earliest): e for e in batch}.values())
        shuffled = unique[:]
        rng.shuffle(shuffled)
        first, second = Log(), Log()
        first.append("s", unique)
        for event in shuffled:
            second.append("s", [event])
        assert replay(first, trace) == replay(second, trace)

    @given(CHRONOLOGIES, DAYS)
    def test_as_of_equals_fold_of_prefix(self, chronology: Chronology, day) -> None:
        """replay(as_of=D) is the fold, by the key, of the events in force with latest <= D."""
        log = chronology.build()
        assert fold_by_hand(in_force(log), day) == replay(log, trace, as_of=day)

    @given(CHRONOLOGIES, whens(FIRST, LAST))
    def test_possible_policy_takes_events_that_may_have_happened(
        self, chronology: Chronology, when
    ) -> None:
        """policy="possible" keeps events whose earliest day is on or before D, in fold order."""
        log = chronology.build()
        day = when.earliest
        expected = tuple(e for e in fold_by_hand(in_force(log), None) if e.occurred.earliest <= day)
        assert expected == replay(log, trace, as_of=day, policy="possible")

    def test_imprecise_event_takes_effect_when_certain(self) -> None:
        """An event "in 2020" folds at the end of 2020: after 2020-08-18, though appended first."""
        log = Log()
        log.append("s", [Appointed(occurred="2020", office="p", name="promise")])
        log.append("s", [Appointed(occurred="2020-08-18", office="p", name="coup")])
        assert "promise" == replay(log, offices).get("p")
        assert "coup" == replay(log, offices, as_of="2020-12-30").get("p")
        assert None is replay(log, offices, as_of="2020-08-17").get("p")

    def test_month_is_not_certain_before_its_end(self) -> None:
        """An event "in May 2025" has not certainly happened on 2025-05-10, but possibly has."""
        log = Log()
        log.append("s", [Appointed(occurred="2025-05", office="p", name="x")])
        assert None is replay(log, offices, as_of=datetime.date(2025, 5, 10)).get("p")
        assert "x" == replay(log, offices, as_of="2025-05-10", policy="possible").get("p")
        assert "x" == replay(log, offices, as_of="2025-05-31").get("p")

    def test_as_of_accepts_when_and_edtf(self) -> None:
        """as_of takes a date, a When (its latest day) or an EDTF string alike."""
        log = Log()
        log.append("s", [Counted(occurred="2021-03-31", amount=1)])
        by_date = replay(log, total, as_of=datetime.date(2021, 3, 31))
        assert by_date == replay(log, total, as_of=chronicle.When("2021-03"))
        assert by_date == replay(log, total, as_of="2021-03")
        assert 1 == by_date

    @pytest.mark.parametrize("bad", ["2021-13", "", "tomorrow"])
    def test_malformed_as_of_raises_invalid_date(self, bad: str) -> None:
        """A malformed as_of is an InvalidDate naming it."""
        with pytest.raises(InvalidDate, match=repr(bad)[1:-1] or "empty"):
            replay(Log(), total, as_of=bad)

    def test_datetime_as_of_is_rejected(self) -> None:
        """A datetime as_of is refused: valid time is counted in days."""
        with pytest.raises(InvalidDate, match="datetime"):
            replay(Log(), total, as_of=datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC))

    def test_unknown_policy_is_rejected(self) -> None:
        """Only 'certain' and 'possible' are policies."""
        with pytest.raises(ValueError, match="policy"):
            replay(Log(), total, policy="maybe")  # type: ignore[arg-type]


class TestKnownAt:
    @given(CHRONOLOGIES, st.data())
    def test_known_at_equals_truncated_log(self, chronology: Chronology, data) -> None:
        """known_at=T replays exactly the log truncated to the appends made by T."""
        log = chronology.build()
        appended = appends(log)
        cut = data.draw(st.integers(0, len(appended)))
        known_at = (
            appended[cut - 1][0].recorded_at
            if cut
            else datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
        )
        truncated = chronology.prefix(cut).build()
        assert replay(truncated, trace) == replay(log, trace, known_at=known_at)

    @given(CHRONOLOGIES)
    def test_retraction_removes_exactly_its_target_from_then_on(
        self, chronology: Chronology
    ) -> None:
        """A retraction removes its target from replays known at or after it, and nothing else."""
        log = chronology.build()
        appended = appends(log)

        def in_force_at(moment: datetime.datetime) -> set[object]:
            return {o.record.id for o in timeline(log, known_at=moment)}

        for records in appended:
            moment = records[0].recorded_at
            last = {r.event.target: r for r in records if isinstance(r.event, chronicle.Correction)}
            retracted = {t for t, r in last.items() if isinstance(r.event, Retracted)}
            before = in_force_at(moment - datetime.timedelta(microseconds=1))
            after = in_force_at(moment)
            assert retracted & before == before - after
            assert not retracted & after
            for target in retracted - {r.id for r in records}:
                record = log.get(target)
                assert record is not None
                assert target in in_force_at(record.recorded_at)

    def test_correction_replaces_from_its_record_time(self) -> None:
        """Before the correction the original is in force; after it, the replacement."""
        log = Log(clock=stepping_clock())
        (record,) = log.append("s", [Counted(occurred="2024-06-01", amount=30)])
        (fix,) = log.append(
            "s",
            [
                chronicle.Corrected(
                    target=record.id,
                    reason="recount",
                    replacement=Counted(occurred="2024-06-01", amount=32),
                )
            ],
        )
        assert 30 == replay(log, total, known_at=record.recorded_at)
        assert 32 == replay(log, total, known_at=fix.recorded_at)
        assert 32 == replay(log, total)

    def test_known_at_date_means_end_of_day(self) -> None:
        """known_at as a date counts everything recorded on that day (UTC)."""
        log = Log()
        log.append(
            "s",
            [Counted(occurred="2020", amount=1)],
            recorded_at=datetime.datetime(2024, 3, 1, 23, 59, tzinfo=datetime.UTC),
        )
        assert 1 == replay(log, total, known_at=datetime.date(2024, 3, 1))
        assert 0 == replay(log, total, known_at="2024-02-29")

    def test_naive_known_at_is_rejected(self) -> None:
        """A known_at without a time zone is ambiguous and refused."""
        with pytest.raises(chronicle.RecordTimeError, match="time zone"):
            replay(Log(), total, known_at=datetime.datetime(2024, 1, 1))  # noqa: DTZ001


class TestSeveralProjectors:
    @given(CHRONOLOGIES, DAYS)
    def test_one_pass_equals_separate_replays(self, chronology: Chronology, day) -> None:
        """Folding three projectors in one pass gives each one's own replay."""
        log = chronology.build()
        together = replay(log, (offices, total, trace), as_of=day)
        expected = (
            replay(log, offices, as_of=day),
            replay(log, total, as_of=day),
            replay(log, trace, as_of=day),
        )
        assert expected == together

    def test_streams_are_separate(self) -> None:
        """Replaying one stream ignores the others; no stream means all."""
        log = Log()
        log.append("a", [Counted(occurred="2020", amount=1)])
        log.append("b", [Counted(occurred="2020", amount=10)])
        assert (1, 10, 11) == (
            replay(log, total, stream="a"),
            replay(log, total, stream="b"),
            replay(log, total),
        )


class TestHistory:
    @given(CHRONOLOGIES)
    def test_history_steps_are_the_changes_of_the_fold(self, chronology: Chronology) -> None:
        """Each history step is a new state; the last one is the full replay."""
        log = chronology.build()
        steps = history(log, offices)
        states = [Offices(), *(state for _, state in steps)]
        assert all(a != b for a, b in itertools.pairwise(states))
        assert replay(log, offices) == states[-1]
        keys = [(w.latest, w.earliest) for w, _ in steps]
        assert sorted(keys) == keys

    def test_history_names_the_valid_time_of_each_change(self) -> None:
        """A step carries the When of the event that made it."""
        log = Log()
        log.append(
            "s",
            [
                Appointed(occurred="2021-05", office="p", name="b"),
                Appointed(occurred="2020-08-19", office="p", name="a"),
                Appointed(occurred="2020-09-01", office="p", name="a"),
            ],
        )
        assert [("2020-08-19", "a"), ("2021-05", "b")] == [
            (str(w), s.get("p")) for w, s in history(log, offices)
        ]


class TestTimeline:
    def test_timeline_marks_retracted_and_corrected(self) -> None:
        """timeline lists events in fold order with the correction in force."""
        log = Log(clock=stepping_clock())
        a, b = log.append(
            "s", [Counted(occurred="2021", amount=1), Counted(occurred="2020", amount=2)]
        )
        log.append("s", [Retracted(target=a.id, reason="false report")])
        log.append(
            "s",
            [
                chronicle.Corrected(
                    target=b.id, reason="recount", replacement=Counted(occurred="2020", amount=3)
                )
            ],
        )
        shown = timeline(log, include_retracted=True)
        assert [(b.id, False, 3), (a.id, True, 1)] == [
            (o.record.id, o.retracted, o.event.amount)
            for o in shown  # type: ignore[attr-defined]
        ]
        assert [b.id] == [o.record.id for o in timeline(log)]
