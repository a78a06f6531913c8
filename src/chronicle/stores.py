"""Writing a store: the protocol every store fulfils, and the capabilities it may offer.

A store implements :class:`Store` (seven methods); chronicle's log, replay and
snapshots then work over it. A store may also offer capabilities, each an
explicit protocol that chronicle finds by type: :class:`ReadsInFoldOrder`
(a :class:`FoldReader` over an index of valid time, which may also be
:class:`ReadsEventsOnly`), :class:`KeepsCheckpoints`
(a :class:`CheckpointStorage` beside the log) and :class:`Notifies` (wakes
subscribers on append). What the read path does without each is said in the
documentation's "Writing a store" page.

An append reaches the store as a :class:`Batch`, whose :meth:`Batch.records`
the store calls inside its transaction (it checks the expected version and
settles the record time); the helpers it uses are here too:
:func:`check_expected`, :func:`settle_recorded_at` and :func:`new_records`.
"""

from chronicle._codec import StoredEntry
from chronicle._record import check_expected, new_records, settle_recorded_at
from chronicle._stores._base import (
    MISSING,
    Batch,
    CheckpointStorage,
    EventItem,
    FoldItem,
    FoldKey,
    FoldReader,
    KeepsCheckpoints,
    Notifies,
    ReadsEventsOnly,
    ReadsInFoldOrder,
    Series,
    SeriesHead,
    Store,
    TargetOf,
)
from chronicle._stores._memory_checkpoints import MemoryCheckpointStorage

__all__ = [
    "MISSING",
    "Batch",
    "CheckpointStorage",
    "EventItem",
    "FoldItem",
    "FoldKey",
    "FoldReader",
    "KeepsCheckpoints",
    "MemoryCheckpointStorage",
    "Notifies",
    "ReadsEventsOnly",
    "ReadsInFoldOrder",
    "Series",
    "SeriesHead",
    "Store",
    "StoredEntry",
    "TargetOf",
    "check_expected",
    "new_records",
    "settle_recorded_at",
]
