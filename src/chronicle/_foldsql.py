"""The fold-order reads of an SQLite log, through its index on valid time.

The records table keeps each event's ``occurred_latest`` and
``occurred_earliest`` (ISO dates, which sort as the dates do; NULL for
corrections) under the index ``records_fold_order (occurred_latest,
occurred_earliest, position)``, and ``records_stream_fold_order`` with the
stream in front. ``as_of`` and the events after a checkpoint are then one range
of an index, read a page at a time in fold order: nothing before the
checkpoint and nothing after the day is read.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final
from uuid import UUID

from chronicle._fold import Key
from chronicle._foldindex import Item
from chronicle._record import Record
from chronicle._stores._files import to_micros

__all__ = ["FOLD_INDEXES", "SqliteFoldSource"]

FOLD_INDEXES: Final = (
    "CREATE INDEX IF NOT EXISTS records_fold_order"
    " ON records (occurred_latest, occurred_earliest, position)",
    "CREATE INDEX IF NOT EXISTS records_stream_fold_order"
    " ON records (stream, occurred_latest, occurred_earliest, position)",
)
"""The indexes that serve reads in fold order, of the whole log and of one stream
(created with the table, or when a log made before them is opened)."""

PAGE: Final = 1000
"""How many records a read in fold order fetches per query."""

_COLUMNS: Final = "position, id, stream, version, recorded_at, type, v, data"

Query = Callable[[str, Sequence[Any]], list[Any]]
"""Runs one statement on the store's connection and returns its rows."""


_date = functools.lru_cache(maxsize=4096)(datetime.date.fromisoformat)
"""An ISO date as a date, cached: a log's events crowd onto far fewer days than records."""


def _key(row: Sequence[Any]) -> Key:
    latest, earliest, position = row
    return _date(latest), _date(earliest), position


class SqliteFoldSource:
    """A :class:`~chronicle._foldindex.FoldSource` reading an SQLite log by its fold index.

    Args:
        query: Runs a statement on the store's connection (under the store's lock).
        record: Decodes a row of ``position, id, stream, version, recorded_at, type,
            v, data`` into a :class:`~chronicle.Record`, as the store does.
    """

    def __init__(self, query: Query, record: Callable[[tuple[Any, ...]], Record]) -> None:
        self._query = query
        self._record = record

    def refresh(self) -> None:
        """Nothing to do: every query reads the database as it is."""

    def head(self) -> tuple[int, UUID | None]:
        """The last position and its record's id."""
        rows = self._query("SELECT position, id FROM records ORDER BY position DESC LIMIT 1", ())
        return (int(rows[0][0]), UUID(rows[0][1])) if rows else (0, None)

    def head_at(self, known_at: datetime.datetime) -> int:
        """The last position appended by ``known_at``."""
        rows = self._query(
            "SELECT position FROM records WHERE recorded_at <= ?"
            " ORDER BY recorded_at DESC, position DESC LIMIT 1",
            (to_micros(known_at),),
        )
        return int(rows[0][0]) if rows else 0

    def events_after(
        self,
        stream: str | None,
        after: Key | None,
        *,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
        head: int,
    ) -> Iterator[Item]:
        """Event records after ``after`` in fold order, a page at a time."""
        where = ["occurred_latest IS NOT NULL", "position <= ?"]
        bounds: list[Any] = [head]
        if latest_max is not None:
            where.append("occurred_latest <= ?")
            bounds.append(latest_max.isoformat())
        if earliest_max is not None:
            where.append("occurred_earliest <= ?")
            bounds.append(earliest_max.isoformat())
        if stream is not None:
            where.append("stream = ?")
            bounds.append(stream)
        where.append("(occurred_latest, occurred_earliest, position) > (?, ?, ?)")
        sql = (
            f"SELECT occurred_latest, occurred_earliest, {_COLUMNS} FROM records"  # noqa: S608 -- constant text
            f" WHERE {' AND '.join(where)}"
            f" ORDER BY occurred_latest, occurred_earliest, position LIMIT {PAGE}"
        )
        last: tuple[str, str, int] = (
            ("", "", 0) if after is None else (after[0].isoformat(), after[1].isoformat(), after[2])
        )
        while True:
            rows = self._query(sql, (*bounds, *last))
            for row in rows:
                latest, earliest, position = _key(row[:3])
                yield latest, earliest, position, self._record(row[2:])
            if len(rows) < PAGE:
                return
            last = (rows[-1][0], rows[-1][1], rows[-1][2])

    def least_event_key(self, stream: str | None, low: int, high: int) -> Key | None:
        """The least key among the event records at positions in ``(low, high]``."""
        rows = self._query(
            "SELECT occurred_latest, occurred_earliest, position FROM records"
            " WHERE position > ? AND position <= ? AND occurred_latest IS NOT NULL"
            " AND (? IS NULL OR stream = ?)"
            " ORDER BY occurred_latest, occurred_earliest, position LIMIT 1",
            (low, high, stream, stream),
        )
        return _key(rows[0]) if rows else None

    def corrections(self, low: int, high: int) -> Iterator[tuple[Record, Key]]:
        """The correction records at positions in ``(low, high]``, with their targets' keys."""
        rows = self._query(
            f"SELECT {', '.join('c.' + name for name in _COLUMNS.split(', '))},"  # noqa: S608 -- constant text
            " t.occurred_latest, t.occurred_earliest, t.position"
            " FROM records AS c JOIN records AS t ON t.id = json_extract(c.data, '$.target')"
            " WHERE c.occurred_latest IS NULL AND c.position > ? AND c.position <= ?"
            " ORDER BY c.position",
            (low, high),
        )
        for row in rows:
            yield self._record(row[:8]), _key(row[8:])
