"""A dataset file as a table or DataFrame: the rows of its import, one per event."""

from __future__ import annotations

import datetime

import pytest

from chronicle import DatasetError, Log, record_row
from chronicle.datasets import frame, import_reign_leaders, table
from tests.datasets.files import ELECTION_FILE, LEADER_FILE, PT_FILE, needs_data


@needs_data
class TestFrame:
    def test_the_table_is_the_import(self, imported) -> None:
        """table() holds the events an import appends, flattened as record_row, in order."""
        result = table("reign_leaders", LEADER_FILE)
        log = Log()
        import_reign_leaders(LEADER_FILE, log)
        expected = [record_row(r) for r in log.read()]
        assert len(expected) == len(result)
        skip = {"id", "recorded_at"}
        for want, got in zip(expected, result, strict=True):
            assert {k: v for k, v in want.items() if k not in skip} == {
                k: v for k, v in got.items() if k not in skip and (k in want or v is not None)
            }
        start = datetime.datetime(2021, 8, 1, tzinfo=datetime.UTC)
        assert {start} == {t.replace(microsecond=0) for t in result.column("recorded_at")}  # type: ignore[union-attr]

    def test_frames_of_the_three_files(self, imported) -> None:
        """frame() gives a DataFrame per file, one row per event."""
        coups = frame("powell_thyne", PT_FILE, states=imported.states)
        assert 491 == len(coups)
        assert 8 == int((coups["stream"] == "MLI").sum())
        assert {"politics.coup_occurred"} == set(coups["type"])
        elections = frame("reign_elections", ELECTION_FILE, states=imported.states)
        assert imported.elections.appended == len(elections)

    def test_coups_need_the_state_codes(self) -> None:
        """Without states=, a file of numeric codes is refused, and so is an unknown dataset."""
        with pytest.raises(DatasetError, match="states="):
            table("powell_thyne", PT_FILE)
        with pytest.raises(DatasetError, match="unknown dataset 'acled'"):
            table("acled", PT_FILE)  # type: ignore[arg-type]
