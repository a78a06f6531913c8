"""The contract every store fulfils, and the capabilities a store may offer beyond it.

A store keeps records and nothing else: it does not know projectors or
replay. The :class:`~chronicle.Log` in front of it checks what does not depend
on concurrent writers (stream names, event types, correction targets) and
encodes every entry once; the store does, inside one transaction, what does
depend on them: the expected-version check, the positions and versions, and
the ``recorded_at`` of the append.

Beyond :class:`Store`, a store may offer capabilities, each an explicit
protocol found by type (``isinstance``):

- :class:`ReadsInFoldOrder`: a :class:`FoldReader` over an index of valid
  time, so that replay reads only what a query needs, in constant memory.
  Without it, replay indexes the log in memory as it reads it.
- :class:`KeepsCheckpoints`: a :class:`CheckpointStorage` beside the log, so
  that snapshot checkpoints outlive the process. Without it, they are kept in
  memory.
- :class:`Notifies`: wakes a subscriber when an append commits. Without it,
  a subscriber polls.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Final, Protocol, runtime_checkable
from uuid import UUID

import attrs

from chronicle._codec import StoredEntry
from chronicle._event import Entry, Event
from chronicle._record import (
    ExpectedVersion,
    Record,
    check_expected,
    new_records,
    settle_recorded_at,
)

__all__ = [
    "MISSING",
    "Batch",
    "CheckpointStorage",
    "FoldItem",
    "FoldKey",
    "FoldReader",
    "KeepsCheckpoints",
    "Notifies",
    "ReadsInFoldOrder",
    "Series",
    "SeriesHead",
    "Store",
    "TargetOf",
    "key_of",
]


@attrs.frozen(kw_only=True)
class Batch:
    """One append, as the log hands it to a store: checked, encoded once, timed.

    Attributes:
        stream: The stream's name, already checked by the log.
        entries: What to append (at least one), already validated by the log.
        stored: The stored form of each entry (type, schema version, payload as
            JSON text, valid-time bounds), made by the log: a store that
            serialises writes these, and never encodes an entry again.
        ids: One new unique id per entry.
        expected_version: What the stream's version must satisfy, checked inside
            the append's transaction (by :meth:`records`).
        recorded_at: The append's record time (UTC), settled against the head
            inside the transaction (by :meth:`records`).
        exact_time: Whether ``recorded_at`` was chosen by the caller (then it
            must be after the head) or read from a clock (then it may be moved).
    """

    stream: str
    entries: Sequence[Entry]
    stored: Sequence[StoredEntry]
    ids: Sequence[UUID]
    expected_version: ExpectedVersion
    recorded_at: datetime.datetime
    exact_time: bool

    def records(
        self, *, version: int, position: int, head: datetime.datetime | None
    ) -> list[Record]:
        """The batch's records, once the store has read where the log stands.

        Call it inside the append's transaction, with what the store holds then.

        Args:
            version: The stream's version (0 for a new stream).
            position: The log's last position (0 for an empty log).
            head: The log's last record time (None for an empty log).

        Raises:
            ConcurrencyError: ``version`` does not satisfy the expected version.
            RecordTimeError: an exact record time not after ``head``.
        """
        check_expected(self.stream, self.expected_version, version)
        moment = settle_recorded_at(head, self.recorded_at, exact=self.exact_time)
        return new_records(
            self.stream,
            self.entries,
            self.ids,
            version=version,
            position=position,
            recorded_at=moment,
        )


@runtime_checkable
class Store(Protocol):
    """What a log needs of a store.

    Appends are all-or-nothing and serialised: positions are gap-free from 1,
    versions gap-free from 1 in each stream, ``recorded_at`` shared by the
    records of one append and strictly increasing between appends. Reads are
    lazy: records come in position order, one at a time. Once closed, a store
    refuses every call but ``close`` with a :class:`~chronicle.StoreError`.
    """

    def append(self, batch: Batch) -> list[Record]:
        """Append the batch's entries to its stream atomically and return their records.

        Inside one transaction, read the stream's version, the log's last
        position and record time, and make the records with :meth:`Batch.records`
        (which checks the expected version and settles the record time).

        Raises:
            ConcurrencyError: the stream's version does not satisfy ``expected_version``.
            RecordTimeError: an exact ``recorded_at`` not after the head.
            StoreError: the store is closed or cannot write.
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


FoldKey = tuple[datetime.date, datetime.date, int]
"""A place in the fold order: ``(occurred.latest, occurred.earliest, position)``."""


def key_of(event: Event, position: int) -> FoldKey:
    """The fold-order key of ``event`` held by the record at ``position``."""
    occurred = event.occurred
    return occurred.latest, occurred.earliest, position


FoldItem = tuple[datetime.date, datetime.date, int, Record]
"""An event record behind its own fold key: ``(latest, earliest, position, record)``.

Positions are unique, so items compare by their key and never reach the record.
"""

EventItem = tuple[FoldKey, Event]
"""An event with its record's fold key: ``((latest, earliest, position), event)``."""

TargetOf = tuple[FoldKey, str] | None
"""What a correction's target is, as a :class:`FoldReader` finds it: the target's
fold key and stream if it is an event record of the log, else None (a target
that is missing, or that is itself a correction)."""


class FoldReader(Protocol):
    """Reads a log in fold order: what replay and the snapshot cache ask of a log."""

    def refresh(self) -> None:
        """Take in whatever was appended since the last call (a no-op for indexed stores)."""
        ...

    def head(self) -> tuple[int, UUID | None]:
        """The last position and the id of its record (0 and None for an empty log)."""
        ...

    def head_at(self, known_at: datetime.datetime) -> int:
        """The last position appended by ``known_at``."""
        ...

    def events_after(
        self,
        stream: str | None,
        after: FoldKey | None,
        *,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
        head: int,
    ) -> Iterator[FoldItem]:
        """Event records with a key after ``after``, in fold order of their own events.

        Only those at or before position ``head``, with ``latest <= latest_max`` and
        ``earliest <= earliest_max`` (each bound if given), in ``stream`` (all if None).
        Corrections are not applied: that is the read path's part.
        """
        ...

    def least_event_key(self, stream: str | None, low: int, high: int) -> FoldKey | None:
        """The least key among the event records at positions in ``(low, high]``."""
        ...

    def corrections(
        self, low: int, high: int, stream: str | None = None
    ) -> Iterator[tuple[Record, TargetOf]]:
        """The correction records at positions in ``(low, high]``, each with what its target is.

        Only those appended to ``stream``, if given: a correction applies only to
        an event of its own stream, so a read of one stream needs no other's.
        """
        ...


@runtime_checkable
class ReadsEventsOnly(Protocol):
    """Optional, for a :class:`FoldReader`: the events in fold order without their records.

    Replay folds events and never looks at their records' ids, streams, versions
    or record times; a reader that can skip reading and decoding those (a table's
    other columns) offers this, and replay and the snapshot cache use it. A
    reader without it is read through :meth:`FoldReader.events_after`, each
    record's event taken.
    """

    def events_only_after(
        self,
        stream: str | None,
        after: FoldKey | None,
        *,
        latest_max: datetime.date | None,
        earliest_max: datetime.date | None,
        head: int,
    ) -> Iterator[EventItem]:
        """The events of :meth:`FoldReader.events_after`'s records, for the same arguments.

        In the same order, each with the same key.
        """
        ...


@runtime_checkable
class ReadsInFoldOrder(Protocol):
    """Capability: a store with an index of valid time reads itself in fold order."""

    def fold_reader(self) -> FoldReader:
        """A reader of this store's records in fold order."""
        ...


Series = tuple[str, int, str | None, str]
"""A series of checkpoints: projector name, projector version, stream (None: every
stream), and the fingerprint of the key that signs its checkpoints ("" for objects
kept in memory, which are not signed)."""


class _Missing(enum.Enum):
    MISSING = "MISSING"


MISSING: Final = _Missing.MISSING
"""What :meth:`CheckpointStorage.state` returns for a checkpoint it does not have."""


@attrs.frozen
class SeriesHead:
    """A stored series: the head it is valid at, that head's record id, its checkpoint keys."""

    head: int
    head_id: UUID | None
    keys: list[FoldKey]


class CheckpointStorage(Protocol):
    """Where the snapshot cache keeps checkpoints: states along the fold order, by series.

    A series is valid at one head position of the log, and names the record at
    that head, so that its checkpoints are never applied to another log that
    happens to be as long. The writes that take a ``head`` change nothing unless
    the series is still at that head, so that several processes may share a
    storage.
    """

    keeps_objects: bool
    """Whether states are kept as the objects given (memory); if False, the
    storage keeps bytes, and the cache encodes states before storing them."""

    def load(self, series: Series) -> SeriesHead | None:
        """The series' head and its checkpoint keys in fold order, or None if there is none."""
        ...

    def series(self) -> list[Series]:
        """Every series the storage holds."""
        ...

    def state(self, series: Series, head: int, key: FoldKey) -> Any:
        """The state checkpointed at ``key``, or MISSING (absent, or the series moved on)."""
        ...

    def discard(self, series: Series, key: FoldKey) -> None:
        """Forget one checkpoint (one the cache found unusable)."""
        ...

    def reset(self, series: Series, head: int, head_id: UUID | None) -> None:
        """Drop the series' checkpoints and make it valid at ``head``."""
        ...

    def advance(
        self, series: Series, old: int, head: int, head_id: UUID | None, below: FoldKey | None
    ) -> bool:
        """Move the series from ``old`` to ``head``, keeping only checkpoints before ``below``.

        Returns False, changing nothing, if the series is no longer at ``old``.
        """
        ...

    def add(self, series: Series, head: int, checkpoints: Sequence[tuple[FoldKey, Any]]) -> None:
        """Store checkpoints computed at ``head``, if the series is still there."""
        ...

    def clear(self) -> None:
        """Drop every series."""
        ...

    def close(self) -> None:
        """Release the storage's resources."""
        ...


@runtime_checkable
class KeepsCheckpoints(Protocol):
    """Capability: a store with a place beside the log for snapshot checkpoints."""

    def checkpoint_storage(self) -> CheckpointStorage:
        """A new storage of checkpoints beside this store's log (its caller closes it)."""
        ...


@runtime_checkable
class Notifies(Protocol):
    """Capability: a store that can wake a subscriber when an append commits.

    ``listen()`` gives, for the duration of the context, a function
    ``wait(timeout)`` that returns once an append may have committed since the
    context opened or since the last ``wait``, or after ``timeout`` seconds.
    """

    def listen(self) -> AbstractContextManager[Callable[[float], object]]:
        """A context in which ``wait(timeout)`` waits for the next append."""
        ...
