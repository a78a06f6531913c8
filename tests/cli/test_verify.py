"""``chronicle verify``'s checks: a sound log has no problem, each kind of damage is found."""

from __future__ import annotations

import datetime
import tracemalloc
import uuid
from collections.abc import Iterator

import attrs
from hypothesis import given
from hypothesis import strategies as st

from chronicle import (
    CorruptLog,
    Log,
    MemoryStore,
    Record,
    Retracted,
    UnknownEvent,
)
from chronicle._cli._verify import Problem, check_records, verify
from tests.cli.strategies import sound_logs
from tests.domain import Appointed
from tests.strategies import stepping_clock

sound_records = sound_logs().map(lambda log: list(log.read()))


def positions(problems: Iterator[Problem]) -> list[int]:
    return [problem.position for problem in problems]


class TestCheckRecords:
    @given(sound_records)
    def test_sound_log_has_no_problem(self, records: list[Record]) -> None:
        """Records read from a log the library wrote have no problem."""
        assert [] == list(check_records(records))

    @given(sound_records, st.data())
    def test_missing_record_is_found_at_the_next(self, records: list[Record], data) -> None:
        """A record taken out of the middle is reported at the position after it."""
        if len(records) < 2:
            return
        index = data.draw(st.integers(0, len(records) - 2))
        damaged = records[:index] + records[index + 1 :]
        found = positions(check_records(damaged))
        assert records[index + 1].position == found[0]

    @given(sound_records, st.data())
    def test_record_time_going_back_is_found(self, records: list[Record], data) -> None:
        """A record whose recorded_at is before its predecessor's is reported at its position."""
        if len(records) < 2:
            return
        index = data.draw(st.integers(1, len(records) - 1))
        earlier = records[index - 1].recorded_at - datetime.timedelta(seconds=1)
        damaged = list(records)
        damaged[index] = attrs.evolve(records[index], recorded_at=earlier)
        assert records[index].position in positions(check_records(damaged))

    @given(sound_records, st.data())
    def test_version_skip_is_found(self, records: list[Record], data) -> None:
        """A record whose stream version skips one is reported at its position."""
        index = data.draw(st.integers(0, len(records) - 1))
        damaged = list(records)
        damaged[index] = attrs.evolve(records[index], version=records[index].version + 1)
        problems = list(check_records(damaged))
        assert records[index].position == problems[0].position
        assert "version" in problems[0].message

    def test_equal_record_times_in_two_streams_are_found(self) -> None:
        """Two appends (to two streams) sharing one record time are reported at the second."""
        log = Log(MemoryStore(), clock=stepping_clock())
        log.append("mali", [Appointed(occurred="2020", office="p", name="a")])
        log.append("niger", [Appointed(occurred="2021", office="p", name="b")])
        first, second = log.read()
        damaged = [first, attrs.evolve(second, recorded_at=first.recorded_at)]
        assert [2] == positions(check_records(damaged))

    def test_naive_record_time_is_found(self) -> None:
        """A recorded_at without a time zone is reported."""
        log = Log()
        (record,) = log.append("mali", [Appointed(occurred="2020", office="p", name="a")])
        naive = attrs.evolve(record, recorded_at=record.recorded_at.replace(tzinfo=None))
        (problem,) = check_records([naive])
        assert Problem(1, f"recorded_at {naive.recorded_at.isoformat()} is not in UTC") == problem

    def test_duplicate_id_is_found(self) -> None:
        """Two records with one id are reported at the second."""
        log = Log(MemoryStore(), clock=stepping_clock())
        first, second = log.append(
            "mali",
            [
                Appointed(occurred="2020", office="p", name="a"),
                Appointed(occurred="2021", office="p", name="b"),
            ],
        )
        damaged = [first, attrs.evolve(second, id=first.id)]
        assert [Problem(2, f"id {first.id} is used by an earlier record")] == list(
            check_records(damaged)
        )

    def test_unknown_event_type_is_found(self) -> None:
        """Strict decoding: an event of a type this program does not know is a problem."""
        log = Log()
        unknown = UnknownEvent(
            occurred="2020", type_name="future.thing", schema_version=2, data_json="{}"
        )
        records = log.append("mali", [unknown])
        assert [Problem(1, "unknown event type 'future.thing' v2")] == list(check_records(records))

    def corrected_log(self) -> list[Record]:
        log = Log(MemoryStore(), clock=stepping_clock())
        (event,) = log.append("mali", [Appointed(occurred="2020", office="p", name="a")])
        log.append("niger", [Appointed(occurred="2021", office="p", name="b")])
        log.append("mali", [Retracted(target=event.id, reason="wrong")])
        return list(log.read())

    def test_correction_of_an_unknown_record_is_found(self) -> None:
        """A correction whose target is not an earlier record is reported at its position."""
        event, other, retraction = self.corrected_log()
        target = uuid.uuid4()
        damaged = attrs.evolve(retraction, event=Retracted(target=target, reason="wrong"))
        expected = Problem(3, f"Retracted targets {target}, which is not an earlier record")
        assert [expected] == list(check_records([event, other, damaged]))

    def test_correction_of_another_stream_is_found(self) -> None:
        """A correction whose target is in another stream is reported at its position."""
        event, other, retraction = self.corrected_log()
        damaged = attrs.evolve(retraction, event=Retracted(target=other.id, reason="wrong"))
        expected = Problem(3, f"Retracted targets {other.id}, a record of another stream ('niger')")
        assert [expected] == list(check_records([event, other, damaged]))

    def test_correction_of_a_correction_is_found(self) -> None:
        """A correction whose target is itself a correction is reported at its position."""
        event, other, retraction = self.corrected_log()
        again = attrs.evolve(
            retraction,
            id=uuid.uuid4(),
            position=4,
            version=3,
            recorded_at=retraction.recorded_at + datetime.timedelta(hours=1),
            event=Retracted(target=retraction.id, reason="wrong"),
        )
        expected = Problem(4, f"Retracted targets {retraction.id}, which is itself a correction")
        assert [expected] == list(check_records([event, other, retraction, again]))


class TestMemory:
    def test_what_it_remembers_of_each_record_is_small(self) -> None:
        """Checking 10^5 records holds under 64 bytes a record (a dict of ids held over 200)."""
        count = 100_000
        base = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        event = Appointed(occurred="2020", office="p", name="a")

        def records() -> Iterator[Record]:
            for position in range(1, count + 1):
                yield Record(
                    id=uuid.UUID(int=position * 7919 + (1 << 120)),
                    stream=f"s{position % 2}",
                    version=(position + 1) // 2,
                    position=position,
                    recorded_at=base + datetime.timedelta(seconds=position),
                    event=event,
                )

        tracemalloc.start()
        try:
            problems = list(check_records(records()))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert [] == problems
        assert peak / count < 64, f"{peak / count:.0f} bytes a record"


class FailingStore(MemoryStore):
    """A memory store whose reads fail after a given number of records, like a torn file."""

    def __init__(self, good: int) -> None:
        super().__init__()
        self.good = good

    def read(self, **options) -> Iterator[Record]:
        for count, record in enumerate(super().read(**options)):
            if count == self.good:
                raise CorruptLog(f"line {count + 1}: not JSON")
            yield record


class TestVerify:
    @given(sound_logs())
    def test_sound_log_verifies(self, log: Log) -> None:
        """verify() of a log the library wrote finds nothing."""
        assert [] == list(verify(log))

    @given(st.integers(0, 5), st.integers(1, 5))
    def test_unreadable_record_ends_the_check_at_its_position(self, good: int, more: int) -> None:
        """A store error while reading is one problem, at the position after the last read."""
        log = Log(FailingStore(good), clock=stepping_clock())
        for number in range(good + more):
            log.append("mali", [Appointed(occurred="2020", office="p", name=str(number))])
        expected = Problem(good + 1, f"cannot read the log here: line {good + 1}: not JSON")
        assert [expected] == list(verify(log))
