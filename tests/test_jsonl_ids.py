"""The JSON Lines index's ids answer as a dict from id to position would.

The index keeps a hash of each id, not the id: it reads an id from the log
(here, from a list) only to tell apart two ids whose hashes are equal.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle._stores import _jsonl_ids
from chronicle._stores._jsonl_ids import IdIndex

ids = st.one_of(
    st.uuids(),
    st.integers(0, 300).map(lambda number: uuid.UUID(int=number)),
    st.integers(0, 300).map(lambda number: uuid.UUID(int=number << 64)),
    st.integers(0, 300).map(lambda number: uuid.UUID(int=number << 64 | number)),
)
"""Random ids, and ids that differ in one half only, in a few low bits."""


class Log:
    """The ids of a log's records, as the index reads them from its lines: counted."""

    def __init__(self) -> None:
        self.ids: list[uuid.UUID] = []
        self.reads = 0

    def id_at(self, position: int) -> uuid.UUID:
        assert 1 <= position <= len(self.ids), position
        self.reads += 1
        return self.ids[position - 1]

    def index(self, added: list[uuid.UUID], sizes: list[int] | None = None) -> IdIndex:
        """An index of ``added``, in that order: one at a time, or as appends of ``sizes``."""
        index = IdIndex(self.id_at)
        if sizes is None:
            for position, record_id in enumerate(added, start=1):
                self.ids.append(record_id)
                index[record_id] = position
            return index
        start = 0
        for size in [*sizes, len(added)]:  # the last takes what is left
            chunk = added[start : start + size]
            self.ids.extend(chunk)  # an append's lines are written before they are indexed
            index.extend(chunk)
            start += len(chunk)
        return index


@contextmanager
def hashes(function: Callable[[int], int]) -> Iterator[None]:
    """The index's hash of ids replaced by ``function`` for the block."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_jsonl_ids, "_hash", function)
        yield


def _answers_as_a_dict(
    added: list[uuid.UUID], asked: list[uuid.UUID], sizes: list[int] | None = None
) -> None:
    """Every id added is found at its position; any other is not."""
    index, expected = Log().index(added, sizes), {}
    for position, record_id in enumerate(added, start=1):
        expected[record_id] = position
    assert len(index) == len(added)
    for record_id in [*added, *asked]:
        assert index.get(record_id) == expected.get(record_id)
        assert (record_id in index) == (record_id in expected)
        if record_id in expected:
            assert index[record_id] == expected[record_id]
        else:
            with pytest.raises(KeyError):
                index[record_id]


@given(added=st.lists(ids, unique=True, max_size=200), asked=st.lists(ids, max_size=50))
def test_it_finds_what_a_dict_finds(added: list[uuid.UUID], asked: list[uuid.UUID]) -> None:
    """Every id added is found at its position; any other is not."""
    _answers_as_a_dict(added, asked)


sizes = st.none() | st.lists(st.integers(0, 70), max_size=6)
"""Ids added one at a time (None), or by ``extend`` in appends of these sizes."""


@given(
    added=st.lists(ids, unique=True, max_size=200), asked=st.lists(ids, max_size=50), sizes=sizes
)
def test_appends_find_what_a_dict_finds(
    added: list[uuid.UUID], asked: list[uuid.UUID], sizes: list[int] | None
) -> None:
    """Ids added by appends of any size answer as ids added one at a time."""
    _answers_as_a_dict(added, asked, sizes)


@given(
    added=st.lists(ids, unique=True, max_size=60),
    asked=st.lists(ids, max_size=20),
    buckets=st.integers(1, 4),
    sizes=sizes,
)
def test_ids_whose_hashes_are_equal_are_told_apart(
    added: list[uuid.UUID], asked: list[uuid.UUID], buckets: int, sizes: list[int] | None
) -> None:
    """With a hash that takes a few values, every id still answers as in a dict."""
    with hashes(lambda value: value % buckets):
        _answers_as_a_dict(added, asked, sizes)


@given(
    added=st.lists(ids, min_size=1, unique=True, max_size=40),
    data=st.data(),
    buckets=st.integers(1, 4) | st.none(),
)
def test_an_append_of_an_id_already_there_is_refused(
    added: list[uuid.UUID], data: st.DataObject, buckets: int | None
) -> None:
    """``extend`` refuses an id that is there, naming its position; the ids before it stay."""
    with hashes(_jsonl_ids._hash if buckets is None else lambda value: value % buckets):
        log = Log()
        index = log.index(added)
        fresh = data.draw(st.lists(ids.filter(lambda i: i not in added), unique=True, max_size=5))
        again = data.draw(st.sampled_from(added))
        log.ids.extend([*fresh, again])
        where = added.index(again) + 1
        with pytest.raises(ValueError, match=f"already the id of position {where}"):
            index.extend([*fresh, again])
        assert len(index) == len(added) + len(fresh)
        assert [index[record_id] for record_id in fresh] == list(
            range(len(added) + 1, len(added) + len(fresh) + 1)
        )


def test_an_id_is_read_from_the_log_only_when_hashes_are_equal() -> None:
    """Finding an id reads one id from the log; an id that is not there, none."""
    log = Log()
    added = [uuid.UUID(int=number * 7919 << 64 | number) for number in range(1, 2_000)]
    index = log.index(added)
    log.reads = 0
    assert [index[record_id] for record_id in added[::10]] == list(range(1, 2_000, 10))
    assert len(added[::10]) == log.reads
    log.reads = 0
    assert not any(uuid.UUID(int=number) in index for number in range(3_000, 4_000))
    assert 0 == log.reads


@given(added=st.lists(ids, min_size=1, unique=True, max_size=40), data=st.data())
def test_an_id_is_added_once_and_in_position_order(
    added: list[uuid.UUID], data: st.DataObject
) -> None:
    """A second position for an id, or a position out of order, is refused, changing nothing."""
    index = Log().index(added)
    again = data.draw(st.sampled_from(added))
    with pytest.raises(ValueError, match="already the id of position"):
        index[again] = len(added) + 1
    with pytest.raises(ValueError, match="not the next"):
        index[uuid.uuid4()] = len(added) + 2
    assert len(index) == len(added)
    assert index[again] == added.index(again) + 1
