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
import operator
import threading
import weakref
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from chronicle._event import Event
from chronicle._fold import AsOf, Key, Policy, as_day, check_policy, fold_into
from chronicle._foldindex import CorrectionIndex, FoldSource, MemoryFoldIndex
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._record import as_instant
from chronicle._snapshot_storage import (
    MISSING,
    MemorySnapshotStorage,
    Series,
    SnapshotStorage,
)
from chronicle._stores._base import Store

__all__ = ["Snapshots", "snapshots_of"]

_by_key = operator.itemgetter(0)


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

    Pickled checkpoints run code when loaded: keep snapshot tables and files as
    private as the program that writes them (see ``docs/performance.md``).
    """

    def __init__(self, log: Log, *, every: int = 1000, durable: bool = True) -> None:
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be an int >= 1, not {every!r}")
        self._log = log
        self._every = every
        self._source = _source_for(log)
        self._fixes = CorrectionIndex()
        self._storage = _storage_for(log.store) if durable else MemorySnapshotStorage()
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

    def replay(
        self,
        projectors: Sequence[Projector[Any]],
        *,
        stream: str | None = None,
        as_of: AsOf | None = None,
        known_at: datetime.datetime | datetime.date | str | None = None,
        policy: Policy = "certain",
    ) -> list[Any]:
        """The states of ``projectors``, exactly as :func:`~chronicle.replay` folds them.

        Arguments are those of :func:`~chronicle.replay`.
        """
        check_policy(policy)
        day = None if as_of is None else as_day(as_of)
        instant = None if known_at is None else as_instant(known_at)
        with self._lock:
            head, head_id = self._catch_up()
            at = head if instant is None else self._source.head_at(instant)
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
            rest = self._rest(stream, first, day, policy, at)
            states = [state for _, state in starts]
            made = self._fold(projectors, begins, states, rest, below=below, day=day)
            for one, checkpoints in zip(series, made, strict=True):
                if checkpoints:
                    self._storage.add(one, head, checkpoints)
        return states

    def _catch_up(self) -> tuple[int, UUID | None]:
        """Bring the source and the corrections up to the log's head; return the head."""
        self._source.refresh()
        head, head_id = self._source.head()
        for record, target_key in self._source.corrections(self._fixes.seen, head):
            self._fixes.add(record, target_key)
        self._fixes.seen = head
        return head, head_id

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
            state = self._storage.state(series, head, key)
            if state is not MISSING:
                return key, state
        return None, projector.initial

    def _rest(
        self,
        stream: str | None,
        after: Key | None,
        day: datetime.date | None,
        policy: Policy,
        at: int,
    ) -> list[tuple[Key, Event]]:
        """The events in force at position ``at`` after ``after`` that count as of ``day``."""
        latest_max = day if policy == "certain" else None
        earliest_max = day if policy == "possible" else None
        fixes = self._fixes
        corrected = fixes.targets
        rest: list[tuple[Key, Event]] = []
        for latest, earliest, position, record in self._source.events_after(
            stream, after, latest_max=latest_max, earliest_max=earliest_max, head=at
        ):
            if position in corrected and fixes.in_force(position, at) is not None:
                continue  # retracted, or a replacement in force: that one is placed below
            rest.append(((latest, earliest, position), record.event))  # type: ignore[arg-type]
        replaced = list(
            fixes.replacements_after(
                stream, after, latest_max=latest_max, earliest_max=earliest_max, head=at
            )
        )
        if replaced:
            rest += replaced
            rest.sort(key=_by_key)
        return rest

    def _fold(
        self,
        projectors: Sequence[Projector[Any]],
        starts: list[Key | None],
        states: list[Any],
        rest: list[tuple[Key, Event]],
        *,
        below: Key | None,
        day: datetime.date | None,
    ) -> list[list[tuple[Key, Any]]]:
        """Fold ``rest`` into ``states``, each projector from its own start.

        Returns, for each projector, a checkpoint every ``every`` events from its
        start; one is kept only where it is exact at the log's head (before
        ``below``) and covers a whole prefix of the fold (its latest day is at or
        before ``day``, which a ``possible`` query does not guarantee).
        """
        keys = [key for key, _ in rest]
        events = [event for _, event in rest]
        begins = [0 if start is None else bisect.bisect_right(keys, start) for start in starts]
        marks = [range(begin + self._every, len(rest) + 1, self._every) for begin in begins]
        cuts = sorted({*begins, *(cut for mark in marks for cut in mark), len(rest)})
        made: list[list[tuple[Key, Any]]] = [[] for _ in projectors]
        done = 0
        for cut in cuts:
            active = [index for index, begin in enumerate(begins) if begin <= done]
            if cut > done and active:
                some = [states[index] for index in active]
                fold_into([projectors[index] for index in active], some, events[done:cut])
                for index, state in zip(active, some, strict=True):
                    states[index] = state
            done = cut
            key = keys[cut - 1] if cut else None
            if key is None or (below is not None and key >= below) or (day and key[0] > day):
                continue
            for index in active:
                if cut in marks[index]:
                    made[index].append((key, states[index]))
        return made


def _source_for(log: Log) -> FoldSource:
    """The store's own fold-order index if it has one, else an index kept in memory."""
    make = getattr(log.store, "fold_source", None)
    return MemoryFoldIndex(log) if make is None else make()


def _storage_for(store: Store) -> SnapshotStorage:
    """The store's own place for checkpoints if it has one, else memory."""
    make = getattr(store, "snapshot_storage", None)
    return MemorySnapshotStorage() if make is None else make()


_default: weakref.WeakKeyDictionary[Log, Snapshots] = weakref.WeakKeyDictionary()
_default_lock = threading.Lock()


def snapshots_of(log: Log) -> Snapshots:
    """The log's own snapshot cache (``replay(..., snapshots=True)``), made on first use."""
    with _default_lock:
        found = _default.get(log)
        if found is None:
            found = _default[log] = Snapshots(log)
        return found
