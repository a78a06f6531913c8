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
replay at an earlier ``known_at`` uses the checkpoints before everything
appended since it, and those it made itself of the log as it stood then,
which stay exact for that ``known_at`` (held in memory, for the latest few
such heads). Out-of-order valid times, backdated records and corrections
thus invalidate exactly the checkpoints after them.

Checkpoints are added as a replay folds, one every ``every`` events from where
it started (:data:`DENSE` by default), and are keyed by projector name and
version and by stream: raise a projector's version when its handlers change.
Beside a log that keeps them as bytes, every checkpoint is held in memory as
an object, and by default only some are stored: one when the events folded
since the last stored one pay for its size at :data:`BYTES_PER_EVENT`, so
that stored checkpoints stay a small share of the log however its states
grow, while the checkpoints held in memory keep queries short. Snapshots are never the truth:
clearing them changes only how long replays take.

Durable checkpoints (beside the log) are data, not code: each state is encoded
by the codec as its projector's ``state_type``, with what it was folded from,
and signed with a key the log does not hold (see
:mod:`chronicle._replay._checkpoint_codec`). A checkpoint that is not signed
with this machine's key, or not the one asked for, is never decoded: it is
dropped and rebuilt. Checkpoints in memory are the state objects themselves.
"""

from __future__ import annotations

import bisect
import datetime
import heapq
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Final, Self
from uuid import UUID

import attrs

from chronicle._errors import InvalidArgument
from chronicle._gc import paused_gc
from chronicle._log import Log
from chronicle._projector import Projector
from chronicle._replay._checkpoint_codec import (
    DIGEST_START,
    Checkpoint,
    CheckpointCodec,
    extend_digest,
)
from chronicle._replay._corrections import Corrections
from chronicle._replay._fold import fold_stream
from chronicle._replay._in_force import catch_up, events_in_force, head_known_at
from chronicle._replay._order import AsOf, Key, KnownAt, Policy, as_day, check_policy, instant
from chronicle._replay._signing import fingerprint, signing_key
from chronicle._stores._base import (
    MISSING,
    CheckpointStorage,
    FoldReader,
    KeepsCheckpoints,
    ReadsInFoldOrder,
    Series,
    SeriesHead,
    Store,
)
from chronicle._stores._memory_checkpoints import MemoryCheckpointStorage
from chronicle._stores._memory_fold import MemoryFoldReader

__all__ = ["CheckpointAudit", "Snapshots", "reader_for", "snapshots_of"]

DENSE: Final = 1000
"""By default, a checkpoint in memory every this many events folded."""
BYTES_PER_EVENT: Final = 16
"""By default, each projector's durable checkpoints take about this many bytes per event folded.

A record of the log takes 200 bytes or more (its id, times, stream and event), so
even five projectors whose states grow with the log keep their stored checkpoints
under a fifth of the log's own size."""
PAST_HEADS: Final = 8
"""How many earlier heads of the log (``known_at`` queries) keep checkpoints in memory."""
REACHES: Final = 64
"""How many least event keys of a range of positions a cache remembers (see ``_reach``)."""


class Snapshots:
    """Checkpoints of projector states along a log's fold order, for :func:`~chronicle.replay`.

    Pass it as ``replay(log, projector, snapshots=cache)``: the replay starts from
    the nearest checkpoint that is still exact for its ``as_of``, ``known_at``,
    ``policy`` and ``stream``, reads only the events after it, and leaves new
    checkpoints behind. ``replay(..., snapshots=True)`` uses the log's own cache,
    made on first use with the defaults below.

    Args:
        log: The log whose replays it serves.
        every: None (the default): the cache chooses, holding a checkpoint in
            memory every 1,000 events folded and storing beside the log those
            that about 16 bytes per event folded pay for (a state that grows
            with the log is stored ever more sparsely). An int: a checkpoint
            every this many events folded, each one stored.
        durable: Keep checkpoints beside the log where its store can (a table in
            the same SQLite or PostgreSQL database, a side file of a JSON Lines log),
            states as signed data; otherwise, and for a memory log, keep them in
            memory.

    A cache is a context manager that closes its storage.

    Raises:
        CheckpointError: (from :meth:`replay`) a durable cache is asked to keep the
            state of a projector that the codec cannot encode as its ``state_type``.
    """

    def __init__(self, log: Log, *, every: int | None = None, durable: bool = True) -> None:
        if every is not None and (
            isinstance(every, bool) or not isinstance(every, int) or every < 1
        ):
            raise InvalidArgument(f"every must be None or an int >= 1, not {every!r:.80}")
        self._log = log
        self._every = every
        self._source = reader_for(log)
        self._fixes = Corrections()
        self._storage = _storage_for(log.store) if durable else MemoryCheckpointStorage()
        key = b"" if self._storage.keeps_objects else signing_key()
        self._codec = CheckpointCodec(key)
        self._signer = fingerprint(key) if key else ""
        self._lock = threading.Lock()
        self._verified: set[tuple[int, UUID | None]] = set()
        # Beside a storage of bytes, the checkpoints this process folded or decoded, as objects.
        self._near = None if self._storage.keeps_objects else MemoryCheckpointStorage()
        self._known: dict[Series, SeriesHead] = {}
        self._past: dict[int, MemoryCheckpointStorage] = {}
        self._reaches: dict[tuple[str | None, int, int, UUID | None], Key | None] = {}

    def __repr__(self) -> str:
        every = "" if self._every is None else f", every={self._every}"
        return f"Snapshots({self._log!r}{every})"

    def checkpoints(self, projector: Projector[Any], *, stream: str | None = None) -> list[Key]:
        """The keys of the projector's checkpoints for ``stream`` (all streams if None).

        They are the ones kept at the last replay; an append since may have made
        some of them stale, which the next replay drops.
        """
        with self._lock:
            found = self._storage.load(self._series(projector, stream))
        return [] if found is None else list(found.keys)

    def audit(self, projectors: Sequence[Projector[Any]]) -> CheckpointAudit:
        """Check every stored checkpoint against the naive fold of the log; change nothing else.

        Each series is first brought up to the log's head, as a replay would.
        Then every checkpoint of a projector among ``projectors`` is read back
        (its signature, then its identity, then its state) and compared with
        the state and digest the fold of the log gives at its key. Checkpoints
        signed with another key, or of a projector not given, cannot be checked:
        they are listed as such (replays ignore the first kind).
        """
        known = {(projector.name, projector.version): projector for projector in projectors}
        problems: list[str] = []
        unchecked: list[str] = []
        checked = 0
        with self._lock:
            head, head_id = catch_up(self._source, self._fixes)
            for series in sorted(self._storage.series(), key=repr):
                name, version, stream, signer = series
                where = f"{name} v{version}" + ("" if stream is None else f", stream {stream!r}")
                projector = known.get((name, version))
                if signer != self._signer:
                    count = len(self._stored_keys(series))
                    problems.append(
                        f"{where}: {count} checkpoint(s) signed with another key (written"
                        " elsewhere, or forged): replays ignore them"
                    )
                elif projector is None:
                    unchecked.append(f"{where}: not checked (no such projector given)")
                else:
                    keys = self._settle(self._storage, series, head, head_id)
                    checked += len(keys)
                    problems += self._check_series(projector, series, keys, head, where)
        return CheckpointAudit(checked, tuple(problems), tuple(unchecked))

    def _stored_keys(self, series: Series) -> list[Key]:
        found = self._storage.load(series)
        return [] if found is None else found.keys

    def _check_series(
        self,
        projector: Projector[Any],
        series: Series,
        keys: list[Key],
        head: int,
        where: str,
    ) -> list[str]:
        """What is wrong with a series' checkpoints, against one fold of the log to its head."""
        stream = series[2]
        events = events_in_force(
            self._source, self._fixes, stream, None, day=None, policy="certain", at=head
        )
        state, digest, problems = projector.initial, DIGEST_START, []
        pending: list[Key] = []
        for key in keys:
            while (step := next(events, None)) is not None:
                pending.append(step[0])
                state = projector.apply(state, step[1])
                if step[0] >= key:
                    break
            if pending:
                digest = _extend(self._storage.keeps_objects, digest, pending)
                pending = []
            problem = self._check_one(
                projector, series, head=head, key=key, state=state, digest=digest
            )
            if problem is not None:
                problems.append(f"{where}, checkpoint at {_describe(key)}: {problem}")
        return problems

    def _check_one(
        self,
        projector: Projector[Any],
        series: Series,
        *,
        head: int,
        key: Key,
        state: Any,
        digest: bytes,
    ) -> str | None:
        stored = self._storage.state(series, head, key)
        if stored is MISSING:
            return None
        if not self._storage.keeps_objects and not self._codec.signed(bytes(stored)):
            return "not signed with this machine's key (forged, or damaged): replays ignore it"
        found = self._decode(projector, series[2], key, stored)
        if found is None:
            return "signed, but not this projector's state at this key: replays ignore it"
        if found.state != state:
            return "its state differs from the fold of the log"
        if not self._storage.keeps_objects and found.digest != digest:
            return "it was folded from other events than the log holds"
        return None

    def clear(self) -> None:
        """Drop every checkpoint (replays then start from the initial states)."""
        with self._lock:
            self._storage.clear()
            self._forget()

    def close(self) -> None:
        """Release the storage (a database connection for durable checkpoints)."""
        with self._lock:
            self._storage.close()
            self._forget()

    def _forget(self) -> None:
        """Drop what is held in memory beside the storage."""
        if self._near is not None:
            self._near.clear()
        self._known.clear()
        self._past.clear()

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
            with paused_gc():
                head, head_id = catch_up(self._source, self._fixes)
            at = head_known_at(self._source, head, moment)
            # A checkpoint serves an earlier known_at only if nothing since reaches it;
            # those after what reaches are kept apart, for that known_at alone.
            below = None if at == head else self._reach(stream, at, head, head_id)
            past = None if below is None else self._past_at(at)
            starts = [
                self._start(
                    projector,
                    stream,
                    head=head,
                    head_id=head_id,
                    below=below,
                    past=past,
                    at=at,
                    day=day,
                )
                for projector in projectors
            ]
            begins = [start.key for start in starts]
            known = [key for key in begins if key is not None]
            first = min(known) if len(known) == len(begins) else None
            rest = events_in_force(
                self._source, self._fixes, stream, first, day=day, policy=policy, at=at
            )
            states = [start.state for start in starts]
            digests = None if self._storage.keeps_objects else [s.digest for s in starts]
            # A new checkpoint must cover a whole prefix of the fold (its latest day at
            # or before ``day``, which the events of a "possible" query do not guarantee).
            with paused_gc():
                made = fold_stream(
                    projectors,
                    begins,
                    states,
                    rest,
                    every=self._every or DENSE,
                    keep=lambda key: day is None or key[0] <= day,
                    digests=digests,
                )
            for projector, start, checkpoints in zip(projectors, starts, made, strict=True):
                if checkpoints:
                    self._keep(
                        projector,
                        stream,
                        head=head,
                        below=below,
                        past=(past, at),
                        start=start,
                        checkpoints=checkpoints,
                    )
        return states

    def _keep(
        self,
        projector: Projector[Any],
        stream: str | None,
        *,
        head: int,
        below: Key | None,
        past: tuple[MemoryCheckpointStorage | None, int],
        start: _Start,
        checkpoints: list[tuple[Key, Any, bytes | None]],
    ) -> None:
        """Keep new checkpoints: where every query may use them, or for one known_at alone.

        Those before ``below`` are exact at the log's head. Beside a storage of
        bytes, each is held in memory, and stored (signed) when it is the first
        of its series or when the events folded since the last stored one earn
        its size at :data:`BYTES_PER_EVENT` (every one if ``every`` was given).
        """
        series = self._series(projector, stream)
        exact = [item for item in checkpoints if below is None or item[0] < below]
        if past[0] is not None:
            later = [(k, _Held(s, d or DIGEST_START)) for k, s, d in checkpoints[len(exact) :]]
            past[0].add(series, past[1], later)
        if self._near is None:
            self._store(series, head, [(key, state) for key, state, _ in exact])
            return
        owed, size = start.owed, start.size
        held, stored = [], []
        for key, state, digest in exact:
            owed += self._every or DENSE
            if self._every is not None or owed * BYTES_PER_EVENT >= size:
                data = self._codec.encode(
                    projector, stream, key, Checkpoint(state, digest or DIGEST_START)
                )
                stored.append((key, data))
                owed, size = 0, len(data)
            held.append((key, _Held(state, digest or DIGEST_START, owed, size)))
        self._near.add(series, head, held)
        self._store(series, head, stored)

    def _store(self, series: Series, head: int, checkpoints: list[tuple[Key, Any]]) -> None:
        """Add checkpoints to the storage, and their keys to those known of the series."""
        self._storage.add(series, head, checkpoints)
        known = self._known.get(series)
        if known is not None and known.head == head:
            for key, _ in checkpoints:
                if key not in known.keys:
                    bisect.insort(known.keys, key)

    def _past_at(self, at: int) -> MemoryCheckpointStorage:
        """The checkpoints of the log as it stood at position ``at``, kept for known_at queries."""
        found = self._past.pop(at, None)
        if found is None:
            found = MemoryCheckpointStorage()
            if len(self._past) >= PAST_HEADS:
                del self._past[next(iter(self._past))]
        self._past[at] = found
        return found

    def _series(self, projector: Projector[Any], stream: str | None) -> Series:
        """The series of checkpoints of ``projector`` for ``stream``, signed by this cache's key."""
        return projector.name, projector.version, stream, self._signer

    def _reach(self, stream: str | None, low: int, high: int, high_id: UUID | None) -> Key | None:
        """The least key that a record at a position in ``(low, high]`` changes the fold at.

        ``high_id`` is the id of the record at ``high``. The event records of a
        range of positions never change while the record that ends it is the
        same, so their least key is asked of the reader once per range (an SQL
        reader scans up to the whole range for it): each series moved to a new
        head, and each ``known_at`` query behind the head, asks it again.
        """
        where = (stream, low, high, high_id)
        if where in self._reaches:
            event = self._reaches[where]
        else:
            event = self._source.least_event_key(stream, low, high)
            if len(self._reaches) >= REACHES:
                self._reaches.clear()
            self._reaches[where] = event
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

    def _settle(
        self, storage: CheckpointStorage, series: Series, head: int, head_id: UUID | None
    ) -> list[Key]:
        """Move a series to the log's head, dropping what was appended since reaches."""
        known = self._known.get(series) if storage is self._storage else None
        if known is not None and known.head == head and known.head_id == head_id:
            return known.keys
        keys = self._moved(storage, series, head, head_id)
        if storage is self._storage:
            self._known[series] = SeriesHead(head, head_id, list(keys))
        return keys

    def _moved(
        self, storage: CheckpointStorage, series: Series, head: int, head_id: UUID | None
    ) -> list[Key]:
        found = storage.load(series)
        if found is not None and found.head == head and found.head_id == head_id:
            return found.keys
        if found is None or found.head >= head or not self._same_log(found.head, found.head_id):
            storage.reset(series, head, head_id)
            return []
        below = self._reach(series[2], found.head, head, head_id)
        if not storage.advance(series, found.head, head, head_id, below):
            return []  # another writer of the same storage moved it first
        self._verified.add((head, head_id))
        return found.keys if below is None else found.keys[: bisect.bisect_left(found.keys, below)]

    def _start(
        self,
        projector: Projector[Any],
        stream: str | None,
        *,
        head: int,
        head_id: UUID | None,
        below: Key | None,
        past: MemoryCheckpointStorage | None,
        at: int,
        day: datetime.date | None,
    ) -> _Start:
        """The latest checkpoint the query may use, with its state and digest.

        Checkpoints held in memory come first; a stored one is decoded (and then
        held), or dropped if it cannot be trusted or read. With none, the
        projector's initial state.
        """
        series = self._series(projector, stream)
        tiers: list[tuple[CheckpointStorage, int, list[Key]]] = []
        if past is not None:
            found = past.load(series)
            if found is None:
                past.reset(series, at, None)
            tiers.append((past, at, _usable([] if found is None else found.keys, None, day)))
        for storage in (self._near, self._storage):
            if storage is not None:
                keys = self._settle(storage, series, head, head_id)
                tiers.append((storage, head, _usable(keys, below, day)))
        # Latest key first; at the same key, the tier listed first (one held in memory).
        for key, minus in heapq.merge(
            *([(key, -tier) for key in reversed(keys)] for tier, (_, _, keys) in enumerate(tiers)),
            reverse=True,
        ):
            storage, valid_at, _ = tiers[-minus]
            stored = storage.state(series, valid_at, key)
            if stored is MISSING:
                continue
            if isinstance(stored, _Held):
                return _Start(key, stored.state, stored.digest, stored.owed, stored.size)
            point = self._decode(projector, stream, key, stored)
            if point is None:
                storage.discard(series, key)
                continue
            if self._near is not None:
                size = len(bytes(stored))
                self._near.add(series, head, [(key, _Held(point.state, point.digest, 0, size))])
                return _Start(key, point.state, point.digest, 0, size)
            return _Start(key, point.state, point.digest, 0, 0)
        return _Start(None, projector.initial, DIGEST_START, 0, 0)

    def _decode(
        self, projector: Projector[Any], stream: str | None, key: Key, stored: Any
    ) -> Checkpoint | None:
        """A stored checkpoint, or None if it cannot be trusted or read."""
        if self._storage.keeps_objects:
            return Checkpoint(stored, DIGEST_START)
        return self._codec.decode(projector, stream, key, bytes(stored))


@attrs.frozen
class CheckpointAudit:
    """What :meth:`Snapshots.audit` found.

    Attributes:
        checked: How many checkpoints were read back and compared with the fold.
        problems: Each checkpoint (or series) that cannot be trusted, and why.
        unchecked: Series of projectors not given, which could not be checked.
    """

    checked: int
    problems: tuple[str, ...]
    unchecked: tuple[str, ...]

    @property
    def sound(self) -> bool:
        """Whether no stored checkpoint is forged, unreadable or wrong."""
        return not self.problems


@attrs.frozen
class _Held:
    """A checkpoint held in memory beside a storage of bytes.

    Attributes:
        state: The state itself.
        digest: The digest of the positions folded into it.
        owed: Events folded since the last stored checkpoint of its series.
        size: The bytes of that stored checkpoint.
    """

    state: Any
    digest: bytes
    owed: int = 0
    size: int = 0


@attrs.frozen
class _Start:
    """Where a replay starts for one projector: a checkpoint (or none), as held in memory."""

    key: Key | None
    state: Any
    digest: bytes
    owed: int
    size: int


def _usable(keys: list[Key], below: Key | None, day: datetime.date | None) -> list[Key]:
    """The keys a query may start from: before ``below``, and latest on or before ``day``."""
    stop = len(keys) if below is None else bisect.bisect_left(keys, below)
    if day is not None and day < datetime.date.max:
        stop = min(stop, bisect.bisect_left(keys, (day + datetime.timedelta(days=1),)))
    return keys[:stop]


def _extend(keeps_objects: bool, digest: bytes, keys: list[Key]) -> bytes:
    return digest if keeps_objects else extend_digest(digest, keys)


def _describe(key: Key) -> str:
    latest, earliest, position = key
    day = str(latest) if latest == earliest else f"{earliest}/{latest}"
    return f"{day} (position {position})"


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
