"""The in-memory store: the reference implementation of the store contract."""

from __future__ import annotations

import bisect
import datetime
import threading
from collections.abc import Iterator, Sequence
from uuid import UUID

from chronicle._event import Entry
from chronicle._record import ExpectedVersion, Record, check_expected, settle_recorded_at

__all__ = ["MemoryStore"]


class MemoryStore:
    """Records in a Python list: fast, for tests, examples and short-lived work.

    Safe to share between threads of one process; gone when the process ends.
    """

    def __init__(self) -> None:
        self._records: list[Record] = []
        self._times: list[datetime.datetime] = []
        self._by_id: dict[UUID, Record] = {}
        self._versions: dict[str, int] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryStore(<{len(self._records)} records>)"

    def append(
        self,
        stream: str,
        entries: Sequence[Entry],
        *,
        ids: Sequence[UUID],
        expected_version: ExpectedVersion,
        recorded_at: datetime.datetime,
        exact_time: bool,
    ) -> list[Record]:
        """Append atomically (see :class:`~chronicle.Store`)."""
        with self._lock:
            version = self._versions.get(stream, 0)
            check_expected(stream, expected_version, version)
            head = self._times[-1] if self._times else None
            moment = settle_recorded_at(head, recorded_at, exact=exact_time)
            position = len(self._records)
            new = [
                Record(record_id, stream, version + offset, position + offset, moment, entry)
                for offset, (record_id, entry) in enumerate(zip(ids, entries, strict=True), 1)
            ]
            self._records.extend(new)
            self._times.extend(moment for _ in new)
            self._by_id.update((record.id, record) for record in new)
            self._versions[stream] = version + len(new)
            return new

    def read(
        self,
        *,
        stream: str | None = None,
        from_position: int = 1,
        known_at: datetime.datetime | None = None,
    ) -> Iterator[Record]:
        """The records from a position, lazily (see :class:`~chronicle.Store`)."""
        end = len(self._records) if known_at is None else bisect.bisect_right(self._times, known_at)
        for index in range(max(from_position, 1) - 1, end):
            record = self._records[index]
            if stream is None or record.stream == stream:
                yield record

    def get(self, record_id: UUID) -> Record | None:
        """The record with this id, or None."""
        return self._by_id.get(record_id)

    def version(self, stream: str) -> int:
        """The number of records in ``stream``."""
        return self._versions.get(stream, 0)

    def head(self) -> tuple[int, datetime.datetime | None]:
        """The last position and record time."""
        return len(self._records), (self._times[-1] if self._times else None)

    def streams(self) -> list[str]:
        """The names of the streams, sorted."""
        return sorted(self._versions)

    def close(self) -> None:
        """Nothing to release."""
