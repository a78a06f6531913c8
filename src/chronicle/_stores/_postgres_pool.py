"""The PostgreSQL store's connections: a few kept open, checked before use, replaced at once.

A connection the server has ended (a restart, ``pg_terminate_backend``, an idle
timeout) is found before it is used, or fails on first use, and the store then
connects anew, in the thread that needs the connection, without waiting: a
server that answers gives a new connection in milliseconds, one that does not
is an error after ``connect_timeout``. Nothing here sleeps or backs off, so a
lost connection never stalls a reader or a writer behind a retry schedule.

The check before use looks at the idle connection's socket: an idle connection
receives nothing unless the server has ended it, so only a readable socket
costs a round trip to tell. It polls through :mod:`selectors`, which, unlike
``select.select``, takes descriptors of any number (a process may hold more
than 1,024 open files).
"""

from __future__ import annotations

import selectors
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import TupleRow

from chronicle._errors import StoreError

__all__ = ["Connection", "Pool", "lost"]

Connection = psycopg.Connection[TupleRow]


def lost(conn: Connection) -> bool:
    """Whether an idle connection is closed, or was ended by the server.

    Its socket is readable only then (or for a notice, which a round trip tells
    apart): see the module's documentation.
    """
    if conn.closed or conn.broken:
        return True
    with selectors.DefaultSelector() as selector:
        selector.register(conn.fileno(), selectors.EVENT_READ)
        if not selector.select(0):
            return False
    try:
        conn.execute("")
    except psycopg.Error:
        return True
    return False


class Pool:
    """At most ``size`` connections, lent one at a time to a thread, kept open between uses.

    Args:
        connect: Opens a new connection (autocommit, configured).
        size: The most connections lent at once.
        timeout: Seconds to wait for one of ``size`` connections to be given back.
        where: Names the server and schema in messages.
    """

    def __init__(
        self, connect: Callable[[], Connection], size: int, timeout: float, where: str
    ) -> None:
        if size < 1:
            raise StoreError(f"a PostgreSQL store needs at least one connection, not {size}")
        self._connect = connect
        self._size = size
        self._timeout = timeout
        self._where = where
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[Connection] = []
        self.closed = False

    def keep(self, conn: Connection) -> None:
        """Take an open connection (the one a store was opened with) into the pool."""
        self._give_back(conn)

    @contextmanager
    def connection(self, *, fresh: bool = False) -> Iterator[Connection]:
        """Lend a connection: an idle one that is not lost, or a new one if ``fresh``.

        Raises:
            StoreError: the pool is closed, or all its connections stayed lent for
                ``timeout`` seconds.
            psycopg.OperationalError: a new connection could not be opened.
        """
        if self.closed:
            raise StoreError(f"PostgreSQL {self._where}: the store is closed")
        if not self._slots.acquire(timeout=self._timeout):
            raise StoreError(
                f"PostgreSQL {self._where}: no connection was free after {self._timeout:g} s "
                f"(all {self._size} in use; raise pool_size for more)"
            )
        try:
            conn = self._take(fresh=fresh)
            try:
                yield conn
            finally:
                self._give_back(conn)
        finally:
            self._slots.release()

    def _take(self, *, fresh: bool) -> Connection:
        if fresh:
            self.drop_idle()  # made in the same era as the one just lost: likely lost too
        while True:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                return self._connect()
            if not lost(conn):
                return conn
            conn.close()

    def _give_back(self, conn: Connection) -> None:
        """Keep a connection for the next use if it is idle and open, else close it."""
        usable = not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE
        with self._lock:
            if usable and not self.closed:
                self._idle.append(conn)
                return
        conn.close()

    def drop_idle(self) -> None:
        """Close every idle connection (after a loss, or when closing)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def close(self) -> None:
        """Close the idle connections; those lent are closed when given back."""
        self.closed = True
        self.drop_idle()
