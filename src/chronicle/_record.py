"""Records: an entry as the log holds it, with its identity and its two places in time.

Also the instants of record time: ``recorded_at`` values are timezone-aware UTC
datetimes, and ``known_at`` queries accept a datetime, a date (its end, in UTC)
or an ISO 8601 string.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Sequence
from typing import Final
from uuid import UUID

import attrs

from chronicle._errors import ConcurrencyError, InvalidArgument, RecordTimeError, shorten
from chronicle._event import Entry

__all__ = [
    "ANY",
    "NO_STREAM",
    "STREAM_EXISTS",
    "Clock",
    "ExpectedVersion",
    "Record",
    "check_stream",
    "make_record",
    "new_records",
    "utc_now",
]


@attrs.frozen
class Record:
    """One entry of the log.

    Attributes:
        id: Unique id of the record (a correction names its target by it): a UUID
            of version 7, which begins with the millisecond of its append.
        stream: The named subject the entry belongs to (``"mali"``).
        version: Its place in its stream, from 1.
        position: Its place in the whole log, from 1.
        recorded_at: When the log learned it (UTC). Records of one append share it;
            it strictly increases from one append to the next.
        event: The entry: a domain :class:`~chronicle.Event` or a
            :class:`~chronicle.Correction`.
    """

    id: UUID
    stream: str
    version: int
    position: int
    recorded_at: datetime.datetime
    event: Entry


_SLOT_SETTERS = tuple(getattr(Record, field.name).__set__ for field in attrs.fields(Record))


def make_record(  # noqa: PLR0917 -- Record's fields, in the order Record() takes them
    record_id: UUID,
    stream: str,
    version: int,
    position: int,
    recorded_at: datetime.datetime,
    event: Entry,
) -> Record:
    """``Record(record_id, stream, version, position, recorded_at, event)``, made faster.

    A Record's ``__init__`` only sets its six fields (it has no validator or converter),
    through ``object.__setattr__``, which looks each one up; this sets them through
    the slots' own setters. Every read makes a record a row, and every append a record
    an entry.
    """
    made: Record = _new(Record)
    set_id, set_stream, set_version, set_position, set_time, set_event = _SLOT_SETTERS
    set_id(made, record_id)
    set_stream(made, stream)
    set_version(made, version)
    set_position(made, position)
    set_time(made, recorded_at)
    set_event(made, event)
    return made


_new = object.__new__


class _Expect(enum.Enum):
    ANY = "ANY"
    NO_STREAM = "NO_STREAM"
    STREAM_EXISTS = "STREAM_EXISTS"

    def __str__(self) -> str:
        return self.value


ANY: Final = _Expect.ANY
"""Expected version: append whatever the stream's version."""
NO_STREAM: Final = _Expect.NO_STREAM
"""Expected version: the stream must not exist yet (same as version 0)."""
STREAM_EXISTS: Final = _Expect.STREAM_EXISTS
"""Expected version: the stream must already hold at least one record."""

ExpectedVersion = int | _Expect
"""What ``append`` expects of a stream's version: an exact int, or ANY, NO_STREAM, STREAM_EXISTS."""

Clock = Callable[[], datetime.datetime]
"""A function giving the current time as a timezone-aware UTC datetime."""

MICROSECOND: Final = datetime.timedelta(microseconds=1)
LAST_INSTANT: Final = datetime.datetime.max.replace(tzinfo=datetime.UTC)
"""The last instant a timezone-aware datetime can hold, in UTC."""


def utc_now() -> datetime.datetime:
    """The current time in UTC: the default clock of a log."""
    return datetime.datetime.now(datetime.UTC)


def check_utc(moment: datetime.datetime, what: str) -> datetime.datetime:
    """``moment`` converted to UTC.

    Raises:
        RecordTimeError: it is not a datetime, has no time zone, or lies outside the
            years 0001 to 9999 once converted to UTC (``9999-12-31T23:59:59-01:00``).
    """
    if not isinstance(moment, datetime.datetime):
        raise RecordTimeError(f"{what} must be a datetime, not {shorten(moment)}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RecordTimeError(f"{what} {moment.isoformat()} has no time zone (use UTC)")
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        raise RecordTimeError(
            f"{what} {moment.isoformat()} is outside the years 0001 to 9999 in UTC"
        ) from None


def as_instant(value: datetime.datetime | datetime.date | str) -> datetime.datetime:
    """A ``known_at`` value as a UTC instant.

    A date means the end of that day in UTC (everything recorded on that day is
    known); a string is read as ISO 8601 (a date, or a datetime with a zone).
    """
    if isinstance(value, str):
        try:
            parsed: datetime.datetime | datetime.date = (
                datetime.datetime.fromisoformat(value)
                if "T" in value or " " in value
                else datetime.date.fromisoformat(value)
            )
        except ValueError:
            raise RecordTimeError(
                f"known_at {shorten(value)} is not an ISO 8601 date or time"
            ) from None
        value = parsed
    if isinstance(value, datetime.datetime):
        return check_utc(value, "known_at")
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time.max, datetime.UTC)
    raise RecordTimeError(
        f"known_at must be a datetime, a date or an ISO string, not {shorten(value)}"
    )


def check_expected(stream: str, expected: ExpectedVersion, actual: int) -> None:
    """Raise :class:`ConcurrencyError` unless ``actual`` satisfies ``expected``.

    Stores call it inside their append transaction, so that the check and the
    write see the same version.
    """
    if expected is ANY:
        return
    if expected is NO_STREAM:
        ok = actual == 0
    elif expected is STREAM_EXISTS:
        ok = actual > 0
    else:
        ok = actual == expected
    if not ok:
        raise ConcurrencyError(stream, expected, actual)


def settle_recorded_at(
    head: datetime.datetime | None, requested: datetime.datetime, *, exact: bool
) -> datetime.datetime:
    """The ``recorded_at`` of a new append after ``head``.

    A time the caller chose (``exact``) must be after the head, or
    :class:`RecordTimeError`. A clock reading that is not after the head (a clock
    that stepped back, two appends in one microsecond) is moved to just after it,
    so that record time strictly increases from append to append; after the last
    instant a datetime can hold, there is no such time, and that is a
    :class:`RecordTimeError` too.
    """
    if head is None or requested > head:
        return requested
    if exact:
        raise RecordTimeError(
            f"recorded_at {requested.isoformat()} is not after the log's head "
            f"{head.isoformat()}: record time only moves forward"
        )
    if head >= LAST_INSTANT:
        raise RecordTimeError(
            f"the log's head {head.isoformat()} is the last instant a datetime can hold"
            " in UTC: nothing can be recorded after it"
        )
    return head + MICROSECOND


def check_stream(stream: object) -> str:
    """``stream`` if it can name a stream in every store, else :class:`InvalidArgument` saying why.

    A stream name is a non-blank string that UTF-8 can hold (no lone surrogate)
    and that holds no NUL character (PostgreSQL's text cannot): the rule is the
    log's, so that every store accepts exactly the same names.
    """
    if not isinstance(stream, str) or not stream.strip():
        raise InvalidArgument(f"a stream name must be a non-blank string, not {stream!r:.80}")
    if "\x00" in stream:
        raise InvalidArgument(f"stream name {stream!r:.80} holds a NUL character")
    try:
        stream.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgument(
            f"stream name {stream!r:.80} holds a lone surrogate, which UTF-8 cannot store"
        ) from None
    return stream


def new_records(
    stream: str,
    entries: Sequence[Entry],
    ids: Sequence[UUID],
    *,
    version: int,
    position: int,
    recorded_at: datetime.datetime,
) -> list[Record]:
    """The records of an append to ``stream``, after its ``version`` and the log's ``position``."""
    return [
        make_record(record_id, stream, version + offset, position + offset, recorded_at, entry)
        for offset, (record_id, entry) in enumerate(zip(ids, entries, strict=True), 1)
    ]
