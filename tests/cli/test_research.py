"""The research commands: panel (CSV or Parquet), and the flat CSV export's columns."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import chronicle
from chronicle import panel
from chronicle.politics import HeadOfState
from tests.cli.conftest import run


class TestPanel:
    def test_csv_is_the_panel(self, shared_mali: Path) -> None:
        """panel prints the table chronicle.panel gives, as CSV."""
        result = run(
            "panel", shared_mali, "-p", "politics.HeadOfState", "--from", "2019", "--to", "2022"
        )
        assert 0 == result.exit_code, result.output
        with chronicle.open(shared_mali) as log:
            expected = panel(log, HeadOfState, start="2019", end="2022").to_csv()
        assert expected == result.stdout

    def test_months_columns_and_streams(self, shared_mali: Path) -> None:
        """--every month --on 1, --column and --stream choose the rows and the columns."""
        args = ["--every", "month", "--on", "1", "--from", "2020-07", "--to", "2020-09"]
        result = run(
            "panel",
            shared_mali,
            "-p",
            "politics.HeadOfState",
            *args,
            "-c",
            "current.name",
            "-s",
            "mali",
        )
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert ["stream", "date", "current.name", "certain"] == list(rows[0])
        assert [
            ("2020-07-01", "Ibrahim Boubacar Keïta"),
            ("2020-08-01", "Ibrahim Boubacar Keïta"),
            ("2020-09-01", "Assimi Goïta"),
        ] == [(r["date"], r["current.name"]) for r in rows]

    def test_names_label_dataset_streams_and_leave_others_empty(self, tmp_path: Path) -> None:
        """--names adds each stream's name on each date; a stream not in the table: empty."""
        log_path = tmp_path / "log.jsonl"
        with chronicle.open(log_path) as log:
            event = chronicle.politics.HeadOfStateInstalled(occurred="1985", name="Kohl", title="t")
            log.append("GMY", [event])
            log.append("other", [event])
        result = run(
            "panel",
            log_path,
            "-p",
            "politics.HeadOfState",
            "--names",
            "--from",
            "1989",
            "--to",
            "1991",
            "-c",
            "current.name",
        )
        rows = [
            (r["stream"], r["date"], r["name"]) for r in csv.DictReader(io.StringIO(result.stdout))
        ]
        assert [
            ("GMY", "1989-12-31", "West Germany"),
            ("GMY", "1990-12-31", "Germany"),
            ("GMY", "1991-12-31", "Germany"),
            ("other", "1989-12-31", ""),
            ("other", "1990-12-31", ""),
            ("other", "1991-12-31", ""),
        ] == rows

    def test_out_parquet_and_csv(self, shared_mali: Path, tmp_path: Path) -> None:
        """--out writes a .parquet or .csv file; another suffix is a usage error."""
        import pyarrow.parquet

        for name in ("p.parquet", "p.csv"):
            result = run("panel", shared_mali, "-p", "politics.HeadOfState", "-o", tmp_path / name)
            assert 0 == result.exit_code, result.output
        table = pyarrow.parquet.read_table(tmp_path / "p.parquet")
        assert datetime.date(2013, 12, 31) == table.column("date")[0].as_py()
        lines = (tmp_path / "p.csv").read_text(encoding="utf-8").splitlines()
        assert len(lines) - 1 == table.num_rows
        bad = run("panel", shared_mali, "-p", "politics.HeadOfState", "-o", tmp_path / "p.xlsx")
        assert 2 == bad.exit_code
        assert "neither a .csv nor a .parquet" in bad.stderr

    def test_errors_are_one_line(self, shared_mali: Path) -> None:
        """A bad --on, or an unknown --column, is one line naming the option."""
        bad_on = run("panel", shared_mali, "-p", "politics.HeadOfState", "--on", "02-29")
        assert 1 == bad_on.exit_code
        assert bad_on.stderr.startswith("chronicle: error: on='02-29'")
        bad_day = run(
            "panel", shared_mali, "-p", "politics.HeadOfState", "--every", "month", "--on", "last"
        )
        assert "--on: 'last' is not a day of the month" in bad_day.stderr
        bad_column = run("panel", shared_mali, "-p", "politics.HeadOfState", "-c", "head")
        assert "--column: the state has no column 'head'" in bad_column.stderr


class TestDiff:
    def test_json_is_the_diff(self, shared_mali: Path) -> None:
        """diff --json lists chronicle.diff's changes and differing states."""
        args = ["--known-at", "2025-09-01", "--known-at", "2025-10-01"]
        result = run("diff", shared_mali, *args, "-p", "politics.HeadOfState", "--json")
        assert 0 == result.exit_code, result.output
        found = json.loads(result.stdout)
        with chronicle.open(shared_mali) as log:
            expected = chronicle.diff(log, "2025-09-01", "2025-10-01")
        assert [(c.kind, c.record.position) for c in expected.changes] == [
            (c["kind"], c["position"]) for c in found["changes"]
        ]
        assert [] == found["states"]

    def test_table_and_errors(self, shared_mali: Path) -> None:
        """The table names each change; one --known-at is a usage error."""
        args = ["--known-at", "2025-09-01", "--known-at", "2025-10-01"]
        table = run("diff", shared_mali, *args).stdout
        assert "retracted" in table
        assert "corrected" in table
        once = run("diff", shared_mali, "--known-at", "2025-09-01")
        assert 2 == once.exit_code
        assert "give two record times" in once.stderr
        backwards = run("diff", shared_mali, "--known-at", "2025-10-01", "--known-at", "2025-09-01")
        assert "give the earlier one first" in backwards.stderr


class TestCite:
    def test_bibtex_and_csl_json(self, shared_mali: Path) -> None:
        """cite prints the citations of the state, as BibTeX or CSL-JSON."""
        args = ["-p", "politics.HeadOfState", "--as-of", "2020-09-01"]
        with chronicle.open(shared_mali) as log:
            expected = chronicle.citations(log, HeadOfState, as_of="2020-09-01")
        assert expected.bibtex() == run("cite", shared_mali, *args).stdout
        items = json.loads(run("cite", shared_mali, *args, "--format", "csl-json").stdout)
        assert expected.csl_json() == items
