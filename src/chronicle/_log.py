"""The log: an append-only sequence of records over a store.

The log is the one way in: it checks what it is handed (stream names,
registered event types, correction targets, record times), encodes every entry
once (so that every store, the memory store included, refuses exactly the same
entries), and leaves the store to do the append atomically. Nothing in it
updates or deletes a record.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from types import TracebackType
from typing import Protocol, Self, TypeVar
from uuid import UUID

from chronicle._codec import stored_entry
from chronicle._errors import CorrectionError, EventTypeError, InvalidArgument
from chronicle._event import (
    Corrected,
    Correction,
    Entry,
    Event,
    check_replacement,
)
from chronicle._gc import paused_gc
from chronicle._ids import new_ids
from chronicle._record import (
    ANY,
    Clock,
    ExpectedVersion,
    Record,
    as_instant,
    check_stream,
    check_utc,
    utc_now,
)
from chronicle._stores._base import Batch, Notifies, Store
from chronicle._stores._memory import MemoryStore

__all__ = ["Log"]

R = TypeVar("R", bound="_Closes")


class _Closes(Protocol):
    def close(self) -> None: ...


def _sleeper(stop: threading.Event | None) -> Callable[[float], object]:
    return time.sleep if stop is None else stop.wait


class Log:
    """An append-only log of records, grouped in named streams.

    Args:
        store: Where records live (a new :class:`~chronicle.MemoryStore` if omitted).
            :func:`chronicle.open` picks one from a path or URL.
        clock: The source of ``recorded_at`` for appends that do not give one;
            it must return timezone-aware datetimes. Inject a fixed clock in tests.

    A log is a context manager that closes its store, and whatever chronicle
    opened on its behalf (the cache of ``replay(..., snapshots=True)``).
    """

    def __init__(self, store: Store | None = None, *, clock: Clock = utc_now) -> None:
        self._store: Store = MemoryStore() if store is None else store
        self._clock = clock
        self._owned: dict[str, _Closes] = {}
        self._owned_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Log({self._store!r})"

    @property
    def store(self) -> Store:
        """The store this log reads and appends through."""
        return self._store

    def append(
        self,
        stream: str,
        entries: Iterable[Entry],
        *,
        expected_version: ExpectedVersion = ANY,
        recorded_at: datetime.datetime | None = None,
    ) -> list[Record]:
        """Append entries to a stream, all or nothing, and return their records.

        Args:
            stream: The stream's name (non-empty).
            entries: Events of registered types, or corrections of records of the
                same stream (appended before, or earlier in this call).
            expected_version: The stream's version the caller expects: an int,
                ``NO_STREAM``, ``STREAM_EXISTS`` or ``ANY`` (no check).
            recorded_at: Backdate the append (an import dated to its source); it must
                be timezone-aware and after the log's head. By default, the clock's time.

        Raises:
            ConcurrencyError: another writer moved the stream past ``expected_version``.
            RecordTimeError: ``recorded_at`` is naive, or not after the log's head.
            CorrectionError: a correction's target is unknown, a correction, or in
                another stream; or its replacement is not an event.
            EventTypeError: an entry of an unregistered class.
            InvalidEvent: an entry holds a value JSON cannot store (a NaN, a lone
                surrogate): nothing is appended.
            InvalidArgument: the stream name is blank, holds a NUL character or a
                lone surrogate.
        """
        check_stream(stream)
        batch = list(entries)
        if not batch:
            return []
        ids = new_ids(len(batch))
        self._check(stream, batch, ids)
        with paused_gc():  # what an append makes is in no cycle (see chronicle._gc)
            stored = [
                stored_entry(entry, f"entry {n} of the append") for n, entry in enumerate(batch, 1)
            ]
            exact = recorded_at is not None
            moment = check_utc(recorded_at if exact else self._clock(), "recorded_at")  # type: ignore[arg-type]
            return self._store.append(
                Batch(
                    stream=stream,
                    entries=batch,
                    stored=stored,
                    ids=ids,
                    expected_version=expected_version,
                    recorded_at=moment,
                    exact_time=exact,
                )
            )

    def _check(self, stream: str, batch: list[Entry], ids: list[UUID]) -> None:
        """Check that each entry is an event or a correction, and each correction's target.

        Whether an event's class is registered, ``stored_entry`` checks as it encodes it.
        """
        in_batch: dict[UUID, Entry] = {}  # the entries before a correction, by id
        for number, entry in enumerate(batch):
            if isinstance(entry, Event):
                continue
            if not isinstance(entry, Correction):
                raise EventTypeError(f"cannot append {entry!r}: not an Event or a Correction")
            done = len(in_batch)
            in_batch.update(zip(ids[done:number], batch[done:number], strict=True))
            self._check_target(stream, entry, in_batch)

    def _check_target(
        self, stream: str, correction: Correction, in_batch: dict[UUID, Entry]
    ) -> None:
        if isinstance(correction, Corrected):
            check_replacement(correction.replacement)
        target_id = correction.target
        if target_id in in_batch:
            target, target_stream = in_batch[target_id], stream
        else:
            record = self._store.get(target_id)
            if record is None:
                raise CorrectionError(f"{type(correction).__name__}: no record with id {target_id}")
            target, target_stream = record.event, record.stream
        if isinstance(target, Correction):
            raise CorrectionError(
                f"{type(correction).__name__}: record {target_id} is itself a "
                f"{type(target).__name__}; only events can be retracted or corrected"
            )
        if target_stream != stream:
            raise CorrectionError(
                f"{type(correction).__name__}: record {target_id} is in stream "
                f"{target_stream!r}; append the correction to that stream, not {stream!r}"
            )

    def read(
        self,
        stream: str | None = None,
        *,
        from_position: int = 1,
        known_at: datetime.datetime | datetime.date | str | None = None,
    ) -> Iterator[Record]:
        """The records in position order, lazily.

        Args:
            stream: One stream's records, or every stream's.
            from_position: The first global position to yield.
            known_at: Only the records appended by then (a datetime, or a date
                meaning the end of that day in UTC).
        """
        instant = None if known_at is None else as_instant(known_at)
        return self._store.read(stream=stream, from_position=from_position, known_at=instant)

    def __iter__(self) -> Iterator[Record]:
        return self.read()

    def subscribe(
        self,
        from_position: int = 1,
        *,
        stream: str | None = None,
        poll_interval: float = 0.5,
        idle_timeout: float | None = None,
        stop: threading.Event | None = None,
    ) -> Iterator[Record]:
        """Follow the log: the records from ``from_position`` on, then each one as it is appended.

        The iterator does not end at the head: it waits for the next append, so a
        live projection can follow a log that other processes write. A store that
        announces appends (PostgreSQL, by NOTIFY) wakes it at once; any other is
        read again every ``poll_interval`` seconds. Positions are gap-free in
        commit order, so to resume after an error or a restart, subscribe again
        from the last position handled + 1: nothing is lost, nothing comes twice.

        Args:
            from_position: The first global position to yield.
            stream: Only this stream's records.
            poll_interval: The longest wait, in seconds, before reading again.
            idle_timeout: End after this many seconds without a new record
                (by default, never).
            stop: End once this event is set (noticed within ``poll_interval``).

        Raises:
            InvalidArgument: ``poll_interval`` is not positive, or ``idle_timeout`` is negative.
            StoreError: the store failed while following (resume as above).
        """
        if not poll_interval > 0:
            raise InvalidArgument(f"poll_interval must be positive, not {poll_interval!r:.80}")
        if idle_timeout is not None and not idle_timeout >= 0:
            raise InvalidArgument(f"idle_timeout must not be negative, not {idle_timeout!r:.80}")
        return self._follow(max(from_position, 1), stream, poll_interval, idle_timeout, stop)

    def _follow(
        self,
        position: int,
        stream: str | None,
        poll_interval: float,
        idle_timeout: float | None,
        stop: threading.Event | None,
    ) -> Iterator[Record]:
        store = self._store
        waiting = store.listen() if isinstance(store, Notifies) else nullcontext(_sleeper(stop))
        with waiting as wait:
            last_new = time.monotonic()
            while stop is None or not stop.is_set():
                for record in store.read(stream=stream, from_position=position):
                    yield record
                    position = record.position + 1
                    last_new = time.monotonic()
                idle = time.monotonic() - last_new
                if idle_timeout is None:
                    wait(poll_interval)
                elif idle < idle_timeout:
                    wait(min(poll_interval, idle_timeout - idle))
                else:
                    return

    def get(self, record_id: UUID) -> Record | None:
        """The record with this id, or None."""
        return self._store.get(record_id)

    def version(self, stream: str) -> int:
        """The stream's version: how many records it holds (0 if none)."""
        return self._store.version(stream)

    @property
    def head(self) -> int:
        """The position of the last record (0 for an empty log)."""
        return self._store.head()[0]

    @property
    def head_recorded_at(self) -> datetime.datetime | None:
        """The record time of the last append (None for an empty log)."""
        return self._store.head()[1]

    def streams(self) -> list[str]:
        """The names of the streams that hold records, sorted."""
        return self._store.streams()

    def _own(self, name: str, make: Callable[[], R]) -> R:
        """The resource chronicle keeps for this log under ``name``, made on first use.

        The log owns it: :meth:`close` closes it before the store. (The read path
        keeps the cache of ``replay(..., snapshots=True)`` here.)
        """
        with self._owned_lock:
            found = self._owned.get(name)
            if found is None:
                found = self._owned[name] = make()
            return found  # type: ignore[return-value]

    def close(self) -> None:
        """Close the store, and what chronicle opened for this log (its snapshot cache)."""
        with self._owned_lock:
            owned, self._owned = list(self._owned.values()), {}
        try:
            for resource in owned:
                resource.close()
        finally:
            self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
