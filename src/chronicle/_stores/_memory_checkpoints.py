"""Checkpoints kept in memory: for memory logs, and wherever nothing durable can be written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import attrs

from chronicle._stores._base import MISSING, FoldKey, Series, SeriesHead

__all__ = ["MemoryCheckpointStorage"]


@attrs.define
class _Series:
    head: int
    head_id: UUID | None
    states: dict[FoldKey, Any] = attrs.Factory(dict)
    keys: list[FoldKey] = attrs.Factory(list)


class MemoryCheckpointStorage:
    """Checkpoints in a dict: states are kept as they are (immutable), not copied or encoded."""

    keeps_objects = True

    def __init__(self) -> None:
        self._series: dict[Series, _Series] = {}

    def load(self, series: Series) -> SeriesHead | None:
        """The series' head and keys."""
        found = self._series.get(series)
        if found is None:
            return None
        if len(found.keys) != len(found.states):
            found.keys = sorted(found.states)
        return SeriesHead(found.head, found.head_id, found.keys)

    def series(self) -> list[Series]:
        """Every series held."""
        return list(self._series)

    def state(self, series: Series, head: int, key: FoldKey) -> Any:
        """The state at ``key``, or MISSING."""
        found = self._series.get(series)
        if found is None or found.head != head:
            return MISSING
        return found.states.get(key, MISSING)

    def discard(self, series: Series, key: FoldKey) -> None:
        """Forget the checkpoint at ``key``."""
        found = self._series.get(series)
        if found is not None and found.states.pop(key, MISSING) is not MISSING:
            found.keys = sorted(found.states)

    def reset(self, series: Series, head: int, head_id: UUID | None) -> None:
        """Start the series afresh at ``head``."""
        self._series[series] = _Series(head, head_id)

    def advance(
        self, series: Series, old: int, head: int, head_id: UUID | None, below: FoldKey | None
    ) -> bool:
        """Move the series to ``head``, dropping checkpoints at or after ``below``."""
        found = self._series.get(series)
        if found is None or found.head != old:
            return False
        if below is not None:
            kept = {key: state for key, state in found.states.items() if key < below}
            found.states, found.keys = kept, sorted(kept)
        found.head, found.head_id = head, head_id
        return True

    def add(self, series: Series, head: int, checkpoints: Sequence[tuple[FoldKey, Any]]) -> None:
        """Keep the checkpoints if the series is at ``head``."""
        found = self._series.get(series)
        if found is not None and found.head == head:
            found.states.update(checkpoints)

    def clear(self) -> None:
        """Forget every series."""
        self._series.clear()

    def close(self) -> None:
        """Nothing to release."""
