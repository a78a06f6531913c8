"""Items added in position order, and the least of them between two positions."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

__all__ = ["RangeMin"]


class RangeMin:
    """Items added in position order, and the least of them between two positions.

    The items are cut into blocks whose least item is kept, so a query reads at
    most two partial blocks and one least item per block between them.

    Args:
        position: Where an item keeps its position.
    """

    BLOCK = 256

    def __init__(self, position: Callable[[Any], int]) -> None:
        self._position = position
        self._items: list[Any] = []
        self._least: list[Any] = []

    def __len__(self) -> int:
        return len(self._items)

    def append(self, item: Any) -> None:
        """Add an item after all the others (its position is the greatest so far)."""
        if len(self._items) % self.BLOCK:
            self._least[-1] = min(self._least[-1], item)
        else:
            self._least.append(item)
        self._items.append(item)

    def least(self, low: int, high: int) -> Any | None:
        """The least item at a position in ``(low, high]``, or None."""
        items, block = self._items, self.BLOCK
        start = bisect.bisect_right(items, low, key=self._position)
        stop = bisect.bisect_right(items, high, key=self._position)
        if stop - start <= 2 * block:
            return min(items[start:stop], default=None)
        first, last = -(-start // block), stop // block
        return min(
            *items[start : first * block], *self._least[first:last], *items[last * block : stop]
        )
