"""The command line reads strictly: wrong JSON types, deep nesting, torn tails, extreme instants."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli.conftest import run
from tests.cli.test_errors import one_error_line

COUP = {"occurred": "2020-08-18", "successful": True, "ousted": "Keïta", "seized_by": "Goïta"}

# The reproductions, and more: each entry holds a value of the wrong JSON type.
WRONG_ENTRIES = [
    {**COUP, "successful": "false"},
    {**COUP, "successful": 0},
    {**COUP, "ousted": None},
    {**COUP, "junta": ["Mopti", "Gao"]},
    {**COUP, "junta": {"name": "CNSP"}},
    {**COUP, "junta": 5},
    {**COUP, "occurred": 2020},
    {**COUP, "sources": "Reuters"},
    {**COUP, "sources": [{"publisher": 7}]},
    {**COUP, "successful": True, "junta": "NaN"},  # a string: right (the control, below)
]


def entries_file(path: Path, data: dict[str, object], raw: str | None = None) -> Path:
    """An entries file of one coup, with ``data`` (or the raw line given)."""
    line = raw or json.dumps(
        {"stream": "mali", "type": "politics.coup_occurred", "v": 1, "data": data}
    )
    path.write_text(line + "\n", encoding="utf-8")
    return path


class TestAppend:
    @pytest.mark.parametrize("data", WRONG_ENTRIES[:-1])
    def test_an_entry_of_the_wrong_type_is_refused(self, tmp_path: Path, data: dict) -> None:
        """append refuses it, naming the file, the line and the field; no log is written."""
        log = tmp_path / "log.jsonl"
        entries = entries_file(tmp_path / "in.jsonl", data)
        result = run("append", log, entries)
        assert 1 == result.exit_code
        line = one_error_line(result.stderr)
        assert f"{entries}, line 1: cannot decode 'politics.coup_occurred' v1: " in line
        assert "expected" in line
        assert not log.exists() or 0 == log.stat().st_size

    def test_a_right_entry_is_appended(self, tmp_path: Path) -> None:
        """The control: the same entry with every value of its type is appended."""
        log = tmp_path / "log.jsonl"
        assert (
            0
            == run("append", log, entries_file(tmp_path / "in.jsonl", WRONG_ENTRIES[-1])).exit_code
        )

    @pytest.mark.parametrize(
        ("raw", "problem"),
        [
            ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
            ('{"stream": "mali", "type": "politics.coup_occurred", "v": 1, "data": NaN}', "NaN"),
        ],
    )
    def test_unreadable_json_is_one_line(self, tmp_path: Path, raw: str, problem: str) -> None:
        """Deep nesting or NaN in an entries file: one error line naming the line, no traceback."""
        entries = entries_file(tmp_path / "in.jsonl", {}, raw)
        result = run("append", tmp_path / "log.jsonl", entries)
        assert 1 == result.exit_code
        line = one_error_line(result.stderr)
        assert f"{entries}, line 1: " in line
        assert problem in line

    def test_invalid_utf8_is_one_line(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8: one error line naming the line."""
        entries = tmp_path / "in.jsonl"
        entries.write_bytes(b'{"stream": "\xff"}\n')
        result = run("append", tmp_path / "log.jsonl", entries)
        assert 1 == result.exit_code
        assert f"{entries}, line 1: not JSON" in one_error_line(result.stderr)


def with_wrong_type(mali: Path) -> Path:
    """The Mali log with line 5's first string field replaced by a number."""
    lines = mali.read_text(encoding="utf-8").splitlines(keepends=True)
    record = json.loads(lines[4])
    field = next(k for k, v in record["data"].items() if isinstance(v, str) and k != "occurred")
    record["data"][field] = 5
    lines[4] = json.dumps(record, ensure_ascii=False) + "\n"
    mali.write_text("".join(lines), encoding="utf-8")
    return mali


class TestVerify:
    def test_a_log_holding_a_wrong_type_is_reported(self, mali: Path) -> None:
        """verify reports the record, with the field and the value; exit code 1."""
        result = run("verify", with_wrong_type(mali))
        assert 1 == result.exit_code
        assert "position 5: cannot read the log here: " in result.output
        assert "expected a string, got a number: 5" in result.output

    def test_a_database_holding_a_wrong_type_is_reported(self, mali: Path, tmp_path: Path) -> None:
        """Likewise for an SQLite log whose row holds a value of the wrong type."""
        database = tmp_path / "log.db"
        assert 0 == run("import", database, mali).exit_code
        connection = sqlite3.connect(database)
        with connection:
            connection.execute(
                "UPDATE records SET data = json_set(data, '$.occurred', 2021) WHERE position = 5"
            )
        connection.close()
        result = run("verify", database)
        assert 1 == result.exit_code
        assert "position 5: cannot read the log here: " in result.output
        assert "occurred: expected an EDTF date string, got a number: 2021" in result.output

    def test_import_refuses_a_wrong_type(self, mali: Path, tmp_path: Path) -> None:
        """An export holding a value of the wrong type is not imported."""
        export = tmp_path / "export.jsonl"
        shutil.copyfile(with_wrong_type(mali), export)
        result = run("import", tmp_path / "log.db", export)
        assert 1 == result.exit_code
        assert "expected a string, got a number: 5" in one_error_line(result.stderr)


class TestTornTail:
    def torn(self, mali: Path) -> Path:
        with mali.open("a", encoding="utf-8") as file:
            file.write('{"position": 22, "stre')
        return mali

    def test_verify_names_the_repair_command(self, mali: Path) -> None:
        """The problem line tells a command-line user to run `chronicle repair FILE`."""
        result = run("verify", self.torn(mali))
        assert 1 == result.exit_code
        assert f"run `chronicle repair {mali}`" in result.output
        assert "chronicle.repair(" not in result.output

    def test_append_names_the_repair_command(self, mali: Path, tmp_path: Path) -> None:
        """An append refused for a torn tail names the command, not the Python call."""
        entries = entries_file(tmp_path / "in.jsonl", COUP)
        result = run("append", self.torn(mali), entries)
        assert 1 == result.exit_code
        line = one_error_line(result.stderr)
        assert f"run `chronicle repair {mali}`" in line
        assert "chronicle.repair(" not in line


class TestExtremeInstants:
    @pytest.mark.parametrize("instant", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
    @pytest.mark.parametrize("command", [["state"], ["timeline"], ["export"]])
    def test_known_at_beyond_the_years_is_one_line(
        self, shared_mali: Path, command: list[str], instant: str
    ) -> None:
        """--known-at beyond 9999 or before 0001 in UTC: one error line, exit code 1."""
        result = run(command[0], shared_mali, "--known-at", instant)
        assert 1 == result.exit_code
        line = one_error_line(result.stderr)
        assert "--known-at" in line
        assert "outside the years 0001 to 9999" in line

    @pytest.mark.parametrize("day", ["9999", "9999-12-31", "0001", "0001-01-01"])
    def test_as_of_at_the_ends_of_time_answers(self, shared_mali: Path, day: str) -> None:
        """--as-of at the first or last day there is gives a state, not an error."""
        assert 0 == run("state", shared_mali, "--as-of", day, "--json").exit_code

    def test_a_stored_record_time_beyond_the_years_is_reported(self, mali: Path) -> None:
        """A hand-written recorded_at beyond 9999 in UTC: verify reports it, no traceback."""
        lines = mali.read_text(encoding="utf-8").splitlines(keepends=True)
        record = json.loads(lines[-1])
        record["recorded_at"] = "9999-12-31T23:59:59-01:00"
        lines[-1] = json.dumps(record, ensure_ascii=False) + "\n"
        mali.write_text("".join(lines), encoding="utf-8")
        result = run("verify", mali)
        assert 1 == result.exit_code
        assert "outside the years 0001 to 9999" in result.output + result.stderr

    def test_a_stored_record_time_beyond_the_years_in_a_database(
        self, mali: Path, tmp_path: Path
    ) -> None:
        """Likewise for an SQLite row whose record time is out of range."""
        database = tmp_path / "log.db"
        assert 0 == run("import", database, mali).exit_code
        connection = sqlite3.connect(database)
        with connection:
            connection.execute("UPDATE records SET recorded_at = ? WHERE position = 21", (10**18,))
        connection.close()
        result = run("verify", database)
        assert 1 == result.exit_code
        assert "outside the years 0001 to 9999" in result.output + result.stderr
