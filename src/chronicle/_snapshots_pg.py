"""Snapshots on PostgreSQL: reads in fold order through its index, checkpoints in its tables.

The records table of a PostgreSQL log keeps each event's ``occurred_latest``
and ``occurred_earliest`` (dates; NULL for corrections) under the index
``records_fold_order``: the events after a checkpoint, up to a day, are one
range of it, read a page at a time. Checkpoints live in two tables of the log's
schema, ``snapshot_series_v1`` and ``snapshots_v1``, made on first use: they
are a cache, not part of the log, so they are outside its migrations, and
dropping them loses nothing but time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Final
from uuid import UUID

import psycopg
from psycopg import sql

from chronicle._fold import Key
from chronicle._foldindex import Item
from chronicle._record import Record
from chronicle._snapshot_storage import Run, SqlSnapshotStorage

__all__ = ["PostgresFoldSource", "PostgresSnapshotStorage"]

PAGE: Final = 1000
"""How many records a read in fold order fetches per query."""

_COLUMNS: Final = "position, id, stream, version, recorded_at, type, v, data"

Fetch = Callable[[Any, Sequence[Any]], list[tuple[Any, ...]]]
"""Runs one read-only statement on a connection of the store's pool; returns its rows."""


def _quoted(schema: str) -> str:
    return '"' + schema.replace('"', '""') + '"'


class PostgresFoldSource:
    """A :class:`~chronicle._foldindex.FoldSource` reading a PostgreSQL log by its fold index.

    Args:
        fetch: Runs a read-only statement on the store's pool.
        record: Decodes a row of ``position, id, stream, version, recorded_at, type,
            v, data`` into a :class:`~chronicle.Record`, as the store does.
        schema: The log's PostgreSQL schema.
    """

    def __init__(
        self, fetch: Fetch, record: Callable[[tuple[Any, ...]], Record], schema: str
    ) -> None:
        self._fetch = fetch
        self._record = record
        r = sql.Identifier(schema, "records")
        self._head = sql.SQL("SELECT position, id FROM {r} ORDER BY position DESC LIMIT 1").format(
            r=r
        )
        self._head_at = sql.SQL(
            "SELECT coalesce(max(position), 0) FROM {r} WHERE recorded_at <= %s"
        ).format(r=r)
        self._select = sql.SQL(
            "SELECT occurred_latest, occurred_earliest, {columns} FROM {r}"
        ).format(columns=sql.SQL(_COLUMNS), r=r)
        self._least = sql.SQL(
            "SELECT occurred_latest, occurred_earliest, position FROM {r}"
            " WHERE position > %s AND position <= %s AND occurred_latest IS NOT NULL"
            " AND (%s::text IS NULL OR stream = %s)"
            " ORDER BY occurred_latest, occurred_earliest, position LIMIT 1"
        ).format(r=r)
        self._corrections = sql.SQL(
            "SELECT {columns}, t.occurred_latest, t.occurred_earliest, t.position"
            " FROM {r} AS c JOIN {r} AS t ON t.id = (c.data ->> 'target')::uuid"
            " WHERE c.occurred_latest IS NULL AND c.position > %s AND c.position <= %s"
            " ORDER BY c.position"
        ).format(
            columns=sql.SQL(", ").join(sql.Identifier("c", name) for name in _COLUMNS.split(", ")),
            r=r,
        )

    def refresh(self) -> None:
        """Nothing to do: every query reads the database as it is."""

    def head(self) -> tuple[int, UUID | None]:
        """The last position and its record's id."""
        rows = self._fetch(self._head, ())
        return (int(rows[0][0]), rows[0][1]) if rows else (0, None)

    def head_at(self, known_at: datetime.datetime) -> int:
        """The last position appended by ``known_at``."""
        return int(self._fetch(self._head_at, (known_at,))[0][0])

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
        where = [sql.SQL("occurred_latest IS NOT NULL"), sql.SQL("position <= %s")]
        bounds: list[Any] = [head]
        for clause, bound in (
            ("occurred_latest <= %s", latest_max),
            ("occurred_earliest <= %s", earliest_max),
            ("stream = %s", stream),
        ):
            if bound is not None:
                where.append(sql.SQL(clause))
                bounds.append(bound)
        where.append(sql.SQL("(occurred_latest, occurred_earliest, position) > (%s, %s, %s)"))
        statement = sql.SQL("{select} WHERE {where} ORDER BY {order} LIMIT {page}").format(
            select=self._select,
            where=sql.SQL(" AND ").join(where),
            order=sql.SQL("occurred_latest, occurred_earliest, position"),
            page=sql.Literal(PAGE),
        )
        last: tuple[Any, ...] = (
            (datetime.date.min, datetime.date.min, 0) if after is None else after
        )
        while True:
            rows = self._fetch(statement, (*bounds, *last))
            for row in rows:
                yield row[0], row[1], row[2], self._record(row[2:])
            if len(rows) < PAGE:
                return
            last = rows[-1][:3]

    def least_event_key(self, stream: str | None, low: int, high: int) -> Key | None:
        """The least key among the event records at positions in ``(low, high]``."""
        rows = self._fetch(self._least, (low, high, stream, stream))
        return (rows[0][0], rows[0][1], rows[0][2]) if rows else None

    def corrections(self, low: int, high: int) -> Iterator[tuple[Record, Key]]:
        """The correction records at positions in ``(low, high]``, with their targets' keys."""
        for row in self._fetch(self._corrections, (low, high)):
            yield self._record(row[:8]), (row[8], row[9], row[10])


class PostgresSnapshotStorage(SqlSnapshotStorage):
    """Checkpoints in two tables of the log's PostgreSQL schema, made on first use.

    Args:
        connection: Lends a connection of the store's pool (in autocommit mode).
        schema: The log's PostgreSQL schema.
    """

    lock_row = " FOR UPDATE"

    def __init__(
        self,
        connection: Callable[[], AbstractContextManager[psycopg.Connection[Any]]],
        schema: str,
    ) -> None:
        self._connection = connection
        self._schema = schema
        self.series_table = f"{_quoted(schema)}.snapshot_series_v1"
        self.table = f"{_quoted(schema)}.snapshots_v1"
        with self._transaction(write=True) as run:
            # Concurrent CREATE ... IF NOT EXISTS can collide: openers take turns.
            run("SELECT pg_advisory_xact_lock(hashtext(?))", (f"chronicle.snapshots:{schema}",))
            run(
                f"""CREATE TABLE IF NOT EXISTS {self.series_table} (
                    id bigserial PRIMARY KEY,
                    projector text NOT NULL,
                    version integer NOT NULL,
                    every_stream boolean NOT NULL,
                    stream text NOT NULL,
                    head bigint NOT NULL,
                    head_id uuid,
                    UNIQUE (projector, version, every_stream, stream)
                )""",
                (),
            )
            run(
                f"""CREATE TABLE IF NOT EXISTS {self.table} (
                    series bigint NOT NULL,
                    latest date NOT NULL,
                    earliest date NOT NULL,
                    position bigint NOT NULL,
                    state bytea NOT NULL,
                    PRIMARY KEY (series, latest, earliest, position)
                )""",
                (),
            )

    def __repr__(self) -> str:
        return f"PostgresSnapshotStorage(schema={self._schema!r})"

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Run]:
        with self._connection() as conn, conn.transaction():

            def run(statement: str, values: Sequence[Any]) -> list[Any]:
                cursor = conn.execute(statement.replace("?", "%s"), values)
                return cursor.fetchall() if cursor.description else []

            yield run

    def _key_values(self, key: Key) -> tuple[datetime.date, datetime.date, int]:
        return key

    def _key(self, latest: datetime.date, earliest: datetime.date, position: int) -> Key:
        return latest, earliest, position

    def _id_value(self, record_id: UUID | None) -> UUID | None:
        return record_id

    def close(self) -> None:
        """Nothing to release: connections are the store's."""
