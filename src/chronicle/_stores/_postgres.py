"""The PostgreSQL store: one log shared by many writers on many machines.

Needs the optional extra ``chronicle-history[postgres]`` (psycopg 3).

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
otherwise; opening a store creates it on first use (unless told not to) and
applies any pending migration (see :mod:`chronicle._stores._postgres_schema`).
The schema's name is always quoted as an identifier (``psycopg.sql``), never
pasted into a statement.

**Lost connections** (a server restart, a terminated backend, a network cut)
are replaced at once, without a backoff (see
:mod:`chronicle._stores._postgres_pool`). A read lost on the way runs again on
a new connection. An append lost before its write was sent stored nothing and
runs again. An append lost after its write may have been sent is settled on a
new connection: it first locks the head row, which the lost transaction held
until the server ended it, then looks for the append's record ids. Appends are
atomic, so either all are there, and the append returns its records, or none
is, and it raises :class:`~chronicle.NotStored`: the caller never has to guess.

**Subscriptions.** Each append notifies the channel named after the schema
(``NOTIFY``); :meth:`PostgresStore.listen` lets :meth:`chronicle.Log.subscribe`
wait for it instead of polling blindly.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

from chronicle._errors import NotStored, StoreError
from chronicle._record import (
    Record,
    new_records,
)

try:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict
except ImportError as missing:  # pragma: no cover - exercised by a test that hides psycopg
    raise StoreError(
        f"the PostgreSQL store needs the extra chronicle-history[postgres] "
        f"(pip install 'chronicle-history[postgres]'): {missing}"
    ) from missing

from chronicle._stores._base import Batch
from chronicle._stores._postgres_checkpoints import PostgresCheckpointStorage
from chronicle._stores._postgres_pool import Connection, Pool
from chronicle._stores._postgres_schema import dialect, migrate
from chronicle._stores._sql import COLUMNS, SqlFoldReader, SqlReads, SqlRecords

__all__ = ["PostgresStore", "open_url"]

_TRIES = 3
"""How many connections a read, or an append lost before its write, is tried on."""


def _describe(dsn: str) -> str:
    """The DSN as a URL without its password, for messages."""
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.Error as error:
        raise StoreError(f"not a PostgreSQL connection string: {error}") from None
    user = f"{params['user']}@" if params.get("user") else ""
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgresql://{user}{params.get('host', '')}{port}/{params.get('dbname', '')}"


_SCHEMA_NAME: Final = re.compile(r"[^\W\d]\w*")
"""A schema name: letters, digits and underscores, not starting with a digit."""


def _check_schema(schema: object) -> str:
    """``schema`` if it is a schema name the store takes, else a StoreError saying why.

    Names are quoted as identifiers in every statement, but psycopg reads a ``%``
    anywhere in a statement with parameters as the start of one, and other
    punctuation has no use in a name: so a name is an identifier of letters,
    digits and underscores, as PostgreSQL takes unquoted (case is kept), within
    PostgreSQL's 63 bytes, and not in the ``pg_`` prefix it reserves.
    """
    if not isinstance(schema, str) or not _SCHEMA_NAME.fullmatch(schema):
        raise StoreError(
            f"a PostgreSQL schema name is letters, digits and underscores, not starting with "
            f"a digit, not {schema!r:.80}"
        )
    if len(schema.encode()) > 63:
        raise StoreError(f"PostgreSQL schema name {schema!r:.80} is longer than 63 bytes")
    if schema.startswith("pg_"):
        raise StoreError(f"PostgreSQL reserves schema names starting pg_, as {schema!r}")
    return schema


def _configure(conn: Connection) -> None:
    # Timestamps come back in UTC, as the store contract has them.
    conn.execute("SET TIME ZONE 'UTC'")


def _was_lost(conn: Connection | None) -> bool:
    """Whether a statement that failed on ``conn`` lost its connection.

    psycopg closes a connection it finds lost; the server's own notice that it
    ends the session (``AdminShutdown``) closes it without marking it ``broken``.
    A connection that could not be opened (None) was not lost: the server is
    not answering.
    """
    return conn is not None and conn.closed


class _Unsent(Exception):  # noqa: N818 -- a signal between two methods, never raised to users
    """The connection was lost before an append's write was sent: nothing of it is stored."""


class _Unanswered(Exception):  # noqa: N818 -- a signal between two methods, never raised to users
    """The connection was lost after an append's write may have been sent: a read must tell.

    ``head`` is the last position when the write was sent: the append, if it
    committed, holds the positions after it.
    """

    def __init__(self, head: int) -> None:
        super().__init__(head)
        self.head = head


class PostgresStore(SqlReads):
    """Records in PostgreSQL, for a log written by many processes on many machines.

    Args:
        dsn: A libpq connection string or URL (``postgresql://user@host:5432/db``).
        schema: The PostgreSQL schema holding the log's tables: letters, digits
            and underscores, not starting with a digit. Several logs can share a
            database under different schemas.
        pool_size: The most connections the store keeps open at once.
        timeout: Seconds to wait for a free connection (all ``pool_size`` in use),
            and for the server to answer a new one (libpq's ``connect_timeout``,
            unless the DSN sets it).
        create: Create the schema if it holds no log yet. Without it, a schema
            with no log is an error: what a program that only reads wants, so
            that a mistyped name is not made into an empty log.

    Opening applies pending schema migrations (see the module's documentation).
    The store is safe to share between threads.

    Raises:
        StoreError: the server cannot be reached, the DSN or schema name is
            malformed, the schema holds no log and ``create`` is not set, or the
            schema is not chronicle's or newer than this program.
    """

    def __init__(
        self,
        dsn: str,
        *,
        schema: str = "chronicle",
        pool_size: int = 4,
        timeout: float = 30.0,
        create: bool = True,
    ) -> None:
        self._dsn = dsn
        self._schema = _check_schema(schema)
        self._where = f"{_describe(dsn)} schema {schema!r}"
        self._connect_args: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in conninfo_to_dict(dsn):
            self._connect_args["connect_timeout"] = max(1, round(timeout))
        self._pool = Pool(self._connect, pool_size, timeout, self._where)
        try:
            conn = self._connect()
            try:
                migrate(conn, schema, create=create)
            except BaseException:
                conn.close()
                raise
        except psycopg.Error as error:
            raise StoreError(f"cannot open PostgreSQL {self._where}: {error}") from error
        self._pool.keep(conn)
        self._records = SqlRecords(dialect(schema), self._fetch, f"PostgreSQL {self._where}")
        self._prepare(sql.Identifier(schema))

    def _connect(self, *, listen: str | None = None) -> Connection:
        """A new connection to the server, in autocommit mode and UTC (listening on ``listen``).

        The server may end a connection before it is set up (as it ends every
        connection of a store after a restart or a ``pg_terminate_backend``): a new
        one is opened then, up to :data:`_TRIES` in all. One that cannot be opened is
        an error at once: the server is not answering.
        """
        tries = 0
        while True:
            tries += 1
            conn = psycopg.connect(self._dsn, **self._connect_args)
            try:
                _configure(conn)
                if listen is not None:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(listen)))
            except BaseException as error:
                lost = _was_lost(conn)
                conn.close()
                if not (lost and isinstance(error, psycopg.OperationalError)) or tries == _TRIES:
                    raise
            else:
                return conn

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
        self._find_ids = sql.SQL(
            "SELECT id, stream, version, position, recorded_at FROM {s}.records"
            " WHERE id = ANY(%s) ORDER BY position"
        ).format(s=s)

    def __repr__(self) -> str:
        return f"PostgresStore({_describe(self._dsn)!r}, schema={self._schema!r})"

    @property
    def schema(self) -> str:
        """The PostgreSQL schema that holds the log's tables."""
        return self._schema

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """Lend a connection of the pool; a database error is a StoreError naming the log."""
        try:
            with self._pool.connection() as conn:
                yield conn
        except psycopg.Error as error:
            raise StoreError(f"PostgreSQL {self._where}: {error}") from error

    def _fetch(self, statement: Any, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of a read-only statement, run again on a new connection if one is lost.

        A connection the server has just ended can pass the pool's check (the
        news has not reached its socket yet) and fail on first use. Reads are
        idempotent, so the read runs again, on a new connection, up to
        :data:`_TRIES` connections in all. A connection that cannot be opened is
        an error at once: the server is not answering.
        """
        tries = 0
        while True:
            tries += 1
            conn: Connection | None = None
            try:
                with self._pool.connection(fresh=tries > 1) as conn:
                    return conn.execute(statement, params).fetchall()
            except psycopg.Error as error:
                if not _was_lost(conn) or tries == _TRIES:
                    raise StoreError(f"PostgreSQL {self._where}: {error}") from error

    def append(self, batch: Batch) -> list[Record]:
        """Append atomically in one transaction (see :class:`~chronicle.Store`).

        A connection lost before the append's write was sent stored nothing: the
        append runs again on a new one (up to :data:`_TRIES` connections). One
        lost after the write may have been sent is settled on a new connection
        (see the module's documentation): the append returns its records if
        they committed, and raises :class:`~chronicle.NotStored` if not.

        Raises:
            ConcurrencyError: the stream's version does not satisfy ``expected_version``.
            RecordTimeError: an exact ``recorded_at`` not after the head.
            NotStored: the connection was lost during the append, and nothing of
                it is stored.
            StoreError: the server refused the records (an id already taken), or
                cannot be reached; nothing of the append is stored, unless the
                message says that the server could not be asked whether it was.
        """
        tries = 0
        while True:
            tries += 1
            try:
                return self._append_once(batch, fresh=tries > 1)
            except _Unsent as unsent:
                if tries == _TRIES:
                    lost = unsent.__cause__
                    raise StoreError(f"PostgreSQL {self._where}: {lost}") from lost
            except _Unanswered as unanswered:
                return self._settle(batch, unanswered)
            except psycopg.Error as error:
                raise StoreError(f"PostgreSQL {self._where}: {error}") from error

    def _append_once(self, batch: Batch, *, fresh: bool) -> list[Record]:
        """One try of :meth:`append`, on a new connection if ``fresh``.

        Raises :class:`_Unsent` if the connection was lost (closed) before
        the write was queued, :class:`_Unanswered` if it was lost after. A
        refusal or a timeout from the server, or a connection that cannot be
        opened, is an error as it is: the transaction did not commit.
        """
        conn: Connection | None = None
        written: int | None = None  # the head, once the write is sent
        try:
            # Pipelined: BEGIN, the lock and the version go in one round trip, the
            # write and COMMIT in another.
            with (
                self._pool.connection(fresh=fresh) as conn,
                conn.pipeline(),
                conn.transaction(),
            ):
                locking = conn.execute(self._lock_head)
                # A statement of its own, run after the lock is granted: it sees every
                # append committed before (a join in the locking statement would not).
                versioning = conn.execute(self._stream_version, [batch.stream])
                locked, found = locking.fetchone(), versioning.fetchone()
                if locked is None:
                    raise StoreError(f"PostgreSQL {self._where}: the head row is missing")
                head, head_time = locked
                version = 0 if found is None else int(found[0])
                records = batch.records(version=version, position=head, head=head_time)
                rows = batch.stored
                written = head
                conn.execute(
                    self._write,
                    {
                        "head": head,
                        "stream": batch.stream,
                        "version": version,
                        "at": records[0].recorded_at,
                        "ids": list(batch.ids),
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
            if not _was_lost(conn):
                raise
            raise (_Unsent() if written is None else _Unanswered(written)) from error
        return records

    def _settle(self, batch: Batch, lost: _Unanswered) -> list[Record]:
        """The records of an append whose answer was lost, if it committed; else NotStored.

        The lost transaction held the head row locked; locking it again waits
        until the server has ended that transaction, so what is read after is
        final. The append committed if and only if its ids are the records at
        the positions right after the head it saw, in ``stream`` (ids taken by
        earlier records would have made it fail).
        """
        stream, ids = batch.stream, batch.ids
        problem = f"the connection was lost during an append to {stream!r} ({lost.__cause__})"
        tries = 0
        while True:
            tries += 1
            conn: Connection | None = None
            try:
                with self._pool.connection(fresh=True) as conn, conn.transaction():
                    conn.execute(self._lock_head)
                    found = conn.execute(self._find_ids, [list(ids)]).fetchall()
                break
            except psycopg.Error as error:
                if not _was_lost(conn) or tries == _TRIES:
                    raise StoreError(
                        f"PostgreSQL {self._where}: {problem}, and the server could not be "
                        f"asked whether it was stored ({error}): it was if record {ids[0]} "
                        "is in the log"
                    ) from error
        if found and [row[0] for row in found] == list(ids):
            _, first_stream, first_version, first_position, moment = found[0]
            if first_stream == stream and first_position == lost.head + 1:
                return new_records(
                    stream,
                    batch.entries,
                    ids,
                    version=first_version - 1,
                    position=first_position - 1,
                    recorded_at=moment,
                )
        raise NotStored(f"PostgreSQL {self._where}: {problem}; nothing of it is stored")

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
        listener = _Listener(self._connect, self._schema, self._where)
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
    """A connection of its own that LISTENs on a log's channel, replaced at once when lost.

    Notifications sent while it was lost are not received; ``wait`` returns as
    soon as it listens again, and the read that follows sees those appends.
    """

    def __init__(self, connect: Callable[..., Connection], channel: str, where: str) -> None:
        self._open = connect
        self._channel = channel
        self._where = where
        self._conn = self._connect()

    def _connect(self) -> Connection:
        try:
            return self._open(listen=self._channel)
        except psycopg.Error as error:
            raise StoreError(f"cannot listen to PostgreSQL {self._where}: {error}") from error

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


def open_url(url: str, *, create: bool = True) -> PostgresStore:
    """The store at a ``postgresql://`` URL, as :func:`chronicle.open` takes it.

    The URL is libpq's, plus one parameter of chronicle's own: ``schema``, the
    PostgreSQL schema of the log (``chronicle`` if absent), as in
    ``postgresql://newsroom@db.example.org/archive?schema=mali``. ``create``: as
    :class:`PostgresStore` takes it.

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
    return PostgresStore(dsn, schema=schemas[0] if schemas else "chronicle", create=create)
