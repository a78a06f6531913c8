"""The SQLite store: the embedded default for a log in one file.

**Appends** are one transaction each, begun with ``BEGIN IMMEDIATE``, which
takes SQLite's write lock at once: the stream's version and the log's head are
read, checked and moved under that lock, so the expected-version check holds
between processes, not only between threads. A writer that finds the lock
taken waits (up to ``timeout`` seconds) instead of failing. ``UNIQUE(stream,
version)`` refuses a duplicate version whatever writes to the file. Entries
are encoded before the transaction begins, so one that cannot be stored stops
the append with nothing written.

**Durability.** The database is in WAL mode; with ``durable=True`` (the
default) every commit is synced to disk (``synchronous=FULL``). A crash, of
the process or the machine, rolls back an append that did not commit.

**Reads** are those every SQL log shares (:mod:`chronicle._stores._sql`): pages
of records by position, each page in its own short query, so memory stays
constant however long the log, and a slow reader keeps no transaction open
(which would stop the WAL from being checkpointed); reads in fold order through
the indexes ``records_fold_order`` and ``records_stream_fold_order``.

**Opening** checks the file before SQLite writes anything to it: a chronicle
database carries chronicle's application id in its header, so an empty file,
another program's database, a file that is not SQLite at all or one cut short
is refused with a named error and left as it was. A new log is built in a
temporary file and linked into place, so no half-made database is ever seen
under the log's name. The schema is versioned by a ``schema_version`` row; a
file of a newer schema than this program knows is refused.

**Threads.** A store holds one connection, used under a lock: it may be shared
by the threads of a process.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from chronicle._errors import CorruptLog, StoreError
from chronicle._record import (
    Record,
)
from chronicle._stores._base import Batch, CheckpointStorage
from chronicle._stores._files import check_path, from_micros, fsync_dir
from chronicle._stores._leftovers import creating, remove_leftovers
from chronicle._stores._memory_checkpoints import MemoryCheckpointStorage
from chronicle._stores._sql import SqlFoldReader, SqlReads, SqlRecords
from chronicle._stores._sqlite_checkpoints import SqliteCheckpointFile
from chronicle._stores._sqlite_dialect import DIALECT

__all__ = ["SqliteStore"]

APPLICATION_ID: Final = 0x4348524E
"""``PRAGMA application_id`` of a chronicle database: "CHRN"."""
SCHEMA_VERSION: Final = 1
"""The schema this program writes, and the newest it reads."""

FOLD_INDEXES: Final = (
    "CREATE INDEX IF NOT EXISTS records_fold_order"
    " ON records (occurred_latest, occurred_earliest, position)",
    "CREATE INDEX IF NOT EXISTS records_stream_fold_order"
    " ON records (stream, occurred_latest, occurred_earliest, position)",
)
"""The indexes that serve reads in fold order, of the whole log and of one stream
(created with the table, or when a log made before them is opened)."""

_MAGIC: Final = b"SQLite format 3\x00"
_SCHEMA: Final = f"""
PRAGMA application_id = {APPLICATION_ID};
PRAGMA journal_mode = WAL;
BEGIN;
CREATE TABLE chronicle_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO chronicle_meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}');
CREATE TABLE streams (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
CREATE TABLE records (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    stream TEXT NOT NULL,
    version INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,  -- microseconds since 1970-01-01 UTC
    type TEXT NOT NULL,
    v INTEGER NOT NULL,
    data TEXT NOT NULL,            -- the entry's payload, JSON
    occurred_earliest TEXT,        -- ISO dates of an event's valid time; NULL for corrections
    occurred_latest TEXT,
    UNIQUE (stream, version)
);
CREATE INDEX records_by_stream ON records (stream, position);
CREATE INDEX records_by_recorded_at ON records (recorded_at);
{FOLD_INDEXES[0]};
{FOLD_INDEXES[1]};
COMMIT;
"""  # noqa: S608 -- made of this module's constants only


def _check_header(path: Path) -> None:
    """Refuse, without changing it, a file that is not an intact chronicle database."""
    try:
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError as error:
        raise StoreError(f"{path}: cannot read: {error.strerror}") from error
    if not header:
        raise StoreError(
            f"{path}: the file is empty (0 bytes), not a chronicle SQLite log; "
            "remove it to start a new log there"
        )
    if not header.startswith(_MAGIC):
        raise StoreError(f"{path}: not an SQLite database")
    if len(header) < 100:
        raise CorruptLog(f"{path}: SQLite header cut short ({len(header)} of 100 bytes)")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id != APPLICATION_ID:
        raise StoreError(
            f"{path}: an SQLite database, but not a chronicle log "
            f"(application id {application_id:#x})"
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    size_is_valid = header[24:28] == header[92:96]
    size = path.stat().st_size
    wal = path.with_name(path.name + "-wal")
    if size_is_valid and not wal.exists() and pages * page_size > size:
        raise CorruptLog(
            f"{path}: cut short: its header counts {pages} pages of {page_size} bytes, "
            f"but the file has {size} bytes"
        )


def _create(path: Path, *, durable: bool) -> None:
    """Make a new, empty log at ``path``, atomically (unless one appears there first).

    It is built in a temporary file beside ``path`` and linked into place when
    complete; ``_leftovers`` makes that file, and removes those a killed creation left.
    """
    try:
        with creating(path) as temporary:
            connection = sqlite3.connect(temporary, isolation_level=None)
            try:
                connection.execute(f"PRAGMA synchronous = {'FULL' if durable else 'OFF'}")
                connection.executescript(_SCHEMA)
            finally:
                connection.close()
            try:
                os.link(temporary, path)
            except FileExistsError:
                return  # another process made it in the meantime: open theirs
            if durable:
                fsync_dir(path.parent)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(f"{path}: cannot create the log: {error}") from error


class SqliteStore(SqlReads):
    """Records in an SQLite database file: the embedded default.

    Args:
        path: The database file; a new log is created if it does not exist.
        durable: Sync every append to disk (``synchronous=FULL``), so that an
            acknowledged append survives a power loss. With False
            (``synchronous=NORMAL``), appends still survive the process crashing,
            but a power loss may roll back the last ones.
        timeout: Seconds an append waits for another process's append to finish.

    A new log is built in a hidden temporary file beside it and linked into place
    once complete. Opening a log removes the temporary files a creation killed midway
    left (``.<name>.<hex>.new``, and its ``-journal``): only those of this log's
    name, unchanged for some seconds, whose creator holds no lock on them.

    Raises:
        StoreError: the path is a directory, an empty file, or a file that is not
            a chronicle database, or its schema is newer than this program's.
        CorruptLog: the file is a chronicle database that is damaged or cut short.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, durable: bool = True, timeout: float = 10.0
    ) -> None:
        self._path = check_path(path, "SQLite")
        remove_leftovers(self._path)
        if self._path.exists():
            _check_header(self._path)
        else:
            _create(self._path, durable=durable)
        self._writable = os.access(self._path, os.W_OK)
        self._timeout = timeout
        self._lock = threading.Lock()
        try:
            self._connection: sqlite3.Connection | None = sqlite3.connect(
                f"{self._path.resolve().as_uri()}?{self._access()}",
                uri=True,
                timeout=timeout,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise StoreError(f"{self._path}: cannot open: {error}") from error
        try:
            self._setup(durable=durable)
        except BaseException:
            self.close()
            raise
        self._records = SqlRecords(DIALECT, self._read_rows, str(self._path))

    def __repr__(self) -> str:
        return f"SqliteStore({str(self._path)!r})"

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    def _access(self) -> str:
        """How to open the file: to write it, to read it, or as a file nobody writes.

        SQLite reads a WAL database through a ``-shm`` file beside it; when it
        cannot make one (a read-only file in a read-only directory, such as data
        shipped with a package) it reads the file as immutable: nobody can be
        writing it, since writing needs that directory too.
        """
        if self._writable:
            return "mode=rw"
        shm = self._path.with_name(self._path.name + "-shm")
        if not shm.exists() and not os.access(self._path.parent, os.W_OK):
            return "mode=ro&immutable=1"
        return "mode=ro"

    def _setup(self, *, durable: bool) -> None:
        if self._writable:
            self._query(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            self._query("PRAGMA journal_mode = WAL")
        rows = self._query("SELECT value FROM chronicle_meta WHERE key = 'schema_version'")
        try:
            version = int(rows[0][0])
        except (IndexError, ValueError):
            raise CorruptLog(
                f"{self._path}: a chronicle database without a schema version"
            ) from None
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self._path}: schema version {version} is newer than this program's "
                f"{SCHEMA_VERSION}; upgrade chronicle to open it"
            )
        if version < 1:
            raise CorruptLog(f"{self._path}: impossible schema version {version}")
        if self._writable:
            for index in FOLD_INDEXES:  # a log made before these indexes gets them now
                self._query(index)

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreError(f"{self._path}: the store is closed")
        return self._connection

    def _fail(self, error: sqlite3.Error) -> Exception:
        """The chronicle error for an SQLite error: a damaged file, or an unusable one."""
        if error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return CorruptLog(f"{self._path}: damaged database: {error}")
        return StoreError(f"{self._path}: {error}")

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """All rows of one statement (the caller holds the lock, and no transaction)."""
        try:
            return self._db().execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise self._fail(error) from error

    def _read_rows(self, sql: str, parameters: Sequence[Any]) -> list[Any]:
        """All rows of one read, under the lock (each read is its own short transaction)."""
        with self._lock:
            return self._query(sql, parameters)

    def append(self, batch: Batch) -> list[Record]:
        """Append in one transaction (see :class:`~chronicle.Store`).

        Raises:
            StoreError: the file is read-only, another process held the write lock
                longer than ``timeout``, or the write failed (nothing is written).
        """
        if not self._writable:
            raise StoreError(f"{self._path}: the file is read-only; cannot append")
        with self._lock:
            db = self._db()
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise StoreError(
                    f"{self._path}: no write lock within {self._timeout} s: {error}"
                ) from error
            try:
                records = self._insert(db, batch)
                db.execute("COMMIT")
            except BaseException as error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise self._fail(error) from error
                raise
            return records

    def _insert(self, db: sqlite3.Connection, batch: Batch) -> list[Record]:
        found = db.execute("SELECT version FROM streams WHERE name = ?", (batch.stream,)).fetchone()
        head = db.execute(
            "SELECT position, recorded_at FROM records ORDER BY position DESC LIMIT 1"
        ).fetchone()
        records = batch.records(
            version=0 if found is None else int(found[0]),
            position=0 if head is None else int(head[0]),
            head=None if head is None else from_micros(head[1]),
        )
        db.executemany(
            "INSERT INTO records (position, id, stream, version, recorded_at, type, v, data,"
            " occurred_earliest, occurred_latest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self._records.rows(records, batch.stored),
        )
        db.execute(
            "INSERT INTO streams (name, version) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET version = excluded.version",
            (batch.stream, records[-1].version),
        )
        return records

    def fold_reader(self) -> SqlFoldReader:
        """Reads in fold order through the fold-order indexes, for replay and snapshots."""
        return SqlFoldReader(self._records, self._read_rows)

    def checkpoint_storage(self) -> CheckpointStorage:
        """Snapshot checkpoints in tables of this database (in memory if it is read-only)."""
        if not self._writable:
            return MemoryCheckpointStorage()
        return SqliteCheckpointFile(self._path)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
