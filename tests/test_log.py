"""The log: appends, versions, positions, record time, corrections, reads."""

from __future__ import annotations

import datetime
import uuid

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import (
    ANY,
    NO_STREAM,
    STREAM_EXISTS,
    ConcurrencyError,
    Corrected,
    CorrectionError,
    Event,
    EventTypeError,
    Log,
    Record,
    RecordTimeError,
    Retracted,
)
from chronicle._record import make_record
from tests.domain import Counted
from tests.strategies import events, stepping_clock

UTC = datetime.UTC


def counted(amount: int = 1) -> Counted:
    return Counted(occurred="2020-01-01", amount=amount)


class TestAppend:
    @given(st.lists(st.tuples(st.sampled_from("abc"), st.lists(events, min_size=1, max_size=4))))
    def test_positions_and_versions_are_gap_free(self, appends) -> None:
        """Positions count from 1 over the log, versions from 1 in each stream."""
        log = Log()
        for stream, batch in appends:
            log.append(stream, batch)
        records = list(log.read())
        assert list(range(1, len(records) + 1)) == [r.position for r in records]
        for stream in "abc":
            mine = [r.version for r in records if r.stream == stream]
            assert list(range(1, len(mine) + 1)) == mine
            assert len(mine) == log.version(stream)
        assert len(records) == log.head

    def test_records_of_one_append_share_record_time_which_then_increases(self) -> None:
        """recorded_at is shared within an append and strictly increases between appends."""
        fixed = datetime.datetime(2024, 1, 1, tzinfo=UTC)
        log = Log(clock=lambda: fixed)  # a stuck clock
        first = log.append("s", [counted(), counted()])
        second = log.append("s", [counted()])
        assert first[0].recorded_at == first[1].recorded_at == fixed
        assert second[0].recorded_at > fixed
        assert second[0].recorded_at == log.head_recorded_at

    def test_ids_are_unique_uuids(self) -> None:
        """Every record gets its own UUID, and get() finds it."""
        log = Log()
        records = log.append("s", [counted(n) for n in range(50)])
        assert 50 == len({r.id for r in records})
        assert records[7] == log.get(records[7].id)
        assert None is log.get(uuid.uuid4())

    def test_empty_append_appends_nothing(self) -> None:
        """Appending no entries is a no-op."""
        log = Log()
        assert [] == log.append("s", [])
        assert 0 == log.head

    @pytest.mark.parametrize("stream", ["", "  "])
    def test_stream_name_must_not_be_empty(self, stream: str) -> None:
        """A blank stream name is refused."""
        with pytest.raises(ValueError, match="stream name"):
            Log().append(stream, [counted()])

    def test_unregistered_class_is_refused(self) -> None:
        """Only registered entry types can be appended, and nothing is appended."""

        class Loose(chronicle.Event):
            pass

        log = Log()
        with pytest.raises(EventTypeError, match="Loose"):
            log.append("s", [counted(), Loose(occurred="2020")])
        assert 0 == log.head


class TestExpectedVersion:
    def test_exact_version_mismatch_names_expected_and_actual(self) -> None:
        """A stale expected version raises ConcurrencyError with both versions."""
        log = Log()
        log.append("s", [counted(), counted()])
        with pytest.raises(ConcurrencyError, match=r"expected version 1.*at version 2") as caught:
            log.append("s", [counted()], expected_version=1)
        assert ("s", 1, 2) == (caught.value.stream, caught.value.expected, caught.value.actual)
        assert 2 == log.version("s")

    def test_no_stream_and_stream_exists(self) -> None:
        """NO_STREAM needs an absent stream, STREAM_EXISTS a present one, ANY accepts both."""
        log = Log()
        with pytest.raises(ConcurrencyError, match="STREAM_EXISTS"):
            log.append("s", [counted()], expected_version=STREAM_EXISTS)
        log.append("s", [counted()], expected_version=NO_STREAM)
        with pytest.raises(ConcurrencyError, match="NO_STREAM"):
            log.append("s", [counted()], expected_version=NO_STREAM)
        log.append("s", [counted()], expected_version=STREAM_EXISTS)
        log.append("s", [counted()], expected_version=2)
        log.append("s", [counted()], expected_version=ANY)
        assert 4 == log.version("s")


class TestRecordTime:
    def test_backdating_before_head_is_refused(self) -> None:
        """A recorded_at not after the head raises RecordTimeError; nothing is appended."""
        log = Log()
        at = datetime.datetime(2024, 5, 1, tzinfo=UTC)
        log.append("s", [counted()], recorded_at=at)
        for moment in (at, at - datetime.timedelta(days=1)):
            with pytest.raises(RecordTimeError, match="not after the log's head"):
                log.append("s", [counted()], recorded_at=moment)
        assert 1 == log.head

    def test_backdating_an_import_to_its_source_date(self) -> None:
        """recorded_at may be chosen, e.g. a source's publication date, after the head."""
        log = Log()
        at = datetime.datetime(2021, 5, 25, tzinfo=UTC)
        (record,) = log.append("s", [counted()], recorded_at=at)
        assert at == record.recorded_at

    def test_naive_recorded_at_is_refused(self) -> None:
        """recorded_at must be timezone-aware."""
        with pytest.raises(RecordTimeError, match="no time zone"):
            Log().append("s", [counted()], recorded_at=datetime.datetime(2024, 1, 1))  # noqa: DTZ001

    def test_naive_clock_is_refused(self) -> None:
        """A clock that returns naive datetimes is caught at append."""
        log = Log(clock=lambda: datetime.datetime(2024, 1, 1))  # noqa: DTZ001
        with pytest.raises(RecordTimeError, match="no time zone"):
            log.append("s", [counted()])

    def test_other_zones_are_converted_to_utc(self) -> None:
        """recorded_at in another zone is stored as the same instant in UTC."""
        plus_two = datetime.timezone(datetime.timedelta(hours=2))
        (record,) = Log().append(
            "s", [counted()], recorded_at=datetime.datetime(2024, 1, 1, 12, tzinfo=plus_two)
        )
        assert datetime.datetime(2024, 1, 1, 10, tzinfo=UTC) == record.recorded_at
        assert UTC == record.recorded_at.tzinfo


class TestCorrections:
    def test_unknown_target_is_refused(self) -> None:
        """Retracting an id the log does not hold is a CorrectionError naming it."""
        missing = uuid.uuid4()
        with pytest.raises(CorrectionError, match=str(missing)):
            Log().append("s", [Retracted(target=missing, reason="no")])

    def test_correcting_a_correction_is_refused(self) -> None:
        """Only events can be retracted or corrected."""
        log = Log()
        (event,) = log.append("s", [counted()])
        (retraction,) = log.append("s", [Retracted(target=event.id, reason="wrong")])
        with pytest.raises(CorrectionError, match="itself a Retracted"):
            log.append("s", [Retracted(target=retraction.id, reason="undo")])

    def test_correction_in_another_stream_is_refused(self) -> None:
        """A correction goes to its target's stream."""
        log = Log()
        (event,) = log.append("a", [counted()])
        with pytest.raises(CorrectionError, match="stream 'a'"):
            log.append("b", [Corrected(target=event.id, reason="x", replacement=counted(2))])

    def test_failed_correction_appends_nothing(self) -> None:
        """A batch with one bad correction leaves the log as it was."""
        log = Log()
        log.append("s", [counted()])
        with pytest.raises(CorrectionError):
            log.append("s", [counted(), Retracted(target=uuid.uuid4(), reason="x")])
        assert 1 == log.head

    def test_a_target_earlier_in_the_same_append_is_checked_as_a_stored_one(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With ids known beforehand, an append may correct its own events, not its corrections."""
        known = [uuid.UUID(int=number) for number in range(1, 4)]
        monkeypatch.setattr(chronicle._log, "new_ids", lambda count: known[:count])
        log = Log()
        retract_first = Retracted(target=known[0], reason="wrong")
        records = log.append("s", [counted(), retract_first, counted(2)])
        assert [known[0]] == [r.event.target for r in records if isinstance(r.event, Retracted)]
        log = Log()
        with pytest.raises(CorrectionError, match="itself a Retracted"):
            log.append("s", [counted(), retract_first, Retracted(target=known[1], reason="x")])
        with pytest.raises(CorrectionError, match="no record"):
            log.append("s", [Retracted(target=known[1], reason="x"), counted()])  # not before it
        assert 0 == log.head

    def test_nothing_is_updated(self) -> None:
        """After a retraction, the target record is still there, unchanged."""
        log = Log()
        (event,) = log.append("s", [counted()])
        log.append("s", [Retracted(target=event.id, reason="wrong")])
        assert event == log.get(event.id)
        assert [event.id] == [r.id for r in log.read()][:1]

    def test_blank_reason_is_refused(self) -> None:
        """A correction says why."""
        with pytest.raises(chronicle.InvalidEvent, match="reason"):
            Retracted(target=uuid.uuid4(), reason=" ")


class TestRead:
    def test_read_is_lazy(self) -> None:
        """read() returns an iterator, not a list."""
        log = Log()
        log.append("s", [counted()])
        reader = log.read()
        assert iter(reader) is reader

    def test_read_from_position_and_stream(self) -> None:
        """Reading starts at a position and can keep one stream."""
        log = Log()
        log.append("a", [counted(1), counted(2)])
        log.append("b", [counted(3)])
        log.append("a", [counted(4)])
        assert [3, 4] == [r.position for r in log.read(from_position=3)]
        assert [1, 2, 4] == [r.position for r in log.read("a")]
        assert ["a", "b"] == log.streams()

    def test_read_known_at(self) -> None:
        """known_at keeps the records appended by then."""
        log = Log(clock=stepping_clock())
        first = log.append("s", [counted()])
        log.append("s", [counted()])
        assert first == list(log.read(known_at=first[0].recorded_at))

    def test_log_is_a_context_manager(self) -> None:
        """with Log(...) closes its store: the log refuses to be used afterwards."""
        with chronicle.open() as log:
            log.append("s", [counted()])
            assert 1 == log.head
        with pytest.raises(chronicle.StoreError, match="closed"):
            log.append("s", [counted()])


class TestMakeRecord:
    def test_record_has_nothing_but_its_fields(self) -> None:
        """make_record sets the fields as given: Record has no validator or converter."""
        assert all(f.validator is None and f.converter is None for f in attrs.fields(Record))

    @given(events, st.uuids(), st.integers(1, 10**6), st.integers(1, 10**6))
    def test_is_the_record_record_makes(
        self, event: Event, record_id: uuid.UUID, version: int, position: int
    ) -> None:
        """The same record as Record(...), equal, hashed and printed alike."""
        moment = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        fields = (record_id, "s", version, position, moment, event)
        made, expected = make_record(*fields), Record(*fields)
        assert (expected, hash(expected), repr(expected)) == (made, hash(made), repr(made))
        assert attrs.astuple(expected, recurse=False) == attrs.astuple(made, recurse=False)
