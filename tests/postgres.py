"""Helpers for the PostgreSQL tests: the server to use, schemas of this run, the load writers.

The server is named by the ``CHRONICLE_TEST_POSTGRES`` environment variable (a
DSN); without it the PostgreSQL tests are skipped. Every store a test opens
lives in a schema of its own, named after this run, and dropped afterwards.
"""

from __future__ import annotations

import os
import random
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from chronicle import ANY, ConcurrencyError, Log
from chronicle._stores._postgres import PostgresStore
from tests.domain import Counted


def with_param(dsn: str, key: str, value: str) -> str:
    """``dsn`` (a URL) with one more query parameter."""
    assert dsn.startswith(("postgresql://", "postgres://")), "CHRONICLE_TEST_POSTGRES: use a URL"
    parts = urllib.parse.urlsplit(dsn)
    query = [*urllib.parse.parse_qsl(parts.query), (key, value)]
    return urllib.parse.urlunsplit(
        parts._replace(query=urllib.parse.urlencode(query, quote_via=urllib.parse.quote))
    )


SERVER = os.environ.get("CHRONICLE_TEST_POSTGRES", "")
DSN = SERVER and with_param(SERVER, "options", "-c synchronous_commit=off")
"""The test server's URL, or empty when there is none.

Its commits do not wait for the disk: the tests need no safety from a crash of
the server, and a commit stays atomic and visible as soon as it returns.
"""

SKIP_REASON = "CHRONICLE_TEST_POSTGRES is not set: no PostgreSQL server to test against"

RUN = f"chronicle_test_{uuid.uuid4().hex[:12]}"
"""The prefix of every schema this test run creates."""

NAMED: list[str] = []
"""Every schema name handed out in this run, in order."""


def new_schema() -> str:
    """A schema name no other test, in this run or another, uses."""
    NAMED.append(f"{RUN}_{len(NAMED) + 1}")
    return NAMED[-1]


def url(schema: str) -> str:
    """What ``chronicle.open`` takes to reach the log in ``schema`` on the test server."""
    return with_param(DSN, "schema", schema)


def execute(query: str | sql.Composable, params: list[object] | None = None) -> list[tuple]:
    """Run one statement on a connection of its own; return its rows (if it has any)."""
    with psycopg.connect(DSN, autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def drop_schema(schema: str) -> None:
    """Drop a test schema and everything in it."""
    execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@contextmanager
def dropping_new_schemas() -> Iterator[None]:
    """Drop, on exit, every schema named inside (a test may leave one behind on failure)."""
    first = len(NAMED)
    try:
        yield
    finally:
        for schema in NAMED[first:]:
            drop_schema(schema)


def clear(schema: str) -> None:
    """Empty a store's tables (bypassing its append-only trigger), as if just created."""
    s = sql.Identifier(schema)
    with psycopg.connect(DSN) as conn:  # one transaction: the trigger is back on at commit
        conn.execute(sql.SQL("ALTER TABLE {}.records DISABLE TRIGGER USER").format(s))
        conn.execute(sql.SQL("DELETE FROM {s}.records; DELETE FROM {s}.streams").format(s=s))
        conn.execute(sql.SQL("ALTER TABLE {}.records ENABLE TRIGGER USER").format(s))
        conn.execute(sql.SQL("UPDATE {}.head SET position = 0, recorded_at = NULL").format(s))


@contextmanager
def temporary_store(**options: object) -> Iterator[PostgresStore]:
    """A store in a new schema, closed and dropped on exit."""
    schema = new_schema()
    store = PostgresStore(DSN, schema=schema, **options)  # type: ignore[arg-type]
    try:
        yield store
    finally:
        store.close()
        drop_schema(schema)


Acknowledged = tuple[str, str, int, int]
"""An acknowledged record: id, stream, version, position."""
Conflict = tuple[str, int, int]
"""A ConcurrencyError: stream, expected version, actual version."""


def write(
    schema: str, writer: int, start_at: float, stop_at: float
) -> tuple[list[Acknowledged], list[Conflict]]:
    """One writer process of the load test: append until time is up, report what happened.

    From ``start_at`` to ``stop_at`` (``time.time()`` values, the same for every
    writer), the writer appends batches of 1 to 3 events: to the stream ``shared``
    with the version it last read as expected version (so writers race and some
    lose), to its own stream with the expected version (never contested), or to
    ``shared-any`` with no check.
    """
    rng = random.Random(writer)
    own = f"own-{writer}"
    acknowledged: list[Acknowledged] = []
    conflicts: list[Conflict] = []
    with Log(PostgresStore(DSN, schema=schema, pool_size=1)) as log:
        time.sleep(max(0.0, start_at - time.time()))
        while time.time() < stop_at:
            stream = rng.choice(["shared", "shared", own, "shared-any"])
            batch = [Counted(occurred="2020", amount=writer) for _ in range(rng.randint(1, 3))]
            expected = log.version(stream)
            try:
                records = log.append(
                    stream, batch, expected_version=ANY if stream == "shared-any" else expected
                )
            except ConcurrencyError as error:
                conflicts.append((error.stream, expected, error.actual))
                continue
            acknowledged += [(str(r.id), r.stream, r.version, r.position) for r in records]
    return acknowledged, conflicts
