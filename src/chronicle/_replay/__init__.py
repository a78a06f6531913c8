"""The read path: fold order, the corrections in force, the fold, and checkpoints.

Layered top-down: :mod:`._api` (replay, history, timeline) uses
:mod:`._checkpoints` (the snapshot cache), which uses :mod:`._in_force` (the
events in force, in fold order) over :mod:`._corrections` (which correction is
in force, decided once) and a :class:`~chronicle.stores.FoldReader` (the
store's own, or an index kept in memory: :mod:`chronicle._stores._memory_fold`),
folding with :mod:`._fold`.
:mod:`._possible` (every state the record allows) and :mod:`._why` (the events
behind a state) read the events in force through :func:`iter_timeline`.
"""

from chronicle._replay._api import history, iter_history, iter_timeline, replay, timeline
from chronicle._replay._checkpoints import CheckpointAudit, Snapshots, snapshots_of
from chronicle._replay._in_force import Occurrence
from chronicle._replay._order import AsOf, KnownAt, Policy
from chronicle._replay._possible import Possibilities, Possibility, possibilities
from chronicle._replay._sources import SourceFilter
from chronicle._replay._why import Why, why

__all__ = [
    "AsOf",
    "CheckpointAudit",
    "KnownAt",
    "Occurrence",
    "Policy",
    "Possibilities",
    "Possibility",
    "Snapshots",
    "SourceFilter",
    "Why",
    "history",
    "iter_history",
    "iter_timeline",
    "possibilities",
    "replay",
    "snapshots_of",
    "timeline",
    "why",
]
