"""The PostgreSQL store: the memory store's behaviour, schema migrations, concurrent writers.

Runs against the server named by CHRONICLE_TEST_POSTGRES; skipped without it.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import functools
import importlib
import multiprocessing
import sys
import threading
import time
import types
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

import chronicle
from chronicle import (
    ANY,
    NO_STREAM,
    STREAM_EXISTS,
    ChronicleError,
    ConcurrencyError,
    Corrected,
    CorruptLog,
    Log,
    MemoryStore,
    NotStored,
    Record,
    Retracted,
    Snapshots,
    StoreError,
    replay,
)
from chronicle._codec import stored_entry
from chronicle._stores import _postgres, _postgres_pool
from chronicle._stores._postgres import PostgresStore
from chronicle.stores import Batch
from tests import postgres
from tests.domain import Counted, total
from tests.postgres import DSN, SKIP_REASON, clear, execute, new_schema, temporary_store
from tests.strategies import events

UTC = datetime.UTC
START = datetime.datetime(2024, 1, 1, tzinfo=UTC)
ZERO = datetime.timedelta(0)

needs_server = pytest.mark.skipif(not DSN, reason=SKIP_REASON)
through_the_server = settings(
    max_examples=max(10, settings().max_examples // 4),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
"""Property tests that talk to the server run a quarter of the profile's examples."""


@pytest.fixture(scope="module", autouse=True)
def _drop_the_modules_schemas() -> Iterator[None]:
    with postgres.dropping_new_schemas():
        yield


@pytest.fixture
def store() -> Iterator[PostgresStore]:
    with temporary_store() as made:
        yield made


@pytest.fixture(scope="module")
def reused() -> Iterator[PostgresStore]:
    """One store for every example of a property test, emptied by the test itself."""
    with temporary_store() as made:
        yield made


def counted(amount: int = 1) -> Counted:
    return Counted(occurred="2020-01-01", amount=amount)


def schema_of(store: PostgresStore) -> str:
    return store._schema


reasons = st.text(max_size=12).map(lambda text: f"r{text}")
entries = st.one_of(
    events,
    st.builds(Retracted, target=st.uuids(), reason=reasons),
    st.builds(Corrected, target=st.uuids(), reason=reasons, replacement=events),
)
expectations = st.one_of(st.sampled_from([ANY, NO_STREAM, STREAM_EXISTS]), st.integers(0, 6))
appends = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "ß-ü"]),
        st.lists(entries, min_size=1, max_size=4),
        expectations,
        st.one_of(st.none(), st.integers(-2, 40)),  # None: a stuck clock; else exact hours
    ),
    min_size=1,
    max_size=8,
)


def attempt(store: MemoryStore | PostgresStore, batch: Batch) -> object:
    """The records an append returns, or the kind and message of the error it raises."""
    try:
        return store.append(batch)
    except ChronicleError as error:
        return type(error), str(error)


@needs_server
class TestPostgresStore:
    @through_the_server
    @given(plan=appends, data=st.data())
    def test_behaves_as_the_memory_store(self, reused: PostgresStore, plan, data) -> None:
        """Any appends give the memory store's records, errors, reads, versions and head."""
        clear(schema_of(reused))
        memory = MemoryStore()
        for stream, batch, expected, hours in plan:
            ids = [uuid.uuid4() for _ in batch]
            moment = START if hours is None else START + datetime.timedelta(hours=hours)
            append = Batch(
                stream=stream,
                entries=batch,
                stored=[stored_entry(entry) for entry in batch],
                ids=ids,
                expected_version=expected,
                recorded_at=moment,
                exact_time=hours is not None,
            )
            assert attempt(memory, append) == attempt(reused, append)
        records = list(memory.read())
        assert records == list(reused.read())
        assert memory.head() == reused.head()
        assert memory.streams() == reused.streams()
        for stream in ["a", "b", "ß-ü", "none"]:
            assert memory.version(stream) == reused.version(stream)
            assert list(memory.read(stream=stream)) == list(reused.read(stream=stream))
        position = data.draw(st.integers(-1, len(records) + 2), label="from_position")
        assert list(memory.read(from_position=position)) == list(
            reused.read(from_position=position)
        )
        times = sorted({r.recorded_at for r in records} | {START})
        known_at = data.draw(st.sampled_from(times), label="known_at")
        known_at += data.draw(st.sampled_from([-datetime.timedelta(microseconds=1), ZERO]))
        assert list(memory.read(known_at=known_at)) == list(reused.read(known_at=known_at))
        for record in records:
            assert record == reused.get(record.id)
        assert None is reused.get(uuid.uuid4())

    @through_the_server
    @given(st.lists(st.one_of(events, events, entries), min_size=1, max_size=30), st.data())
    def test_fold_order_index_gives_the_as_of_prefix(self, reused: PostgresStore, batch, data):
        """SQL over the stored valid-time bounds gives replay's as_of prefix in fold order."""
        stream = str(uuid.uuid4())  # a stream of its own: no need to empty the store
        records = reused.append(
            Batch(
                stream=stream,
                entries=batch,
                stored=[stored_entry(entry) for entry in batch],
                ids=[uuid.uuid4() for _ in batch],
                expected_version=ANY,
                recorded_at=START,
                exact_time=False,
            )
        )
        day = data.draw(st.dates(datetime.date(1989, 1, 1), datetime.date(2032, 1, 1)))
        expected = sorted(
            (
                (r.event.occurred.latest, r.event.occurred.earliest, r.position)
                for r in records
                if not isinstance(r.event, Retracted | Corrected) and r.event.occurred.latest <= day
            ),
        )
        query = sql.SQL(
            "SELECT position FROM {}.records WHERE stream = %s AND occurred_latest <= %s "
            "ORDER BY occurred_latest, occurred_earliest, position"
        ).format(sql.Identifier(schema_of(reused)))
        assert [p for _, _, p in expected] == [row[0] for row in execute(query, [stream, day])]

    def test_corrections_have_no_valid_time(self, store: PostgresStore) -> None:
        """A correction's occurred columns are NULL, an event's hold its bounds."""
        log = Log(store)
        first = log.append("s", [Counted(occurred="2020-05/2021", amount=1)])[0]
        log.append("s", [Retracted(target=first.id, reason="wrong")])
        query = sql.SQL(
            "SELECT occurred_earliest, occurred_latest FROM {}.records ORDER BY position"
        ).format(sql.Identifier(schema_of(store)))
        expected = [(datetime.date(2020, 5, 1), datetime.date(2021, 12, 31)), (None, None)]
        assert expected == execute(query)

    def test_records_survive_closing_and_reopening(self, store: PostgresStore) -> None:
        """A store opened again on the schema reads what was appended before."""
        before = Log(store).append("s", [counted(n) for n in range(3)])
        store.close()
        again = PostgresStore(DSN, schema=schema_of(store))
        try:
            assert before == list(again.read())
            assert (3, before[0].recorded_at) == again.head()
        finally:
            again.close()

    def test_a_refused_append_stores_nothing(self, store: PostgresStore) -> None:
        """An append the database refuses halfway (an id taken twice) leaves no trace, no gap."""
        log = Log(store)
        (first,) = log.append("s", [counted(1)])
        again = uuid.uuid4()
        with pytest.raises(StoreError, match="duplicate key"):
            store.append(
                Batch(
                    stream="s",
                    entries=[counted(2), counted(3), counted(4)],
                    stored=[stored_entry(counted(n)) for n in (2, 3, 4)],
                    ids=[uuid.uuid4(), again, again],
                    expected_version=ANY,
                    recorded_at=START,
                    exact_time=False,
                )
            )
        assert [first] == list(log.read())
        assert (1, 1, first.recorded_at) == (log.head, log.version("s"), log.head_recorded_at)
        assert 2 == log.append("s", [counted(5)])[0].position

    def test_a_nul_in_a_stream_name_is_refused(self, store: PostgresStore) -> None:
        """PostgreSQL text cannot hold NUL: the log refuses the name (as for every store)."""
        log = Log(store)
        with pytest.raises(chronicle.InvalidArgument, match="NUL"):
            log.append("a\x00b", [counted()])
        assert [] == log.streams()
        assert 0 == log.head

    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE {}.records SET stream = 'other'",
            "DELETE FROM {}.records",
            "TRUNCATE {}.records CASCADE",
        ],
    )
    def test_the_database_refuses_changes_to_records(self, store: PostgresStore, statement):
        """UPDATE, DELETE and TRUNCATE of records fail in the database itself."""
        log = Log(store)
        records = log.append("s", [counted(1), counted(2)])
        query = sql.SQL(statement).format(sql.Identifier(schema_of(store)))
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            execute(query)
        assert records == list(log.read())

    def test_undecodable_stored_entry_names_its_position(self, store: PostgresStore) -> None:
        """A stored payload that does not fit its type is a CorruptLog naming the position."""
        log = Log(store)
        log.append("s", [counted(1), counted(2)])
        s = sql.Identifier(schema_of(store))
        with psycopg.connect(DSN) as conn:
            conn.execute(sql.SQL("ALTER TABLE {}.records DISABLE TRIGGER USER").format(s))
            conn.execute(
                sql.SQL(
                    """UPDATE {}.records SET data = '{{"amount": "many"}}' WHERE position = 2"""
                ).format(s)
            )
            conn.execute(sql.SQL("ALTER TABLE {}.records ENABLE TRIGGER USER").format(s))
        with pytest.raises(CorruptLog, match=r"position 2: cannot decode 'test.counted'"):
            list(log.read())

    def test_a_closed_store_refuses_to_work(self, store: PostgresStore) -> None:
        """Every use of a closed store is a StoreError saying it is closed."""
        store.close()
        with pytest.raises(StoreError, match="closed"):
            store.head()
        with pytest.raises(StoreError, match="closed"):
            Log(store).append("s", [counted()])

    def test_repr_names_server_and_schema_but_no_password(self) -> None:
        """The repr shows where the log lives, never a password."""
        schema = new_schema()
        dsn = psycopg.conninfo.make_conninfo(DSN, password="not-a-secret-but-hidden")
        store = PostgresStore(dsn, schema=schema)
        try:
            assert f"schema={schema!r}" in repr(store)
            assert "hidden" not in repr(store)
        finally:
            store.close()
            postgres.drop_schema(schema)


@needs_server
class TestSchema:
    def test_created_on_first_use_at_the_latest_version(self, store: PostgresStore) -> None:
        """Opening a new schema creates it and records migration 1."""
        query = sql.SQL("SELECT version FROM {}.migrations").format(
            sql.Identifier(schema_of(store))
        )
        assert [(1,)] == execute(query)

    def test_concurrent_openers_migrate_once(self) -> None:
        """Processes opening a new schema at once all succeed, and migrate it once."""
        schema = new_schema()
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            stores = list(pool.map(lambda _: PostgresStore(DSN, schema=schema), range(6)))
        for opened in stores:
            opened.close()
        query = sql.SQL("SELECT version FROM {}.migrations").format(sql.Identifier(schema))
        assert [(1,)] == execute(query)

    def test_a_newer_schema_is_refused(self, store: PostgresStore) -> None:
        """A schema with a migration this program does not know is refused, and left alone."""
        s = sql.Identifier(schema_of(store))
        execute(sql.SQL("INSERT INTO {}.migrations VALUES (99, 'future')").format(s))
        with pytest.raises(StoreError, match=r"migrations \[99\].*newer chronicle"):
            PostgresStore(DSN, schema=schema_of(store))
        query = sql.SQL("SELECT version FROM {}.migrations ORDER BY 1").format(s)
        assert [(1,), (99,)] == execute(query)

    def test_a_foreign_table_is_not_taken_over(self) -> None:
        """A schema already holding a table of the same name is refused, and nothing is left."""
        schema = new_schema()
        s = sql.Identifier(schema)
        execute(sql.SQL("CREATE SCHEMA {}").format(s))
        execute(sql.SQL("CREATE TABLE {}.streams (mine int)").format(s))
        with pytest.raises(StoreError, match=r"cannot set up .*streams"):
            PostgresStore(DSN, schema=schema)
        tables = execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema]
        )
        assert [("streams",)] == tables

    @pytest.mark.parametrize(
        "schema",
        ["", "x" * 64, "é" * 32, "a\x00b", "a?b", "a%b", "a%sb", 'a"b', "{s}", "a b", "1a", "pg_a"],
    )
    def test_a_malformed_schema_name_is_refused(self, schema: str) -> None:
        """A name that is not an identifier, over 63 bytes or reserved is a StoreError, and
        nothing is created."""
        with pytest.raises(StoreError, match="schema name"):
            PostgresStore(DSN, schema=schema)
        names = execute("SELECT nspname FROM pg_namespace")
        assert schema not in {name for (name,) in names}

    @pytest.mark.parametrize("suffix", ["", "_Mali", "_ß_ü", "_9"])
    def test_any_identifier_holds_a_log(self, suffix: str) -> None:
        """A schema name of letters (any case, any script), digits and underscores holds a log
        that appends, reads, replays with snapshots and notifies."""
        schema = new_schema() + suffix
        postgres.NAMED.append(schema)
        with Log(PostgresStore(DSN, schema=schema)) as log:
            records = log.append("s", [counted(1), counted(2)])
            assert records == list(log.subscribe(idle_timeout=0))
            cache = Snapshots(log, every=1)
            assert 3 == replay(log, total, snapshots=cache)
            assert [] != cache.checkpoints(total)
            assert 3 == replay(log, total, snapshots=cache)
            with log.store.listen() as wait:  # type: ignore[attr-defined]
                log.append("s", [counted(3)])
                wait(10)

    def test_a_read_only_open_refuses_a_missing_schema(self) -> None:
        """create=False on a schema with no log is a StoreError naming it; nothing is created."""
        schema = new_schema()
        with pytest.raises(StoreError, match=f"no chronicle log in PostgreSQL schema '{schema}'"):
            PostgresStore(DSN, schema=schema, create=False)
        with pytest.raises(StoreError, match=f"schema '{schema}'"):
            chronicle.open(postgres.url(schema), create=False)
        assert [] == execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        with pytest.raises(StoreError, match="holds no log"):
            PostgresStore(DSN, schema=schema, create=False)
        PostgresStore(DSN, schema=schema).close()
        with chronicle.open(postgres.url(schema), create=False) as log:
            assert 0 == log.head

    def test_an_unreachable_server_is_a_store_error(self) -> None:
        """A server that does not answer is a StoreError naming it, without the password."""
        dsn = "postgresql://someone:hidden@127.0.0.1:1/nowhere"
        with pytest.raises(StoreError, match=r"postgresql://someone@127.0.0.1:1/nowhere") as info:
            PostgresStore(dsn, timeout=2)
        assert "hidden" not in str(info.value)


@needs_server
class TestOpen:
    def test_open_takes_a_url_with_a_schema(self) -> None:
        """chronicle.open on a postgresql:// URL opens the log in the URL's schema."""
        schema = new_schema()
        with chronicle.open(postgres.url(schema)) as log:
            log.append("s", [counted()])
            assert isinstance(log.store, PostgresStore)
            assert schema == log.store.schema
        query = sql.SQL("SELECT count(*) FROM {}.records").format(sql.Identifier(schema))
        assert [(1,)] == execute(query)

    def test_other_parameters_reach_the_server(self) -> None:
        """The URL's libpq parameters, spaces included, are passed on; only schema is taken out."""
        schema = new_schema()
        target = postgres.with_param(postgres.SERVER, "options", f"-c application_name={schema}")
        target = postgres.with_param(target, "schema", schema)
        with chronicle.open(target) as log:
            log.append("s", [counted()])
            names = execute("SELECT application_name FROM pg_stat_activity")
            assert (schema,) in names

    def test_a_schema_given_twice_is_refused(self) -> None:
        """A URL naming two schemas is a StoreError."""
        with pytest.raises(StoreError, match="give the schema once"):
            chronicle.open(postgres.url("one") + "&schema=two")


class TestExtra:
    def test_malformed_dsn_is_a_store_error(self) -> None:
        """A DSN that is not a connection string is a StoreError."""
        with pytest.raises(StoreError, match="not a PostgreSQL connection string"):
            PostgresStore("host=a =b")

    def test_missing_psycopg_names_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without psycopg, the PostgreSQL store says which extra to install."""
        monkeypatch.setitem(sys.modules, "psycopg", None)
        monkeypatch.delitem(sys.modules, "chronicle._stores._postgres")
        with pytest.raises(StoreError, match=r"pip install 'chronicle-history\[postgres\]'"):
            importlib.import_module("chronicle._stores._postgres")


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@contextmanager
def tagged_store() -> Iterator[tuple[PostgresStore, str]]:
    """A store whose connections carry a unique application_name, so a test can kill them."""
    tag = new_schema()
    store = PostgresStore(psycopg.conninfo.make_conninfo(DSN, application_name=tag), schema=tag)
    try:
        yield store, tag
    finally:
        store.close()
        postgres.drop_schema(tag)


def kill_connections(tag: str) -> int:
    """Terminate every server connection named ``tag``: a network failure, as the store sees it."""
    rows = execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
        [tag],
    )
    return len(rows)


@needs_server
class TestConcurrentWriters:
    def test_each_expected_version_is_won_once(self, store: PostgresStore) -> None:
        """Writers expecting one version: one wins each round, the others get ConcurrencyError."""
        writers, rounds = 4, 15
        ready = threading.Barrier(writers, timeout=10)
        log = Log(store)

        def race(_: int) -> tuple[int, list[ConcurrencyError]]:
            wins, losses = 0, []
            for _ in range(rounds):
                expected = log.version("s")
                ready.wait()
                try:
                    log.append("s", [counted()], expected_version=expected)
                    wins += 1
                except ConcurrencyError as error:
                    losses.append(error)
            return wins, losses

        with concurrent.futures.ThreadPoolExecutor(writers) as pool:
            results = list(pool.map(race, range(writers)))
        assert rounds == sum(wins for wins, _ in results)
        losses = [error for _, errors in results for error in errors]
        assert (writers - 1) * rounds == len(losses)
        assert all(error.actual == error.expected + 1 for error in losses)
        assert list(range(1, rounds + 1)) == [r.version for r in log.read("s")]

    def test_a_reader_from_position_never_skips_one(self) -> None:
        """A reader tailing "from position p" while others append sees every position in turn."""
        with tagged_store() as (store, _):
            stop = threading.Event()

            def append(writer: int) -> None:
                with Log(PostgresStore(DSN, schema=schema_of(store), pool_size=1)) as log:
                    while not stop.is_set():
                        log.append(f"w{writer}", [counted(n) for n in range(writer % 3 + 1)])

            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                for writer in range(4):
                    pool.submit(append, writer)
                seen: list[int] = []
                deadline = time.monotonic() + 1.5
                while time.monotonic() < deadline:
                    seen += [r.position for r in store.read(from_position=len(seen) + 1)]
                stop.set()
            seen += [r.position for r in store.read(from_position=len(seen) + 1)]
            assert list(range(1, store.head()[0] + 1)) == seen
            assert len(seen) > 100


@needs_server
class TestSubscribe:
    def test_follows_the_appends_of_another_store(self, store: PostgresStore) -> None:
        """A subscription yields every record in order as another process's store appends them."""
        log = Log(store)
        sizes = [n % 3 + 1 for n in range(30)]

        def append() -> None:
            with Log(PostgresStore(DSN, schema=schema_of(store), pool_size=1)) as other:
                for n, size in enumerate(sizes):
                    other.append("s" if n % 2 else "t", [counted(n)] * size)

        writer = threading.Thread(target=append)
        writer.start()
        got = []
        with closing(log.subscribe(poll_interval=0.2, idle_timeout=5)) as subscription:
            for record in subscription:
                got.append(record)
                if len(got) == sum(sizes):
                    break
        writer.join()
        assert list(log.read()) == got

    def test_an_append_wakes_a_waiting_subscriber(self, store: PostgresStore) -> None:
        """A waiting subscription gets a new record at once (NOTIFY), not at its next poll.

        The subscription polls every 10 minutes: only a notification brings the
        record within the test's wait.
        """
        log = Log(store)
        stop = threading.Event()
        got: list[Record] = []
        waiting = threading.Event()
        listen = store.listen

        @contextmanager
        def listening() -> Iterator[Callable[[float], None]]:
            with listen() as wait:

                def announced(timeout: float) -> None:
                    waiting.set()
                    wait(timeout)

                yield announced

        store.listen = listening  # type: ignore[method-assign]
        follower = threading.Thread(
            target=lambda: got.extend(log.subscribe(poll_interval=600, stop=stop))
        )
        follower.start()
        assert waiting.wait(10)
        log.append("s", [counted()])
        wait_until(lambda: len(got) == 1)
        stop.set()
        log.append("s", [counted()])  # wakes the subscription to see stop
        follower.join(10)
        assert not follower.is_alive()
        assert 1 == got[0].position

    def test_only_the_stream_asked_for(self, store: PostgresStore) -> None:
        """A subscription to one stream yields that stream's records only."""
        log = Log(store)
        log.append("a", [counted(1)])
        log.append("b", [counted(2)])
        log.append("a", [counted(3)])
        assert list(log.read("a")) == list(log.subscribe(stream="a", idle_timeout=0))

    def test_resumes_after_reconnecting_without_loss_or_duplicates(self) -> None:
        """Connections killed, a new subscription from the last position + 1: each record once."""
        with tagged_store() as (store, tag):
            log = Log(store)
            log.append("s", [counted(n) for n in range(10)])
            got = []
            with closing(log.subscribe(idle_timeout=1)) as subscription:
                for record in subscription:
                    got.append(record)
                    if len(got) == 4:
                        break
            assert kill_connections(tag) >= 1
            log.append("s", [counted(n) for n in range(10, 15)])
            got += log.subscribe(from_position=got[-1].position + 1, idle_timeout=0)
            assert list(log.read()) == got

    def test_a_lost_listening_connection_is_replaced(self) -> None:
        """When a live subscription's connections die, it reconnects and misses nothing."""
        with tagged_store() as (store, tag):
            log = Log(store)
            stop = threading.Event()
            got: list[Record] = []

            def follow() -> None:
                got.extend(log.subscribe(poll_interval=0.1, stop=stop))

            follower = threading.Thread(target=follow)
            follower.start()
            log.append("s", [counted(n) for n in range(3)])
            wait_until(lambda: len(got) == 3)
            assert kill_connections(tag) >= 2  # the listener and the pool's
            for n in range(3):
                log.append("s", [counted(n)])
            wait_until(lambda: len(got) == 6)
            stop.set()
            follower.join()
            assert list(log.read()) == got


@needs_server
class TestLostConnections:
    def test_an_append_lost_before_it_was_sent_is_tried_again(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A pooled connection the server terminated fails the append's first round trip,
        before its write is sent: nothing can be stored, so it runs again on a new one.

        The pool's check is turned off, as when the termination has not reached the
        socket yet (the check sees nothing to read).
        """
        with tagged_store() as (store, tag):
            log = Log(store)
            log.append("s", [counted(0)])
            monkeypatch.setattr(_postgres_pool, "lost", lambda conn: conn.closed)
            assert kill_connections(tag) >= 1
            wait_until(lambda: kill_connections(tag) == 0)
            [record] = log.append("s", [counted(1)])
            assert [1, 2] == [r.version for r in log.read()]
            assert record == list(log.read())[-1]


@needs_server
class TestLoad:
    def test_eight_writer_processes(self, store: PostgresStore) -> None:
        """8 processes race for 2 s: nothing lost or doubled, positions gap-free as read."""
        writers = 8
        # A fork server that has imported the writers' code forks them quickly, and
        # from a process with no threads (unlike this one).
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["tests.postgres"])
        seen: list[int] = []
        with concurrent.futures.ProcessPoolExecutor(writers, mp_context=context) as pool:
            start_at = time.time() + 1.0  # time for the processes to start
            futures = [
                pool.submit(postgres.write, schema_of(store), writer, start_at, start_at + 2.0)
                for writer in range(writers)
            ]
            while not all(future.done() for future in futures):
                seen += [r.position for r in store.read(from_position=len(seen) + 1)]
                time.sleep(0.005)
            results = [future.result() for future in futures]
        records = list(store.read())
        positions = [r.position for r in records]
        assert list(range(1, len(records) + 1)) == positions
        assert positions[: len(seen)] == seen  # the tail read during the load skipped nothing
        acknowledged = [a for done, _ in results for a in done]
        stored = {(str(r.id), r.stream, r.version, r.position) for r in records}
        assert set(acknowledged) == stored
        assert len(acknowledged) == len(records)
        versions = Counter((r.stream, r.version) for r in records)
        assert [] == [key for key, count in versions.items() if count > 1]
        for stream in store.streams():
            mine = [r.version for r in records if r.stream == stream]
            assert list(range(1, len(mine) + 1)) == mine
        times = [r.recorded_at for r in records]
        assert times == sorted(times)
        conflicts = [c for _, lost in results for c in lost]
        # Only the stream they share can conflict (how often it does depends on the load).
        assert {stream for stream, _, _ in conflicts} <= {"shared"}
        assert all(actual > expected for _, expected, actual in conflicts)


def append_surely(log: Log, stream: str, amount: int) -> tuple[list[Record], int]:
    """Append one event, again after each NotStored; the records and how many NotStored."""
    refused = 0
    while True:
        try:
            return log.append(stream, [counted(amount)]), refused
        except NotStored:
            refused += 1


@needs_server
class TestUnansweredAppends:
    def test_an_append_lost_after_its_write_is_not_stored(self) -> None:
        """An append whose backend is ended while its write waits raises NotStored, and the
        log holds nothing of it; the next append works."""
        with tagged_store() as (store, tag):
            log = Log(store)
            (first,) = log.append("s", [counted(0)])
            s = sql.Identifier(tag)
            with psycopg.connect(DSN) as blocker:  # holds the stream's row until it ends
                blocker.execute(sql.SQL("SELECT 1 FROM {}.streams FOR UPDATE").format(s))
                with concurrent.futures.ThreadPoolExecutor(1) as pool:
                    outcome = pool.submit(log.append, "s", [counted(1)])
                    waiting = (
                        "SELECT pid FROM pg_stat_activity"
                        " WHERE application_name = %s AND wait_event_type = 'Lock'"
                    )
                    wait_until(lambda: bool(execute(waiting, [tag])))
                    assert kill_connections(tag) >= 1
                    with pytest.raises(NotStored, match="nothing of it is stored"):
                        outcome.result(timeout=30)
                blocker.rollback()
            assert [first] == list(log.read())
            (second,) = log.append("s", [counted(2)])
            assert (2, 2) == (second.position, second.version)

    @pytest.mark.parametrize("committed", [True, False])
    def test_an_unanswered_append_is_settled(
        self, store: PostgresStore, monkeypatch: pytest.MonkeyPatch, committed: bool
    ) -> None:
        """An append whose answer was lost returns its records if they committed (once, as
        stored), and raises NotStored if not."""
        log = Log(store)
        log.append("other", [counted(0)])
        once = PostgresStore._append_once

        def unanswered(self: PostgresStore, *args: object, **kwargs: object) -> list[Record]:
            head = self.head()[0]
            if committed:
                once(self, *args, **kwargs)  # type: ignore[arg-type]
            lost = psycopg.OperationalError("server closed the connection unexpectedly")
            raise _postgres._Unanswered(head) from lost

        monkeypatch.setattr(PostgresStore, "_append_once", unanswered)
        if committed:
            records = log.append("s", [counted(1), counted(2)])
            monkeypatch.undo()
            assert records == list(log.read())[1:]
        else:
            with pytest.raises(NotStored):
                log.append("s", [counted(1), counted(2)])
            monkeypatch.undo()
            assert 1 == len(list(log.read()))

    def test_ids_of_earlier_records_are_not_the_append(
        self, store: PostgresStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An unanswered append whose ids earlier records hold could not have committed."""
        log = Log(store)
        taken = log.append("s", [counted(0), counted(1)])

        def unanswered(self: PostgresStore, *args: object, **kwargs: object) -> list[Record]:
            raise _postgres._Unanswered(self.head()[0]) from psycopg.OperationalError("lost")

        monkeypatch.setattr(PostgresStore, "_append_once", unanswered)
        for stream in ("s", "t"):
            with pytest.raises(NotStored):
                store.append(
                    Batch(
                        stream=stream,
                        entries=[counted(0), counted(1)],
                        stored=[stored_entry(counted(n)) for n in (0, 1)],
                        ids=[r.id for r in taken],
                        expected_version=ANY,
                        recorded_at=START,
                        exact_time=False,
                    )
                )

    def test_forty_lost_connections(self) -> None:
        """Every connection of a store ended 40 times while a subscriber follows and a writer
        appends: the subscriber gets each record (it polls every 10 minutes: only its own
        connection's notifications bring them), every acknowledged append is stored once,
        and every other one raised NotStored and is not stored."""
        with tagged_store() as (store, tag):
            log = Log(store)
            stop, done = threading.Event(), threading.Event()
            got: list[Record] = []
            follower = threading.Thread(
                target=lambda: got.extend(log.subscribe(poll_interval=600, stop=stop)),
                daemon=True,
            )
            follower.start()
            acknowledged: list[Record] = []
            refused = [0]

            def write() -> None:
                n = 0
                while not done.is_set():
                    records, not_stored = append_surely(log, "w", n)
                    acknowledged.extend(records)
                    refused[0] += not_stored
                    n += 1

            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                writer = pool.submit(write)
                try:  # the writer stops whatever happens here, so a failure cannot hang
                    for n in range(40):
                        (record,), _ = append_surely(log, "s", n)
                        wait_until(lambda: record in got, seconds=30)  # noqa: B023 -- used at once
                        assert kill_connections(tag) >= 1
                except BaseException:
                    stop.set()  # the follower too, at its next wake (it is a daemon)
                    raise
                finally:
                    done.set()
                writer.result(timeout=30)
            head = log.head
            wait_until(lambda: len(got) == head, seconds=30)
            stop.set()
            (last,) = log.append("s", [counted(40)])  # wakes the subscriber to see stop
            follower.join(30)
            assert not follower.is_alive()
            records = list(log.read())
            assert got == records[: len(got)]  # each record once, in order
            assert len(got) in (head, head + 1)  # it may give the last one before it stops
            assert [r.version for r in records if r.stream == "s"] == list(range(1, 42))
            assert acknowledged == [r for r in records if r.stream == "w"]
            assert last == records[-1]


FD_SCRIPT = """
import os, resource, sys
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
assert min(held) < 1024 < max(held)
from chronicle import Log, PostgresStore
from tests.domain import Counted
dsn, schema = sys.argv[1:]
with Log(PostgresStore(dsn, schema=schema, timeout=5)) as log:
    first = log.append("s", [Counted(occurred="2020", amount=1)])
    assert first == list(log.subscribe(idle_timeout=0))
    with log.store.listen() as wait:
        log.append("s", [Counted(occurred="2020", amount=2)])
        wait(5)
    log.store._pool.drop_idle()
    for n in range(3):
        log.append("s", [Counted(occurred="2020", amount=n)])
    print(len(list(log.read())))
"""


@needs_server
def test_a_process_holding_over_1024_files(tmp_path) -> None:
    """A process with more than 1,024 open files appends, reads, subscribes and listens:
    descriptors past 1,024 are checked by poll, not select.select."""
    import resource
    import subprocess

    if resource.getrlimit(resource.RLIMIT_NOFILE)[1] < 1200:
        pytest.skip("the hard limit of open files is under 1,200")
    schema = new_schema()
    done = subprocess.run(
        [sys.executable, "-c", FD_SCRIPT, DSN, schema],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "5" == done.stdout.strip(), done.stderr


@needs_server
class TestPool:
    def test_a_pool_of_no_connection_is_refused(self) -> None:
        """pool_size must be at least 1."""
        with pytest.raises(StoreError, match="at least one connection, not 0"):
            PostgresStore(DSN, schema=new_schema(), pool_size=0)

    def test_a_connection_is_lent_to_one_user_at_a_time(self, store: PostgresStore) -> None:
        """With every connection lent, another user gets a StoreError after the timeout; once
        one is given back, it is lent again, and no more are opened than pool_size."""
        pool = _postgres_pool.Pool(store._connect, 2, 0.1, "here")
        with pool.connection() as first, pool.connection() as second:
            assert first is not second
            with (
                pytest.raises(StoreError, match=r"no connection was free after 0\.1 s"),
                pool.connection(),
            ):
                pass
        with pool.connection() as again:
            assert again in (first, second)
        pool.close()
        assert first.closed
        assert second.closed
        with pytest.raises(StoreError, match="closed"), pool.connection():
            pass

    def test_a_connection_left_in_a_transaction_is_not_lent_again(
        self, store: PostgresStore
    ) -> None:
        """A connection given back inside a transaction, or closed, is closed, not reused."""
        pool = _postgres_pool.Pool(store._connect, 1, 1, "here")
        with pool.connection() as conn:
            conn.execute("BEGIN")
        assert conn.closed
        with pool.connection() as other:
            assert other is not conn
            other.close()
        with pool.connection() as third:
            assert third is not other
            assert 1 == third.execute("SELECT 1").fetchone()[0]
        pool.close()


class _Scripted:
    """A connection that the server ends as it starts, that is refused a statement, or works."""

    def __init__(self, outcome: str) -> None:
        self.outcome, self.closed, self.executed = outcome, False, 0

    def execute(self, _statement: object) -> None:
        self.executed += 1
        if self.outcome == "ended" or (self.outcome == "ended listening" and self.executed == 2):
            self.closed = True  # as psycopg leaves a connection the server ended
            raise psycopg.errors.AdminShutdown(
                "terminating connection due to administrator command"
            )
        if self.outcome == "denied":
            raise psycopg.errors.InsufficientPrivilege("permission denied")

    def close(self) -> None:
        self.closed = True


class TestConnectionsEndedAsTheyStart:
    """A store's new connection ended by the server while it is set up, without a server."""

    @staticmethod
    def _connect(
        monkeypatch: pytest.MonkeyPatch, *outcomes: str, listen: str | None = None
    ) -> tuple[object, list[_Scripted]]:
        pending, opened = list(outcomes), []

        def connect(*_args: object, **_kwargs: object) -> _Scripted:
            outcome = pending.pop(0)
            if outcome == "refused":
                raise psycopg.OperationalError("connection refused")
            opened.append(_Scripted(outcome))
            return opened[-1]

        monkeypatch.setattr(_postgres.psycopg, "connect", connect)
        store = types.SimpleNamespace(_dsn="", _connect_args={})
        try:
            return PostgresStore._connect(store, listen=listen), opened  # type: ignore[arg-type]
        except psycopg.Error as error:
            return error, opened

    def test_an_ended_connection_is_replaced(self, monkeypatch: pytest.MonkeyPatch) -> None:
        conn, opened = self._connect(monkeypatch, "ended", "ended", "ok")
        assert conn is opened[-1]
        assert [True, True, False] == [each.closed for each in opened]

    def test_it_gives_up_after_as_many_connections_as_a_read(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        error, opened = self._connect(monkeypatch, *["ended"] * _postgres._TRIES, "ok")
        assert isinstance(error, psycopg.errors.AdminShutdown)
        assert _postgres._TRIES == len(opened)

    @pytest.mark.parametrize("first", ["denied", "refused"])
    def test_a_refusal_that_is_no_lost_connection_is_raised_at_once(
        self, monkeypatch: pytest.MonkeyPatch, first: str
    ) -> None:
        error, opened = self._connect(monkeypatch, first, "ok")
        assert isinstance(error, psycopg.Error)
        assert all(each.closed for each in opened)
        assert len(opened) == (first == "denied")

    def test_one_ended_before_it_listens_is_replaced(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Set up, then ended before its LISTEN is answered: the new one listens."""
        conn, opened = self._connect(monkeypatch, "ended listening", "ok", listen="channel")
        assert conn is opened[-1]
        assert [(True, 2), (False, 2)] == [(each.closed, each.executed) for each in opened]

    def test_a_listener_that_cannot_listen_says_so(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(_postgres.psycopg, "connect", lambda *_a, **_k: _Scripted("denied"))
        store = types.SimpleNamespace(_dsn="", _connect_args={})
        connect = functools.partial(PostgresStore._connect, store)
        with pytest.raises(StoreError, match="cannot listen to PostgreSQL here: permission denied"):
            _postgres._Listener(connect, "channel", "here")  # type: ignore[arg-type]
