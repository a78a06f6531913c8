"""Where snapshot checkpoints are kept: in memory, or in SQLite tables beside the log.

Checkpoints come in *series*, one per projector identity (name and version)
and stream filter. A series is valid at one head position of the log, and
names the record at that head, so that its checkpoints are never applied to
another log that happens to be as long. A checkpoint is the state after folding
every event in force at that head up to a key of the fold order.

Durable checkpoints hold their states pickled. Unpickling runs code: snapshot
tables are a cache chronicle writes for itself, to be trusted as much as the
program that reads them and no more. A checkpoint that fails to load is deleted
and ignored, since snapshots are never the truth, only a shortcut to it.
"""

from __future__ import annotations

import datetime
import enum
import os
import pickle
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Final, Protocol
from uuid import UUID

import attrs

from chronicle._errors import StoreError
from chronicle._fold import Key

__all__ = [
    "MISSING",
    "MemorySnapshotStorage",
    "Series",
    "SeriesHead",
    "SnapshotStorage",
    "SqlSnapshotStorage",
    "SqliteSnapshotStorage",
]

Series = tuple[str, int, str | None]
"""A series of checkpoints: projector name, projector version, stream (None: every stream)."""


class _Missing(enum.Enum):
    MISSING = "MISSING"


MISSING: Final = _Missing.MISSING
"""What :meth:`SnapshotStorage.state` returns for a checkpoint it does not have."""


@attrs.frozen
class SeriesHead:
    """A stored series: the head it is valid at, that head's record id, its checkpoint keys."""

    head: int
    head_id: UUID | None
    keys: list[Key]


class SnapshotStorage(Protocol):
    """What the snapshot cache needs of the place it keeps checkpoints."""

    def load(self, series: Series) -> SeriesHead | None:
        """The series' head and its checkpoint keys in fold order, or None if there is none."""
        ...

    def state(self, series: Series, head: int, key: Key) -> Any:
        """The state checkpointed at ``key``, or MISSING (absent, moved on, unreadable)."""
        ...

    def reset(self, series: Series, head: int, head_id: UUID | None) -> None:
        """Drop the series' checkpoints and make it valid at ``head``."""
        ...

    def advance(
        self, series: Series, old: int, head: int, head_id: UUID | None, below: Key | None
    ) -> bool:
        """Move the series from ``old`` to ``head``, keeping only checkpoints before ``below``.

        Returns False, changing nothing, if the series is no longer at ``old``.
        """
        ...

    def add(self, series: Series, head: int, checkpoints: Sequence[tuple[Key, Any]]) -> None:
        """Store checkpoints computed at ``head``, if the series is still there."""
        ...

    def clear(self) -> None:
        """Drop every series."""
        ...

    def close(self) -> None:
        """Release the storage's resources."""
        ...


@attrs.define
class _MemorySeries:
    head: int
    head_id: UUID | None
    states: dict[Key, Any] = attrs.Factory(dict)
    keys: list[Key] = attrs.Factory(list)


class MemorySnapshotStorage:
    """Checkpoints in a dict: states are kept as they are (immutable), not copied."""

    def __init__(self) -> None:
        self._series: dict[Series, _MemorySeries] = {}

    def load(self, series: Series) -> SeriesHead | None:
        """The series' head and keys."""
        found = self._series.get(series)
        if found is None:
            return None
        if len(found.keys) != len(found.states):
            found.keys = sorted(found.states)
        return SeriesHead(found.head, found.head_id, found.keys)

    def state(self, series: Series, head: int, key: Key) -> Any:
        """The state at ``key``, or MISSING."""
        found = self._series.get(series)
        if found is None or found.head != head:
            return MISSING
        return found.states.get(key, MISSING)

    def reset(self, series: Series, head: int, head_id: UUID | None) -> None:
        """Start the series afresh at ``head``."""
        self._series[series] = _MemorySeries(head, head_id)

    def advance(
        self, series: Series, old: int, head: int, head_id: UUID | None, below: Key | None
    ) -> bool:
        """Move the series to ``head``, dropping checkpoints at or after ``below``."""
        found = self._series.get(series)
        if found is None or found.head != old:
            return False
        if below is not None:
            kept = {key: state for key, state in found.states.items() if key < below}
            found.states, found.keys = kept, sorted(kept)
        found.head, found.head_id = head, head_id
        return True

    def add(self, series: Series, head: int, checkpoints: Sequence[tuple[Key, Any]]) -> None:
        """Keep the checkpoints if the series is at ``head``."""
        found = self._series.get(series)
        if found is not None and found.head == head:
            found.states.update(checkpoints)

    def clear(self) -> None:
        """Forget every series."""
        self._series.clear()

    def close(self) -> None:
        """Nothing to release."""


Run = Callable[[str, Sequence[Any]], list[Any]]
"""Runs one statement (``?`` placeholders) in the current transaction; returns its rows."""


class SqlSnapshotStorage:
    """Checkpoints in two tables of an SQL database, states pickled.

    The statements are those SQLite and PostgreSQL share; a subclass connects,
    names the tables, and says how keys and ids are stored. Every operation is
    one short transaction, and the ones that write check the series' head
    first, holding the series locked until they commit, so several processes
    may share the tables: a checkpoint computed at a head another writer has
    moved on from is never kept.
    """

    series_table: str
    """The table of series: projector, version, stream, head and head id."""
    table: str
    """The table of checkpoints: series, key, pickled state."""
    lock_row: str = ""
    """What a write adds to its read of the series row to lock it until commit
    (PostgreSQL's ``FOR UPDATE``; nothing where a write transaction locks the
    whole database, as SQLite's ``BEGIN IMMEDIATE`` does)."""

    def _transaction(self, *, write: bool) -> AbstractContextManager[Run]:
        raise NotImplementedError

    def _key_values(self, key: Key) -> tuple[Any, Any, int]:
        """A key as stored: its two days, and its position."""
        raise NotImplementedError

    def _key(self, latest: Any, earliest: Any, position: int) -> Key:
        """A stored key as a key."""
        raise NotImplementedError

    def _id_value(self, record_id: UUID | None) -> Any:
        return None if record_id is None else str(record_id)

    def _row(self, run: Run, series: Series, *, lock: bool = False) -> tuple[int, int, Any] | None:
        """The series' id, head and head id, or None; ``lock``: locked until commit."""
        name, version, stream = series
        rows = run(
            f"SELECT id, head, head_id FROM {self.series_table} "  # noqa: S608 -- table names
            "WHERE projector = ? AND version = ? AND every_stream = ? AND stream = ?"
            + (self.lock_row if lock else ""),
            (name, version, stream is None, stream or ""),
        )
        return None if not rows else (rows[0][0], rows[0][1], rows[0][2])

    def load(self, series: Series) -> SeriesHead | None:
        """The series' head and keys."""
        with self._transaction(write=False) as run:
            row = self._row(run, series)
            if row is None:
                return None
            keys = [
                self._key(*found)
                for found in run(
                    f"SELECT latest, earliest, position FROM {self.table} "  # noqa: S608
                    "WHERE series = ? ORDER BY latest, earliest, position",
                    (row[0],),
                )
            ]
        head_id = None if row[2] is None else UUID(str(row[2]))
        return SeriesHead(row[1], head_id, keys)

    def state(self, series: Series, head: int, key: Key) -> Any:
        """The state at ``key`` unpickled, or MISSING; an unreadable one is deleted."""
        where = "WHERE series = ? AND latest = ? AND earliest = ? AND position = ?"
        with self._transaction(write=False) as run:
            row = self._row(run, series)
            if row is None or row[1] != head:
                return MISSING
            found = run(
                f"SELECT state FROM {self.table} {where}",  # noqa: S608
                (row[0], *self._key_values(key)),
            )
        if not found:
            return MISSING
        try:
            return pickle.loads(found[0][0])  # noqa: S301 -- a cache this program wrote (see module)
        except Exception:  # any failure to load means: not usable, rebuild it
            with self._transaction(write=True) as run:
                run(f"DELETE FROM {self.table} {where}", (row[0], *self._key_values(key)))  # noqa: S608
            return MISSING

    def reset(self, series: Series, head: int, head_id: UUID | None) -> None:
        """Drop the series' checkpoints and set its head."""
        name, version, stream = series
        with self._transaction(write=True) as run:
            row = self._row(run, series, lock=True)
            if row is not None:
                run(f"DELETE FROM {self.table} WHERE series = ?", (row[0],))  # noqa: S608
            run(
                f"INSERT INTO {self.series_table} "  # noqa: S608
                "(projector, version, every_stream, stream, head, head_id) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (projector, version, every_stream, stream) "
                "DO UPDATE SET head = excluded.head, head_id = excluded.head_id",
                (name, version, stream is None, stream or "", head, self._id_value(head_id)),
            )

    def advance(
        self, series: Series, old: int, head: int, head_id: UUID | None, below: Key | None
    ) -> bool:
        """Move the series to ``head`` if it is at ``old``, dropping keys at or after ``below``."""
        with self._transaction(write=True) as run:
            row = self._row(run, series, lock=True)
            if row is None or row[1] != old:
                return False
            if below is not None:
                run(
                    f"DELETE FROM {self.table} "  # noqa: S608
                    "WHERE series = ? AND (latest, earliest, position) >= (?, ?, ?)",
                    (row[0], *self._key_values(below)),
                )
            run(
                f"UPDATE {self.series_table} SET head = ?, head_id = ? WHERE id = ?",  # noqa: S608
                (head, self._id_value(head_id), row[0]),
            )
            return True

    def add(self, series: Series, head: int, checkpoints: Sequence[tuple[Key, Any]]) -> None:
        """Store the checkpoints pickled, if the series is at ``head``.

        A state that cannot be pickled is not stored (replays still work, from
        an earlier checkpoint).
        """
        rows = []
        for key, state in checkpoints:
            try:
                rows.append((*self._key_values(key), pickle.dumps(state, pickle.HIGHEST_PROTOCOL)))
            except Exception:  # noqa: S112 -- unpicklable states are simply not kept
                continue
        if not rows:
            return
        with self._transaction(write=True) as run:
            row = self._row(run, series, lock=True)
            if row is None or row[1] != head:
                return
            for found in rows:
                run(
                    f"INSERT INTO {self.table} "  # noqa: S608
                    "(series, latest, earliest, position, state) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (series, latest, earliest, position) "
                    "DO UPDATE SET state = excluded.state",
                    (row[0], *found),
                )

    def clear(self) -> None:
        """Drop every series and checkpoint."""
        with self._transaction(write=True) as run:
            run(f"DELETE FROM {self.table}", ())  # noqa: S608
            run(f"DELETE FROM {self.series_table}", ())  # noqa: S608


_SQLITE_SCHEMA: Final = (
    """CREATE TABLE IF NOT EXISTS chronicle_snapshot_series_v1 (
        id INTEGER PRIMARY KEY,
        projector TEXT NOT NULL,
        version INTEGER NOT NULL,
        every_stream INTEGER NOT NULL,
        stream TEXT NOT NULL,
        head INTEGER NOT NULL,
        head_id TEXT,
        UNIQUE (projector, version, every_stream, stream)
    )""",
    """CREATE TABLE IF NOT EXISTS chronicle_snapshots_v1 (
        series INTEGER NOT NULL,
        latest INTEGER NOT NULL,
        earliest INTEGER NOT NULL,
        position INTEGER NOT NULL,
        state BLOB NOT NULL,
        PRIMARY KEY (series, latest, earliest, position)
    )""",
)


class SqliteSnapshotStorage(SqlSnapshotStorage):
    """Checkpoints in two tables of an SQLite database (days stored as ordinals).

    The database may be the log's own (the tables' names start with
    ``chronicle_snapshot``) or a file of their own beside the log.

    Args:
        path: The database file (created if missing).

    Raises:
        StoreError: the file cannot be opened as an SQLite database.
    """

    series_table = "chronicle_snapshot_series_v1"
    table = "chronicle_snapshots_v1"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._path = os.fspath(path)
        self._lock = threading.Lock()
        try:
            self._conn: sqlite3.Connection | None = sqlite3.connect(
                self._path, timeout=30, isolation_level=None, check_same_thread=False
            )
            # WAL, and no sync at each commit: a lost checkpoint is only rebuilt, and
            # in WAL mode skipping the sync cannot damage the database (the log's own).
            self._db().execute("PRAGMA journal_mode = WAL")
            self._db().execute("PRAGMA synchronous = NORMAL")
            with self._transaction(write=True) as run:
                for statement in _SQLITE_SCHEMA:
                    run(statement, ())
        except sqlite3.Error as error:
            raise StoreError(f"cannot keep snapshots in {self._path!r}: {error}") from error

    def __repr__(self) -> str:
        return f"SqliteSnapshotStorage({self._path!r})"

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the snapshot storage in {self._path!r} is closed")
        return self._conn

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Run]:
        with self._lock:
            conn = self._db()
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield lambda statement, values: conn.execute(statement, values).fetchall()
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _key_values(self, key: Key) -> tuple[int, int, int]:
        return key[0].toordinal(), key[1].toordinal(), key[2]

    def _key(self, latest: int, earliest: int, position: int) -> Key:
        return datetime.date.fromordinal(latest), datetime.date.fromordinal(earliest), position

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
