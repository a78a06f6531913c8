"""Durable checkpoints as data: a state comes back equal, whichever way its JSON is read."""

from __future__ import annotations

import datetime
import json
from typing import Any

import attrs
import pytest
from hypothesis import given

import chronicle.politics
from chronicle import Projector, Vector, replay
from chronicle._replay._checkpoint_codec import DIGEST_START, Checkpoint, CheckpointCodec
from chronicle.testing import chronologies
from chronicle.testing.politics import political_events
from tests.jsonpaths import HAS_ORJSON, PATHS, json_path

KEY = (datetime.date(2020, 8, 18), datetime.date(2020, 8, 18), 7)
CODEC = CheckpointCodec(b"k" * 32)
POLITICS = sorted(chronicle.politics.PROJECTORS.values(), key=lambda p: p.name)


@attrs.frozen
class Tally:
    """A state of integers only: its fast builder reads alike, and orjson reads it first."""

    total: int = 0
    parts: Vector[int] = attrs.field(default=Vector(), converter=Vector)


tallies: Projector[Tally] = Projector("tests.codec.tally", initial=Tally(), state_type=Tally)


def _body(stored: bytes) -> dict[str, Any]:
    return json.loads(stored[32:])


def _signed(document: dict[str, Any]) -> bytes:
    body = json.dumps(document).encode()
    return CODEC._mac(body) + body


@pytest.mark.parametrize("projector", POLITICS, ids=lambda p: p.name)
@given(chronology=chronologies(political_events, max_events=12))
def test_every_politics_state_comes_back_equal_on_both_paths(
    projector: Projector[Any], chronology: Any
) -> None:
    """Written and read through orjson, through json alone, and each read by the other."""
    state = replay(chronology.build(), projector)
    written = {}
    for path in ["orjson", "json"] if HAS_ORJSON else ["json"]:
        with json_path(path):
            written[path] = CODEC.encode(projector, None, KEY, Checkpoint(state, DIGEST_START))
    for path in written:
        for stored in written.values():
            with json_path(path):
                found = CODEC.decode(projector, None, KEY, stored)
            assert found is not None
            assert found.state == state


@pytest.mark.parametrize("path", PATHS)
def test_an_integer_beyond_64_bits_comes_back_an_integer(path: str) -> None:
    """orjson reads 2**70 as a float; the builder refuses it and json reads it again."""
    state = Tally(2**70 + 1, Vector([2**64, -(2**80), 3]))
    with json_path(path):
        stored = CODEC.encode(tallies, None, KEY, Checkpoint(state, DIGEST_START))
        found = CODEC.decode(tallies, None, KEY, stored)
    assert found is not None
    assert found.state == state
    assert type(found.state.total) is int
    assert [type(part) for part in found.state.parts] == [int, int, int]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("field", "value"),
    [("version", 1.0), ("version", True), ("key", ["2020-08-18", "2020-08-18", 7.0])],
)
def test_a_signed_checkpoint_of_another_identity_is_not_read(
    path: str, field: str, value: Any
) -> None:
    """Its projector version or key equal to the one asked for, but not of its JSON type."""
    stored = CODEC.encode(tallies, None, KEY, Checkpoint(Tally(3), DIGEST_START))
    assert CODEC.decode(tallies, None, KEY, stored) is not None
    with json_path(path):
        assert CODEC.decode(tallies, None, KEY, _signed({**_body(stored), field: value})) is None
