"""The PostgreSQL store's tables, and the numbered migrations that create and change them.

A chronicle lives in one PostgreSQL schema (``chronicle`` by default), so that
several logs, or a log and its test copies, can share a database. The schema
holds:

- ``migrations``: one row per migration applied (version, description, when).
- ``head``: a single row, the last position and the last ``recorded_at``.
  Every append locks it first; that lock is what orders appends (see
  :mod:`chronicle._stores._postgres`).
- ``streams``: each stream's name and version, written by the same statement as
  the stream's records (no foreign key between them: checking it took a third
  of the time of inserting a batch).
- ``records``: the records, ``position`` as primary key, ``(stream, version)``
  and ``id`` unique; the entry as ``type``, ``v`` and ``data`` (JSON text,
  kept byte for byte as written); ``occurred_earliest`` and ``occurred_latest``
  (NULL for corrections) with an index in fold order, so that ``as_of`` queries
  (``WHERE occurred_latest <= D ORDER BY occurred_latest, occurred_earliest,
  position``) are an index range scan.

The database itself refuses UPDATE, DELETE and TRUNCATE of records: the log is
append-only whoever connects to it.

Migrations are applied when a store is opened (there is no separate step to
forget), in one transaction under an advisory lock, so that processes opening
the same schema at once apply each migration exactly once. A schema with
migrations this program does not know (written by a newer chronicle) is
refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import psycopg
from psycopg import sql

from chronicle._errors import StoreError
from chronicle._stores._sql import Dialect

__all__ = ["LATEST", "MIGRATIONS", "dialect", "migrate"]

Migration = tuple[int, str, tuple[str, ...]]
"""A migration: its version, a description, its SQL statements (``{s}`` is the schema)."""

MIGRATIONS: Final[tuple[Migration, ...]] = (
    (
        1,
        "records, streams, head; fold-order index; append-only triggers",
        (
            """CREATE TABLE {s}.head (
                only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                position bigint NOT NULL CHECK (position >= 0),
                recorded_at timestamptz
            )""",
            "INSERT INTO {s}.head (position, recorded_at) VALUES (0, NULL)",
            """CREATE TABLE {s}.streams (
                name text PRIMARY KEY,
                version bigint NOT NULL CHECK (version > 0)
            )""",
            """CREATE TABLE {s}.records (
                position bigint PRIMARY KEY CHECK (position > 0),
                id uuid NOT NULL UNIQUE,
                stream text NOT NULL,
                version bigint NOT NULL CHECK (version > 0),
                recorded_at timestamptz NOT NULL,
                type text NOT NULL,
                v integer NOT NULL,
                data json NOT NULL,
                occurred_earliest date,
                occurred_latest date,
                UNIQUE (stream, version)
            )""",
            "CREATE INDEX records_stream_position ON {s}.records (stream, position)",
            "CREATE INDEX records_recorded_at ON {s}.records (recorded_at)",
            """CREATE INDEX records_fold_order
                ON {s}.records (occurred_latest, occurred_earliest, position)""",
            """CREATE FUNCTION {s}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'chronicle records are append-only: % refused on %.%',
                    TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME;
            END $$""",
            """CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON {s}.records
                FOR EACH ROW EXECUTE FUNCTION {s}.refuse_change()""",
            """CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON {s}.records
                FOR EACH STATEMENT EXECUTE FUNCTION {s}.refuse_change()""",
        ),
    ),
)
"""Every migration, in order; the schema's version is the last one applied."""

LATEST: Final = MIGRATIONS[-1][0]
"""The schema version this program writes and reads."""


def _statement(text: str, schema: str) -> sql.Composed:
    return sql.SQL(text).format(s=sql.Identifier(schema))


def _applied(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> set[int]:
    """The versions of the migrations applied to ``schema`` (none if it has no table of them)."""
    query = _statement("SELECT version FROM {s}.migrations", schema)
    try:
        return {int(str(row[0])) for row in conn.execute(query)}
    except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName):
        return set()


def migrate(conn: psycopg.Connection[tuple[object, ...]], schema: str, *, create: bool) -> None:
    """Create ``schema`` if needed (and ``create`` is set) and apply the migrations it lacks.

    ``conn`` is in autocommit mode. When migrations are missing, they run in one
    transaction, under an advisory lock keyed by the schema's name, so that
    concurrent openers wait for each other and a failed migration leaves nothing
    behind.

    Raises:
        StoreError: the schema holds no chronicle log and ``create`` is not set
            (a mistyped name is not made into an empty log), the schema holds
            migrations newer than this program knows, or
            a migration failed (for instance a table of that name already exists
            in the schema and is not chronicle's).
    """
    applied = _applied(conn, schema)
    if applied == {version for version, _, _ in MIGRATIONS}:
        return  # the common case, in one query and without a lock
    if not applied and not create:
        raise StoreError(
            f"no chronicle log in PostgreSQL schema {schema!r}: the schema does not exist or "
            "holds no log (check its name: nothing was created)"
        )
    try:
        with conn.transaction():
            conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"chronicle.migrate:{schema}"],
            )
            conn.execute(_statement("CREATE SCHEMA IF NOT EXISTS {s}", schema))
            conn.execute(
                _statement(
                    """CREATE TABLE IF NOT EXISTS {s}.migrations (
                        version integer PRIMARY KEY,
                        description text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )""",
                    schema,
                )
            )
            applied = _applied(conn, schema)
            unknown = sorted(applied - {version for version, _, _ in MIGRATIONS})
            if unknown:
                raise StoreError(
                    f"PostgreSQL schema {schema!r} has migrations {unknown} that this chronicle "
                    f"does not know (it knows up to version {LATEST}): it was written by a "
                    "newer chronicle; upgrade chronicle to use it"
                )
            for version, description, statements in MIGRATIONS:
                if version in applied:
                    continue
                for text in statements:
                    conn.execute(_statement(text, schema))
                conn.execute(
                    _statement(
                        "INSERT INTO {s}.migrations (version, description) VALUES (%s, %s)",
                        schema,
                    ),
                    [version, description],
                )
    except psycopg.Error as error:
        raise StoreError(
            f"cannot set up the chronicle schema {schema!r} in PostgreSQL: {error}"
        ) from error


def _compose(template: str, names: Mapping[str, Any]) -> sql.Composed:
    return sql.SQL(template).format(**names)


def dialect(schema: str) -> Dialect:
    """PostgreSQL's spelling of the shared SQL for the log in ``schema``.

    Statements are composed with ``psycopg.sql``: the schema is always quoted as
    an identifier, never pasted in. Ids, times and days are PostgreSQL's own
    ``uuid``, ``timestamptz`` and ``date``; payloads come back parsed.
    """
    target = sql.SQL(
        "CASE WHEN c.data ->> 'target' ~* '^[0-9a-f]{{8}}-([0-9a-f]{{4}}-){{3}}[0-9a-f]{{12}}$'"
        " THEN (c.data ->> 'target')::uuid END"
    ).format()
    return Dialect(
        names={
            "p": sql.Placeholder(),
            "records": sql.Identifier(schema, "records"),
            "streams": sql.Identifier(schema, "streams"),
            "series": sql.Identifier(schema, "checkpoint_series_v2"),
            "checkpoints": sql.Identifier(schema, "checkpoints_v2"),
            "target": target,
            "lock": sql.SQL(" FOR UPDATE"),
        },
        compose=_compose,
    )
