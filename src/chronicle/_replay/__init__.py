"""The read path: fold order, the corrections in force, the fold, and checkpoints.

Layered top-down: :mod:`._api` (replay, history, timeline) uses
:mod:`._checkpoints` (the snapshot cache), which uses :mod:`._in_force` (the
events in force, in fold order) over :mod:`._corrections` (which correction is
in force, decided once) and a :class:`~chronicle.stores.FoldReader` (the
store's own, or :mod:`._memory_reader`'s index), folding with :mod:`._fold`.
"""

from chronicle._replay._api import history, iter_history, iter_timeline, replay, timeline
from chronicle._replay._checkpoints import CheckpointAudit, Snapshots, snapshots_of
from chronicle._replay._in_force import Occurrence
from chronicle._replay._order import AsOf, KnownAt, Policy
from chronicle._replay._sources import SourceFilter

__all__ = [
    "AsOf",
    "CheckpointAudit",
    "KnownAt",
    "Occurrence",
    "Policy",
    "Snapshots",
    "SourceFilter",
    "history",
    "iter_history",
    "iter_timeline",
    "replay",
    "snapshots_of",
    "timeline",
]
