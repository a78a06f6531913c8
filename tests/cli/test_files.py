"""``append``, ``import`` and ``export``: entries in, records out, all or nothing."""

from __future__ import annotations

import csv
import datetime
import io
import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import chronicle
from chronicle import (
    Corrected,
    Correction,
    Event,
    Log,
    Record,
    Retracted,
    encode,
    record_row,
    timeline,
)
from chronicle._cli._entries import copy_records, read_entries, read_records, write_jsonl
from chronicle._codec import record_to_dict
from chronicle._table import csv_text
from tests.cli.conftest import run
from tests.cli.strategies import STREAMS, sound_logs
from tests.domain import Appointed
from tests.strategies import events, stepping_clock


def write_lines(path: Path, objects: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), "utf-8")
    return path


def records_of(path: Path) -> list[Record]:
    with chronicle.open(path) as log:
        return list(log.read())


def entry(stream: str | None, event: Event | Correction) -> dict[str, object]:
    """One line of an entries file."""
    return encode(event) if stream is None else {"stream": stream, **encode(event)}


class TestAppend:
    @given(st.lists(st.tuples(STREAMS, events), min_size=1, max_size=12))
    def test_reads_every_entry_by_stream(self, batch: list[tuple[str, Event]]) -> None:
        """An entries file reads as a batch per stream (in order of first mention) in file order."""
        with tempfile.TemporaryDirectory() as directory:
            source = write_lines(Path(directory) / "in.jsonl", [entry(s, e) for s, e in batch])
            batches = read_entries(source, stream=None)
        streams = list(dict.fromkeys(stream for stream, _ in batch))
        assert streams == [b.stream for b in batches]
        for found in batches:
            assert [e for s, e in batch if s == found.stream] == list(found.entries)
            assert [i + 1 for i, (s, _) in enumerate(batch) if s == found.stream] == list(
                found.lines
            )

    def test_appends_one_append_per_stream(self, tmp_path: Path) -> None:
        """Each stream receives its entries of the file, in file order, in one append."""
        batch = [
            ("niger", Appointed(occurred="2020", office="p", name="a")),
            ("mali", Appointed(occurred="2021", office="p", name="b")),
            ("niger", Appointed(occurred="2019", office="p", name="c")),
        ]
        source = write_lines(tmp_path / "in.jsonl", [entry(s, e) for s, e in batch])
        result = run("append", tmp_path / "log.db", source)
        records = records_of(tmp_path / "log.db")
        assert 0 == result.exit_code, result.output
        assert [batch[0], batch[2], batch[1]] == [(r.stream, r.event) for r in records]
        assert [1, 1, 2] == [len({r.recorded_at for r in records[:n]}) for n in (1, 2, 3)]
        assert "appended 2 entries to stream 'niger'" in result.stdout

    def test_stream_option_is_the_default(self, tmp_path: Path) -> None:
        """--stream names the stream of lines that name none; a line's own stream wins."""
        first = Appointed(occurred="2020", office="p", name="a")
        second = Appointed(occurred="2021", office="p", name="b")
        source = write_lines(tmp_path / "in.jsonl", [entry(None, first), entry("niger", second)])
        run("append", tmp_path / "log.jsonl", source, "--stream", "mali")
        assert [("mali", first), ("niger", second)] == [
            (r.stream, r.event) for r in records_of(tmp_path / "log.jsonl")
        ]

    def test_corrections_target_records_of_the_log(self, mali: Path, tmp_path: Path) -> None:
        """A retraction in the file retracts an event of the log, named by its id."""
        target = next(r for r in records_of(mali) if isinstance(r.event, Event))
        retraction = Retracted(target=target.id, reason="wrong")
        source = write_lines(tmp_path / "fix.jsonl", [entry("mali", retraction)])
        result = run("append", mali, source)
        with chronicle.open(mali) as log:
            shown = {o.record.id: o for o in timeline(log, include_retracted=True)}
        assert 0 == result.exit_code
        assert shown[target.id].retracted

    def test_bad_line_appends_nothing(self, mali: Path, tmp_path: Path) -> None:
        """A file with one bad line (here the last) changes nothing and names the line."""
        good = entry("niger", Appointed(occurred="2020", office="p", name="a"))
        bad = {**good, "data": {**good["data"], "occurred": "2020-13"}}  # type: ignore[dict-item]
        source = write_lines(tmp_path / "in.jsonl", [good, good, bad])
        before = mali.read_bytes()
        result = run("append", mali, source)
        assert 1 == result.exit_code
        assert f"{source}, line 3" in result.stderr
        assert "2020-13" in result.stderr
        assert before == mali.read_bytes()

    def test_bad_target_in_a_later_stream_appends_nothing(self, mali: Path, tmp_path: Path) -> None:
        """Corrections are checked before the first append: no stream is appended in part."""
        import uuid

        lost = uuid.uuid4()
        source = write_lines(
            tmp_path / "in.jsonl",
            [
                entry("niger", Appointed(occurred="2020", office="p", name="a")),
                entry("mali", Retracted(target=lost, reason="wrong")),
            ],
        )
        before = mali.read_bytes()
        result = run("append", mali, source)
        assert 1 == result.exit_code
        assert f"{source}, line 2: Retracted of {lost}: no such record in the log" in result.stderr
        assert before == mali.read_bytes()

    def test_target_in_another_stream_is_refused(self, mali: Path, tmp_path: Path) -> None:
        """A correction must go to its target's stream."""
        target = records_of(mali)[0]
        source = write_lines(
            tmp_path / "in.jsonl", [entry("niger", Retracted(target=target.id, reason="x"))]
        )
        result = run("append", mali, source)
        assert 1 == result.exit_code
        assert "the target is in stream 'mali', not 'niger'" in result.stderr

    def test_line_without_stream(self, tmp_path: Path) -> None:
        """A line that names no stream, with no --stream, is refused with its number."""
        source = write_lines(
            tmp_path / "in.jsonl", [entry(None, Appointed(occurred="2020", office="p", name="a"))]
        )
        result = run("append", tmp_path / "log.jsonl", source)
        assert 1 == result.exit_code
        assert f"{source}, line 1: no stream" in result.stderr

    def test_unknown_event_type(self, tmp_path: Path) -> None:
        """A line of a type this program does not know is refused (decoding is strict)."""
        source = write_lines(
            tmp_path / "in.jsonl",
            [{"stream": "mali", "type": "future.thing", "v": 1, "data": {"occurred": "2020"}}],
        )
        result = run("append", tmp_path / "log.jsonl", source)
        assert 1 == result.exit_code
        assert f"{source}, line 1: unknown event type 'future.thing'" in result.stderr

    def test_exported_records_are_pointed_to_import(self, mali: Path, tmp_path: Path) -> None:
        """A file of exported records given to append is refused with a hint to use import."""
        result = run("append", tmp_path / "copy.jsonl", mali)
        assert 1 == result.exit_code
        assert "use `chronicle import`" in result.stderr

    def test_not_json(self, tmp_path: Path) -> None:
        """A line that is not JSON is refused with its number."""
        source = tmp_path / "in.jsonl"
        source.write_text('\n{"stream": "mali"\n')
        result = run("append", tmp_path / "log.jsonl", source)
        assert 1 == result.exit_code
        assert f"{source}, line 2: not JSON" in result.stderr

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing entries file is a usage error naming it."""
        result = run("append", tmp_path / "log.jsonl", tmp_path / "nothing.jsonl")
        assert 2 == result.exit_code
        assert "nothing.jsonl" in result.stderr


def same_history(original: Log, copy: Log) -> None:
    """The copy holds the original's records (ids aside), and replays alike at every record time."""
    first, second = list(original.read()), list(copy.read())
    assert [(r.stream, r.version, r.position, r.recorded_at) for r in first] == [
        (r.stream, r.version, r.position, r.recorded_at) for r in second
    ]
    for moment in sorted({r.recorded_at for r in first}):
        left = timeline(original, known_at=moment, include_retracted=True)
        right = timeline(copy, known_at=moment, include_retracted=True)
        assert [(o.record.position, o.event, o.retracted) for o in left] == [
            (o.record.position, o.event, o.retracted) for o in right
        ]


class TestExportImport:
    def test_round_trip_of_the_example(self, mali: Path, tmp_path: Path) -> None:
        """export then import into a new store copies the chronology, corrections included."""
        exported = tmp_path / "export.jsonl"
        assert 0 == run("export", mali, "--out", exported).exit_code
        result = run("import", tmp_path / "copy.db", exported)
        assert 0 == result.exit_code, result.output
        assert f"imported {len(records_of(mali))} records" in result.stdout
        with chronicle.open(mali) as original, chronicle.open(tmp_path / "copy.db") as copy:
            same_history(original, copy)

    @given(sound_logs())
    def test_round_trip(self, original: Log) -> None:
        """Any log survives export and import: same streams, order, record times and entries."""
        copy = Log()
        with tempfile.TemporaryDirectory() as directory:
            exported = Path(directory) / "e.jsonl"
            with exported.open("w", encoding="utf-8") as out:
                write_jsonl(original.read(), out)
            copy_records(copy, read_records(exported))
        same_history(original, copy)

    def test_round_trip_keeps_corrections(self) -> None:
        """Corrections copied by import point at the new ids of their targets."""
        original, copy = Log(clock=stepping_clock()), Log()
        first, second = original.append(
            "mali",
            [
                Appointed(occurred="2020", office="p", name="a"),
                Appointed(occurred="2021", office="p", name="b"),
            ],
        )
        original.append("mali", [Retracted(target=first.id, reason="wrong")])
        replacement = Appointed(occurred="2022", office="p", name="c")
        original.append(
            "mali", [Corrected(target=second.id, reason="later", replacement=replacement)]
        )
        with tempfile.TemporaryDirectory() as directory:
            exported = Path(directory) / "e.jsonl"
            with exported.open("w", encoding="utf-8") as out:
                write_jsonl(original.read(), out)
            assert 4 == copy_records(copy, read_records(exported))
        same_history(original, copy)

    def test_jsonl_is_the_record_form(self, mali: Path) -> None:
        """export --format jsonl writes each record's stored form, one a line."""
        lines = run("export", mali).stdout.splitlines()
        assert [record_to_dict(r) for r in records_of(mali)] == [json.loads(x) for x in lines]

    def test_csv_is_a_flat_table(self, mali: Path) -> None:
        """export --format csv: a header and a row per record, a column per field, as record_row."""
        rows = list(csv.DictReader(io.StringIO(run("export", mali, "--format", "csv").stdout)))
        records = records_of(mali)
        assert len(records) == len(rows)
        for record, row in zip(records, rows, strict=True):
            expected = {name: csv_text(value) for name, value in record_row(record).items()}
            assert expected == {name: text for name, text in row.items() if name in expected}
            assert all("" == text for name, text in row.items() if name not in expected)
        assert ["position", "stream", "version", "recorded_at", "id", "type", "v", "occurred"] == (
            list(rows[0])[:8]
        )
        corrected = next(row for row in rows if row["type"] == "chronicle.corrected")
        assert corrected["replacement.occurred"]

    def test_stream_and_known_at(self, mali: Path) -> None:
        """export --stream and --known-at write the records read with the same filters."""
        first_time = records_of(mali)[0].recorded_at
        lines = run("export", mali, "--known-at", first_time.isoformat()).stdout.splitlines()
        assert [r.position for r in records_of(mali) if r.recorded_at <= first_time] == [
            json.loads(line)["position"] for line in lines
        ]
        assert "" == run("export", mali, "--stream", "niger").stdout

    def test_import_into_a_newer_log_is_refused(self, mali: Path, tmp_path: Path) -> None:
        """import refuses a log whose last record time is not before the file's first."""
        target = tmp_path / "newer.jsonl"
        with chronicle.open(target) as log:
            log.append(
                "x",
                [Appointed(occurred="2020", office="p", name="a")],
                recorded_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
            )
        result = run("import", target, mali)
        assert 1 == result.exit_code
        assert "import into a new log" in result.stderr
        assert 1 == len(records_of(target))

    def test_import_refuses_a_correction_of_nothing(self, mali: Path, tmp_path: Path) -> None:
        """import refuses a file whose correction targets a record the file does not hold."""
        retraction = next(r for r in records_of(mali) if isinstance(r.event, Retracted))
        lines = mali.read_text("utf-8").splitlines(keepends=True)
        cut = tmp_path / "cut.jsonl"
        kept = [x for x in lines if json.loads(x)["id"] != str(retraction.event.target)]
        cut.write_text("".join(kept), "utf-8")
        result = run("import", tmp_path / "copy.db", cut)
        assert 1 == result.exit_code
        assert f"Retracted of {retraction.event.target}, which is not an earlier record" in (
            result.stderr
        )
        assert not (tmp_path / "copy.db").exists()
