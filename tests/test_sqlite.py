"""The SQLite store: its schema and indexes, durability, and files it must refuse untouched."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

import chronicle
from chronicle import CorruptLog, Log, SqliteStore, StoreError
from chronicle._stores._sqlite import APPLICATION_ID, SCHEMA_VERSION
from tests.domain import Counted, total
from tests.stores.helpers import shared_directory, snapshot, unprivileged
from tests.strategies import stepping_clock


def counted(amount: int = 1) -> Counted:
    return Counted(occurred="2020-01-01", amount=amount)


def written(path: Path, count: int = 1) -> list[chronicle.Record]:
    """A closed SQLite log at ``path`` with ``count`` records, one append each."""
    log = Log(SqliteStore(path, durable=False), clock=stepping_clock())
    with log:
        return [log.append("s", [counted(n)])[0] for n in range(count)]


def query(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


class TestSchema:
    def test_a_new_log_is_a_versioned_chronicle_database_in_wal_mode(self, tmp_path: Path) -> None:
        """A new file carries chronicle's application id, a schema_version row and WAL mode."""
        path = tmp_path / "log.db"
        written(path)
        assert [(APPLICATION_ID,)] == query(path, "PRAGMA application_id")
        assert [("wal",)] == query(path, "PRAGMA journal_mode")
        assert [(str(SCHEMA_VERSION),)] == query(
            path, "SELECT value FROM chronicle_meta WHERE key = 'schema_version'"
        )
        assert [] == [p.name for p in tmp_path.iterdir() if p.name.endswith(".new")]

    def test_events_are_columns_with_their_valid_time(self, tmp_path: Path) -> None:
        """Each record is a row; events carry their valid time's bounds, corrections none."""
        path = tmp_path / "log.db"
        with chronicle.open(path) as log:
            (event,) = log.append("s", [Counted(occurred="2020-05", amount=3)])
            log.append("s", [chronicle.Retracted(target=event.id, reason="wrong")])
        assert [
            (
                1,
                str(event.id),
                "s",
                1,
                "test.counted",
                1,
                '{"occurred":"2020-05","amount":3}',
                "2020-05-01",
                "2020-05-31",
            ),
            (2, "s", 2, "chronicle.retracted", None, None),
        ] == [
            *query(
                path,
                "SELECT position, id, stream, version, type, v, data, occurred_earliest,"
                " occurred_latest FROM records WHERE position = 1",
            ),
            *query(
                path,
                "SELECT position, stream, version, type, occurred_earliest,"
                " occurred_latest FROM records WHERE position = 2",
            ),
        ]

    @pytest.mark.parametrize(
        ("sql", "index"),
        [
            (
                "SELECT * FROM records WHERE stream = 's' AND position BETWEEN 5 AND 9"
                " ORDER BY position",
                "records_by_stream",
            ),
            (
                "SELECT * FROM records WHERE position BETWEEN 5 AND 9 ORDER BY position",
                "INTEGER PRIMARY KEY",
            ),
            (
                "SELECT position FROM records WHERE recorded_at <= 5"
                " ORDER BY recorded_at DESC, position DESC LIMIT 1",
                "records_by_recorded_at",
            ),
            ("SELECT * FROM records WHERE id = 'x'", "sqlite_autoindex_records"),
        ],
    )
    def test_reads_use_an_index(self, tmp_path: Path, sql: str, index: str) -> None:
        """Reading a stream, from a position, by record time or by id searches an index."""
        path = tmp_path / "log.db"
        written(path, 20)
        plan = " ".join(row[-1] for row in query(path, "EXPLAIN QUERY PLAN " + sql))
        assert "SEARCH" in plan
        assert index in plan

    def test_a_newer_schema_is_refused_untouched(self, tmp_path: Path) -> None:
        """A log of a schema newer than this program's is a StoreError naming both versions."""
        path = tmp_path / "log.db"
        written(path)
        connection = sqlite3.connect(path)
        with connection:
            connection.execute("UPDATE chronicle_meta SET value = '99'")
        connection.close()
        before = snapshot(path)
        with pytest.raises(StoreError, match=r"log\.db: schema version 99 is newer than .* 1"):
            SqliteStore(path)
        assert before == snapshot(path)

    def test_durability_sets_the_sync_mode(self, tmp_path: Path) -> None:
        """durable=True syncs every commit (FULL); durable=False syncs at checkpoints (NORMAL)."""
        durable = SqliteStore(tmp_path / "a.db")
        fast = SqliteStore(tmp_path / "b.db", durable=False)
        assert [(2,)] == durable._query("PRAGMA synchronous")
        assert [(1,)] == fast._query("PRAGMA synchronous")


class TestRefusedFiles:
    @pytest.mark.parametrize(
        ("content", "error", "message"),
        [
            (b"", StoreError, "the file is empty"),
            (b"id,name\n1,Goita\n", StoreError, "not an SQLite database"),
            (bytes(range(256)) * 8, StoreError, "not an SQLite database"),
            (b"SQLite format 3\x00\x10\x00", CorruptLog, "SQLite header cut short"),
        ],
    )
    def test_a_file_that_is_not_a_chronicle_database(
        self, tmp_path: Path, content: bytes, error: type[Exception], message: str
    ) -> None:
        """Empty, text, random bytes, a cut header: a named error, and the file untouched."""
        path = tmp_path / "log.db"
        path.write_bytes(content)
        with pytest.raises(error, match=f"log.db: {message}"):
            chronicle.open(path)
        assert {"log.db": content} == snapshot(path)

    def test_another_programs_database_is_refused_untouched(self, tmp_path: Path) -> None:
        """An SQLite database that is not a chronicle log is refused, and nothing is added."""
        path = tmp_path / "other.db"
        connection = sqlite3.connect(path)
        with connection:
            connection.execute("CREATE TABLE records (x)")
        connection.close()
        before = snapshot(path)
        with pytest.raises(StoreError, match="an SQLite database, but not a chronicle log"):
            SqliteStore(path)
        assert before == snapshot(path)

    def test_a_truncated_log_is_refused_untouched(self, tmp_path: Path) -> None:
        """A log cut short is a CorruptLog, and the file is left as it was."""
        path = tmp_path / "log.db"
        written(path, 300)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        before = snapshot(path)
        with pytest.raises(CorruptLog, match=r"log\.db: cut short: its header counts \d+ pages"):
            SqliteStore(path)
        assert before == snapshot(path)

    def test_a_damaged_record_names_its_position(self, tmp_path: Path) -> None:
        """A stored payload that does not decode is a CorruptLog naming file and position."""
        path = tmp_path / "log.db"
        written(path, 3)
        connection = sqlite3.connect(path)
        with connection:
            connection.execute("UPDATE records SET data = '{\"amount\": 1}' WHERE position = 2")
        connection.close()
        store = SqliteStore(path)
        with pytest.raises(CorruptLog, match=r"log\.db, position 2: cannot decode"):
            list(store.read())

    @pytest.mark.parametrize(
        ("data", "problem"),
        [
            ('{"occurred": "2020", "amount": "1"}', "amount: expected an integer, got a string"),
            ('{"occurred": null, "amount": 1}', "occurred: expected an EDTF date string, got null"),
            ('{"occurred": "2020", "amount": NaN}', "not JSON: NaN is not a JSON number"),
            ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ],
    )
    @pytest.mark.parametrize("way", ["read", "replay", "history"])
    def test_a_stored_row_of_the_wrong_type_is_refused(
        self, tmp_path: Path, data: str, problem: str, way: str
    ) -> None:
        """A row whose payload holds a value of the wrong type, or unreadable JSON, is a
        CorruptLog naming the file, the position and the problem: read in order of
        position, in fold order without its record (replay), or with it (history)."""
        path = tmp_path / "log.db"
        written(path, 3)
        connection = sqlite3.connect(path)
        with connection:
            connection.execute("UPDATE records SET data = ? WHERE position = 2", (data,))
        connection.close()
        reads = {
            "read": lambda log: list(log.read()),
            "replay": lambda log: chronicle.replay(log, total),
            "history": lambda log: chronicle.history(log, total),
        }
        with Log(SqliteStore(path)) as log, pytest.raises(CorruptLog) as refused:
            reads[way](log)
        assert str(refused.value).startswith(f"{path}, position 2: ")
        assert problem in str(refused.value)

    def test_a_directory_is_refused(self, tmp_path: Path) -> None:
        """A directory is not a log file."""
        (tmp_path / "dir.db").mkdir()
        with pytest.raises(StoreError, match="is a directory"):
            SqliteStore(tmp_path / "dir.db")

    @pytest.mark.parametrize("directory_mode", [0o755, 0o777])
    def test_a_read_only_file_reads_but_refuses_appends(self, directory_mode: int) -> None:
        """A file the user cannot write opens for reading, in a directory they can write or
        not; an append is a StoreError, and the file is left as it was."""
        with shared_directory() as directory:
            path = directory / "log.db"
            records = written(path, 2)
            path.chmod(0o444)
            directory.chmod(directory_mode)
            before = path.read_bytes()

            def use() -> tuple[list[chronicle.Record], str]:
                store = SqliteStore(path)
                try:
                    Log(store).append("s", [counted(2)])
                except StoreError as error:
                    return list(store.read()), str(error)
                finally:
                    store.close()
                return [], "appended"

            read, error = unprivileged(use)
            assert records == read
            assert f"{path}: the file is read-only; cannot append" == error
            assert before == path.read_bytes()

    def test_a_closed_store_refuses_to_work(self, tmp_path: Path) -> None:
        """After close(), using the store is a StoreError."""
        store = SqliteStore(tmp_path / "log.db")
        store.close()
        with pytest.raises(StoreError, match="closed"):
            store.head()


class TestWriteLock:
    def test_an_append_waits_for_another_writer_then_gives_up(self, tmp_path: Path) -> None:
        """An append blocked by another process's transaction past the timeout is a StoreError,
        and stores nothing."""
        path = tmp_path / "log.db"
        written(path, 1)
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        store = SqliteStore(path, timeout=0.2)
        try:
            with pytest.raises(StoreError, match=r"no write lock within 0\.2 s"):
                Log(store).append("s", [counted(2)])
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        Log(store).append("s", [counted(3)])
        assert [0, 3] == [r.event.amount for r in store.read()]


def test_the_store_never_writes_outside_its_files(tmp_path: Path) -> None:
    """A log leaves only its database (and SQLite's WAL files while open) in its directory."""
    store = SqliteStore(tmp_path / "log.db")
    Log(store).append("s", [counted()])
    assert {"log.db", "log.db-wal", "log.db-shm"} >= set(os.listdir(tmp_path))
    store.close()
    assert ["log.db"] == os.listdir(tmp_path)


KILLED_CREATOR = """
import os, sqlite3, sys
from pathlib import Path
from chronicle._stores._leftovers import creating
with creating(Path(sys.argv[1])) as temporary:
    connection = sqlite3.connect(temporary, isolation_level=None)
    connection.execute("BEGIN")
    connection.execute("CREATE TABLE half (x)")
    connection.execute("INSERT INTO half VALUES (1)")
    print(temporary, flush=True)
    os._exit(9)  # killed inside the schema's transaction
"""


def aged(*paths: Path) -> None:
    """Make files look last changed a minute ago."""
    past = time.time() - 60
    for path in paths:
        os.utime(path, (past, past))


class TestLeftovers:
    def test_a_killed_creation_is_cleaned_up_on_the_next_open(self, tmp_path: Path) -> None:
        """The hidden file and journal of a creation killed midway are removed, the log made."""
        path = tmp_path / "log.db"
        done = subprocess.run(
            [sys.executable, "-c", KILLED_CREATOR, path],
            capture_output=True,
            text=True,
            check=False,
        )
        assert 9 == done.returncode, done.stderr
        temporary = Path(done.stdout.strip())
        left = sorted(p.name for p in tmp_path.iterdir())
        assert [temporary.name, temporary.name + "-journal"] == left
        aged(*tmp_path.iterdir())
        written(path, 1)
        assert ["log.db"] == sorted(p.name for p in tmp_path.iterdir())

    def test_a_creation_in_flight_is_left_alone(self, tmp_path: Path) -> None:
        """A file its creator still holds locked is not removed, however old."""
        path = tmp_path / "log.db"
        temporary = tmp_path / f".log.db.{uuid.uuid4().hex}.new"
        temporary.write_bytes(b"")
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            aged(temporary)
            written(path, 1)
            assert temporary.exists()
        finally:
            os.close(descriptor)

    def test_a_recent_file_is_left_alone(self, tmp_path: Path) -> None:
        """A file changed in the last seconds may belong to a creator about to lock it."""
        temporary = tmp_path / f".log.db.{uuid.uuid4().hex}.new"
        temporary.write_bytes(b"")
        written(tmp_path / "log.db", 1)
        assert temporary.exists()

    @pytest.mark.parametrize(
        "name",
        [
            ".other.db.{hex}.new",
            ".log.db.{hex}.new.bak",
            ".log.db.{short}.new",
            "log.db.{hex}.new",
            ".log.db.{hex}.New",
            ".log.db.{hex}.new-other",
        ],
    )
    def test_only_this_logs_leftovers_match(self, tmp_path: Path, name: str) -> None:
        """Files of other names, however alike, are left."""
        other = tmp_path / name.format(hex=uuid.uuid4().hex, short="abc123")
        other.write_bytes(b"keep")
        aged(other)
        written(tmp_path / "log.db", 1)
        assert b"keep" == other.read_bytes()
