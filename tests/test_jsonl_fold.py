"""The JSON Lines fold-order reader answers every question as the in-memory index does.

Replay through both is checked against the naive fold in ``tests/stores/test_read_path``;
here each of the reader's answers is compared with :class:`MemoryFoldReader`'s on the
same file, with blocks and sorting runs made small so that a small log crosses many
of them, and with the log grown between refreshes.
"""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle import JsonlStore, Log
from chronicle._replay._memory_reader import MemoryFoldReader
from chronicle._stores import _jsonl_fold
from chronicle.stores import FoldReader, ReadsInFoldOrder
from tests.stores.helpers import feed, plans
from tests.strategies import FIRST, LAST, stepping_clock

stream_names = st.sampled_from(["mali", "niger", "a\nb"])
days = st.none() | st.dates(FIRST, LAST)


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 4 positions, and runs of 3 sorted at a time."""
    monkeypatch.setattr(_jsonl_fold, "_BLOCK", 4)
    monkeypatch.setattr(_jsonl_fold, "_CHUNK", 3)


def _answers(reader: FoldReader, questions: list[dict[str, Any]]) -> list[Any]:
    """What ``reader`` says to each question."""
    said: list[Any] = [reader.head()]
    for question in questions:
        kind = question["kind"]
        if kind == "events":
            said.append(
                [
                    (*item[:3], item[3].id)
                    for item in reader.events_after(
                        question["stream"],
                        question["after"],
                        latest_max=question["latest_max"],
                        earliest_max=question["earliest_max"],
                        head=question["head"],
                    )
                ]
            )
        elif kind == "least":
            said.append(
                reader.least_event_key(question["stream"], question["low"], question["high"])
            )
        elif kind == "fixes":
            said.append(
                [
                    (record.id, target)
                    for record, target in reader.corrections(*question["range"], question["stream"])
                ]
            )
        else:
            said.append(reader.head_at(question["known_at"]))
    return said


@st.composite
def questions(draw: st.DrawFn, head: int) -> list[dict[str, Any]]:
    """Questions a replay may ask of a log ``head`` records long."""
    asked: list[dict[str, Any]] = []
    positions = st.integers(0, head + 2)
    streams = st.none() | stream_names | st.just("nowhere")
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["events", "least", "fixes", "time"]))
        if kind == "events":
            after = draw(
                st.none()
                | st.tuples(days.filter(bool), days.filter(bool), positions)
                | st.tuples(days.filter(bool), st.just(datetime.date.max), st.just(2**62))
            )
            if after is not None and after[1] < after[0]:
                after = (after[0], after[0], after[2])
            asked.append(
                {
                    "kind": kind,
                    "stream": draw(streams),
                    "after": after,
                    "latest_max": draw(days),
                    "earliest_max": draw(days),
                    "head": draw(positions),
                }
            )
        elif kind == "least":
            low, high = sorted(draw(st.tuples(positions, positions)))
            asked.append({"kind": kind, "stream": draw(streams), "low": low, "high": high})
        elif kind == "fixes":
            low_high = sorted(draw(st.tuples(positions, positions)))
            asked.append({"kind": kind, "range": low_high, "stream": draw(streams)})
        else:
            start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
            hours = draw(st.integers(-1, 2 * head + 2))
            asked.append({"kind": kind, "known_at": start + datetime.timedelta(hours=hours)})
    return asked


@settings(max_examples=60, deadline=None)
@given(
    growth=st.lists(st.tuples(stream_names, plans(max_steps=4)), min_size=1, max_size=4),
    data=st.data(),
)
def test_it_answers_as_the_index_in_memory(growth: list[Any], data: st.DataObject) -> None:
    """Each answer equals MemoryFoldReader's, after each growth of the log."""
    with tempfile.TemporaryDirectory() as directory:
        store = JsonlStore(Path(directory) / "log.jsonl", durable=False)
        with Log(store, clock=stepping_clock()) as log:
            assert isinstance(store, ReadsInFoldOrder)
            ours, theirs = store.fold_reader(), MemoryFoldReader(log)
            for stream, plan in growth:
                feed(log, plan, stream)
                ours.refresh()
                theirs.refresh()
                asked = data.draw(questions(log.head))
                assert _answers(ours, asked) == _answers(theirs, asked)


@settings(max_examples=25, deadline=None)
@given(growth=st.lists(st.tuples(stream_names, plans(max_steps=6)), min_size=2, max_size=5))
def test_the_least_key_of_every_range_is_the_index_s(growth: list[Any]) -> None:
    """least_event_key over every range of positions, every stream: as MemoryFoldReader's."""
    with tempfile.TemporaryDirectory() as directory:
        store = JsonlStore(Path(directory) / "log.jsonl", durable=False)
        with Log(store, clock=stepping_clock()) as log:
            for stream, plan in growth:
                feed(log, plan, stream)
            ours, theirs = store.fold_reader(), MemoryFoldReader(log)
            ours.refresh()
            theirs.refresh()
            for stream in (None, "mali", "niger", "a\nb", "nowhere"):
                for low in range(log.head + 1):
                    for high in range(low, log.head + 2):
                        expected = theirs.least_event_key(stream, low, high)
                        assert ours.least_event_key(stream, low, high) == expected
