"""chronicle.open: the store a target names."""

from __future__ import annotations

from pathlib import Path

import pytest

import chronicle
from chronicle import JsonlStore, MemoryStore, SqliteStore, StoreError
from tests.domain import Counted


class TestOpen:
    @pytest.mark.parametrize(
        ("name", "kind"),
        [
            ("mali.db", SqliteStore),
            ("mali.sqlite", SqliteStore),
            ("mali.sqlite3", SqliteStore),
            ("MALI.DB", SqliteStore),
            ("mali.jsonl", JsonlStore),
        ],
    )
    def test_a_path_opens_the_store_its_suffix_names(
        self, tmp_path: Path, name: str, kind: type
    ) -> None:
        """A .db/.sqlite/.sqlite3 path opens SQLite, a .jsonl path JSON Lines; str or Path."""
        for target in (tmp_path / name, str(tmp_path / name)):
            with chronicle.open(target) as log:
                assert isinstance(log.store, kind)
                log.append("mali", [Counted(occurred="2020", amount=1)])
        with chronicle.open(tmp_path / name) as log:
            assert [1, 1] == [r.event.amount for r in log.read()]

    @pytest.mark.parametrize("name", ["mali.db", "mali.sqlite3", "mali.jsonl"])
    def test_without_create_only_an_existing_log_opens(self, tmp_path: Path, name: str) -> None:
        """create=False refuses a log file that does not exist, and creates nothing."""
        with pytest.raises(StoreError, match=r"no log at .*: the file does not exist"):
            chronicle.open(tmp_path / name, create=False)
        assert [] == list(tmp_path.iterdir())
        with chronicle.open(tmp_path / name) as log:
            log.append("mali", [Counted(occurred="2020", amount=1)])
        with chronicle.open(tmp_path / name, create=False) as log:
            assert 1 == log.head

    @pytest.mark.parametrize("target", [None, ":memory:"])
    def test_nothing_or_memory_opens_a_new_memory_log(self, target: str | None) -> None:
        """None and ":memory:" give a new, empty log in memory."""
        log = chronicle.open(target)
        assert (MemoryStore, 0) == (type(log.store), log.head)

    def test_the_clock_is_the_logs(self, tmp_path: Path) -> None:
        """The clock given to open() dates the appends."""
        moment = chronicle.utc_now().replace(year=2001)
        with chronicle.open(tmp_path / "log.db", clock=lambda: moment) as log:
            (record,) = log.append("s", [Counted(occurred="2000", amount=1)])
        assert moment == record.recorded_at

    @pytest.mark.parametrize(
        "url", ["postgresql://127.0.0.1:1/mali?connect_timeout=2", "postgres://u@127.0.0.1:1/db"]
    )
    def test_an_unreachable_postgresql_server_is_a_clear_error(self, url: str) -> None:
        """A PostgreSQL URL with no server behind it is a StoreError naming PostgreSQL."""
        with pytest.raises(StoreError, match="PostgreSQL"):
            chronicle.open(url)

    @pytest.mark.parametrize("name", ["mali.txt", "mali", "mali.json"])
    def test_an_unknown_target_names_the_accepted_ones(self, tmp_path: Path, name: str) -> None:
        """A path of no known suffix is a StoreError listing what open() takes; nothing is made."""
        with pytest.raises(StoreError, match=r"cannot tell which store .* \.db, .*\.jsonl"):
            chronicle.open(tmp_path / name)
        assert [] == list(tmp_path.iterdir())

    @pytest.mark.parametrize("suffix", [".db", ".jsonl"])
    @pytest.mark.parametrize(("name", "problem"), [("a\0b", "NUL byte"), ("n" * 5000, "too long")])
    def test_a_path_the_system_cannot_take_is_a_store_error(
        self, tmp_path: Path, suffix: str, name: str, problem: str
    ) -> None:
        """A NUL byte or a name too long: a StoreError quoting the path shortened; nothing made."""
        with pytest.raises(StoreError, match=problem) as refused:
            chronicle.open(tmp_path / (name + suffix))
        assert len(str(refused.value)) < 200
        assert [] == list(tmp_path.iterdir())
