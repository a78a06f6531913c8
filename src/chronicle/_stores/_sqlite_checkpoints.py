"""Snapshot checkpoints in an SQLite file: the log's own database, or a side file of its own.

The two tables' names start with ``chronicle_checkpoint``, so they can live in a
chronicle SQLite log beside its records, or in a file beside a JSON Lines log.
States are stored as signed data (see :mod:`chronicle._replay._checkpoint_codec`);
the tables of earlier versions, whose states were pickled, are dropped unread.
The storage has a connection of its own, in WAL mode and without a sync at
each commit: a lost checkpoint is only rebuilt, and in WAL mode skipping the
sync cannot damage the database.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

from chronicle._errors import StoreError
from chronicle._stores._sql import Run, SqlCheckpointStorage
from chronicle._stores._sqlite_dialect import DIALECT

__all__ = ["SqliteCheckpointFile"]

_TABLES: Final = (
    # Checkpoints of earlier versions held pickled states: dropped unread.
    "DROP TABLE IF EXISTS chronicle_snapshots_v1",
    "DROP TABLE IF EXISTS chronicle_snapshot_series_v1",
    """CREATE TABLE IF NOT EXISTS chronicle_checkpoint_series_v2 (
        id INTEGER PRIMARY KEY,
        projector TEXT NOT NULL,
        version INTEGER NOT NULL,
        every_stream INTEGER NOT NULL,
        stream TEXT NOT NULL,
        signer TEXT NOT NULL,
        head INTEGER NOT NULL,
        head_id TEXT,
        UNIQUE (projector, version, every_stream, stream, signer)
    )""",
    """CREATE TABLE IF NOT EXISTS chronicle_checkpoints_v2 (
        series INTEGER NOT NULL,
        latest INTEGER NOT NULL,
        earliest INTEGER NOT NULL,
        position INTEGER NOT NULL,
        state BLOB NOT NULL,
        PRIMARY KEY (series, latest, earliest, position)
    )""",
)


class SqliteCheckpointFile(SqlCheckpointStorage):
    """Checkpoints in two tables of an SQLite database file (created if missing).

    Args:
        path: The database file.

    Raises:
        StoreError: the file cannot be opened as an SQLite database.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = os.fspath(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        super().__init__(DIALECT, self._transaction, self._release)
        try:
            self._conn = sqlite3.connect(
                self._path, timeout=30, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            with self._transaction(write=True) as run:
                for statement in _TABLES:
                    run(statement, ())
        except sqlite3.Error as error:
            self._release()
            raise StoreError(f"cannot keep snapshots in {self._path!r}: {error}") from error

    def __repr__(self) -> str:
        return f"SqliteCheckpointFile({self._path!r})"

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Run]:
        with self._lock:
            if self._conn is None:
                raise StoreError(f"the snapshot storage in {self._path!r} is closed")
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield lambda statement, values: _rows(conn, statement, values)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _release(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _rows(conn: sqlite3.Connection, statement: str, values: Sequence[Any]) -> list[Any]:
    return conn.execute(statement, values).fetchall()
