"""Persistent sequences for states that grow with the log: a new version without a copy.

A handler returns a new state and leaves the one it was given as it was. With
a tuple, adding one item to a state of n items copies the n items, and a
replay that adds an item per event takes time quadratic in the log. The two
types here make a new version in constant time, sharing the items of the old.

- :class:`Vector`: a sequence that grows at its end (every attack, every former
  leader). ``vector.append(item)`` is a new vector; ``vector`` is unchanged.
- :class:`Keyed`: values under keys, in the order they were put, a key at most
  once (the officers held by name, a casualty figure by what it counts).
  ``keyed.put(key, value)`` is a new one where ``key`` holds ``value``, last;
  ``keyed.without(key)`` one without it.

Both are immutable values: equal by value (a :class:`Vector` or a
:class:`Keyed` equals the tuple of its items, and hashes as that tuple does),
hashable when their items are, iterable, indexable, with a length; a slice of
a vector is a vector. The codec stores a vector as an array of its items, a
keyed one as an array of ``[key, value]`` pairs.

How they avoid the copy: the versions made from one another share one Python
list, which only ever grows at its end, and each version knows how many of its
items are its own. Making a version from the newest one appends to the shared
list (constant time, amortized); making one from an older version, whose next
slot is taken, copies that older version's items once into a list of its own,
and the versions made from the copy share it in turn. A fold, which goes from
each state to the next, never copies; a query that folds on from a checkpoint
copies the checkpoint's state once. A slot is taken by appending to the list
and checking that the item landed there, so two threads extending the same
version never share a slot (the second copies).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Hashable, Iterable, Iterator, Sequence
from typing import Any, Final, Generic, TypeVar, overload

__all__ = ["Keyed", "Vector"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


_MASK: Final = (1 << 64) - 1
_PRIME_1: Final = 11400714785074694791
_PRIME_2: Final = 14029467366897019727
_PRIME_5: Final = 2870177450012600261


def _lane(acc: int, item_hash: int) -> int:
    """CPython's tuple hash (xxHash-based) taken one item further."""
    acc = (acc + (item_hash & _MASK) * _PRIME_2) & _MASK
    acc = ((acc << 31) | (acc >> 33)) & _MASK
    return (acc * _PRIME_1) & _MASK


def _finish(acc: int, size: int) -> int:
    """The hash of a tuple of ``size`` items from its accumulator, as CPython finishes it."""
    acc = (acc + (size ^ (_PRIME_5 ^ 3527539))) & _MASK
    if acc == _MASK:
        return 1546275796
    return acc - (1 << 64) if acc >> 63 else acc


def _tuple_hash(items: Iterable[Any]) -> int:
    acc, size = _PRIME_5, 0
    for item in items:
        acc, size = _lane(acc, hash(item)), size + 1
    return _finish(acc, size)


_SAMPLES: Final = ((), ("a", 1, None, -1, 2.5, (3, "b")), tuple(range(-3, 40)))
_INCREMENTAL: Final = all(_tuple_hash(sample) == hash(sample) for sample in _SAMPLES)
"""Whether this interpreter hashes tuples as the steps above do (CPython does), so that a
vector made from a hashed one is hashed from it in constant time."""


_new: Final = object.__new__


class Vector(Sequence[T]):
    """An immutable sequence that grows at its end without copying its items.

    ``Vector()`` is empty; ``Vector(items)`` holds ``items`` in order. Equal to a
    tuple of the same items, and hashed as that tuple is.

    Example::

        attacks = Vector()
        later = attacks.append(attack)  # attacks is still empty
    """

    __slots__ = ("_acc", "_from", "_items", "_size")

    _items: list[T]
    _size: int
    _acc: int | None
    """Once hashed: the tuple hash's accumulator over the items (before the length is
    mixed in), or the hash itself where tuples are hashed otherwise."""
    _from: int | None
    """The accumulator of the vector this one was made from by ``append``, if known then."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._items = list(items)
        self._size = len(self._items)
        self._acc = self._from = None

    def append(self, item: T) -> Vector[T]:
        """A vector of these items and ``item`` after them; this one is unchanged."""
        items, size = self._items, self._size
        if len(items) == size:  # the next slot of the shared list is free: take it
            items.append(item)
        if items[size] is not item:  # a later version, or another thread, took it first
            items = [*items[:size], item]
        made = _new(Vector)
        made._items, made._size, made._acc, made._from = items, size + 1, None, self._acc
        return made

    def __add__(self, other: Vector[T] | tuple[T, ...]) -> Vector[T]:
        """These items, then ``other``'s (a vector or a tuple), as a vector."""
        if not isinstance(other, (Vector, tuple)):
            return NotImplemented
        return Vector(itertools.chain(self, other))

    def __radd__(self, other: tuple[T, ...]) -> Vector[T]:
        """A tuple's items, then these, as a vector."""
        if not isinstance(other, tuple):
            return NotImplemented
        return Vector(itertools.chain(other, self))

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Vector[T]: ...
    def __getitem__(self, index: int | slice) -> T | Vector[T]:
        if isinstance(index, slice):
            return Vector(self._items[: self._size][index])
        size = self._size
        if not -size <= index < size:
            raise IndexError("Vector index out of range")
        return self._items[index if index >= 0 else size + index]

    def __iter__(self) -> Iterator[T]:
        # The shared list may grow while this runs: read this version's items only.
        return itertools.islice(self._items, self._size)

    def __reversed__(self) -> Iterator[T]:
        items = self._items
        return (items[index] for index in range(self._size - 1, -1, -1))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Vector):
            if self._size != other._size:
                return False
            if self._items is other._items:
                return True
            return self._items[: self._size] == other._items[: other._size]
        if isinstance(other, tuple):
            return self._size == len(other) and tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        acc = self._acc
        if acc is None:
            if not _INCREMENTAL:
                acc = hash(tuple(self))
            elif self._from is not None:  # one item past a hashed vector: one step
                acc = _lane(self._from, hash(self._items[self._size - 1]))
            else:
                acc = _PRIME_5
                for item in self:
                    acc = _lane(acc, hash(item))
            self._acc, self._from = acc, None
        return _finish(acc, self._size) if _INCREMENTAL else acc

    def __repr__(self) -> str:
        return f"Vector({self._items[: self._size]!r})"

    def __reduce__(self) -> tuple[type[Vector[T]], tuple[tuple[T, ...]]]:
        # Pickles and deep copies hold this version's items alone, not the shared list.
        return (Vector, (tuple(self),))


class _Gone:
    """The value of a key removed (in the shared list of a :class:`Keyed`)."""

    def __repr__(self) -> str:
        return "<gone>"


_GONE: Final = _Gone()


class Keyed(Sequence[V], Generic[K, V]):
    """Values under keys, in the order they were put: an immutable sequence of the values.

    A key holds one value at most: putting it again replaces its value and moves
    it last. Iterating, indexing and comparing see the values (a ``Keyed`` equals
    the tuple of its values, and hashes as it does); ``get``, ``has`` and
    ``items`` see the keys. A key should follow from its value (an officer's
    name, a figure's region and period), so that equal values mean equal keys.

    ``Keyed()`` is empty; ``Keyed(pairs)`` puts each ``(key, value)`` in turn.

    Example::

        held = Keyed().put(officer.name, officer)
        held.has(officer.name), held.without(officer.name)  # (True, Keyed([]))
    """

    __slots__ = ("_hash", "_ops", "_size", "_tuple", "_where", "_written")

    # Shared by the versions of one lineage: every put and removal in order, as
    # (key, value) or (key, _GONE), and for each key the indices of its writes.
    _ops: list[tuple[K, Any]]
    _where: dict[K, list[int]]
    _written: int  # how many of the shared writes are this version's
    _size: int  # how many keys it holds
    _hash: int | None
    _tuple: tuple[V, ...] | None

    def __init__(self, pairs: Iterable[tuple[K, V]] = ()) -> None:
        values: dict[K, V] = {}
        for key, value in pairs:
            values.pop(key, None)
            values[key] = value
        self._start(list(values.items()))

    def _start(self, pairs: list[tuple[K, Any]]) -> None:
        self._ops = pairs
        self._where = {key: [index] for index, (key, _) in enumerate(pairs)}
        self._written = self._size = len(pairs)
        self._hash = self._tuple = None

    def _next(self, op: tuple[K, Any], size: int) -> Keyed[K, V]:
        """The version after this one's writes and ``op``: sharing them if it can."""
        ops, written = self._ops, self._written
        if written > 2 * size + 16:  # mostly replaced or removed writes: start afresh
            return self._fresh(op)
        if len(ops) != written:  # a later version took the next slot (as in Vector.append)
            return self._fresh(op)
        ops.append(op)
        if ops[written] is not op:
            return self._fresh(op)
        where = self._where
        writes = where.get(op[0])
        if writes is None:
            where[op[0]] = [written]
        else:
            writes.append(written)
        made: Keyed[K, V] = _new(Keyed)
        made._ops, made._where, made._written, made._size = ops, where, written + 1, size
        made._hash = made._tuple = None
        return made

    def _fresh(self, op: tuple[K, Any]) -> Keyed[K, V]:
        """A version with a shared list of its own: this one's pairs, then ``op``."""
        key = op[0]
        pairs = [pair for pair in self.items() if pair[0] != key]
        if op[1] is not _GONE:
            pairs.append(op)
        made: Keyed[K, V] = object.__new__(Keyed)
        made._start(pairs)
        return made

    def _at(self, key: K) -> int:
        """The index of this version's latest write of ``key`` (-1 if none)."""
        writes = self._where.get(key)
        if not writes:
            return -1
        written = self._written
        if writes[-1] < written:
            return writes[-1]
        before = bisect.bisect_left(writes, written)  # how many writes are this version's
        return writes[before - 1] if before else -1

    def get(self, key: K, default: V | None = None) -> V | None:
        """The value of ``key``, or ``default`` if it holds none."""
        at = self._at(key)
        if at < 0:
            return default
        value = self._ops[at][1]
        return default if value is _GONE else value

    def has(self, key: K) -> bool:
        """Whether ``key`` holds a value."""
        writes = self._where.get(key)
        if not writes:
            return False
        # The latest write is this version's unless a later version shares the list.
        at = writes[-1] if writes[-1] < self._written else self._at(key)
        return at >= 0 and self._ops[at][1] is not _GONE

    def put(self, key: K, value: V) -> Keyed[K, V]:
        """A version where ``key`` holds ``value``, last in order; this one is unchanged."""
        return self._next((key, value), self._size if self.has(key) else self._size + 1)

    def without(self, key: K) -> Keyed[K, V]:
        """A version without ``key`` (this very one if it holds no value)."""
        if not self.has(key):
            return self
        return self._next((key, _GONE), self._size - 1)

    def items(self) -> Iterator[tuple[K, V]]:
        """The ``(key, value)`` pairs, in order."""
        ops, where, written = self._ops, self._where, self._written
        for index in range(written):
            key, value = ops[index]
            if value is _GONE:
                continue
            writes = where[key]
            last = writes[-1] if writes[-1] < written else self._at(key)
            if last == index:
                yield key, value

    def keys(self) -> Iterator[K]:
        """The keys, in order."""
        return (key for key, _ in self.items())

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[V]:
        return (value for _, value in self.items())

    @overload
    def __getitem__(self, index: int) -> V: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[V, ...]: ...
    def __getitem__(self, index: int | slice) -> V | tuple[V, ...]:
        if self._tuple is None:
            self._tuple = tuple(self)
        return self._tuple[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Keyed):
            if self._size != other._size:
                return False
            if self._ops is other._ops and self._written == other._written:
                return True
            return all(a == b for a, b in zip(self.items(), other.items(), strict=True))
        if isinstance(other, tuple):
            return self._size == len(other) and tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple(self))
        return self._hash

    def __repr__(self) -> str:
        return f"Keyed({list(self.items())!r})"

    def __reduce__(self) -> tuple[type[Keyed[K, V]], tuple[tuple[tuple[K, V], ...]]]:
        # Pickles and deep copies hold this version's pairs alone, not the shared list.
        return (Keyed, (tuple(self.items()),))
