"""The errors: one base class, messages that quote values shortened, and errors that pickle."""

from __future__ import annotations

import datetime
import pickle

import pytest

import chronicle
from chronicle import (
    ANY,
    NO_STREAM,
    CheckpointError,
    ChronicleError,
    ConcurrencyError,
    CorrectionError,
    CorruptLog,
    CountryCodeError,
    DatasetError,
    EventTypeError,
    InvalidArgument,
    InvalidDate,
    InvalidEvent,
    NotStored,
    RecordTimeError,
    StoreError,
    TooUncertain,
    TornTail,
    UnknownEventType,
    UnknownStream,
    UpcastError,
)
from chronicle._cli._inputs import OptionError
from chronicle._cli._plot import MissingExtra
from chronicle._errors import QUOTE_LIMIT, shorten
from chronicle.datasets._table import RowError
from chronicle.testing import LawViolation
from tests.domain import Counted, total

EVERY_ERROR = [
    ChronicleError("something"),
    InvalidArgument("stream name must be a non-empty string, not ''"),
    InvalidDate("invalid EDTF date '2020-13'"),
    InvalidEvent("CoupOccurred.junta must be str, not 5"),
    EventTypeError("Thing is not a registered event type"),
    UnknownEventType("unknown event type 'future.thing'"),
    CorruptLog("log.jsonl, line 3: not JSON"),
    TornTail("log.jsonl", 3, 120, 17),
    StoreError("log.db: not an SQLite database"),
    NotStored("the connection was lost during an append: nothing of it is stored"),
    ConcurrencyError("mali", 3, 4),
    ConcurrencyError("mali", NO_STREAM, 1),
    ConcurrencyError("mali", ANY, 0),
    RecordTimeError("known_at '9999-12-31T23:59:59-01:00' is outside the years 0001 to 9999"),
    CorrectionError("no such record"),
    UpcastError("'x': no upcaster from version 1 to 2"),
    DatasetError("cannot read the file"),
    RowError("year 'x' is not a whole number"),
    OptionError("--projector: unknown projector 'x'"),
    MissingExtra("plot needs matplotlib"),
    CountryCodeError("no country 'XYZ' on 2020-01-01"),
    CheckpointError("projector 'x': a state of type Foo cannot be encoded"),
    UnknownStream("bf", ("BFO",)),
    TooUncertain("politics.PromisedElection", 12, "2023-09-01", "2025-08-31", 1000),
    LawViolation("determinism", "two folds differ"),
]


class TestErrors:
    @pytest.mark.parametrize("error", EVERY_ERROR, ids=lambda e: type(e).__name__)
    def test_every_error_pickles_whole(self, error: ChronicleError) -> None:
        """An error survives pickling (a process pool, a log handler): class, text, attributes."""
        copy = pickle.loads(pickle.dumps(error))
        assert type(error) is type(copy)
        assert str(error) == str(copy)
        assert error.args == copy.args
        assert vars(error) == vars(copy)
        assert isinstance(copy, ChronicleError)

    def test_every_public_error_is_covered(self) -> None:
        """The list above holds every error class chronicle exports."""
        exported = {
            value
            for name in chronicle.__all__
            if isinstance(value := getattr(chronicle, name), type)
            and issubclass(value, BaseException)
        }
        assert exported <= {type(error) for error in EVERY_ERROR}

    def test_the_attributes_of_concurrency_error_and_torn_tail(self) -> None:
        """Their attributes are those given, and their messages name them."""
        clash = pickle.loads(pickle.dumps(ConcurrencyError("mali", 3, 4)))
        assert ("mali", 3, 4) == (clash.stream, clash.expected, clash.actual)
        assert "stream 'mali': expected version 3, but the stream is at version 4" == str(clash)
        torn = pickle.loads(pickle.dumps(TornTail("log.jsonl", 3, 120, 17)))
        assert ("log.jsonl", 3, 120, 17) == (torn.path, torn.line, torn.offset, torn.size)

    def test_invalid_argument_is_a_value_error(self) -> None:
        """`except ValueError` still catches a bad argument."""
        with pytest.raises(ValueError, match="dotted identifiers"):
            chronicle.Projector("not dotted!", initial=None)
        with pytest.raises(InvalidArgument):
            chronicle.Projector("a.b", initial=None, version=0)


class TestTornTailMessages:
    def test_the_api_message_names_the_python_call(self) -> None:
        """str() tells a Python user to call chronicle.repair(path)."""
        torn = TornTail("my log.jsonl", 3, 120, 17)
        assert str(torn).endswith("run chronicle.repair('my log.jsonl') to move it to a side file")

    def test_the_command_line_message_names_the_command(self) -> None:
        """The command-line wording names `chronicle repair FILE`, quoted for a shell."""
        message = TornTail("my log.jsonl", 3, 120, 17).command_line_message
        assert "run `chronicle repair 'my log.jsonl'`" in message
        assert "chronicle.repair(" not in message


class TestShorten:
    def test_a_short_value_is_its_repr(self) -> None:
        """Values within the limit are quoted whole."""
        assert "'2020-13'" == shorten("2020-13")
        assert "[1, 2]" == shorten([1, 2])

    @pytest.mark.parametrize("value", ["x" * 10_000, list(range(10_000)), b"y" * 10_000])
    def test_a_long_value_is_cut_with_an_ellipsis(self, value: object) -> None:
        """A long value is cut to the limit, ending in an ellipsis."""
        quoted = shorten(value)
        assert QUOTE_LIMIT == len(quoted)
        assert quoted.endswith("\u2026")
        assert repr(value).startswith(quoted[:-1])

    def test_invalid_date_quotes_a_long_input_shortened(self) -> None:
        """A 10,000-character date is quoted in at most the limit."""
        with pytest.raises(InvalidDate) as refused:
            chronicle.When("9" * 10_000)
        assert len(str(refused.value)) < 2 * QUOTE_LIMIT

    def test_record_time_errors_quote_shortened(self) -> None:
        """A long known_at is quoted shortened too."""
        log = chronicle.Log()
        with pytest.raises(RecordTimeError) as refused:
            list(chronicle.timeline(log, known_at="x" * 10_000))
        assert len(str(refused.value)) < 2 * QUOTE_LIMIT


class TestExtremeInstants:
    @pytest.mark.parametrize("instant", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
    def test_an_instant_outside_the_years_a_datetime_holds_is_a_record_time_error(
        self, instant: str
    ) -> None:
        """known_at beyond 9999 or before 0001 once in UTC: a RecordTimeError, no OverflowError."""
        log = chronicle.Log()
        log.append("s", [Counted(occurred="2020", amount=1)])
        with pytest.raises(RecordTimeError, match="outside the years 0001 to 9999"):
            chronicle.timeline(log, known_at=instant)
        with pytest.raises(RecordTimeError, match="outside the years 0001 to 9999"):
            chronicle.replay(log, total, known_at=instant)

    def test_nothing_can_be_recorded_after_the_last_instant(self) -> None:
        """A log whose head is the last instant refuses the next append, as a RecordTimeError."""
        log = chronicle.Log()
        last = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        log.append("s", [Counted(occurred="2020", amount=1)], recorded_at=last)
        with pytest.raises(RecordTimeError, match="last instant"):
            log.append("s", [Counted(occurred="2020", amount=2)])
