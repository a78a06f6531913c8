"""A log's checkpoints are data: crafted ones run nothing, change no answer, and verify names them.

For each place checkpoints live beside a log (an SQLite log's database, a JSON
Lines log's ``.snapshots`` side file, a PostgreSQL log's schema), the Mali
chronology is queried with ``--snapshots``, its checkpoints are replaced by a
pickle payload and by forged states, and the commands are run again.
"""

from __future__ import annotations

import datetime
import pickle
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import chronicle
from chronicle.politics import AttackOccurred
from tests.cli.conftest import run
from tests.postgres import DSN, drop_schema, new_schema

QUERY = ("state", "--as-of", "2025-12-31", "--json")


class _Planted:
    """A pickle that, if ever loaded, leaves a file behind."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path(self.marker).touch, ())


Rewrite = Callable[[Callable[[bytes], bytes]], int]
"""Rewrites every stored checkpoint's bytes with a function; returns how many."""


def _sqlite_rewrite(path: Path) -> Rewrite:
    def rewrite(change: Callable[[bytes], bytes]) -> int:
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT rowid, state FROM chronicle_checkpoints_v2").fetchall()
            for rowid, state in rows:
                db.execute(
                    "UPDATE chronicle_checkpoints_v2 SET state = ? WHERE rowid = ?",
                    (change(bytes(state)), rowid),
                )
        return len(rows)

    return rewrite


def _postgres_rewrite(schema: str) -> Rewrite:
    import psycopg
    from psycopg import sql

    table = sql.Identifier(schema, "checkpoints_v2")

    def rewrite(change: Callable[[bytes], bytes]) -> int:
        with psycopg.connect(DSN) as conn:
            rows = conn.execute(
                sql.SQL("SELECT series, latest, earliest, position, state FROM {}").format(table)
            ).fetchall()
            for *key, state in rows:
                conn.execute(
                    sql.SQL(
                        "UPDATE {} SET state = %s WHERE series = %s AND latest = %s"
                        " AND earliest = %s AND position = %s"
                    ).format(table),
                    (change(bytes(state)), *key),
                )
        return len(rows)

    return rewrite


@pytest.fixture(params=["sqlite", "jsonl", "postgres"])
def log_with_checkpoints(
    request: pytest.FixtureRequest, mali: Path, tmp_path: Path
) -> Iterator[tuple[str, Rewrite]]:
    """The Mali log in each kind of store, queried once with --snapshots; and a way to tamper."""
    kind = request.param
    exported = tmp_path / "export.jsonl"
    assert 0 == run("export", mali, "--out", exported).exit_code
    schema = None
    if kind == "sqlite":
        target = str(tmp_path / "mali.db")
        rewrite = _sqlite_rewrite(tmp_path / "mali.db")
    elif kind == "jsonl":
        target = str(tmp_path / "copy.jsonl")
        rewrite = _sqlite_rewrite(tmp_path / "copy.jsonl.snapshots")
    else:
        if not DSN:
            pytest.skip("CHRONICLE_TEST_POSTGRES is not set: no PostgreSQL server")
        schema = new_schema()
        target = f"{DSN}{'&' if '?' in DSN else '?'}schema={schema}"
        rewrite = _postgres_rewrite(schema)
    assert 0 == run("import", target, exported).exit_code
    with chronicle.open(target) as log:  # long enough for checkpoints with the defaults
        first = datetime.date(2012, 1, 1)
        log.append(
            "mali",
            [
                AttackOccurred(
                    occurred=first + datetime.timedelta(days=n), perpetrator="JNIM", place="Mopti"
                )
                for n in range(2500)
            ],
        )
    assert 0 == run(*QUERY[:1], target, *QUERY[1:], "--snapshots").exit_code
    try:
        yield target, rewrite
    finally:
        if schema is not None:
            drop_schema(schema)


class TestCraftedCheckpoints:
    def test_a_pickle_payload_runs_nothing_and_is_named(
        self, log_with_checkpoints: tuple[str, Rewrite], tmp_path: Path
    ) -> None:
        """Checkpoints replaced by a pickle: no code runs, the answer stands, verify names them."""
        target, rewrite = log_with_checkpoints
        expected = run(*QUERY[:1], target, *QUERY[1:]).stdout
        marker = tmp_path / "ran"
        payload = pickle.dumps(_Planted(str(marker)))
        assert rewrite(lambda _state: payload) > 0
        checked = run("verify", target, "--snapshots")
        assert 1 == checked.exit_code
        assert "not signed" in checked.stdout
        assert expected == run(*QUERY[:1], target, *QUERY[1:], "--snapshots").stdout
        assert not marker.exists()

    def test_a_forged_state_changes_no_answer_and_is_named(
        self, log_with_checkpoints: tuple[str, Rewrite]
    ) -> None:
        """A well-formed state written over a checkpoint's (its signature kept) is ignored."""
        target, rewrite = log_with_checkpoints
        expected = run(*QUERY[:1], target, *QUERY[1:]).stdout
        assert rewrite(lambda state: state.replace("Keïta".encode(), "Forgé".encode())) > 0
        checked = run("verify", target, "--snapshots")
        assert 1 == checked.exit_code
        assert "checkpoints:" in checked.stdout
        assert expected == run(*QUERY[:1], target, *QUERY[1:], "--snapshots").stdout
        assert 0 == run("verify", target, "--snapshots").exit_code  # rebuilt by the query
