"""The in-memory store: the reference implementation of the store contract."""

from __future__ import annotations

import bisect
import datetime
import threading
from collections.abc import Iterator
from uuid import UUID

from chronicle._errors import StoreError
from chronicle._record import (
    Record,
)
from chronicle._stores._base import Batch, FoldReader
from chronicle._stores._memory_fold import MemoryFoldReader

__all__ = ["MemoryStore"]


class MemoryStore:
    """Records in a Python list: fast, for tests, examples and short-lived work.

    Safe to share between threads of one process; gone when the process ends.
    It refuses exactly what the durable stores refuse (the log encodes every
    entry before any store sees it), so a memory log can always be copied to a
    file or a database. It keeps its records in fold order too, in an index
    made by the first replay and brought up to date by each later one.
    """

    def __init__(self) -> None:
        self._records: list[Record] = []
        self._times: list[datetime.datetime] = []
        self._by_id: dict[UUID, Record] = {}
        self._versions: dict[str, int] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._fold = MemoryFoldReader(self)

    def __repr__(self) -> str:
        return f"MemoryStore(<{len(self._records)} records>)"

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the memory store is closed")

    def append(self, batch: Batch) -> list[Record]:
        """Append atomically (see :class:`~chronicle.Store`); the entries are kept as objects."""
        with self._lock:
            self._check_open()
            new = batch.records(
                version=self._versions.get(batch.stream, 0),
                position=len(self._records),
                head=self._times[-1] if self._times else None,
            )
            self._records.extend(new)
            self._times.extend(record.recorded_at for record in new)
            self._by_id.update((record.id, record) for record in new)
            self._versions[batch.stream] = new[-1].version
            return new

    def read(
        self,
        *,
        stream: str | None = None,
        from_position: int = 1,
        known_at: datetime.datetime | None = None,
    ) -> Iterator[Record]:
        """The records from a position, lazily (see :class:`~chronicle.Store`)."""
        with self._lock:
            self._check_open()
            end = (
                len(self._records)
                if known_at is None
                else bisect.bisect_right(self._times, known_at)
            )
        return self._records_between(max(from_position, 1) - 1, end, stream)

    def _records_between(self, start: int, end: int, stream: str | None) -> Iterator[Record]:
        for index in range(start, end):
            record = self._records[index]
            if stream is None or record.stream == stream:
                yield record

    def get(self, record_id: UUID) -> Record | None:
        """The record with this id, or None."""
        self._check_open()
        return self._by_id.get(record_id)

    def version(self, stream: str) -> int:
        """The number of records in ``stream``."""
        self._check_open()
        return self._versions.get(stream, 0)

    def head(self) -> tuple[int, datetime.datetime | None]:
        """The last position and record time."""
        with self._lock:
            self._check_open()
            return len(self._records), (self._times[-1] if self._times else None)

    def streams(self) -> list[str]:
        """The names of the streams, sorted."""
        self._check_open()
        return sorted(self._versions)

    def fold_reader(self) -> FoldReader:
        """Its reader in fold order, which gives events only: one index for every replay.

        Made at the first replay, it takes in what was appended since at each later one.
        """
        self._check_open()
        return self._fold

    def close(self) -> None:
        """Close the store: its records are gone with it, and it refuses further use."""
        with self._lock:
            self._closed = True
