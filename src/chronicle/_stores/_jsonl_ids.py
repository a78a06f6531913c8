"""The JSON Lines index's ids: from a record's id to its position, in arrays of machine integers.

A dict from ``UUID`` to position costs some 220 bytes a record (the ``UUID``
object, its integer, the position's integer, the dict's entry): 210 MiB for a
log of a million records. Here each id is kept as its two 64-bit halves, at its
position, and a hash table of positions (open addressing, at most half full)
finds it: 24 to 32 bytes a record.
"""

from __future__ import annotations

from array import array
from uuid import UUID

__all__ = ["IdIndex"]

_LOW = (1 << 64) - 1


class IdIndex:
    """Positions by record id, for records added in position order from 1.

    Read and written as a dict from ``UUID`` to position would be
    (``id in ids``, ``ids[id]``, ``ids.get(id)``, ``ids[id] = position``), but
    the position given must be the next one.
    """

    def __init__(self) -> None:
        self._high = array("Q")
        """Per position (less one): the upper 64 bits of its record's id."""
        self._low = array("Q")
        """Per position (less one): the lower 64 bits of its record's id."""
        self._slots = array("I", bytes(4 * 8))
        """The hash table: a position, or 0 for a free slot (a power of two of them)."""

    def __len__(self) -> int:
        return len(self._high)

    def _slot(self, value: int) -> tuple[int, int]:
        """The slot of the id ``value`` (or the free one where it would go), and its position."""
        slots, high, low = self._slots, self._high, self._low
        mask = len(slots) - 1
        perturb = hash(value) & _LOW
        index = perturb & mask
        upper, lower = value >> 64, value & _LOW
        while True:
            position = slots[index]
            if not position or (high[position - 1] == upper and low[position - 1] == lower):
                return index, position
            perturb >>= 5
            index = (5 * index + 1 + perturb) & mask

    def get(self, record_id: UUID) -> int | None:
        """The position of the record with this id, or None."""
        return self._slot(record_id.int)[1] or None

    def __contains__(self, record_id: UUID) -> bool:
        return bool(self._slot(record_id.int)[1])

    def __getitem__(self, record_id: UUID) -> int:
        position = self._slot(record_id.int)[1]
        if not position:
            raise KeyError(record_id)
        return position

    def __setitem__(self, record_id: UUID, position: int) -> None:
        """Add the id of the record at ``position``, the next one (the id must be new).

        Raises:
            ValueError: ``position`` is not the next one, or the id is there already.
        """
        if position != len(self._high) + 1:
            raise ValueError(f"ids are added in position order: {position} is not the next")
        value = record_id.int
        index, found = self._slot(value)
        if found:
            raise ValueError(f"id {record_id} is already the id of position {found}")
        self._high.append(value >> 64)
        self._low.append(value & _LOW)
        self._slots[index] = position
        if 2 * position > len(self._slots):
            self._grow()

    def add_new(self, record_ids: list[UUID], position: int) -> None:
        """Add the ids of the records from ``position`` on, the next ones (each must be new).

        What ``ids[id] = position`` does for each, in one loop without a call an id:
        an append adds its records' ids so.

        Raises:
            ValueError: ``position`` is not the next one, or an id is there already (the
                ids before it are added).
        """
        if position != len(self._high) + 1:
            raise ValueError(f"ids are added in position order: {position} is not the next")
        high, low, add_high, add_low = self._high, self._low, self._high.append, self._low.append
        for record_id in record_ids:
            value = record_id.int
            slots = self._slots
            mask = len(slots) - 1
            perturb = hash(value) & _LOW
            index = perturb & mask
            upper, lower = value >> 64, value & _LOW
            while found := slots[index]:
                if high[found - 1] == upper and low[found - 1] == lower:
                    raise ValueError(f"id {record_id} is already the id of position {found}")
                perturb >>= 5
                index = (5 * index + 1 + perturb) & mask
            add_high(upper)
            add_low(lower)
            slots[index] = position
            if 2 * position > len(slots):
                self._grow()
            position += 1

    def _grow(self) -> None:
        """Double the hash table, placing every id again."""
        self._slots = array("I", bytes(8 * len(self._slots)))
        high, low = self._high, self._low
        for position in range(1, len(high) + 1):
            index, _ = self._slot(high[position - 1] << 64 | low[position - 1])
            self._slots[index] = position
