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

    def extend(self, items: list[Any]) -> None:
        """Add ``items`` after all the others, in position order: as many :meth:`append` s.

        A block's least item is taken by one ``min`` over the block, not item by item.
        """
        block, least = self.BLOCK, self._least
        start = -len(self._items) % block  # the room left in the last block
        if start and items[:start]:
            least[-1] = min(least[-1], *items[:start])
        least.extend(min(items[first : first + block]) for first in range(start, len(items), block))
        self._items.extend(items)

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
