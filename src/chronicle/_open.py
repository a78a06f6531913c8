"""Pick a store from a target: a path, a URL, or nothing for memory; and repair a log file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from chronicle._errors import StoreError
from chronicle._log import Log
from chronicle._record import Clock, utc_now
from chronicle._stores._base import Store
from chronicle._stores._jsonl import JsonlStore, RepairReport
from chronicle._stores._memory import MemoryStore
from chronicle._stores._sqlite import SqliteStore

__all__ = ["open_log", "repair"]

SQLITE_SUFFIXES: Final = (".db", ".sqlite", ".sqlite3")
JSONL_SUFFIXES: Final = (".jsonl",)
POSTGRES_SCHEMES: Final = ("postgresql://", "postgres://")


def _store(target: str | os.PathLike[str], *, create: bool) -> Store:
    if isinstance(target, str) and target.startswith(POSTGRES_SCHEMES):
        # Imported here: psycopg is an optional extra; without it this import is a
        # StoreError naming chronicle-history[postgres].
        from chronicle._stores._postgres import open_url

        return open_url(target, create=create)
    path = Path(target)
    suffix = path.suffix.lower()
    if not create and suffix in SQLITE_SUFFIXES + JSONL_SUFFIXES and not path.exists():
        raise StoreError(f"no log at {os.fspath(target)!r}: the file does not exist")
    if suffix in SQLITE_SUFFIXES:
        return SqliteStore(path)
    if suffix in JSONL_SUFFIXES:
        return JsonlStore(path)
    raise StoreError(
        f"cannot tell which store to open for {os.fspath(target)!r}: give a path ending in "
        f"{', '.join(SQLITE_SUFFIXES)} (SQLite) or .jsonl (JSON Lines), a postgresql:// URL, "
        "or None for a log in memory"
    )


def open_log(
    target: str | os.PathLike[str] | None = None, *, clock: Clock = utc_now, create: bool = True
) -> Log:
    """Open the log at ``target``, choosing the store from its form.

    - ``None`` or ``":memory:"``: a new in-memory log.
    - a path ending in ``.db``, ``.sqlite`` or ``.sqlite3``: an SQLite log
      (:class:`~chronicle.SqliteStore`), created if the file does not exist.
    - a path ending in ``.jsonl``: a JSON Lines log (:class:`~chronicle.JsonlStore`),
      created if the file does not exist.
    - a ``postgresql://`` or ``postgres://`` URL: a PostgreSQL log
      (:class:`~chronicle.PostgresStore`; needs the extra ``chronicle-history[postgres]``), in
      the schema named by the URL's ``schema`` parameter, ``chronicle`` by default,
      created if it holds no log yet.

    Args:
        target: Where the log lives.
        clock: The log's clock (see :class:`~chronicle.Log`).
        create: Create the log if there is none at ``target``. A program that
            only reads passes ``False``, so that a mistyped file or schema name is
            an error rather than a new, empty log.

    Raises:
        StoreError: the target names no kind of store chronicle knows, the
            store cannot be opened there (see each store for why), or ``create``
            is not set and there is no log at ``target``.
        CorruptLog: the log's file is damaged.
    """
    if target is None or target == ":memory:":
        return Log(MemoryStore(), clock=clock)
    return Log(_store(target, create=create), clock=clock)


def repair(path: str | os.PathLike[str]) -> RepairReport:
    """Move the torn tail a crash left at the end of a JSON Lines log to a side file.

    The log is cut back to its intact records, so that appends can go on; the
    torn bytes are kept, exactly, in ``<name>.torn-<UTC time>`` next to it, for
    a person to look at. A healthy log is left as it is. SQLite and PostgreSQL
    logs never need this: they roll back an interrupted append themselves.

    Args:
        path: The ``.jsonl`` file.

    Returns:
        What was moved, and where to.

    Raises:
        StoreError: the path is not a JSON Lines log file, or the file is read-only.
        CorruptLog: a line before the tail is damaged: that needs a person, not repair.
    """
    if Path(path).suffix.lower() not in JSONL_SUFFIXES:
        raise StoreError(
            f"{os.fspath(path)!r}: only JSON Lines (.jsonl) logs are repaired; "
            "SQLite rolls back an interrupted append itself"
        )
    if not Path(path).is_file():
        raise StoreError(f"{os.fspath(path)!r}: no such log file")
    store = JsonlStore(path)
    try:
        return store.repair()
    finally:
        store.close()
