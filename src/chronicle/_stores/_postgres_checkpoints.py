"""Snapshot checkpoints in two tables of a PostgreSQL log's schema, made on first use.

``checkpoint_series_v2`` and ``checkpoints_v2`` are a cache, not part of the log,
so they are outside its migrations: dropping them loses nothing but time. States
are signed data; the tables of earlier versions (``snapshot_series_v1`` and
``snapshots_v1``), whose states were pickled, are dropped unread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from psycopg import sql

from chronicle._stores._postgres_schema import dialect
from chronicle._stores._sql import Run, SqlCheckpointStorage

__all__ = ["PostgresCheckpointStorage"]

_TABLES = (
    """CREATE TABLE IF NOT EXISTS {series} (
        id bigserial PRIMARY KEY,
        projector text NOT NULL,
        version integer NOT NULL,
        every_stream boolean NOT NULL,
        stream text NOT NULL,
        signer text NOT NULL,
        head bigint NOT NULL,
        head_id uuid,
        UNIQUE (projector, version, every_stream, stream, signer)
    )""",
    """CREATE TABLE IF NOT EXISTS {checkpoints} (
        series bigint NOT NULL,
        latest date NOT NULL,
        earliest date NOT NULL,
        position bigint NOT NULL,
        state bytea NOT NULL,
        PRIMARY KEY (series, latest, earliest, position)
    )""",
)


class PostgresCheckpointStorage(SqlCheckpointStorage):
    """Checkpoints in two tables of the log's PostgreSQL schema, made on first use.

    Args:
        connection: Lends a connection of the store's pool (in autocommit mode).
        schema: The log's PostgreSQL schema.
    """

    def __init__(
        self,
        connection: Callable[[], AbstractContextManager[psycopg.Connection[Any]]],
        schema: str,
    ) -> None:
        self._connection = connection
        self._schema = schema
        spelling = dialect(schema)
        super().__init__(spelling, self._transaction, lambda: None)
        with self._transaction(write=True) as run:
            # Concurrent CREATE ... IF NOT EXISTS can collide: openers take turns.
            run(
                sql.SQL("SELECT pg_advisory_xact_lock(hashtext({}))").format(
                    sql.Literal(f"chronicle.snapshots:{schema}")
                ),
                (),
            )
            for old in ("snapshots_v1", "snapshot_series_v1"):
                run(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(schema, old)), ())
            for table in _TABLES:
                run(spelling.statement(table), ())

    def __repr__(self) -> str:
        return f"PostgresCheckpointStorage(schema={self._schema!r})"

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Run]:
        del write  # every transaction may write; FOR UPDATE locks the rows a write reads
        with self._connection() as conn, conn.transaction():

            def run(statement: Any, values: Sequence[Any]) -> list[Any]:
                cursor = conn.execute(statement, values)
                return cursor.fetchall() if cursor.description else []

            yield run
