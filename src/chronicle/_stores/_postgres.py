"""The PostgreSQL store: one log shared by many writers on many machines.

Needs the optional extra ``chronicle-history[postgres]`` (psycopg 3 and psycopg_pool).

**How appends are ordered.** Every append is one transaction that first locks
the single row of the ``head`` table (``SELECT ... FOR UPDATE``), then checks
the stream's version, assigns positions after the head, inserts the records,
moves the head and commits. The row lock serialises appends in the database,
across processes and machines, and it is held until commit, so positions are
handed out in commit order. That is what a reader needs: with a plain
sequence, a transaction that drew position 8 can commit before the one that
drew 7, and a reader tailing "from position 7" would see 8, move on, and never
see 7. Here, if 8 is visible then 7 committed earlier, so positions are
gap-free as read, and "from position p" never skips a record. The same lock
makes the expected-version check and ``recorded_at`` (strictly increasing from
append to append, settled against the head) exact under concurrent writers.
The price is that appends to different streams do not run in parallel; an
append is a handful of statements, so the lock is held for about a millisecond,
and batching many events in one append is cheap. Unique constraints on
``position``, ``id`` and ``(stream, version)`` back the lock up: the database
refuses a duplicate whatever writes to it.

An advisory lock (``pg_advisory_xact_lock``) would order appends as well; the
head row is preferred because it also holds the state the append needs (the
last position and record time), read and locked in one statement. The stream's
version is read by the next statement: under READ COMMITTED a statement sees
what was committed when it began, and a waiting ``FOR UPDATE`` re-reads only the
row it locks, so only a statement begun after the lock was granted is sure to
see the stream as the previous append left it.

**Reads** are those every SQL log shares (:mod:`chronicle._stores._sql`): pages
of records by position, each in its own short query, so a slow consumer holds
no connection and no snapshot open; the first query fixes the last position to
read (the head, or the last record known at ``known_at``), and since
everything up to the head is committed, the pages together are exactly the log
up to it. Reads in fold order go through the index ``records_fold_order``.

**Schema.** Tables live in one PostgreSQL schema, ``chronicle`` unless told
otherwise; opening a store creates it on first use and applies any pending
migration (see :mod:`chronicle._stores._postgres_schema`).

**Subscriptions.** Each append notifies the channel named after the schema
(``NOTIFY``); :meth:`PostgresStore.listen` lets :meth:`chronicle.Log.subscribe`
wait for it instead of polling blindly.
"""

from __future__ import annotations

import datetime
import functools
import select
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from chronicle._codec import StoredEntry
from chronicle._errors import StoreError
from chronicle._event import Entry
from chronicle._record import (
    ExpectedVersion,
    Record,
    check_expected,
    new_records,
    settle_recorded_at,
)

try:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict
    from psycopg.rows import TupleRow
    from psycopg_pool import ConnectionPool
except ImportError as missing:  # pragma: no cover - exercised by a test that hides psycopg
    raise StoreError(
        f"the PostgreSQL store needs the extra chronicle-history[postgres] "
        f"(pip install 'chronicle-history[postgres]'): {missing}"
    ) from missing

from chronicle._stores._postgres_checkpoints import PostgresCheckpointStorage
from chronicle._stores._postgres_schema import dialect, migrate
from chronicle._stores._sql import COLUMNS, SqlFoldReader, SqlRecords

__all__ = ["PostgresStore", "open_url"]

Connection = psycopg.Connection[TupleRow]


def _describe(dsn: str) -> str:
    """The DSN as a URL without its password, for messages."""
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.Error as error:
        raise StoreError(f"not a PostgreSQL connection string: {error}") from None
    user = f"{params['user']}@" if params.get("user") else ""
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgresql://{user}{params.get('host', '')}{port}/{params.get('dbname', '')}"


def _check_schema(schema: str) -> str:
    if not isinstance(schema, str) or not schema or "\x00" in schema:
        raise StoreError(f"a PostgreSQL schema name must be a non-empty string, not {schema!r}")
    if len(schema.encode()) > 63:
        raise StoreError(f"PostgreSQL schema name {schema!r} is longer than 63 bytes")
    return schema


def _configure(conn: Connection) -> None:
    # Timestamps come back in UTC, as the store contract has them.
    conn.execute("SET TIME ZONE 'UTC'")


def _check(conn: Connection) -> None:
    """Check a pooled connection before use, with a round trip only if it may be lost.

    An idle connection receives nothing, unless the server closed it (a restart,
    a terminated backend, an idle timeout): then its socket is readable, and the
    full check runs, fails, and the pool replaces the connection. This spares a
    round trip on every use in the common case.
    """
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    if readable:
        ConnectionPool.check_connection(conn)


class _Unsent(Exception):  # noqa: N818 -- a signal between two methods, never raised to users
    """The connection was lost before an append's write was sent: nothing of it is stored."""


class PostgresStore:
    """Records in PostgreSQL, for a log written by many processes on many machines.

    Args:
        dsn: A libpq connection string or URL (``postgresql://user@host:5432/db``).
        schema: The PostgreSQL schema holding the log's tables; created on first
            use. Several logs can share a database under different schemas.
        pool_size: The most connections the store keeps open at once.
        timeout: Seconds to wait for a connection before giving up.

    Opening applies pending schema migrations (see the module's documentation).
    The store is safe to share between threads.

    Raises:
        StoreError: the server cannot be reached, the DSN or schema name is
            malformed, or the schema is not chronicle's or newer than this program.
    """

    def __init__(
        self,
        dsn: str,
        *,
        schema: str = "chronicle",
        pool_size: int = 4,
        timeout: float = 30.0,
    ) -> None:
        self._dsn = dsn
        self._schema = _check_schema(schema)
        self._where = f"{_describe(dsn)} schema {schema!r}"
        self._connect_args: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in conninfo_to_dict(dsn):
            self._connect_args["connect_timeout"] = max(1, round(timeout))
        # The pool connects in the background while the schema is checked.
        self._pool: ConnectionPool[Connection] = ConnectionPool(
            dsn,
            min_size=1,
            max_size=pool_size,
            kwargs=self._connect_args,
            configure=_configure,
            check=_check,
            timeout=timeout,
            name=f"chronicle:{schema}",
            open=True,
        )
        try:
            with psycopg.connect(dsn, **self._connect_args) as conn:
                migrate(conn, schema)
        except BaseException as error:
            self._pool.close()
            if isinstance(error, psycopg.Error):
                raise StoreError(f"cannot open PostgreSQL {self._where}: {error}") from error
            raise
        self._records = SqlRecords(dialect(schema), self._fetch, f"PostgreSQL {self._where}")
        self._prepare(sql.Identifier(schema))

    def _prepare(self, s: sql.Identifier) -> None:
        """The statements of the append transaction, PostgreSQL's own."""
        self._lock_head = sql.SQL("SELECT position, recorded_at FROM {s}.head FOR UPDATE").format(
            s=s
        )
        self._stream_version = sql.SQL("SELECT version FROM {s}.streams WHERE name = %s").format(
            s=s
        )
        self._write = sql.SQL(
            """WITH new_records AS (
                INSERT INTO {s}.records ({columns}, occurred_earliest, occurred_latest)
                SELECT %(head)s + n, id, %(stream)s, %(version)s + n, %(at)s, type, v, data,
                    earliest, latest
                FROM unnest(%(ids)b::uuid[], %(types)b::text[], %(vs)b::integer[],
                    %(data)b::json[], %(earliest)b::date[], %(latest)b::date[])
                    WITH ORDINALITY AS t(id, type, v, data, earliest, latest, n)
            ), stream_row AS (
                INSERT INTO {s}.streams (name, version) VALUES (%(stream)s, %(new_version)s)
                ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version
            ), head_row AS (
                UPDATE {s}.head SET position = %(new_head)s, recorded_at = %(at)s
            )
            SELECT pg_notify(%(channel)s, %(new_head)s::text)"""
        ).format(s=s, columns=sql.SQL(COLUMNS))

    def __repr__(self) -> str:
        return f"PostgresStore({_describe(self._dsn)!r}, schema={self._schema!r})"

    @property
    def schema(self) -> str:
        """The PostgreSQL schema that holds the log's tables."""
        return self._schema

    def _check_open(self) -> None:
        if self._pool.closed:
            raise StoreError(f"PostgreSQL {self._where}: the store is closed")

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        self._check_open()
        try:
            with self._pool.connection() as conn:
                yield conn
        except psycopg.Error as error:
            raise StoreError(f"PostgreSQL {self._where}: {error}") from error

    def _fetch(self, statement: Any, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of a read-only statement, tried again once if the connection was lost.

        A connection the server has just terminated can pass the pool's check (its
        socket is not readable yet) and fail on first use. Reads are idempotent, so
        the pool is checked (lost connections replaced) and the read runs again.
        An append is tried again only if it was lost before its write was sent.
        """
        self._check_open()
        try:
            with self._pool.connection() as conn:
                return conn.execute(statement, params).fetchall()
        except psycopg.OperationalError:
            self._pool.check()
        except psycopg.Error as error:
            raise StoreError(f"PostgreSQL {self._where}: {error}") from error
        with self._connection() as conn:
            return conn.execute(statement, params).fetchall()

    def append(
        self,
        stream: str,
        entries: Sequence[Entry],
        *,
        stored: Sequence[StoredEntry],
        ids: Sequence[UUID],
        expected_version: ExpectedVersion,
        recorded_at: datetime.datetime,
        exact_time: bool,
    ) -> list[Record]:
        """Append atomically in one transaction (see :class:`~chronicle.Store`).

        A pooled connection that turns out lost before the append's write was
        sent (the server restarted, or ended it) stored nothing: the pool's lost
        connections are replaced and the append runs once more.

        Raises:
            ConcurrencyError: the stream's version does not satisfy ``expected_version``.
            RecordTimeError: an exact ``recorded_at`` not after the head.
            StoreError: the server refused the records (an id already taken) or
                the connection was lost;
                nothing of the append is stored, unless the connection was lost
                during the commit itself, when only a read can tell.
        """
        self._check_open()
        attempt = functools.partial(
            self._append_once,
            stream,
            entries,
            stored,
            ids=ids,
            expected_version=expected_version,
            recorded_at=recorded_at,
            exact_time=exact_time,
        )
        try:
            try:
                return attempt()
            except _Unsent:
                self._pool.check()
            return attempt()
        except (_Unsent, psycopg.Error) as error:
            lost = error.__cause__ if isinstance(error, _Unsent) else error
            raise StoreError(f"PostgreSQL {self._where}: {lost}") from lost

    def _append_once(
        self,
        stream: str,
        entries: Sequence[Entry],
        rows: Sequence[StoredEntry],
        *,
        ids: Sequence[UUID],
        expected_version: ExpectedVersion,
        recorded_at: datetime.datetime,
        exact_time: bool,
    ) -> list[Record]:
        """One try of :meth:`append`; :class:`_Unsent` if the connection was lost before the write.

        Only a connection lost (``broken``) before the write was queued counts: a
        refusal or a timeout from the server, or no connection from the pool, is
        an error as it is.
        """
        conn: Connection | None = None
        written = False
        try:
            # Pipelined: BEGIN, the lock and the version go in one round trip, the
            # write and COMMIT in another.
            with self._pool.connection() as conn, conn.pipeline(), conn.transaction():
                locking = conn.execute(self._lock_head)
                # A statement of its own, run after the lock is granted: it sees every
                # append committed before (a join in the locking statement would not).
                versioning = conn.execute(self._stream_version, [stream])
                locked, found = locking.fetchone(), versioning.fetchone()
                if locked is None:
                    raise StoreError(f"PostgreSQL {self._where}: the head row is missing")
                head, head_time = locked
                version = 0 if found is None else int(found[0])
                check_expected(stream, expected_version, version)
                moment = settle_recorded_at(head_time, recorded_at, exact=exact_time)
                written = True
                conn.execute(
                    self._write,
                    {
                        "head": head,
                        "stream": stream,
                        "version": version,
                        "at": moment,
                        "ids": list(ids),
                        "types": [row.type for row in rows],
                        "vs": [row.v for row in rows],
                        "data": [row.data for row in rows],
                        "earliest": [row.earliest for row in rows],
                        "latest": [row.latest for row in rows],
                        "new_version": version + len(rows),
                        "new_head": head + len(rows),
                        "channel": self._schema,
                    },
                )
        except psycopg.OperationalError as error:
            if written or conn is None or not conn.broken:
                raise
            raise _Unsent from error
        return new_records(stream, entries, ids, version=version, position=head, recorded_at=moment)

    def read(
        self,
        *,
        stream: str | None = None,
        from_position: int = 1,
        known_at: datetime.datetime | None = None,
    ) -> Iterator[Record]:
        """The records from a position, lazily, a page at a time (see :class:`~chronicle.Store`).

        Raises:
            CorruptLog: a stored entry does not decode (the message names its position).
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
        """The names of the streams, sorted (by code point, whatever the database's collation)."""
        return self._records.streams()

    @contextmanager
    def listen(self) -> Iterator[Callable[[float], None]]:
        """Wait for appends: a context giving ``wait(timeout)``, which returns after an append.

        ``wait`` returns when an append has been committed since the context
        opened or since the last ``wait``, or after ``timeout`` seconds, whichever
        comes first: read again after it. It listens on a connection of its own,
        opened before the context's body runs, so an append between a read and
        the next ``wait`` is not missed. If that connection is lost, ``wait``
        reconnects and returns at once, so the caller reads what it may have missed.

        Raises:
            StoreError: the server cannot be reached.
        """
        listener = _Listener(self._dsn, self._schema, self._where, self._connect_args)
        try:
            yield listener.wait
        finally:
            listener.close()

    def fold_reader(self) -> SqlFoldReader:
        """Reads in fold order through ``records_fold_order``, for replay and snapshots."""
        return SqlFoldReader(self._records, self._fetch)

    def checkpoint_storage(self) -> PostgresCheckpointStorage:
        """Snapshot checkpoints in tables of this log's schema (made on first use)."""
        return PostgresCheckpointStorage(self._connection, self._schema)

    def close(self) -> None:
        """Close every connection of the pool; the store is unusable afterwards."""
        self._pool.close()


class _Listener:
    """A connection that LISTENs on a log's channel, reconnecting when it is lost."""

    def __init__(self, dsn: str, channel: str, where: str, connect_args: dict[str, Any]) -> None:
        self._dsn = dsn
        self._channel = channel
        self._where = where
        self._connect_args = connect_args
        self._conn = self._connect()

    def _connect(self) -> Connection:
        try:
            conn = psycopg.connect(self._dsn, **self._connect_args)
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
        except psycopg.Error as error:
            raise StoreError(f"cannot listen to PostgreSQL {self._where}: {error}") from error
        return conn

    def wait(self, timeout: float) -> None:
        try:
            if list(self._conn.notifies(timeout=timeout, stop_after=1)):
                # Several appends may have notified: one read after this wait sees them all.
                list(self._conn.notifies(timeout=0))
        except psycopg.OperationalError:
            self._conn.close()
            self._conn = self._connect()

    def close(self) -> None:
        self._conn.close()


def open_url(url: str) -> PostgresStore:
    """The store at a ``postgresql://`` URL, as :func:`chronicle.open` takes it.

    The URL is libpq's, plus one parameter of chronicle's own: ``schema``, the
    PostgreSQL schema of the log (``chronicle`` if absent), as in
    ``postgresql://newsroom@db.example.org/archive?schema=mali``.

    Raises:
        StoreError: ``schema`` is given twice, or the store cannot be opened.
    """
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    rest = urllib.parse.urlencode(  # libpq reads %20 as a space, but not +
        [(key, value) for key, value in query if key != "schema"], quote_via=urllib.parse.quote
    )
    dsn = urllib.parse.urlunsplit(parts._replace(query=rest))
    schemas = [value for key, value in query if key == "schema"]
    if len(schemas) > 1:
        raise StoreError(f"{_describe(dsn)}: give the schema once, not {schemas}")
    return PostgresStore(dsn, schema=schemas[0] if schemas else "chronicle")
