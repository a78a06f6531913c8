"""The contract every store fulfils, and what the conformance suite checks.

A store keeps records and nothing else: it does not know projectors or
replay. The :class:`~chronicle.Log` in front of it checks what does not depend
on concurrent writers (correction targets, event types); the store does, inside
one transaction, what does: the expected-version check, the positions and
versions, and the ``recorded_at`` of the append.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable
from uuid import UUID

from chronicle._event import Entry
from chronicle._record import ExpectedVersion, Record

__all__ = ["Store"]


@runtime_checkable
class Store(Protocol):
    """What a log needs of a store.

    Appends are all-or-nothing and serialised: positions are gap-free from 1,
    versions gap-free from 1 in each stream, ``recorded_at`` shared by the
    records of one append and strictly increasing between appends. Reads are
    lazy: records come in position order, one at a time.
    """

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
        """Append ``entries`` to ``stream`` atomically and return their records.

        Args:
            stream: The stream's name.
            entries: What to append (at least one), already validated by the log.
            ids: One new unique id per entry.
            expected_version: Checked with :func:`check_expected` against the
                stream's version inside the append's transaction.
            recorded_at: The append's record time (UTC), settled against the head
                with :func:`settle_recorded_at` inside the transaction.
            exact_time: Whether ``recorded_at`` was chosen by the caller (then it
                must be after the head) or read from a clock (then it may be moved).

        Raises:
            ConcurrencyError: the stream's version does not satisfy ``expected_version``.
            RecordTimeError: an exact ``recorded_at`` not after the head.
        """
        ...

    def read(
        self,
        *,
        stream: str | None = None,
        from_position: int = 1,
        known_at: datetime.datetime | None = None,
    ) -> Iterator[Record]:
        """The records at ``from_position`` and after, in position order, lazily.

        Args:
            stream: Only this stream's records (all streams if None).
            from_position: The first global position to read.
            known_at: Only records with ``recorded_at <= known_at``.
        """
        ...

    def get(self, record_id: UUID) -> Record | None:
        """The record with this id, or None."""
        ...

    def version(self, stream: str) -> int:
        """The stream's version: the number of records in it (0 if it does not exist)."""
        ...

    def head(self) -> tuple[int, datetime.datetime | None]:
        """The last position (0 if empty) and the last ``recorded_at`` (None if empty)."""
        ...

    def streams(self) -> list[str]:
        """The names of the streams that hold records, sorted."""
        ...

    def close(self) -> None:
        """Release files and connections; the store is unusable afterwards."""
        ...
