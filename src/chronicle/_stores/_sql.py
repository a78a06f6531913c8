"""The SQL that SQLite and PostgreSQL logs share, written once and told the dialect.

Both keep records in one ``records`` table (``position, id, stream, version,
recorded_at, type, v, data, occurred_earliest, occurred_latest``) and stream
versions in ``streams``, with an index in fold order on ``(occurred_latest,
occurred_earliest, position)``. Everything that reads them is here: reads by
position a page at a time, the head, versions, records by id, the decoding of
a row and its errors, the reads in fold order that replay and snapshots use,
and the tables of snapshot checkpoints. A :class:`Dialect` says how each store
spells what differs: placeholders, table names, and how ids, times, days and
payloads are stored. Each store module keeps only what is its own:
connections, locking, the append transaction, and its schema.

Statements are templates (this module's constants: ``S608`` is silenced on
them) whose fields (``{p}`` a parameter, ``{records}`` and
the other tables, ``{target}`` a correction's target id) the dialect fills in:
SQLite with plain text (its names are constants), PostgreSQL with
``psycopg.sql`` composition, so that no name from outside is ever pasted into a
statement.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Final
from uuid import UUID

import attrs

from chronicle._codec import StoredEntry, decode_parts
from chronicle._errors import CorruptLog, UpcastError
from chronicle._event import Entry
from chronicle._record import Record, make_record
from chronicle._stores._base import (
    MISSING,
    EventItem,
    FoldItem,
    FoldKey,
    Series,
    SeriesHead,
    TargetOf,
)

__all__ = [
    "PAGE",
    "UNREADABLE",
    "Dialect",
    "Fetch",
    "Run",
    "SqlCheckpointStorage",
    "SqlFoldReader",
    "SqlReads",
    "SqlRecords",
]

PAGE: Final = 1000
"""How many records a read fetches per query."""

COLUMNS: Final = "position, id, stream, version, recorded_at, type, v, data"
"""The columns a record is read from, in the order :meth:`SqlRecords.record` takes them."""

Fetch = Callable[[Any, Sequence[Any]], list[tuple[Any, ...]]]
"""Runs one read-only statement and returns its rows (the store's connection, lock, retries)."""

Run = Callable[[Any, Sequence[Any]], list[Any]]
"""Runs one statement in the current transaction; returns its rows (none for a write)."""


UNREADABLE = (ValueError, TypeError, RecursionError, CorruptLog, UpcastError)
"""What decoding a row may raise: each is raised again naming the log and position."""


def _identity(value: Any) -> Any:
    return value


@attrs.frozen
class Dialect:
    """How one database spells what the shared SQL leaves open.

    Attributes:
        names: The template fields: ``p`` (a parameter), ``records``, ``streams``,
            ``series`` and ``checkpoints`` (tables), ``target`` (the id a
            correction row targets, as comparable to ``records.id``), ``lock`` (what
            locks a row read for an update until commit, or nothing).
        compose: Fills a template's fields with ``names``.
        id_value: A record id as stored. ``id_of``: back.
        time_value: A record time as stored. ``time_of``: back.
        date_value: A valid-time day as the records table stores it. ``date_of``: back.
        day_value: A day as the checkpoint tables store it. ``day_of``: back.
        entry_of: The entry of a row's type, schema version and payload as stored
            (:func:`~chronicle._codec.decode_text` of text; by default, of a payload
            the driver has parsed).
    """

    names: Mapping[str, Any]
    compose: Callable[[str, Mapping[str, Any]], Any]
    id_value: Callable[[UUID], Any] = _identity
    id_of: Callable[[Any], UUID] = _identity
    time_value: Callable[[datetime.datetime], Any] = _identity
    time_of: Callable[[Any], datetime.datetime] = _identity
    date_value: Callable[[datetime.date], Any] = _identity
    date_of: Callable[[Any], datetime.date] = _identity
    day_value: Callable[[datetime.date], Any] = _identity
    day_of: Callable[[Any], datetime.date] = _identity
    entry_of: Callable[[Any, Any, Any], Entry] = decode_parts

    def statement(self, template: str) -> Any:
        """``template`` with its fields filled in."""
        return self.compose(template, self.names)


class SqlRecords:
    """The reads of a log's records, the same on SQLite and PostgreSQL.

    Args:
        dialect: How the database spells what differs.
        fetch: Runs a read-only statement (under the store's lock, with its retries).
        where: Names the log in messages (a file, a server and schema).
    """

    def __init__(self, dialect: Dialect, fetch: Fetch, where: str) -> None:
        self.dialect = dialect
        self._fetch = fetch
        self._where = where
        s = dialect.statement
        select = f"SELECT {COLUMNS} FROM {{records}}"  # noqa: S608 -- a template of constants
        self._last = s("SELECT position, recorded_at FROM {records} ORDER BY position DESC LIMIT 1")
        self._last_known = s(
            "SELECT position FROM {records} WHERE recorded_at <= {p}"
            " ORDER BY recorded_at DESC, position DESC LIMIT 1"
        )
        self._page = s(
            f"{select} WHERE position >= {{p}} AND position <= {{p}} ORDER BY position LIMIT {PAGE}"
        )
        self._stream_page = s(
            f"{select} WHERE stream = {{p}} AND position >= {{p}} AND position <= {{p}}"
            f" ORDER BY position LIMIT {PAGE}"
        )
        self._by_id = s(f"{select} WHERE id = {{p}}")
        self._version = s("SELECT version FROM {streams} WHERE name = {p}")
        self._streams = s("SELECT name FROM {streams}")

    def record(self, row: Sequence[Any]) -> Record:
        """The record of a row of :data:`COLUMNS`.

        Raises:
            CorruptLog: the row does not hold a record chronicle can read (the
                message names the log and the position).
            UpcastError: an old payload with no way up to the current version.
        """
        position, record_id, stream, version, recorded_at, kind, schema, data = row
        d = self.dialect
        try:
            entry = d.entry_of(kind, schema, data)
            return make_record(
                d.id_of(record_id), stream, version, position, d.time_of(recorded_at), entry
            )
        except UNREADABLE as error:
            raise self.problem(position, error) from error

    def problem(self, position: int, error: Exception) -> CorruptLog | UpcastError:
        """The error to raise for a row at ``position`` that could not be read."""
        problem = UpcastError if isinstance(error, UpcastError) else CorruptLog
        return problem(f"{self._where}, position {position}: {error}")

    def rows(
        self, records: Sequence[Record], stored: Sequence[StoredEntry]
    ) -> list[tuple[Any, ...]]:
        """The values of the records table's columns for an append's records, in table order.

        The records of one append share their record time: it is converted once.
        """
        d = self.dialect
        recorded_at = d.time_value(records[0].recorded_at)
        id_value, date_value = d.id_value, d.date_value
        return [
            (
                record.position,
                id_value(record.id),
                record.stream,
                record.version,
                recorded_at,
                entry.type,
                entry.v,
                entry.data,
                None if entry.earliest is None else date_value(entry.earliest),
                None if entry.latest is None else date_value(entry.latest),
            )
            for record, entry in zip(records, stored, strict=True)
        ]

    def last(self, known_at: datetime.datetime | None = None) -> int:
        """The last position, or the last appended by ``known_at`` (0 if none)."""
        rows = (
            self._fetch(self._last, ())
            if known_at is None
            else self._fetch(self._last_known, (self.dialect.time_value(known_at),))
        )
        return int(rows[0][0]) if rows else 0

    def read(
        self, stream: str | None, from_position: int, known_at: datetime.datetime | None
    ) -> Iterator[Record]:
        """The records from a position in position order, lazily, a page at a time.

        The last position is fixed now: since the log is append-only, the pages
        together are exactly the log up to it, however long the reader takes.
        """
        return self._pages(stream, max(from_position, 1), self.last(known_at))

    def _pages(self, stream: str | None, first: int, last: int) -> Iterator[Record]:
        while first <= last:
            rows = (
                self._fetch(self._page, (first, last))
                if stream is None
                else self._fetch(self._stream_page, (stream, first, last))
            )
            if not rows:
                return
            for row in rows:
                yield self.record(row)
            first = rows[-1][0] + 1

    def get(self, record_id: UUID) -> Record | None:
        """The record with this id, or None."""
        rows = self._fetch(self._by_id, (self.dialect.id_value(record_id),))
        return self.record(rows[0]) if rows else None

    def version(self, stream: str) -> int:
        """The number of records in ``stream``."""
        rows = self._fetch(self._version, (stream,))
        return int(rows[0][0]) if rows else 0

    def head(self) -> tuple[int, datetime.datetime | None]:
        """The last position and record time."""
        rows = self._fetch(self._last, ())
        return (int(rows[0][0]), self.dialect.time_of(rows[0][1])) if rows else (0, None)

    def streams(self) -> list[str]:
        """The names of the streams, sorted by code point (whatever the database's collation)."""
        return sorted(str(row[0]) for row in self._fetch(self._streams, ()))


class SqlReads:
    """The reads of a SQL store's :class:`~chronicle.Store` methods, answered by its records.

    SQLite and PostgreSQL read a log the same way; a store mixes this in and sets
    ``_records``.
    """

    _records: SqlRecords

    def read(
        self,
        *,
        stream: str | None = None,
        from_position: int = 1,
        known_at: datetime.datetime | None = None,
    ) -> Iterator[Record]:
        """The records from a position, lazily, a page at a time (see :class:`~chronicle.Store`).

        The read covers the records committed when it is called.

        Raises:
            CorruptLog: a stored entry does not decode (the message names the log and position).
        """
        return self._records.read(stream, from_position, known_at)

    def get(self, record_id: UUID) -> Record | None:
        """The record with this id, or None."""
        return self._records.get(record_id)

    def version(self, stream: str) -> int:
        """The number of records in ``stream``."""
        return self._records.version(stream)

    def head(self) -> tuple[int, datetime.datetime | None]:
        """The last position and record time."""
        return self._records.head()

    def streams(self) -> list[str]:
        """The names of the streams, sorted by code point (whatever the database's collation)."""
        return self._records.streams()


class SqlFoldReader:
    """A :class:`~chronicle.stores.FoldReader` reading a log through its fold-order index.

    ``as_of`` and the events after a checkpoint are one range of the index, read
    a page at a time in fold order: nothing before the checkpoint and nothing
    after the day is read, and nothing is held.
    """

    def __init__(self, records: SqlRecords, fetch: Fetch) -> None:
        self._records = records
        self._fetch = fetch
        d = records.dialect
        s = d.statement
        self._dialect = d
        self._head = s("SELECT position, id FROM {records} ORDER BY position DESC LIMIT 1")
        self._least = s(
            "SELECT occurred_latest, occurred_earliest, position FROM {records}"
            " WHERE position > {p} AND position <= {p} AND occurred_latest IS NOT NULL"
            " ORDER BY occurred_latest, occurred_earliest, position LIMIT 1"
        )
        self._least_in_stream = s(
            "SELECT occurred_latest, occurred_earliest, position FROM {records}"
            " WHERE stream = {p} AND position > {p} AND position <= {p}"
            " AND occurred_latest IS NOT NULL"
            " ORDER BY occurred_latest, occurred_earliest, position LIMIT 1"
        )
        columns = ", ".join(f"c.{name}" for name in COLUMNS.split(", "))
        fixes = (
            f"SELECT {columns}, t.occurred_latest, t.occurred_earliest, t.position, t.stream"  # noqa: S608 -- a template of constants
            " FROM {records} AS c LEFT JOIN {records} AS t ON t.id = {target}"
            " WHERE c.occurred_latest IS NULL AND c.position > {p} AND c.position <= {p}"
        )
        self._corrections = s(f"{fixes} ORDER BY c.position")
        self._corrections_in_stream = s(f"{fixes} AND c.stream = {{p}} ORDER BY c.position")
        self._after: dict[tuple[bool, bool, bool, bool], Any] = {}

    def refresh(self) -> None:
        """Nothing to do: every query reads the database as it is."""

    def head(self) -> tuple[int, UUID | None]:
        """The last position and its record's id."""
        rows = self._fetch(self._head, ())
        return (int(rows[0][0]), self._dialect.id_of(rows[0][1])) if rows else (0, None)

    def head_at(self, known_at: datetime.datetime) -> int:
        """The last position appended by ``known_at``."""
        return self._records.last(known_at)

    def _key(self, latest: Any, earliest: Any, position: int) -> FoldKey:
        return self._dialect.date_of(latest), self._dialect.date_of(earliest), position

    def _events_statement(self, latest: bool, earliest: bool, stream: bool, whole: bool) -> Any:
        """The page query of :meth:`events_after` (``whole``) or :meth:`events_only_after`.

        With the bounds given; made once each.
        """
        shape = (latest, earliest, stream, whole)
        found = self._after.get(shape)
        if found is None:
            where = ["occurred_latest IS NOT NULL", "position <= {p}"]
            where += ["occurred_latest <= {p}"] if latest else []
            where += ["occurred_earliest <= {p}"] if earliest else []
            where += ["stream = {p}"] if stream else []
            where.append("(occurred_latest, occurred_earliest, position) > ({p}, {p}, {p})")
            columns = COLUMNS if whole else "position, type, v, data"
            found = self._after[shape] = self._dialect.statement(
                f"SELECT occurred_latest, occurred_earliest, {columns} FROM {{records}}"  # noqa: S608 -- a template of constants
                f" WHERE {' AND '.join(where)}"
                f" ORDER BY occurred_latest, occurred_earliest, position LIMIT {PAGE}"
            )
        return found

    def _pages(
        self,
        stream: str | None,
        after: FoldKey | None,
        *,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
        head: int,
        whole: bool,
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The rows after ``after`` in fold order, a page at a time.

        Their columns are the fold key's two days, then :data:`COLUMNS` (``whole``)
        or ``position, type, v, data``.
        """
        d = self._dialect
        statement = self._events_statement(
            latest_max is not None, earliest_max is not None, stream is not None, whole
        )
        bounds: list[Any] = [head]
        bounds += [] if latest_max is None else [d.date_value(latest_max)]
        bounds += [] if earliest_max is None else [d.date_value(earliest_max)]
        bounds += [] if stream is None else [stream]
        start = (datetime.date.min, datetime.date.min, 0) if after is None else after
        last: tuple[Any, ...] = (d.date_value(start[0]), d.date_value(start[1]), start[2])
        while True:
            rows = self._fetch(statement, (*bounds, *last))
            yield rows
            if len(rows) < PAGE:
                return
            last = rows[-1][:3]

    def events_after(
        self,
        stream: str | None,
        after: FoldKey | None,
        *,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
        head: int,
    ) -> Iterator[FoldItem]:
        """Event records after ``after`` in fold order, a page at a time."""
        record, date_of = self._records.record, self._dialect.date_of
        for rows in self._pages(
            stream, after, latest_max=latest_max, earliest_max=earliest_max, head=head, whole=True
        ):
            for row in rows:
                yield date_of(row[0]), date_of(row[1]), row[2], record(row[2:])

    def events_only_after(
        self,
        stream: str | None,
        after: FoldKey | None,
        *,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
        head: int,
    ) -> Iterator[EventItem]:
        """As :meth:`events_after`, each event without its record: the columns replay reads."""
        entry_of, date_of = self._dialect.entry_of, self._dialect.date_of
        for rows in self._pages(
            stream, after, latest_max=latest_max, earliest_max=earliest_max, head=head, whole=False
        ):
            for latest, earliest, position, kind, schema, data in rows:
                try:
                    event: Any = entry_of(kind, schema, data)  # an event: its row has a key
                except UNREADABLE as error:
                    raise self._records.problem(position, error) from error
                day = date_of(latest)  # most events are dated to one day: converted once
                yield (day, day if earliest == latest else date_of(earliest), position), event

    def least_event_key(self, stream: str | None, low: int, high: int) -> FoldKey | None:
        """The least key among the event records at positions in ``(low, high]``."""
        rows = (
            self._fetch(self._least, (low, high))
            if stream is None
            else self._fetch(self._least_in_stream, (stream, low, high))
        )
        return self._key(*rows[0]) if rows else None

    def corrections(
        self, low: int, high: int, stream: str | None = None
    ) -> Iterator[tuple[Record, TargetOf]]:
        """The correction records at positions in ``(low, high]`` (of ``stream``), with targets."""
        rows = (
            self._fetch(self._corrections, (low, high))
            if stream is None
            else self._fetch(self._corrections_in_stream, (low, high, stream))
        )
        for row in rows:
            latest, earliest, position, stream = row[8:]
            target = None if latest is None else (self._key(latest, earliest, position), stream)
            yield self._records.record(row[:8]), target


Transaction = Callable[..., AbstractContextManager[Run]]
"""Opens a transaction (``write=True`` for one that writes) and gives its :data:`Run`."""


class SqlCheckpointStorage:
    """Checkpoints in two tables of an SQL database, states as bytes.

    Every operation is one short transaction, and those that write read the
    series' head first, holding the series locked until they commit
    (PostgreSQL's ``FOR UPDATE``; SQLite's ``BEGIN IMMEDIATE`` locks the whole
    database), so several processes may share the tables: a checkpoint computed
    at a head another writer has moved on from is never kept.

    Args:
        dialect: Names the tables (``{series}``, ``{checkpoints}``) and stores days.
        transaction: Opens a transaction on the database.
        close: Releases what the storage holds.
    """

    keeps_objects = False

    def __init__(
        self, dialect: Dialect, transaction: Transaction, close: Callable[[], None]
    ) -> None:
        self._dialect = dialect
        self._transaction = transaction
        self._close = close
        s = dialect.statement
        series_row = (
            "SELECT id, head, head_id FROM {series} WHERE projector = {p} AND version = {p}"
            " AND every_stream = {p} AND stream = {p} AND signer = {p}"
        )
        self._all_series = s(
            "SELECT projector, version, every_stream, stream, signer FROM {series}"
        )
        self._row = s(series_row)
        self._row_locked = s(series_row + "{lock}")
        self._keys = s(
            "SELECT latest, earliest, position FROM {checkpoints} WHERE series = {p}"
            " ORDER BY latest, earliest, position"
        )
        at_key = "series = {p} AND latest = {p} AND earliest = {p} AND position = {p}"
        self._state = s(f"SELECT state FROM {{checkpoints}} WHERE {at_key}")  # noqa: S608 -- a template of constants
        self._discard = s(f"DELETE FROM {{checkpoints}} WHERE {at_key}")  # noqa: S608 -- a template of constants
        self._drop = s("DELETE FROM {checkpoints} WHERE series = {p}")
        self._drop_from = s(
            "DELETE FROM {checkpoints}"
            " WHERE series = {p} AND (latest, earliest, position) >= ({p}, {p}, {p})"
        )
        self._set = s(
            "INSERT INTO {series}"
            " (projector, version, every_stream, stream, signer, head, head_id)"
            " VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p})"
            " ON CONFLICT (projector, version, every_stream, stream, signer)"
            " DO UPDATE SET head = excluded.head, head_id = excluded.head_id"
        )
        self._move = s("UPDATE {series} SET head = {p}, head_id = {p} WHERE id = {p}")
        self._put = s(
            "INSERT INTO {checkpoints} (series, latest, earliest, position, state)"
            " VALUES ({p}, {p}, {p}, {p}, {p})"
            " ON CONFLICT (series, latest, earliest, position) DO UPDATE SET state = excluded.state"
        )
        self._clear = (s("DELETE FROM {checkpoints}"), s("DELETE FROM {series}"))

    def _key_values(self, key: FoldKey) -> tuple[Any, Any, int]:
        return self._dialect.day_value(key[0]), self._dialect.day_value(key[1]), key[2]

    def _id_value(self, record_id: UUID | None) -> Any:
        return None if record_id is None else self._dialect.id_value(record_id)

    def _series_row(
        self, run: Run, series: Series, *, lock: bool = False
    ) -> tuple[int, int, Any] | None:
        name, version, stream, signer = series
        rows = run(
            self._row_locked if lock else self._row,
            (name, version, stream is None, stream or "", signer),
        )
        return None if not rows else (rows[0][0], rows[0][1], rows[0][2])

    def load(self, series: Series) -> SeriesHead | None:
        """The series' head and keys."""
        day = self._dialect.day_of
        with self._transaction(write=False) as run:
            row = self._series_row(run, series)
            if row is None:
                return None
            keys = [
                (day(latest), day(earliest), position)
                for latest, earliest, position in run(self._keys, (row[0],))
            ]
        head_id = None if row[2] is None else self._dialect.id_of(row[2])
        return SeriesHead(row[1], head_id, keys)

    def series(self) -> list[Series]:
        """Every series the tables hold."""
        with self._transaction(write=False) as run:
            rows = run(self._all_series, ())
        return [
            (name, version, None if every else stream, signer)
            for name, version, every, stream, signer in rows
        ]

    def state(self, series: Series, head: int, key: FoldKey) -> Any:
        """The stored bytes of the state at ``key``, or MISSING."""
        with self._transaction(write=False) as run:
            row = self._series_row(run, series)
            if row is None or row[1] != head:
                return MISSING
            found = run(self._state, (row[0], *self._key_values(key)))
        return bytes(found[0][0]) if found else MISSING

    def discard(self, series: Series, key: FoldKey) -> None:
        """Forget the checkpoint at ``key``."""
        with self._transaction(write=True) as run:
            row = self._series_row(run, series, lock=True)
            if row is not None:
                run(self._discard, (row[0], *self._key_values(key)))

    def reset(self, series: Series, head: int, head_id: UUID | None) -> None:
        """Drop the series' checkpoints and set its head."""
        name, version, stream, signer = series
        with self._transaction(write=True) as run:
            row = self._series_row(run, series, lock=True)
            if row is not None:
                run(self._drop, (row[0],))
            run(
                self._set,
                (
                    name,
                    version,
                    stream is None,
                    stream or "",
                    signer,
                    head,
                    self._id_value(head_id),
                ),
            )

    def advance(
        self, series: Series, old: int, head: int, head_id: UUID | None, below: FoldKey | None
    ) -> bool:
        """Move the series to ``head`` if it is at ``old``, dropping keys at or after ``below``."""
        with self._transaction(write=True) as run:
            row = self._series_row(run, series, lock=True)
            if row is None or row[1] != old:
                return False
            if below is not None:
                run(self._drop_from, (row[0], *self._key_values(below)))
            run(self._move, (head, self._id_value(head_id), row[0]))
            return True

    def add(self, series: Series, head: int, checkpoints: Sequence[tuple[FoldKey, Any]]) -> None:
        """Store the checkpoints (bytes), if the series is at ``head``."""
        if not checkpoints:
            return
        with self._transaction(write=True) as run:
            row = self._series_row(run, series, lock=True)
            if row is None or row[1] != head:
                return
            for key, state in checkpoints:
                run(self._put, (row[0], *self._key_values(key), state))

    def clear(self) -> None:
        """Drop every series and checkpoint."""
        with self._transaction(write=True) as run:
            for statement in self._clear:
                run(statement, ())

    def close(self) -> None:
        """Release what the storage holds."""
        self._close()
