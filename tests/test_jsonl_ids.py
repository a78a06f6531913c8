"""The JSON Lines index's ids answer as a dict from id to position would."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle._stores._jsonl_ids import IdIndex

ids = st.one_of(
    st.uuids(),
    st.integers(0, 300).map(lambda number: uuid.UUID(int=number)),
    st.integers(0, 300).map(lambda number: uuid.UUID(int=number << 64)),
    st.integers(0, 300).map(lambda number: uuid.UUID(int=number << 64 | number)),
)
"""Random ids, and ids that differ in one half only, in a few low bits."""


@given(added=st.lists(ids, unique=True, max_size=200), asked=st.lists(ids, max_size=50))
def test_it_finds_what_a_dict_finds(added: list[uuid.UUID], asked: list[uuid.UUID]) -> None:
    """Every id added is found at its position; any other is not."""
    index, expected = IdIndex(), {}
    for position, record_id in enumerate(added, start=1):
        index[record_id] = position
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


@given(added=st.lists(ids, min_size=1, unique=True, max_size=40), data=st.data())
def test_an_id_is_added_once_and_in_position_order(
    added: list[uuid.UUID], data: st.DataObject
) -> None:
    """A second position for an id, or a position out of order, is refused, changing nothing."""
    index = IdIndex()
    for position, record_id in enumerate(added, start=1):
        index[record_id] = position
    again = data.draw(st.sampled_from(added))
    with pytest.raises(ValueError, match="already the id of position"):
        index[again] = len(added) + 1
    with pytest.raises(ValueError, match="not the next"):
        index[uuid.uuid4()] = len(added) + 2
    assert len(index) == len(added)
    assert index[again] == added.index(again) + 1


@given(
    batches=st.lists(st.lists(ids, max_size=40), max_size=8).filter(
        lambda batches: (
            len({i for batch in batches for i in batch}) == sum(len(batch) for batch in batches)
        )
    ),
    asked=st.lists(ids, max_size=30),
)
def test_adding_new_ids_at_once_is_adding_them_one_by_one(
    batches: list[list[uuid.UUID]], asked: list[uuid.UUID]
) -> None:
    """add_new of an append's ids answers as setting each would (the table grows between)."""
    at_once, one_by_one = IdIndex(), IdIndex()
    position = 1
    for batch in batches:
        at_once.add_new(batch, position)
        for record_id in batch:
            one_by_one[record_id] = position
            position += 1
    assert len(at_once) == len(one_by_one)
    for record_id in [i for batch in batches for i in batch] + asked:
        assert at_once.get(record_id) == one_by_one.get(record_id)


def test_add_new_refuses_a_repeated_id_or_a_position_out_of_order() -> None:
    """An id already there, or a first position that is not the next, is a ValueError."""
    index = IdIndex()
    first = uuid.UUID(int=1)
    index.add_new([first], 1)
    with pytest.raises(ValueError, match="already the id of position 1"):
        index.add_new([uuid.UUID(int=2), first], 2)
    with pytest.raises(ValueError, match="not the next"):
        index.add_new([uuid.UUID(int=9)], 7)
