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
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self
from uuid import UUID

import attrs

from chronicle._errors import InvalidArgument
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
from chronicle._replay._in_force import catch_up, events_in_force
from chronicle._replay._memory_reader import MemoryFoldReader
from chronicle._replay._order import AsOf, Key, KnownAt, Policy, as_day, check_policy, instant
from chronicle._replay._signing import fingerprint, signing_key
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

__all__ = ["CheckpointAudit", "Snapshots", "reader_for", "snapshots_of"]


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
            states as signed data; otherwise, and for a memory log, keep them in
            memory.

    A cache is a context manager that closes its storage.

    Raises:
        CheckpointError: (from :meth:`replay`) a durable cache is asked to keep the
            state of a projector that the codec cannot encode as its ``state_type``.
    """

    def __init__(self, log: Log, *, every: int = 1000, durable: bool = True) -> None:
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise InvalidArgument(f"every must be an int >= 1, not {every!r:.80}")
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

    def __repr__(self) -> str:
        return f"Snapshots({self._log!r}, every={self._every})"

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
                    keys = self._settle(series, head, head_id)
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
            series = [self._series(projector, stream) for projector in projectors]
            keys = [self._settle(one, head, head_id) for one in series]
            # A checkpoint serves an earlier known_at only if nothing since reaches it.
            below = None if at == head else self._reach(stream, at, head)
            starts = [
                self._start(projector, one, found, head=head, below=below, day=day)
                for projector, one, found in zip(projectors, series, keys, strict=True)
            ]
            begins = [key for key, _, _ in starts]
            known = [key for key in begins if key is not None]
            first = min(known) if len(known) == len(begins) else None
            rest = events_in_force(
                self._source, self._fixes, stream, first, day=day, policy=policy, at=at
            )
            states = [state for _, state, _ in starts]
            digests = None if self._storage.keeps_objects else [d for _, _, d in starts]
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
                digests=digests,
            )
            for projector, one, checkpoints in zip(projectors, series, made, strict=True):
                if checkpoints:
                    kept = [
                        (key, self._encode(projector, stream, key, state, digest))
                        for key, state, digest in checkpoints
                    ]
                    self._storage.add(one, head, kept)
        return states

    def _series(self, projector: Projector[Any], stream: str | None) -> Series:
        """The series of checkpoints of ``projector`` for ``stream``, signed by this cache's key."""
        return projector.name, projector.version, stream, self._signer

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
    ) -> tuple[Key | None, Any, bytes]:
        """The latest checkpoint of a series the query may use, its state and digest.

        With none (or none that loads), the projector's initial state. A stored
        checkpoint that cannot be trusted or read is dropped.
        """
        stop = len(keys) if below is None else bisect.bisect_left(keys, below)
        if day is not None and day < datetime.date.max:
            stop = min(stop, bisect.bisect_left(keys, (day + datetime.timedelta(days=1),)))
        for key in reversed(keys[:stop]):
            stored = self._storage.state(series, head, key)
            if stored is MISSING:
                continue
            found = self._decode(projector, series[2], key, stored)
            if found is not None:
                return key, found.state, found.digest
            self._storage.discard(series, key)
        return None, projector.initial, DIGEST_START

    def _encode(
        self, projector: Projector[Any], stream: str | None, key: Key, state: Any, digest: Any
    ) -> Any:
        """A state as the storage keeps it: the object in memory, signed data beside a log."""
        if self._storage.keeps_objects:
            return state
        return self._codec.encode(projector, stream, key, Checkpoint(state, digest))

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
