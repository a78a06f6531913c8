"""The JSON Lines fold-order reader answers every question as the in-memory index does.

Replay through both is checked against the naive fold in ``tests/stores/test_read_path``;
here each of the reader's answers is compared with :class:`MemoryFoldReader`'s on the
same file, with blocks and sorting runs made small so that a small log crosses many
of them, and with the log grown between refreshes; and on files written by hand,
whose lines the reader must place as decoding them would. A replay decodes each
record once.
"""

from __future__ import annotations

import datetime
import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chronicle
from chronicle import (
    Corrected,
    CorruptLog,
    Event,
    JsonlStore,
    Log,
    Projector,
    Retracted,
    replay,
)
from chronicle._stores import _jsonl_fold
from chronicle._stores._memory_fold import MemoryFoldReader
from chronicle.stores import FoldReader, ReadsInFoldOrder
from tests.domain import Counted
from tests.stores.helpers import WHENS, feed, plans
from tests.strategies import FIRST, LAST, stepping_clock

stream_names = st.sampled_from(["mali", "niger", "a\nb"])
days = st.none() | st.dates(FIRST, LAST)


@pytest.fixture(autouse=True, params=["by counting", "in runs"])
def small_blocks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 4 positions; new records sorted by counting, or in runs of 3 (past 2 days)."""
    monkeypatch.setattr(_jsonl_fold, "_BLOCK", 4)
    monkeypatch.setattr(_jsonl_fold, "_CHUNK", 3)
    if request.param == "in runs":
        monkeypatch.setattr(_jsonl_fold, "_DISTINCT", 2)


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


@chronicle.event("test.fold.redated", version=2)
class Redated(Event):
    """An event whose upcaster from version 1 moves its date."""


@chronicle.upcaster("test.fold.redated", from_version=1)
def _redate(data: dict[str, object]) -> dict[str, object]:
    return {**data, "occurred": "2001-02-03"}


def _store_lines(path: Path, count: int) -> list[dict[str, Any]]:
    """The stored forms of ``count`` records the store wrote, in streams with odd names."""
    events = [
        Counted(occurred=WHENS[7 * number % len(WHENS)], amount=number) for number in range(count)
    ]
    with Log(JsonlStore(path, durable=False), clock=stepping_clock()) as log:
        for start in range(0, count, 3):
            log.append(["mali", 'say "hi"', "a\nb"][start // 3 % 3], events[start : start + 3])
    return [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]


def _compact(stored: dict[str, Any]) -> str:
    return json.dumps(stored, ensure_ascii=False, separators=(",", ":"))


_OCCURRED = '"data":{"occurred":"'

HAND_WRITTEN: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("as the store writes it", _compact),
    ("with spaces", json.dumps),
    ("data first", lambda stored: _compact({"data": stored["data"], **stored})),
    (
        "occurred twice in data",
        lambda stored: _compact(stored).replace(_OCCURRED, _OCCURRED + '1999-12-31","occurred":"'),
    ),
    (
        "occurred again, spelled with an escape",
        lambda stored: _compact(stored).replace(
            _OCCURRED, _OCCURRED + '1999-12-31","\\u006fccurred":"'
        ),
    ),
    (
        "data twice",
        lambda stored: _compact(stored)[:-1] + ',"data":{"occurred":"2030-05","amount":7}}',
    ),
    ("type again, unknown", lambda stored: _compact(stored)[:-1] + ',"type":"test.fold.other"}'),
    ("a newer version", lambda stored: _compact({**stored, "v": 9})),
    (
        "an older version, upcast to another date",
        lambda stored: _compact(
            {**stored, "type": "test.fold.redated", "v": 1, "data": {"occurred": "1990"}}
        ),
    ),
    ("an unknown type", lambda stored: _compact({**stored, "type": "test.fold.unknown"})),
]
"""Ways to write a record's line, each with a trap for a reader that looks only at its start."""


def test_hand_written_lines_are_placed_as_decoding_them_places_them(tmp_path: Path) -> None:
    """Every way of writing a line: the reader's answers are those of the index in memory."""
    path = tmp_path / "log.jsonl"
    stored = _store_lines(path, 3 * len(HAND_WRITTEN))
    lines = [
        write(stored[number])
        for number in range(len(stored))
        for _, write in [HAND_WRITTEN[number % len(HAND_WRITTEN)]]
    ]
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    store = JsonlStore(path, durable=False)
    with Log(store) as log:
        ours, theirs = store.fold_reader(), MemoryFoldReader(log)
        ours.refresh()
        theirs.refresh()
        asked = [
            {
                "kind": "events",
                "stream": stream,
                "after": None,
                "latest_max": None,
                "earliest_max": None,
                "head": log.head,
            }
            for stream in (None, "mali", 'say "hi"', "a\nb")
        ]
        assert _answers(ours, asked) == _answers(theirs, asked)
        days = {
            item[2]: item[:2]
            for item in ours.events_after(
                None, None, latest_max=None, earliest_max=None, head=log.head
            )
        }
    assert all(
        days[number + 1] == (datetime.date(2001, 2, 3),) * 2
        for number in range(len(lines))
        if "redated" in lines[number]
    )


def test_a_line_that_does_not_decode_is_refused_naming_it(tmp_path: Path) -> None:
    """A date that is not one, or a payload of the wrong type: CorruptLog naming the line."""
    path = tmp_path / "log.jsonl"
    stored = _store_lines(path, 6)
    for damage, problem in [
        (lambda line: line.replace(_OCCURRED, _OCCURRED + "2020-13"), "occurred"),
        (lambda line: re.sub(r'"amount":-?[0-9]+', '"amount":"x"', line), "cannot decode"),
        (lambda line: line[:-1] + ',"type":"chronicle.retracted"}', "target"),
    ]:
        lines = [_compact(entry) for entry in stored]
        lines[3] = damage(lines[3])
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        with chronicle.open(path) as log:
            with pytest.raises(CorruptLog, match=rf"log\.jsonl, line 4: .*{problem}"):
                list(log.read())
            with pytest.raises(CorruptLog, match=rf"log\.jsonl, line 4: .*{problem}"):
                replay(log, COUNTER)


COUNTER: Projector[int] = Projector("test.fold.counter", initial=0)


@COUNTER.on(Event)
def _count(state: int, _event: Event) -> int:
    return state + 1


def test_a_replay_decodes_each_record_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Placing the log in fold order decodes no record: each is decoded as it is folded."""
    path = tmp_path / "log.jsonl"
    stored = _store_lines(path, 300)
    with Log(
        JsonlStore(path, durable=False),
        clock=stepping_clock(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)),
    ) as log:
        records = list(log.read())
        log.append(records[4].stream, [Retracted(target=records[4].id, reason="wrong")])
        log.append(
            records[5].stream,
            [
                Corrected(
                    target=records[5].id,
                    reason="fixed",
                    replacement=Counted(occurred="2011", amount=1),
                )
            ],
        )
        head = log.head
    decoded: Counter[int] = Counter()
    decode = JsonlStore._decode

    def counted(store: JsonlStore, line: bytes, position: int) -> Any:
        decoded[position] += 1
        return decode(store, line, position)

    monkeypatch.setattr(JsonlStore, "_decode", counted)
    with chronicle.open(path) as log:
        assert len(stored) - 1 == replay(log, COUNTER)
    assert Counter(range(1, head + 1)) == decoded
