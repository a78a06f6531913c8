"""The kinds of store the conformance suite runs against: how each is made, reopened, recovered.

A *kind* of store makes fresh, empty stores, reopens one (close it, open the same
log again), names the target ``chronicle.open`` takes to open it from another
process, and recovers it after a writer process was killed.

PostgreSQL stores (``PostgresKind``) live in schemas of their own on the server
named by ``CHRONICLE_TEST_POSTGRES``; without it their tests are skipped.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from chronicle import JsonlStore, MemoryStore, PostgresStore, Record, SqliteStore, Store
from chronicle.stores import Batch
from tests import postgres

KINDS = ("memory", "own", "jsonl", "sqlite", "postgres")
"""Every kind of store; the conformance suite runs once per kind."""
PERSISTENT = ("jsonl", "sqlite", "postgres")
"""The kinds that keep a log outside the process: reopening, other processes, crashes."""


class StoreKind:
    """Makes the stores of one kind for the tests, and closes them.

    Attributes:
        name: The kind's name, as in ``KINDS``.
    """

    name = ""

    def __init__(self) -> None:
        self._open: list[Store] = []
        self._shared: Store | None = None

    def _opened(self, store: Store) -> Store:
        self._open.append(store)
        return store

    def new(self) -> Store:
        """A fresh, empty store. The stores this kind gave out before are closed."""
        self.close_all()
        return self._opened(self._make())

    def shared(self) -> Store:
        """The store the whole test session shares: a log that already holds records.

        A test that uses it works in streams of its own, after the head it found
        (see ``tests.stores.helpers.Part``). Making a store per example would cost
        most of the suite's time (a file, a schema, syncs on close).
        """
        if self._shared is None:
            self._shared = self._make()
        return self._shared

    def _make(self) -> Store:
        raise NotImplementedError

    def reopen(self, store: Store) -> Store:
        """Close ``store`` and open the log it holds again."""
        store.close()
        return self._opened(self._again(store))

    def another(self, store: Store) -> Store:
        """A second store on the log ``store`` holds, open at the same time."""
        return self._opened(self._again(store))

    def _again(self, store: Store) -> Store:
        raise NotImplementedError

    def target(self, store: Store) -> str:
        """What ``chronicle.open`` takes, in another process, to open the log of ``store``."""
        raise NotImplementedError

    def new_target(self) -> str:
        """What ``chronicle.open`` takes to make a new log, where there is none yet."""
        raise NotImplementedError

    def recover(self, store: Store) -> None:
        """Make a log whose writer was killed appendable again."""

    def close_all(self) -> None:
        """Close every store this kind gave out but the shared one."""
        while self._open:
            self._open.pop().close()

    def close(self) -> None:
        """Close every store this kind gave out."""
        self.close_all()
        if self._shared is not None:
            self._shared.close()
            self._shared = None


class MemoryKind(StoreKind):
    """Memory stores: the reference implementation; "reopening" one gives it back as it is."""

    name = "memory"

    def _make(self) -> Store:
        return MemoryStore()

    def reopen(self, store: Store) -> Store:
        """A memory log cannot be closed and opened again: it is given back open."""
        return store

    def _again(self, store: Store) -> Store:
        return store


class OwnStore:
    """A store of one's own: the store protocol alone, over a memory store.

    It has no fold-order reader, so replay indexes its records afresh each time,
    as it does for any store a user writes.
    """

    def __init__(self) -> None:
        self._inner = MemoryStore()

    def append(self, batch: Batch) -> list[Record]:
        return self._inner.append(batch)

    def read(
        self,
        *,
        stream: str | None = None,
        from_position: int = 1,
        known_at: datetime.datetime | None = None,
    ) -> Iterator[Record]:
        return self._inner.read(stream=stream, from_position=from_position, known_at=known_at)

    def get(self, record_id: UUID) -> Record | None:
        return self._inner.get(record_id)

    def version(self, stream: str) -> int:
        return self._inner.version(stream)

    def head(self) -> tuple[int, datetime.datetime | None]:
        return self._inner.head()

    def streams(self) -> list[str]:
        return self._inner.streams()

    def close(self) -> None:
        self._inner.close()


class OwnKind(MemoryKind):
    """Stores of one's own (:class:`OwnStore`): what replay does without a fold-order reader."""

    name = "own"

    def _make(self) -> Store:
        return OwnStore()


class FileKind(StoreKind):
    """Stores that keep their log in a file of their own in a directory."""

    suffix = ""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory
        self._numbers = itertools.count(1)

    def path(self) -> Path:
        """A new file name in the directory."""
        return self.directory / f"log{next(self._numbers)}{self.suffix}"

    def _make(self) -> Store:
        return self.open(self.path())

    def open(self, path: Path) -> Store:
        """The store of the log at ``path`` (fsync off: the suite needs no power-loss safety)."""
        raise NotImplementedError

    def _again(self, store: Store) -> Store:
        assert isinstance(store, (JsonlStore, SqliteStore))
        return self.open(store.path)

    def target(self, store: Store) -> str:
        assert isinstance(store, (JsonlStore, SqliteStore))
        return str(store.path)

    def new_target(self) -> str:
        return str(self.path())


class JsonlKind(FileKind):
    """JSON Lines files."""

    name = "jsonl"
    suffix = ".jsonl"

    def open(self, path: Path) -> Store:
        return JsonlStore(path, durable=False)

    def recover(self, store: Store) -> None:
        assert isinstance(store, JsonlStore)
        if store.torn is not None:
            store.repair()


class SqliteKind(FileKind):
    """SQLite database files."""

    name = "sqlite"
    suffix = ".db"

    def open(self, path: Path) -> Store:
        return SqliteStore(path, durable=False)


class PostgresKind(StoreKind):
    """PostgreSQL stores, each in a new schema of this test run, dropped at the end."""

    name = "postgres"

    def __init__(self) -> None:
        super().__init__()
        self._schemas: list[str] = []
        self._spare: str | None = None

    def _schema(self) -> str:
        self._schemas.append(postgres.new_schema())
        return self._schemas[-1]

    def new(self) -> Store:
        """A fresh, empty store: in the last one's schema, emptied (making one takes 0.1 s)."""
        self.close_all()
        if self._spare is None:
            self._spare = self._schema()
        else:
            postgres.clear(self._spare)
        return self._opened(PostgresStore(postgres.DSN, schema=self._spare))

    def _make(self) -> Store:
        return PostgresStore(postgres.DSN, schema=self._schema())

    def _again(self, store: Store) -> Store:
        assert isinstance(store, PostgresStore)
        return PostgresStore(postgres.DSN, schema=store.schema)

    def target(self, store: Store) -> str:
        assert isinstance(store, PostgresStore)
        return postgres.url(store.schema)

    def new_target(self) -> str:
        return postgres.url(self._schema())

    def close(self) -> None:
        super().close()
        while self._schemas:
            postgres.drop_schema(self._schemas.pop())


def make_kind(name: str, factory: pytest.TempPathFactory) -> StoreKind:
    """The kind named ``name``, its files in a new temporary directory."""
    if name == "memory":
        return MemoryKind()
    if name == "own":
        return OwnKind()
    if name == "jsonl":
        return JsonlKind(factory.mktemp("jsonl"))
    if name == "sqlite":
        return SqliteKind(factory.mktemp("sqlite"))
    if name == "postgres":
        if not postgres.DSN:
            pytest.skip(postgres.SKIP_REASON)
        return PostgresKind()
    raise ValueError(f"no such kind of store: {name}")
