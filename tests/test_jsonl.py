"""The JSON Lines store: its format, torn tails and repair, damaged lines, unusable files."""

from __future__ import annotations

import datetime
import itertools
import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import (
    CorruptLog,
    JsonlStore,
    Log,
    MemoryStore,
    RepairReport,
    StoreError,
    TornTail,
)
from chronicle._codec import record_to_dict
from chronicle._stores import _jsonl_index
from tests.domain import Counted
from tests.stores.helpers import shared_directory, snapshot, unprivileged
from tests.strategies import stepping_clock

NUMBERS = itertools.count(1)


def counted(amount: int = 1) -> Counted:
    return Counted(occurred="2020-01-01", amount=amount)


def line(record: chronicle.Record) -> bytes:
    """The line the format specifies for a record."""
    text = json.dumps(record_to_dict(record), ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode()


def written(path: Path, *batches: list[Counted]) -> list[chronicle.Record]:
    """Append the batches to a JSON Lines log at ``path``; their records."""
    log = Log(JsonlStore(path, durable=False), clock=stepping_clock())
    with log:
        return [record for batch in batches for record in log.append("s", batch)]


class TestFormat:
    def test_one_record_a_line_as_the_codec_writes_it(self, tmp_path: Path) -> None:
        """Each line is a record's stored form, compact UTF-8 JSON, text as it is."""
        path = tmp_path / "log.jsonl"
        log = Log(JsonlStore(path))
        records = log.append("mali", [Counted(occurred="2020", amount=1)])
        records += log.append("côte d'ivoire", [Counted(occurred="2021-03", amount=2)])
        log.close()
        assert b"".join(line(r) for r in records) == path.read_bytes()
        assert "côte d'ivoire" in path.read_text(encoding="utf-8")

    def test_a_hand_written_file_opens(self, tmp_path: Path) -> None:
        """A file written line by line from records' stored forms is a log."""
        log = Log(MemoryStore(), clock=stepping_clock())
        records = log.append("s", [counted(1), counted(2)]) + log.append("t", [counted(3)])
        path = tmp_path / "hand.jsonl"
        path.write_bytes(b"".join(line(r) for r in records))
        with chronicle.open(path) as opened:
            assert records == list(opened.read())

    def test_a_last_line_without_its_newline_is_a_record(self, tmp_path: Path) -> None:
        """A whole last record missing only its newline is read, and appends go after it."""
        path = tmp_path / "log.jsonl"
        records = written(path, [counted(1), counted(2)])
        path.write_bytes(path.read_bytes().rstrip(b"\n"))
        store = JsonlStore(path, durable=False)
        assert (records, None) == (list(store.read()), store.torn)
        (more,) = Log(store).append("s", [counted(3)], expected_version=2)
        assert [*records, more] == list(JsonlStore(path).read())
        assert b"".join(line(r) for r in [*records, more]) == path.read_bytes()

    def test_an_empty_file_is_an_empty_log(self, tmp_path: Path) -> None:
        """A 0-byte file is a log with no records; a missing file is created empty."""
        (tmp_path / "empty.jsonl").touch()
        store = JsonlStore(tmp_path / "empty.jsonl")
        assert ([], (0, None)) == (list(store.read()), store.head())
        JsonlStore(tmp_path / "new.jsonl")
        assert b"" == (tmp_path / "new.jsonl").read_bytes()

    def test_durable_appends_are_synced(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With durable=True (the default) an append fsyncs the file; with False it does not."""
        synced: list[int] = []
        real = os.fsync
        monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
        durable = JsonlStore(tmp_path / "durable.jsonl")
        Log(durable).append("s", [counted()])
        assert durable._fd in synced
        synced.clear()
        Log(JsonlStore(tmp_path / "fast.jsonl", durable=False)).append("s", [counted()])
        assert [] == synced


class TestTornTail:
    def test_a_torn_last_line_is_reported_and_blocks_appends(self, tmp_path: Path) -> None:
        """The intact records read; an append raises TornTail naming the file and line."""
        path = tmp_path / "log.jsonl"
        records = written(path, [counted(1)], [counted(2)])
        with path.open("ab") as file:
            file.write(b'{"position":3,"stream":"s","ver')
        before = path.read_bytes()
        store = JsonlStore(path)
        assert records == list(store.read())
        assert (3, len(before) - 31, 31) == (store.torn.line, store.torn.offset, store.torn.size)
        with pytest.raises(TornTail, match=r"log\.jsonl: line 3 .*chronicle\.repair") as raised:
            Log(store).append("s", [counted(3)])
        assert (str(path), 3) == (raised.value.path, raised.value.line)
        assert before == path.read_bytes()

    def test_repair_moves_the_torn_bytes_to_a_side_file(self, tmp_path: Path) -> None:
        """repair() keeps the torn bytes in a side file, cuts the log, and appends go on."""
        path = tmp_path / "log.jsonl"
        records = written(path, [counted(1)], [counted(2)])
        intact = path.read_bytes()
        with path.open("ab") as file:
            file.write(b'{"position":3,"str')
        report = chronicle.repair(path)
        assert report.moved_to is not None
        assert RepairReport(path, report.moved_to, 3, len(intact), 18) == report
        assert report.repaired
        assert b'{"position":3,"str' == report.moved_to.read_bytes()
        assert report.moved_to.name.startswith("log.jsonl.torn-")
        assert intact == path.read_bytes()
        with chronicle.open(path) as log:
            log.append("s", [counted(3)])
            assert [*records, *list(log.read())[2:]] == list(log.read())

    def test_repair_of_a_healthy_log_does_nothing(self, tmp_path: Path) -> None:
        """A log without a torn tail is left as it is."""
        path = tmp_path / "log.jsonl"
        written(path, [counted(1)])
        before = snapshot(path)
        assert RepairReport(path) == chronicle.repair(path)
        assert not chronicle.repair(path).repaired
        assert before == snapshot(path)

    @given(data=st.data(), sizes=st.lists(st.integers(1, 4), min_size=1, max_size=4))
    def test_an_append_cut_anywhere_is_torn_whole(self, tmp_path_factory, data, sizes) -> None:
        """A crash anywhere in an append, whole lines included, leaves none of it readable."""
        path = tmp_path_factory.getbasetemp() / f"cut{next(NUMBERS)}.jsonl"
        records = written(path, *[[counted(n) for n in range(size)] for size in sizes])
        before = records[: len(records) - sizes[-1]]
        whole = path.read_bytes()
        start = sum(len(line(r)) for r in before)
        cut = data.draw(st.integers(start + 1, len(whole) - 1), label="cut")
        path.write_bytes(whole[:cut])
        Path(f"{path}.pending").write_text(f"{start} {len(whole)}\n")  # as the crash left it
        store = JsonlStore(path)
        assert before == list(store.read())
        assert (len(before) + 1, start, cut - start) == (
            store.torn.line,
            store.torn.offset,
            store.torn.size,
        )
        store.close()

    def test_repair_moves_whole_lines_of_a_cut_append_too(self, tmp_path: Path) -> None:
        """Repairing an append cut after some of its lines moves those lines out as well."""
        path = tmp_path / "log.jsonl"
        records = written(path, [counted(1)], [counted(2), counted(3), counted(4)])
        whole = path.read_bytes()
        start, cut = len(line(records[0])), len(whole) - 5
        path.write_bytes(whole[:cut])
        Path(f"{path}.pending").write_text(f"{start} {len(whole)}\n")
        report = chronicle.repair(path)
        assert (2, start, cut - start) == (report.line, report.offset, report.size)
        assert report.moved_to is not None
        assert whole[start:cut] == report.moved_to.read_bytes()
        assert whole[:start] == path.read_bytes()
        assert not Path(f"{path}.pending").exists()
        assert records[:1] == list(JsonlStore(path).read())

    def test_a_marker_of_an_append_that_completed_is_ignored(self, tmp_path: Path) -> None:
        """A marker left after an append reached the disk whole does not make it torn."""
        path = tmp_path / "log.jsonl"
        records = written(path, [counted(1)], [counted(2), counted(3)])
        size = path.stat().st_size
        Path(f"{path}.pending").write_text(f"{len(line(records[0]))} {size}\n")
        assert (records, None) == (list(JsonlStore(path).read()), JsonlStore(path).torn)
        Path(f"{path}.pending").write_text(f"{size} {size + 200}\n")  # crashed before writing
        assert (records, None) == (list(JsonlStore(path).read()), JsonlStore(path).torn)

    def test_an_append_leaves_a_marker_naming_no_append_in_flight(self, tmp_path: Path) -> None:
        """The marker is made once and rewritten in place: after an append its sizes are equal."""
        path = tmp_path / "log.jsonl"
        records = written(path, [counted(1)], [counted(2), counted(3)])
        size = path.stat().st_size
        assert [size, size] == [int(n) for n in Path(f"{path}.pending").read_text().split()]
        assert (records, None) == (list(JsonlStore(path).read()), JsonlStore(path).torn)

    def test_a_failed_write_leaves_the_file_as_it_was(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A write that fails half way is undone: StoreError, and the log goes on."""
        path = tmp_path / "log.jsonl"
        records = written(path, [counted(1)])
        before = snapshot(path)
        real = os.pwrite

        def half_then_fail(fd: int, data: bytes, offset: int) -> int:
            real(fd, data[: len(data) // 2], offset)
            raise OSError(28, "No space left on device")

        store = JsonlStore(path)
        monkeypatch.setattr(os, "pwrite", half_then_fail)
        with pytest.raises(StoreError, match=r"nothing written: .*No space left"):
            Log(store).append("s", [counted(2), counted(3)])
        assert before == snapshot(path)
        monkeypatch.undo()
        Log(store).append("s", [counted(4)])
        assert [1, 4] == [r.event.amount for r in JsonlStore(path).read()]
        assert records == list(store.read())[:1]


class TestDamage:
    @pytest.mark.parametrize(
        ("change", "problem"),
        [
            (lambda obj: "not json", "not JSON"),
            (lambda obj: [obj], "not a JSON object"),
            (lambda obj: {**obj, "position": 7}, "position 7, but line 2 holds position 2"),
            (lambda obj: {**obj, "position": True}, "position True"),
            (lambda obj: {**obj, "version": 3}, "version 3 of stream 's', expected 2"),
            (lambda obj: {**obj, "stream": ""}, "stream must be a non-empty string"),
            (lambda obj: {k: v for k, v in obj.items() if k != "id"}, "not a stored record"),
            (lambda obj: {**obj, "id": "nope"}, "not a stored record"),
            (
                lambda obj: {**obj, "recorded_at": "2000-01-01T00:00+00:00"},
                "recorded_at 2000.*before",
            ),
            (
                lambda obj: {**obj, "recorded_at": "2030-01-01T00:00"},
                "recorded_at 2030.*no time zone",
            ),
            (lambda obj: {**obj, "v": "1"}, "malformed entry"),
        ],
    )
    def test_a_damaged_line_names_the_file_and_line(self, tmp_path: Path, change, problem):
        """A line that is not the next record is refused on open, naming file and line."""
        path = tmp_path / "log.jsonl"
        written(path, [counted(1)], [counted(2)], [counted(3)])
        lines = path.read_bytes().splitlines(keepends=True)
        damaged = change(json.loads(lines[1]))
        lines[1] = (damaged if isinstance(damaged, str) else json.dumps(damaged)).encode() + b"\n"
        path.write_bytes(b"".join(lines))
        before = snapshot(path)
        with pytest.raises(CorruptLog, match=re.escape("log.jsonl, line 2: ") + problem):
            JsonlStore(path)
        assert before == snapshot(path)

    def test_a_reused_id_is_refused(self, tmp_path: Path) -> None:
        """Two records with one id are refused, naming both lines."""
        path = tmp_path / "log.jsonl"
        written(path, [counted(1)], [counted(2)])
        first, second = (json.loads(text) for text in path.read_text().splitlines())
        path.write_text(json.dumps(first) + "\n" + json.dumps({**second, "id": first["id"]}) + "\n")
        with pytest.raises(CorruptLog, match=r"line 2: id .* is already the id of line 1"):
            JsonlStore(path)

    def test_a_payload_that_does_not_decode_names_its_line_on_read(self, tmp_path: Path) -> None:
        """An event payload that does not fit its type is refused when read, naming the line."""
        path = tmp_path / "log.jsonl"
        written(path, [counted(1), counted(2)])
        lines = path.read_text().splitlines(keepends=True)
        lines[1] = lines[1].replace('"amount":2', '"amount":"two"')
        path.write_text("".join(lines))
        store = JsonlStore(path)
        with pytest.raises(CorruptLog, match=r"log\.jsonl, line 2: cannot decode 'test\.counted'"):
            list(store.read())
        assert 1 == next(store.read()).event.amount

    @pytest.mark.parametrize(
        ("stored", "problem"),
        [
            ('"two"', "amount: expected an integer, got a string: 'two'"),
            ("true", "amount: expected an integer, got a boolean: True"),
            ("2.0", "amount: expected an integer, got a number: 2.0"),
            ("NaN", "not JSON: NaN is not a JSON number"),
        ],
    )
    def test_a_value_of_the_wrong_type_is_refused_on_read(
        self, tmp_path: Path, stored: str, problem: str
    ) -> None:
        """A stored value of the wrong JSON type is refused, naming the line and the field."""
        path = tmp_path / "log.jsonl"
        written(path, [counted(1), counted(2)])
        lines = path.read_text().splitlines(keepends=True)
        lines[1] = lines[1].replace('"amount":2', f'"amount":{stored}')
        path.write_text("".join(lines))
        with Log(JsonlStore(path)) as log, pytest.raises(CorruptLog) as refused:
            list(log.read())
        assert str(refused.value).startswith(f"{path}, line 2: ")
        assert problem in str(refused.value)

    def test_a_line_nested_too_deeply_is_a_corrupt_log(self, tmp_path: Path) -> None:
        """JSON nested deeper than Python's parser goes is a CorruptLog naming the line."""
        path = tmp_path / "log.jsonl"
        written(path, [counted(1)])
        deep = "[" * 100_000 + "]" * 100_000
        with path.open("a") as file:
            file.write('{"position": 2, "x": ' + deep + "}\n")
        before = snapshot(path)
        with pytest.raises(CorruptLog, match=r"log\.jsonl, line 2: .*nested too deeply"):
            JsonlStore(path)
        assert before == snapshot(path)

    def test_a_file_that_shrank_is_refused(self, tmp_path: Path) -> None:
        """A log cut behind the store's back is an error, not a silent loss."""
        path = tmp_path / "log.jsonl"
        written(path, [counted(1)], [counted(2)])
        store = JsonlStore(path)
        path.write_bytes(path.read_bytes()[:10])
        with pytest.raises(CorruptLog, match="shrank"):
            store.version("s")


class TestUnusable:
    def test_a_directory_is_refused(self, tmp_path: Path) -> None:
        """A directory is not a log file."""
        (tmp_path / "dir.jsonl").mkdir()
        with pytest.raises(StoreError, match="is a directory"):
            JsonlStore(tmp_path / "dir.jsonl")

    def test_a_missing_directory_is_refused(self, tmp_path: Path) -> None:
        """A path in a directory that does not exist is refused, and nothing is made."""
        with pytest.raises(StoreError, match="does not exist"):
            JsonlStore(tmp_path / "nowhere" / "log.jsonl")
        assert [] == list(tmp_path.iterdir())

    def test_a_read_only_file_reads_but_refuses_appends(self) -> None:
        """A file the user cannot write opens for reading; an append is a StoreError."""
        with shared_directory() as directory:
            path = directory / "log.jsonl"
            records = written(path, [counted(1)])
            path.chmod(0o444)
            before = snapshot(path)

            def use() -> tuple[list[chronicle.Record], str]:
                store = JsonlStore(path)
                try:
                    Log(store).append("s", [counted(2)])
                except StoreError as error:
                    return list(store.read()), str(error)
                return [], "appended"

            read, error = unprivileged(use)
            assert records == read
            assert f"{path}: the file is read-only; cannot append" == error
            assert before == snapshot(path)

    def test_repair_needs_a_json_lines_file(self, tmp_path: Path) -> None:
        """repair() of a path that is not a .jsonl log file is a StoreError."""
        with pytest.raises(StoreError, match="only JSON Lines"):
            chronicle.repair(tmp_path / "log.db")
        with pytest.raises(StoreError, match="no such log file"):
            chronicle.repair(tmp_path / "missing.jsonl")

    def test_a_closed_store_refuses_to_work(self, tmp_path: Path) -> None:
        """After close(), using the store is a StoreError."""
        store = JsonlStore(tmp_path / "log.jsonl")
        store.close()
        with pytest.raises(StoreError, match="closed"):
            store.version("s")


class TestIndex:
    """The index holds one record time in a few and a byte of stream a record: it answers
    as if it held them all."""

    @given(
        appends=st.lists(st.tuples(st.integers(1, 4), st.integers(0, 2)), min_size=1, max_size=30),
        every=st.sampled_from([1, 2, 3, 64]),
    )
    def test_the_records_known_at_a_time_are_those_appended_by_then(
        self, appends: list[tuple[int, int]], every: int
    ) -> None:
        """head_at and read(known_at=) for every instant, appended here and read on opening."""
        start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        moments = [
            start + datetime.timedelta(hours=sum(step for _, step in appends[: n + 1]))
            for n in range(len(appends))
        ]
        with tempfile.TemporaryDirectory() as directory, pytest.MonkeyPatch.context() as patch:
            patch.setattr(_jsonl_index, "_EVERY", every)
            path = Path(directory) / "log.jsonl"
            clock = iter(moments)
            with Log(JsonlStore(path, durable=False), clock=lambda: next(clock)) as log:
                for size, _ in appends:
                    log.append("s", [counted() for _ in range(size)])
                times = [record.recorded_at for record in log.read()]
                for store in (log.store, JsonlStore(path)):
                    for hours in range(-1, 2 * len(appends) + 2):
                        known_at = start + datetime.timedelta(minutes=30 * hours)
                        known = sum(moment <= known_at for moment in times)
                        assert known == store.head_at(known_at)
                        assert known == len(list(store.read(known_at=known_at)))

    def test_more_streams_than_a_byte_numbers(self, tmp_path: Path) -> None:
        """Past 256 streams (and their numbers past one byte), each stream reads its own."""
        path = tmp_path / "log.jsonl"
        names = [f"s{number}" for number in range(300)]
        with Log(JsonlStore(path, durable=False), clock=stepping_clock()) as log:
            for name in names:
                log.append(name, [counted()])
            log.append("s5", [counted(2)])
            for store in (log.store, JsonlStore(path)):
                assert "H" == store._index.stream_of.typecode
                for name in ("s0", "s5", "s255", "s256", "s299"):
                    assert [name] * (2 if name == "s5" else 1) == [
                        r.stream for r in store.read(stream=name)
                    ]
