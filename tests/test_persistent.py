"""Vector and Keyed: persistent sequences, equal to their tuples, stored strictly by the codec."""

from __future__ import annotations

import copy
import json
import pickle
import threading
from typing import Any

import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle import CorruptLog, Keyed, Vector, _persistent
from chronicle._codec import converter, parse_json

# A program: each step picks an earlier version (by a number taken modulo how many
# there are) and makes a new one from it, so that versions branch as well as grow.
steps = st.lists(st.tuples(st.integers(0, 10**6), st.integers(-5, 5)), max_size=60)


@given(steps)
def test_a_vector_is_the_list_it_was_made_as(program: list[tuple[int, int]]) -> None:
    versions: list[tuple[Vector[int], list[int]]] = [(Vector(), [])]
    for pick, item in program:
        vector, model = versions[pick % len(versions)]
        versions.append((vector.append(item), [*model, item]))
    for vector, model in versions:  # every version still holds what it was made with
        assert list(vector) == model
        assert vector == tuple(model)
        assert hash(vector) == hash(tuple(model))
        assert len(vector) == len(model)
        assert list(reversed(vector)) == model[::-1]
        assert [vector[i] for i in range(-len(model), len(model))] == model + model
        assert vector[1:-1] == tuple(model[1:-1])


hashable = st.none() | st.integers() | st.text(max_size=3) | st.floats(allow_nan=False)
hashable_items = hashable | st.tuples(hashable, hashable)


@pytest.mark.parametrize("incremental", [True, False])
@given(program=st.lists(st.tuples(st.integers(0, 10**6), hashable_items, st.booleans())))
def test_a_vector_hashes_as_its_tuple_whenever_it_is_hashed(
    incremental: bool, program: list[tuple[int, Any, bool]]
) -> None:
    """Hashed before or after the versions made from it: always its tuple's hash."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_persistent, "_INCREMENTAL", incremental)
        versions: list[tuple[Vector[Any], tuple[Any, ...]]] = [(Vector(), ())]
        for pick, item, hash_now in program:
            vector, model = versions[pick % len(versions)]
            made = vector.append(item)
            if hash_now:
                assert hash(made) == hash((*model, item))
            versions.append((made, (*model, item)))
        assert [hash(model) for _, model in versions] == [hash(vector) for vector, _ in versions]


def test_this_interpreter_hashes_a_grown_vector_in_one_step() -> None:
    """On CPython a vector made from a hashed one is hashed from its accumulator."""
    assert _persistent._INCREMENTAL
    big = Vector(range(10_000))
    hash(big)
    grown = big.append(-1)
    assert grown._from is not None
    assert hash(grown) == hash((*range(10_000), -1))


def test_a_vector_refuses_an_index_it_does_not_have() -> None:
    grown = Vector([1, 2, 3]).append(4)
    shorter = Vector([1, 2, 3])
    with pytest.raises(IndexError):
        _ = shorter[3]
    with pytest.raises(IndexError):
        _ = grown[-5]


def test_appending_to_the_newest_vector_shares_its_items() -> None:
    first = Vector([1])
    second = first.append(2)
    third = second.append(3)
    assert first._items is second._items is third._items
    other = second.append(4)  # second's next slot is taken: this one copies once
    assert other._items is not third._items
    assert (first, second, third, other) == ((1,), (1, 2), (1, 2, 3), (1, 2, 4))


def test_a_vector_adds_as_a_tuple_does() -> None:
    assert Vector([1]) + (2,) == (1, 2)  # noqa: RUF005 -- the concatenation is what is tested
    assert (0,) + Vector([1]) == (0, 1)  # noqa: RUF005
    assert isinstance((0,) + Vector([1]), Vector)  # noqa: RUF005
    assert Vector([1]) + Vector([2]) == Vector([1, 2])


def test_threads_appending_to_one_vector_each_get_their_own() -> None:
    base = Vector(range(10)).append(10)
    made: dict[int, Vector[int]] = {}

    def append(item: int) -> None:
        for _ in range(200):
            made[item] = base.append(item)

    threads = [threading.Thread(target=append, args=(item,)) for item in range(100, 108)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(vector == (*range(11), item) for item, vector in made.items())
    assert base == tuple(range(11))


class _Raced(list[Any]):
    """A shared list where another thread appends between a version's check and its own append."""

    def append(self, item: Any) -> None:
        super().append(("another thread's", item))
        super().append(item)


def test_a_vector_whose_slot_another_thread_took_gets_items_of_its_own() -> None:
    base = Vector([1, 2])
    base._items = _Raced(base._items)  # the race, made to happen
    made = base.append(3)
    assert made == (1, 2, 3)
    assert type(made._items) is list  # its own, not the shared one
    assert base == (1, 2)


def test_a_keyed_whose_slot_another_thread_took_gets_writes_of_its_own() -> None:
    base = Keyed([("a", 1)])
    base._ops = _Raced(base._ops)  # the race, made to happen
    put, removed = base.put("b", 2), base.without("a")
    assert list(put.items()) == [("a", 1), ("b", 2)]
    assert list(removed.items()) == []
    assert list(base.items()) == [("a", 1)]
    assert not base.has("b")


keyed_steps = st.lists(
    st.tuples(st.integers(0, 10**6), st.sampled_from("abcdefg"), st.integers(0, 3) | st.none()),
    max_size=80,
)


def _put(model: dict[str, int], key: str, value: int | None) -> dict[str, int]:
    """The model of a Keyed: a dict in order; None removes the key."""
    rest = {k: v for k, v in model.items() if k != key}
    return rest if value is None else {**rest, key: value}


@given(keyed_steps)
def test_a_keyed_is_the_ordered_dict_it_was_made_as(
    program: list[tuple[int, str, int | None]],
) -> None:
    versions: list[tuple[Keyed[str, int], dict[str, int]]] = [(Keyed(), {})]
    for pick, key, value in program:
        keyed, model = versions[pick % len(versions)]
        made = keyed.without(key) if value is None else keyed.put(key, value)
        versions.append((made, _put(model, key, value)))
    for keyed, model in versions:
        assert list(keyed.items()) == list(model.items())
        assert list(keyed.keys()) == list(model)
        assert keyed == tuple(model.values())
        assert keyed == Keyed(model.items())
        assert hash(keyed) == hash(tuple(model.values()))
        assert len(keyed) == len(model)
        assert [keyed[i] for i in range(len(model))] == list(model.values())
        for key in "abcdefgh":
            assert keyed.has(key) == (key in model)
            assert keyed.get(key) == model.get(key)


def test_removing_a_key_a_keyed_does_not_hold_changes_nothing() -> None:
    keyed = Keyed([("a", 1)])
    assert keyed.without("b") is keyed


def test_a_keyed_made_of_pairs_keeps_the_last_value_of_a_key_last() -> None:
    assert list(Keyed([("a", 1), ("b", 2), ("a", 3)]).items()) == [("b", 2), ("a", 3)]


@given(st.lists(st.integers()), st.lists(st.tuples(st.text(max_size=3), st.integers())))
def test_copies_and_pickles_keep_the_value(items: list[int], pairs: list[tuple[str, int]]) -> None:
    vector, keyed = Vector(items), Keyed(pairs)
    for value in (vector, keyed):
        assert copy.deepcopy(value) == value
        assert pickle.loads(pickle.dumps(value)) == value
    # A copy holds its own items: growing the original does not reach it.
    copied = copy.deepcopy(vector)
    vector.append(1)
    assert copied._items == items


def _round_trip(value: Any, kind: Any) -> Any:
    stored = converter.unstructure(value, kind)
    return converter.structure(parse_json(json.dumps(stored)), kind)


@given(st.lists(st.integers()), st.lists(st.tuples(st.text(max_size=3), st.integers())))
def test_the_codec_stores_them_as_arrays(items: list[int], pairs: list[tuple[str, int]]) -> None:
    vector, keyed = Vector(items), Keyed(pairs)
    assert converter.unstructure(vector, Vector[int]) == items
    assert converter.unstructure(keyed, Keyed[str, int]) == [list(p) for p in keyed.items()]
    assert _round_trip(vector, Vector[int]) == vector
    back = _round_trip(keyed, Keyed[str, int])
    assert list(back.items()) == list(keyed.items())


@pytest.mark.parametrize(
    ("stored", "kind", "expected"),
    [
        ({"a": 1}, Vector[int], "an array"),
        ("12", Vector[int], "an array"),
        ([1, "2"], Vector[int], "an integer"),
        ([1, True], Vector[int], "an integer"),
        ({"a": 1}, Keyed[str, int], "an array"),
        ([["a"]], Keyed[str, int], "array of 2 items"),
        ([["a", "1"]], Keyed[str, int], "an integer"),
        ([[1, 1]], Keyed[str, int], "a string"),
        ([["a", 1], ["a", 2]], Keyed[str, int], "without repeated keys"),
    ],
)
def test_the_codec_refuses_what_it_does_not_write(stored: Any, kind: Any, expected: str) -> None:
    with pytest.raises((CorruptLog, cattrs.BaseValidationError)) as raised:
        converter.structure(stored, kind)
    found, errors = [], [raised.value]
    while errors:  # cattrs groups the refusals of items, at any depth
        error = errors.pop()
        found.append(error)
        errors.extend(getattr(error, "exceptions", []))
    assert any(isinstance(e, CorruptLog) and expected in str(e) for e in found), found
