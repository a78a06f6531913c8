"""The JSON Lines index's ids: from a record's id to its position, in arrays of machine integers.

A dict from ``UUID`` to position costs some 220 bytes a record (the ``UUID``
object, its integer, the position's integer, the dict's entry): 210 MiB for a
log of a million records. Here each position keeps a 32-bit hash of its id, and
a hash table of positions (open addressing, at most half full) finds it: 12 to
20 bytes a record. The ids themselves stay in the log: two ids whose hashes are
equal are told apart by reading the one already there from its line, which a
lookup of an id that is there does once, and one of an id that is not there
almost never (one comparison in four billion).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from uuid import UUID

__all__ = ["IdIndex"]

_LOW = (1 << 32) - 1


def _hash(value: int) -> int:
    """A 32-bit hash of an id's integer."""
    folded = hash(value)
    return (folded ^ folded >> 32) & _LOW


class IdIndex:
    """Positions by record id, for records added in position order from 1.

    Read and written as a dict from ``UUID`` to position would be
    (``id in ids``, ``ids[id]``, ``ids.get(id)``, ``ids[id] = position``), but
    the position given must be the next one.

    Args:
        id_at: The id of the record at a position already added (read from its line).
    """

    def __init__(self, id_at: Callable[[int], UUID]) -> None:
        self._id_at = id_at
        self._hashes = array("I")
        """Per position (less one): the hash of its record's id."""
        self._slots = array("I", bytes(4 * 8))
        """The hash table: a position, or 0 for a free slot (a power of two of them)."""

    def __len__(self) -> int:
        return len(self._hashes)

    def _slot(self, record_id: UUID, wanted: int | None = None) -> tuple[int, int]:
        """The slot of ``record_id`` (or the free one where it would go), and its position.

        ``wanted`` is its hash, if the caller has it.
        """
        slots, hashes = self._slots, self._hashes
        mask = len(slots) - 1
        if wanted is None:
            wanted = _hash(record_id.int)
        perturb = wanted
        index = wanted & mask
        while True:
            position = slots[index]
            if not position or (
                hashes[position - 1] == wanted and self._id_at(position) == record_id
            ):
                return index, position
            perturb >>= 5
            index = (5 * index + 1 + perturb) & mask

    def get(self, record_id: UUID) -> int | None:
        """The position of the record with this id, or None."""
        return self._slot(record_id)[1] or None

    def __contains__(self, record_id: UUID) -> bool:
        return bool(self._slot(record_id)[1])

    def __getitem__(self, record_id: UUID) -> int:
        position = self._slot(record_id)[1]
        if not position:
            raise KeyError(record_id)
        return position

    def __setitem__(self, record_id: UUID, position: int) -> None:
        """Add the id of the record at ``position``, the next one (the id must be new).

        Raises:
            ValueError: ``position`` is not the next one, or the id is there already.
        """
        found = self.add(record_id, position)
        if found:
            raise ValueError(f"id {record_id} is already the id of position {found}")

    def add(self, record_id: UUID, position: int) -> int:
        """Add the id of the record at ``position``, the next one, unless it is there.

        Returns:
            0 if it was added, else the position that has the id (nothing is added).

        Raises:
            ValueError: ``position`` is not the next one.
        """
        if position != len(self._hashes) + 1:
            raise ValueError(f"ids are added in position order: {position} is not the next")
        wanted = _hash(record_id.int)
        index, found = self._slot(record_id, wanted)
        if found:
            return found
        self._hashes.append(wanted)
        self._slots[index] = position
        if 2 * position > len(self._slots):
            self._grow()
        return 0

    def extend(self, record_ids: Iterable[UUID]) -> None:
        """Add the ids of the next positions, in order: ``add`` for each, made for appends.

        Raises:
            ValueError: an id is there already (those before it are added).
        """
        slots, hashes, id_at = self._slots, self._hashes, self._id_at
        position = len(hashes)
        for record_id in record_ids:
            position += 1
            wanted = _hash(record_id.int)
            mask = len(slots) - 1
            perturb = wanted
            index = wanted & mask
            while found := slots[index]:
                if hashes[found - 1] == wanted and id_at(found) == record_id:
                    raise ValueError(f"id {record_id} is already the id of position {found}")
                perturb >>= 5
                index = (5 * index + 1 + perturb) & mask
            hashes.append(wanted)
            slots[index] = position
            if 2 * position > len(slots):
                self._grow()
                slots = self._slots

    def _grow(self) -> None:
        """Double the hash table, placing every position again by its hash (no id is read)."""
        slots = self._slots = array("I", bytes(8 * len(self._slots)))
        mask = len(slots) - 1
        for position, wanted in enumerate(self._hashes, start=1):
            perturb = wanted
            index = wanted & mask
            while slots[index]:
                perturb >>= 5
                index = (5 * index + 1 + perturb) & mask
            slots[index] = position
