"""chronicle.testing.chronologies and Chronology: well-formed histories, and the logs they build."""

from __future__ import annotations

import datetime
import functools
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import (
    Corrected,
    Correction,
    CorrectionError,
    Event,
    Log,
    MemoryStore,
    Retracted,
    When,
)
from chronicle.testing import (
    Append,
    Chronology,
    Correct,
    Retract,
    chronologies,
    events_of,
    logs,
    redated,
    stepping_clock,
)
from tests.domain import Appointed, Counted
from tests.testing.helpers import HEAVY, sample

UTC = datetime.UTC
counted = events_of(
    Counted,
    occurred=st.sampled_from([When("2020"), When("2020-05"), When("2020-05-01"), When("2021")]),
    amount=st.integers(0, 9),
    sources=st.just(()),
)
domain = chronologies(counted, streams=["a", "b"])


def count(amount: int, when: str = "2020") -> Counted:
    return Counted(occurred=when, amount=amount)


class TestChronologies:
    @HEAVY
    @given(domain)
    def test_build_appends_every_entry(self, chronology: Chronology) -> None:
        """The log holds each append's entries, in order, in its stream, one record time each."""
        log = chronology.build()
        records = list(log.read())
        assert [(a.stream, len(a.entries)) for a in chronology.appends] == [
            (stream, len(list(group)))
            for (_time, stream), group in itertools.groupby(
                records, key=lambda r: (r.recorded_at, r.stream)
            )
        ]
        assert list(chronology.events) == [r.event for r in records if isinstance(r.event, Event)]

    @HEAVY
    @given(domain)
    def test_corrections_target_earlier_events_of_their_stream(
        self, chronology: Chronology
    ) -> None:
        """Every retraction and correction names an event appended before, in its own stream."""
        log = chronology.build()
        for record in log.read():
            if isinstance(record.event, Correction):
                target = log.get(record.event.target)
                assert target is not None
                assert isinstance(target.event, Event)
                assert (record.stream, True) == (target.stream, target.position < record.position)

    @HEAVY
    @given(domain)
    def test_backdated_appends_keep_their_record_time(self, chronology: Chronology) -> None:
        """An append with an explicit record time is recorded exactly then, after the head."""
        log = chronology.build()
        times = sorted({r.recorded_at for r in log.read()})
        assert len(chronology.appends) == len(times)
        for append, moment in zip(chronology.appends, times, strict=True):
            assert append.recorded_at in (None, moment)

    @pytest.mark.parametrize(
        ("feature", "holds"),
        [
            (
                "a late arrival",
                lambda c: any(a.key > b.key for a, b in itertools.pairwise(_dated(c))),
            ),
            ("a backdated append", lambda c: any(a.recorded_at for a in c.appends)),
            ("a retraction", lambda c: _steps(c, Retract)),
            ("a correction", lambda c: _steps(c, Correct)),
            (
                "an append of corrections only",
                lambda c: any(
                    a.entries and not any(isinstance(e, Event) for e in a.entries)
                    for a in c.appends
                ),
            ),
            ("two streams", lambda c: len({a.stream for a in c.appends}) == 2),
            (
                "events and corrections in one append",
                lambda c: any(
                    {Event, Retract}
                    <= {Event if isinstance(e, Event) else type(e) for e in a.entries}
                    for a in c.appends
                ),
            ),
        ],
    )
    def test_realistic_structure_comes_up(self, feature: str, holds) -> None:
        """Late arrivals, backdating, retractions, corrections and several streams all occur."""
        assert any(holds(chronology) for chronology in _sample()), feature

    @HEAVY
    @given(chronologies(counted, corrections=False, backdating=False, out_of_order=False))
    def test_options_turn_the_structure_off(self, chronology: Chronology) -> None:
        """Without the options: only events, in valid-time order, at the clock's times."""
        assert all(a.recorded_at is None for a in chronology.appends)
        assert all(isinstance(e, Event) for a in chronology.appends for e in a.entries)
        keys = [e.occurred.key for e in chronology.events]
        assert sorted(keys) == keys

    @given(chronologies(stories=st.just([count(1, "2021"), count(2, "2020")]), out_of_order=False))
    def test_stories_are_appended_in_valid_time_order(self, chronology: Chronology) -> None:
        """A story drawn whole is appended sorted by valid time."""
        assert [2, 1] == [e.amount for e in chronology.events]  # type: ignore[attr-defined]

    @HEAVY
    @given(logs(counted))
    def test_logs_are_built_chronologies(self, log: Log) -> None:
        """logs() draws memory logs whose record times strictly increase between appends."""
        times = [r.recorded_at for r in log.read()]
        assert times == sorted(times)

    def test_events_and_stories_are_exclusive(self) -> None:
        """Giving both events and stories is refused."""
        with pytest.raises(chronicle.InvalidArgument, match="events or stories"):
            chronologies(counted, stories=st.just([]))

    def test_a_stream_is_needed(self) -> None:
        """An empty list of streams is refused."""
        with pytest.raises(chronicle.InvalidArgument, match="one stream"):
            chronologies(counted, streams=[])


@functools.cache
def _sample() -> list[Chronology]:
    return sample(domain)


def _dated(chronology: Chronology) -> list[When]:
    return [event.occurred for event in chronology.events]


def _steps(chronology: Chronology, kind: type) -> bool:
    return any(isinstance(e, kind) for a in chronology.appends for e in a.entries)


class TestRedated:
    @given(st.data())
    def test_a_redated_event_differs_only_in_its_date(self, data) -> None:
        """A re-dated event keeps every field but occurred, which moves by a year at most."""
        event = Appointed(occurred="2020-05", office="president", name="Goïta")
        moved = data.draw(redated(event))
        assert ("president", "Goïta") == (moved.office, moved.name)  # type: ignore[attr-defined]
        assert datetime.date(2019, 4, 30) <= moved.occurred.earliest
        assert moved.occurred.latest <= datetime.date(2021, 6, 1)

    @given(redated(count(1, "0001")) | redated(count(1, "9999")))
    def test_the_calendar_ends_are_respected(self, event: Event) -> None:
        """Re-dating an event at the calendar's first or last year stays inside it."""
        assert event.occurred.latest.year <= 3 or event.occurred.earliest.year >= 9997


class TestChronology:
    def test_build_resolves_targets_by_event_number(self) -> None:
        """A correction's target is the number of an event of the chronology, from 0."""
        chronology = Chronology(
            (
                Append("s", (count(1), count(2))),
                Append("s", (Retract(0), Correct(1, count(3)))),
            )
        )
        first, second, retraction, correction = chronology.build().read()
        assert isinstance(retraction.event, Retracted)
        assert isinstance(correction.event, Corrected)
        assert (first.id, second.id, count(3)) == (
            retraction.event.target,
            correction.event.target,
            correction.event.replacement,
        )

    @pytest.mark.parametrize(
        "appends",
        [
            (Append("s", (Retract(0),)),),
            (Append("s", (count(1),)), Append("t", (Retract(0),))),
            (Append("s", (count(1), Retract(0))),),
        ],
    )
    def test_a_bad_target_is_a_correction_error(self, appends: tuple[Append, ...]) -> None:
        """A target not appended before, or in another stream, is named in a CorrectionError."""
        with pytest.raises(CorrectionError, match="Retract of event #0"):
            Chronology(appends).build()

    def test_build_into_a_given_store(self) -> None:
        """build(store) appends to that store, with the chronology's clock."""
        store = MemoryStore()
        chronology = Chronology((Append("s", (count(1),)),))
        chronology.build(store)
        assert [datetime.datetime(2024, 1, 2, tzinfo=UTC)] == [r.recorded_at for r in store.read()]

    def test_prefix_keeps_the_first_appends(self) -> None:
        """prefix(n) is the chronology of the first n appends."""
        appends = tuple(Append("s", (count(n),)) for n in range(3))
        assert appends[:2] == Chronology(appends).prefix(2).appends

    def test_describe_lists_appends_and_numbered_entries(self) -> None:
        """describe() shows each append, its record time, and each entry with its number."""
        moment = datetime.datetime(2024, 1, 1, 12, tzinfo=UTC)
        chronology = Chronology(
            (Append("s", (count(1),)), Append("s", (count(2), Retract(0, "wrong")), moment))
        )
        assert (
            "append 1 to 's' at the clock's time:\n"
            f"  #0 {count(1)!r}\n"
            "append 2 to 's' recorded at 2024-01-01T12:00:00+00:00:\n"
            f"  #1 {count(2)!r}\n"
            "  retract #0 (wrong)"
        ) == chronology.describe()
        assert "(no appends)" == Chronology().describe()


class TestSteppingClock:
    def test_each_reading_is_one_step_later(self) -> None:
        """The clock starts one step after its start and moves one step per reading."""
        clock = stepping_clock(
            datetime.datetime(2020, 1, 1, tzinfo=UTC), datetime.timedelta(hours=1)
        )
        assert [datetime.datetime(2020, 1, 1, hour, tzinfo=UTC) for hour in (1, 2, 3)] == [
            clock(),
            clock(),
            clock(),
        ]
