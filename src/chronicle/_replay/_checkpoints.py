"""Snapshots: a cache of projector states at checkpoints along the fold order.

A checkpoint is the state of one projector after folding every event in force
up to a key ``K = (latest, earliest, position)`` of the fold order, computed
with the log at some head position ``H``. Since ``as_of`` keeps a prefix of the
fold order, a replay as of any day at or after ``K.latest`` is the fold of the
events after ``K`` from that state, under either policy.

A checkpoint stays exact while nothing lands at or before it: a record appended
after ``H`` (or, for a ``known_at`` query, one between the query's head and
``H``) changes the prefix only if it is an event whose key is at or before
``K``, or a correction that *reaches* there (its target's key, or any
replacement's key given to that target so far, is at or before ``K``). Every
replay brings the checkpoints of its projectors up to the log's head: those
such a record reaches are dropped, the others stay, valid at the new head. A
replay at an earlier ``known_at`` uses only checkpoints before everything
appended since it. Out-of-order valid times, backdated records and corrections
thus invalidate exactly the checkpoints after them.

Checkpoints are added as a replay folds, one every ``every`` events from where
it started, and are keyed by projector name and version and by stream: raise
a projector's version when its handlers change. Snapshots are never the truth:
clearing them changes only how long replays take.
"""

from __future__ import annotations

import bisect
import datetime
import pickle
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from chronicle._errors import InvalidArgument
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay._corrections import Corrections
from chronicle._replay._fold import fold_stream
from chronicle._replay._in_force import catch_up, events_in_force
from chronicle._replay._memory_reader import MemoryFoldReader
from chronicle._replay._order import AsOf, Key, KnownAt, Policy, as_day, check_policy, instant
from chronicle._stores._base import (
    MISSING,
    CheckpointStorage,
    FoldReader,
    KeepsCheckpoints,
    ReadsInFoldOrder,
    Series,
    Store,
)
from chronicle._stores._memory_checkpoints import MemoryCheckpointStorage

__all__ = ["Snapshots", "reader_for", "snapshots_of"]


class Snapshots:
    """Checkpoints of projector states along a log's fold order, for :func:`~chronicle.replay`.

    Pass it as ``replay(log, projector, snapshots=cache)``: the replay starts from
    the nearest checkpoint that is still exact for its ``as_of``, ``known_at``,
    ``policy`` and ``stream``, reads only the events after it, and leaves new
    checkpoints behind. ``replay(..., snapshots=True)`` uses the log's own cache,
    made on first use with the defaults below.

    Args:
        log: The log whose replays it serves.
        every: A checkpoint every this many events folded. Fewer means less memory
            (or disk) for checkpoints, more means less folding per replay.
        durable: Keep checkpoints beside the log where its store can (a table in
            the same SQLite or PostgreSQL database, a side file of a JSON Lines log),
            states pickled; otherwise, and for a memory log, keep them in memory.

    A cache is a context manager that closes its storage.

    Pickled checkpoints run code when loaded: keep snapshot tables and files as
    private as the program that writes them (see ``docs/performance.md``).
    """

    def __init__(self, log: Log, *, every: int = 1000, durable: bool = True) -> None:
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise InvalidArgument(f"every must be an int >= 1, not {every!r:.80}")
        self._log = log
        self._every = every
        self._source = reader_for(log)
        self._fixes = Corrections()
        self._storage = _storage_for(log.store) if durable else MemoryCheckpointStorage()
        self._lock = threading.Lock()
        self._verified: set[tuple[int, UUID | None]] = set()

    def __repr__(self) -> str:
        return f"Snapshots({self._log!r}, every={self._every})"

    def checkpoints(self, projector: Projector[Any], *, stream: str | None = None) -> list[Key]:
        """The keys of the projector's checkpoints for ``stream`` (all streams if None).

        They are the ones kept at the last replay; an append since may have made
        some of them stale, which the next replay drops.
        """
        with self._lock:
            found = self._storage.load((projector.name, projector.version, stream))
        return [] if found is None else list(found.keys)

    def clear(self) -> None:
        """Drop every checkpoint (replays then start from the initial states)."""
        with self._lock:
            self._storage.clear()

    def close(self) -> None:
        """Release the storage (a database connection for durable checkpoints)."""
        with self._lock:
            self._storage.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def replay(
        self,
        projectors: Sequence[Projector[Any]],
        *,
        stream: str | None = None,
        as_of: AsOf | None = None,
        known_at: KnownAt | None = None,
        policy: Policy = "certain",
    ) -> list[Any]:
        """The states of ``projectors``, exactly as :func:`~chronicle.replay` folds them.

        Arguments are those of :func:`~chronicle.replay`.
        """
        check_policy(policy)
        day = None if as_of is None else as_day(as_of)
        moment = instant(known_at)
        with self._lock:
            head, head_id = catch_up(self._source, self._fixes)
            at = head if moment is None else self._source.head_at(moment)
            series = [(projector.name, projector.version, stream) for projector in projectors]
            keys = [self._settle(one, head, head_id) for one in series]
            # A checkpoint serves an earlier known_at only if nothing since reaches it.
            below = None if at == head else self._reach(stream, at, head)
            starts = [
                self._start(projector, one, found, head=head, below=below, day=day)
                for projector, one, found in zip(projectors, series, keys, strict=True)
            ]
            begins = [key for key, _ in starts]
            known = [key for key in begins if key is not None]
            first = min(known) if len(known) == len(begins) else None
            rest = events_in_force(
                self._source, self._fixes, stream, first, day=day, policy=policy, at=at
            )
            states = [state for _, state in starts]
            # A new checkpoint must be exact at the log's head (before ``below``) and
            # cover a whole prefix of the fold (its latest day at or before ``day``,
            # which the events of a "possible" query do not guarantee).
            made = fold_stream(
                projectors,
                begins,
                states,
                rest,
                every=self._every,
                keep=lambda key: (below is None or key < below) and (day is None or key[0] <= day),
            )
            for one, checkpoints in zip(series, made, strict=True):
                kept = [(key, self._encode(state)) for key, state in checkpoints]
                kept = [(key, stored) for key, stored in kept if stored is not None]
                if kept:
                    self._storage.add(one, head, kept)
        return states

    def _reach(self, stream: str | None, low: int, high: int) -> Key | None:
        """The least key that a record at a position in ``(low, high]`` changes the fold at."""
        event = self._source.least_event_key(stream, low, high)
        correction = self._fixes.least_reach(stream, low, high)
        if event is None or correction is None:
            return correction if event is None else event
        return min(event, correction)

    def _same_log(self, head: int, head_id: UUID | None) -> bool:
        """Whether the record at ``head`` of this log has the id a series was stored with."""
        if (head, head_id) not in self._verified:
            record = None if head_id is None else self._log.get(head_id)
            if head != (0 if record is None else record.position):
                return False
            self._verified.add((head, head_id))
        return True

    def _settle(self, series: Series, head: int, head_id: UUID | None) -> list[Key]:
        """Move a series to the log's head, dropping what was appended since reaches."""
        found = self._storage.load(series)
        if found is not None and found.head == head and found.head_id == head_id:
            return found.keys
        if found is None or found.head >= head or not self._same_log(found.head, found.head_id):
            self._storage.reset(series, head, head_id)
            return []
        below = self._reach(series[2], found.head, head)
        if not self._storage.advance(series, found.head, head, head_id, below):
            return []  # another writer of the same storage moved it first
        self._verified.add((head, head_id))
        return found.keys if below is None else found.keys[: bisect.bisect_left(found.keys, below)]

    def _start(
        self,
        projector: Projector[Any],
        series: Series,
        keys: list[Key],
        *,
        head: int,
        below: Key | None,
        day: datetime.date | None,
    ) -> tuple[Key | None, Any]:
        """The latest checkpoint of a series the query may use, and its state.

        With none (or none that loads), the projector's initial state.
        """
        stop = len(keys) if below is None else bisect.bisect_left(keys, below)
        if day is not None and day < datetime.date.max:
            stop = min(stop, bisect.bisect_left(keys, (day + datetime.timedelta(days=1),)))
        for key in reversed(keys[:stop]):
            stored = self._storage.state(series, head, key)
            if stored is MISSING:
                continue
            state = self._decode(stored)
            if state is not MISSING:
                return key, state
            self._storage.discard(series, key)
        return None, projector.initial

    def _encode(self, state: Any) -> Any:
        """A state as the storage keeps it (None: it cannot be kept)."""
        if self._storage.keeps_objects:
            return state
        try:
            return pickle.dumps(state, pickle.HIGHEST_PROTOCOL)
        except Exception:  # a state pickle cannot store is not kept
            return None

    def _decode(self, stored: Any) -> Any:
        """A stored state, or MISSING if it cannot be read."""
        if self._storage.keeps_objects:
            return stored
        try:
            return pickle.loads(stored)  # noqa: S301 -- a cache this program wrote
        except Exception:  # any failure to load means: not usable, rebuild it
            return MISSING


def reader_for(log: Log) -> FoldReader:
    """The store's own fold-order reader if it has one, else an index kept in memory."""
    store = log.store
    return store.fold_reader() if isinstance(store, ReadsInFoldOrder) else MemoryFoldReader(log)


def _storage_for(store: Store) -> CheckpointStorage:
    """The store's own place for checkpoints if it has one, else memory."""
    if isinstance(store, KeepsCheckpoints):
        return store.checkpoint_storage()
    return MemoryCheckpointStorage()


def snapshots_of(log: Log) -> Snapshots:
    """The log's own snapshot cache (``replay(..., snapshots=True)``), made on first use.

    The log owns it: closing the log closes it.
    """
    return log._own("snapshots", lambda: Snapshots(log))
